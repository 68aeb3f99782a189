"""Schemathesis hooks for the fuzz tier (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz-tests.ts).

1. Seeded ids. Random strings rarely name an existing run or model, so half of the generated
   bodies, queries and paths have their id fields replaced by ids the runner created before the
   run (CAIRN_FUZZ_SEED). Operations that would destroy the seeds (deletes, renames) keep their
   random ids.
2. No partial writes. A seeded write to a run (log-batch, log-metric, log-parameter, set-tag) goes
   to a fresh run created just before the call. If the server refuses it, the run must still be
   exactly as created, at once and again at the end of the run; if it accepts it, everything it
   named must be there.
"""

import json
import os
import threading

import requests
import schemathesis
from hypothesis import strategies as st

BASE = os.environ["CAIRN_FUZZ_URL"].rstrip("/")  # http://127.0.0.1:<port>/p/<slug>
TOKEN = os.environ["CAIRN_FUZZ_TOKEN"]
SEED = json.loads(os.environ["CAIRN_FUZZ_SEED"])

_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        _local.session = session
    return _local.session


def _api(method: str, path: str, **kwargs):
    response = _session().request(method, f"{BASE}/api/2.0/mlflow/{path}", timeout=30, **kwargs)
    if response.status_code != 200:
        raise AssertionError(f"fuzz hooks: {method} {path} answered {response.status_code}: {response.text[:300]}")
    return response.json()


# 1. Seeded ids

REGISTRY = ("/registered-models/", "/model-versions/")
# The monitoring API's operations (its paths are relative to /api/monitoring/v1).
MONITORING = ("/records", "/labels", "/reference")


def _destroys_seeds(operation) -> bool:
    path = operation.path
    return operation.method.upper() == "DELETE" or path.endswith(("/delete", "/rename", "/experiments/update"))


def _seeded_fields(operation, fields: dict) -> dict:
    """The same fields with every id that names something replaced by a seeded one."""
    out = dict(fields)
    registry = any(part in operation.path for part in REGISTRY)
    if operation.path in MONITORING:
        for key, seeded in (("model", SEED["model_name"]), ("alias", "champion"), ("version", int(SEED["version"]))):
            if key in out:
                out[key] = seeded
        return out
    for key in list(out):
        if key in ("experiment_id",):
            out[key] = SEED["experiment_id"]
        elif key == "experiment_ids":
            out[key] = [SEED["experiment_id"]]
        elif key in ("run_id", "run_uuid", "source_run_id"):
            out[key] = SEED["run_id"]
        elif key == "experiment_name":
            out[key] = SEED["experiment_name"]
        elif key == "name" and registry:
            out[key] = SEED["model_name"]
        elif key == "version" and registry:
            out[key] = SEED["version"]
        elif key == "source" and registry:
            out[key] = f"runs:/{SEED['run_id']}/model"
        elif key == "model_id":
            out[key] = SEED["logged_model_id"]
    return out


def _with_seeds(context, fields):
    operation = context.operation
    if not isinstance(fields, dict) or operation is None or _destroys_seeds(operation):
        return st.just(fields)
    seeded = _seeded_fields(operation, fields)
    return st.just(fields) if seeded == fields else st.sampled_from([fields, seeded])


@schemathesis.hook
def flatmap_body(context, body):
    return _with_seeds(context, body)


@schemathesis.hook
def flatmap_query(context, query):
    return _with_seeds(context, query)


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    operation = context.operation
    if not isinstance(path_parameters, dict) or operation is None or operation.method.upper() == "DELETE":
        return st.just(path_parameters)
    seeded = dict(path_parameters)
    if "model_id" in seeded:
        seeded["model_id"] = SEED["logged_model_id"]
    if "artifact_path" in seeded:
        seeded["artifact_path"] = f"{SEED['artifact_root']}/{seeded['artifact_path']}"
    return st.just(path_parameters) if seeded == path_parameters else st.sampled_from([path_parameters, seeded])


# 2. No partial writes

RUN_WRITES = {
    "/api/2.0/mlflow/runs/log-batch",
    "/api/2.0/mlflow/runs/log-metric",
    "/api/2.0/mlflow/runs/log-parameter",
    "/api/2.0/mlflow/runs/set-tag",
}

_lock = threading.Lock()
# fresh run id -> what it held when created
_fresh: dict[str, dict] = {}
# fresh run ids whose write was refused
_refused: set[str] = set()


def _state(run_id: str) -> dict:
    data = _api("GET", "runs/get", params={"run_id": run_id})["run"].get("data", {})
    return {
        "params": sorted((p["key"], p["value"]) for p in data.get("params", [])),
        "metrics": sorted(m["key"] for m in data.get("metrics", [])),
        "tags": sorted((t["key"], t["value"]) for t in data.get("tags", [])),
    }


def _is_run_write(case) -> bool:
    return case.operation.method.upper() == "POST" and case.operation.path in RUN_WRITES and isinstance(case.body, dict)


@schemathesis.hook
def before_call(context, case, kwargs):
    """A seeded write goes to a run of its own, so what it left behind can be told apart."""
    if not _is_run_write(case):
        return
    # A case sent again (Hypothesis replays and shrinks) still names the fresh run of its first
    # call, which that call may have written to: it gets a fresh run of its own too.
    named = case.body.get("run_id")
    # The generator also sends lists and objects as run_id: only a string can name a run.
    if not isinstance(named, str):
        return
    with _lock:
        reused = named in _fresh
    if named != SEED["run_id"] and not reused:
        return
    # The fuzzer may have deleted the experiment (its ids are small numbers): bring it back first.
    experiment = _api("GET", "experiments/get", params={"experiment_id": SEED["check_experiment_id"]})["experiment"]
    if experiment.get("lifecycle_stage") == "deleted":
        _api("POST", "experiments/restore", json={"experiment_id": SEED["check_experiment_id"]})
    run = _api("POST", "runs/create", json={"experiment_id": SEED["check_experiment_id"], "run_name": "fuzz-write"})["run"]
    run_id = run["info"]["run_id"]
    with _lock:
        _fresh[run_id] = _state(run_id)
    case.body["run_id"] = run_id
    if "run_uuid" in case.body:
        case.body["run_uuid"] = run_id


def _named(items, kind: str) -> set:
    """The keys a write named for `kind`, as far as they are well-formed."""
    if not isinstance(items, list):
        return set()
    return {item["key"] for item in items if isinstance(item, dict) and isinstance(item.get("key"), str)}


@schemathesis.check
class no_partial_writes:
    """A refused write to a run leaves nothing behind (now, and at the end of the run); an accepted one leaves everything it named."""

    def after_response(self, ctx, response, case):
        if not _is_run_write(case):
            return
        run_id = case.body.get("run_id")
        if not isinstance(run_id, str):
            return
        with _lock:
            before = _fresh.get(run_id)
        if before is None:
            return
        after = _state(run_id)
        if response.status_code != 200:
            with _lock:
                _refused.add(run_id)
            if after != before:
                raise AssertionError(f"A write refused with {response.status_code} changed run {run_id}: before {before}, after {after}")
            return
        params = {k for k, _ in after["params"]}
        tags = {k for k, _ in after["tags"]}
        metrics = set(after["metrics"])
        path = case.operation.path
        body = case.body
        if path.endswith("/log-batch"):
            missing = (_named(body.get("params"), "param") - params) | (_named(body.get("metrics"), "metric") - metrics) | (_named(body.get("tags"), "tag") - tags)
        elif path.endswith("/log-metric"):
            missing = {body.get("key")} - metrics
        elif path.endswith("/log-parameter"):
            missing = {body.get("key")} - params
        else:
            missing = {body.get("key")} - tags
        if missing:
            raise AssertionError(f"An accepted write to run {run_id} is missing {sorted(map(str, missing))}")

    def after_run(self, ctx):
        with _lock:
            refused = {run_id: _fresh[run_id] for run_id in _refused}
        changed = [run_id for run_id, before in refused.items() if _state(run_id) != before]
        if changed:
            raise AssertionError(f"Refused writes left data behind by the end of the run in runs {changed}")
