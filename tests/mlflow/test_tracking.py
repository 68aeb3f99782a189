"""A typical training script through the fluent API, then read back through MlflowClient."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

import mlflow
import pandas as pd
import pytest
from mlflow.entities import Metric, Param, RunTag

from support import unique

STEPS = 25


@pytest.fixture(scope="module")
def training_run():
    """Runs the body of a typical script once: experiment, named run, params, metrics, tags, end_run."""
    name = unique("train")
    created = mlflow.set_experiment(name)
    again = mlflow.set_experiment(name)
    run_name = unique("baseline")
    run = mlflow.start_run(run_name=run_name)
    started = run.info
    mlflow.log_param("lr", 0.01)
    mlflow.log_params({"depth": 3, "optimizer": "adam", "use_bn": True})
    for step in range(STEPS):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metric("acc", 0.9, step=STEPS - 1)
    mlflow.log_metrics({"acc": 0.93, "f1": 0.88}, step=STEPS)
    # The latest value is the one with the highest step, not the last one logged.
    mlflow.log_metric("sched", 1.0, step=5)
    mlflow.log_metric("sched", 2.0, step=2)
    mlflow.set_tag("team", "vision")
    mlflow.set_tags({"stage": "dev", "owner": "ci"})
    mlflow.end_run()
    return {"experiment": created, "again": again, "run_name": run_name, "started": started}


def test_set_experiment_creates_then_reuses(training_run, client):
    created, again = training_run["experiment"], training_run["again"]
    assert created.experiment_id == again.experiment_id
    assert created.lifecycle_stage == "active"
    assert created.artifact_location.startswith("mlflow-artifacts:/"), created.artifact_location
    found = client.search_experiments(filter_string=f"name = '{created.name}'")
    assert [e.experiment_id for e in found] == [created.experiment_id]
    assert client.get_experiment_by_name(created.name).experiment_id == created.experiment_id


def test_start_run_returns_a_named_running_run(training_run):
    info = training_run["started"]
    assert info.run_name == training_run["run_name"]
    assert info.status == "RUNNING"
    assert info.experiment_id == training_run["experiment"].experiment_id
    assert len(info.run_id) == 32 and info.run_id == info.run_id.lower()
    assert info.artifact_uri.startswith("mlflow-artifacts:/"), info.artifact_uri
    assert info.artifact_uri.endswith(f"/{info.run_id}/artifacts")


def test_get_run_shows_params_latest_metrics_tags_and_end(training_run, client):
    run = client.get_run(training_run["started"].run_id)
    assert run.info.status == "FINISHED"
    assert run.info.lifecycle_stage == "active"
    assert run.info.end_time is not None and run.info.end_time >= run.info.start_time
    assert run.info.run_name == training_run["run_name"]
    assert run.data.params == {"lr": "0.01", "depth": "3", "optimizer": "adam", "use_bn": "True"}
    assert run.data.metrics == {"loss": pytest.approx(1.0 / STEPS), "acc": 0.93, "f1": 0.88, "sched": 1.0}
    tags = run.data.tags
    assert {k: tags.get(k) for k in ("team", "stage", "owner")} == {"team": "vision", "stage": "dev", "owner": "ci"}
    assert tags["mlflow.runName"] == training_run["run_name"]
    assert "mlflow.user" in tags and "mlflow.source.name" in tags


def test_metric_history_has_every_step_in_order(training_run, client):
    run_id = training_run["started"].run_id
    history = client.get_metric_history(run_id, "loss")
    assert [(m.key, m.step, m.value) for m in history] == [("loss", s, pytest.approx(1.0 / (s + 1))) for s in range(STEPS)]
    timestamps = [m.timestamp for m in history]
    assert timestamps == sorted(timestamps) and all(t > 0 for t in timestamps)
    assert [(m.step, m.value) for m in client.get_metric_history(run_id, "acc")] == [(STEPS - 1, 0.9), (STEPS, 0.93)]
    assert client.get_metric_history(run_id, "never-logged") == []


NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(math.inf, id="inf"), pytest.param(-math.inf, id="-inf")]


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("how", ["log_metric", "log_metrics"])
def test_non_finite_metric_values_round_trip(client, how, value):
    """NaN and ±Infinity travel as the strings "NaN"/"Infinity"/"-Infinity" and must come back as such.

    (MLflow's own SQL store clamps ±Infinity to ±1.7976931348623157e308; Cairn stores them faithfully.)
    log_metric goes through runs/log-metric, log_metrics through runs/log-batch.
    """
    mlflow.set_experiment(unique("nonfinite"))
    with mlflow.start_run() as run:
        mlflow.log_metric("finite", 0.5, step=0)
        if how == "log_metric":
            mlflow.log_metric("odd", value, step=1)
        else:
            mlflow.log_metrics({"odd": value}, step=1)
        mlflow.log_metric("finite", 0.25, step=1)
    latest = client.get_run(run.info.run_id).data.metrics
    assert _same(latest["odd"], value), latest
    assert latest["finite"] == 0.25
    history = client.get_metric_history(run.info.run_id, "odd")
    assert len(history) == 1 and history[0].step == 1 and _same(history[0].value, value)


def test_log_batch_of_1000_metrics_is_one_request_and_idempotent(client, recorder):
    experiment_id = mlflow.set_experiment(unique("batch")).experiment_id
    run_id = client.create_run(experiment_id).info.run_id
    now = int(time.time() * 1000)
    metrics = [Metric(f"m{k}", float(k * 1000 + step), now + step, step) for k in range(10) for step in range(100)]
    mark = recorder.mark()
    client.log_batch(run_id, metrics=metrics)
    batches = [c for c in recorder.since(mark) if c.path.endswith("/runs/log-batch")]
    assert [c.status for c in batches] == [200], batches
    # Sending the very same points again (a retried request, a resumed script) must not duplicate them.
    client.log_batch(run_id, metrics=metrics)
    client.log_batch(run_id, params=[Param("batch_size", "64")], tags=[RunTag("phase", "batch")])
    for k in (0, 9):
        history = client.get_metric_history(run_id, f"m{k}")
        assert [(m.step, m.value) for m in history] == [(s, float(k * 1000 + s)) for s in range(100)]
    run = client.get_run(run_id)
    assert len(run.data.metrics) == 10
    assert run.data.metrics["m3"] == 3099.0
    assert run.data.params == {"batch_size": "64"}
    assert run.data.tags["phase"] == "batch"
    client.set_terminated(run_id)
    assert client.get_run(run_id).info.status == "FINISHED"


def test_script_without_set_experiment_logs_to_default_experiment(client, tmp_path):
    script = tmp_path / "train.py"
    script.write_text(
        "import mlflow\n"
        "with mlflow.start_run() as run:\n"
        "    mlflow.log_param('where', 'default')\n"
        "    mlflow.log_metric('x', 1.0)\n"
        "print('RUN_ID=' + run.info.run_id)\n"
    )
    child_env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID")}
    done = subprocess.run([sys.executable, str(script)], env=child_env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    run_id = next(line.split("=", 1)[1] for line in done.stdout.splitlines() if line.startswith("RUN_ID="))
    run = client.get_run(run_id)
    assert run.info.experiment_id == "0"
    assert run.data.params == {"where": "default"}
    assert run.info.status == "FINISHED"
    default = client.get_experiment("0")
    assert default.name == "Default" and default.lifecycle_stage == "active"
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_nested_runs_carry_the_parent_tag(client):
    """A hyper-parameter sweep: child runs inside a parent run, found again by the parent tag."""
    experiment_id = mlflow.set_experiment(unique("sweep")).experiment_id
    with mlflow.start_run(run_name="sweep") as parent:
        children = []
        for lr in ("0.1", "0.01"):
            with mlflow.start_run(run_name=f"lr={lr}", nested=True) as child:
                mlflow.log_param("lr", lr)
                children.append(child.info.run_id)
    for run_id in children:
        assert client.get_run(run_id).data.tags["mlflow.parentRunId"] == parent.info.run_id
    found = client.search_runs([experiment_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'")
    assert sorted(r.info.run_id for r in found) == sorted(children)
    assert client.get_run(parent.info.run_id).info.status == "FINISHED"


def test_rename_run_delete_tag_and_experiment_tags(client):
    experiment_id = mlflow.set_experiment(unique("tags")).experiment_id
    mlflow.set_experiment_tag("purpose", "regression tests")
    with mlflow.start_run(run_name="first-name") as run:
        mlflow.set_tag("temporary", "yes")
        mlflow.set_tag("kept", "yes")
    run_id = run.info.run_id
    client.update_run(run_id, name="second-name")
    renamed = client.get_run(run_id)
    assert renamed.info.run_name == "second-name"
    assert renamed.data.tags["mlflow.runName"] == "second-name"
    client.delete_tag(run_id, "temporary")
    tags = client.get_run(run_id).data.tags
    assert "temporary" not in tags and tags["kept"] == "yes"
    assert client.get_experiment(experiment_id).tags["purpose"] == "regression tests"
    client.set_experiment_tag(experiment_id, "purpose", "changed")
    assert client.get_experiment(experiment_id).tags["purpose"] == "changed"


def test_log_input_records_a_dataset(client, tiny_dataset):
    X, y = tiny_dataset
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(label=y)
    dataset = mlflow.data.from_pandas(frame, name="tiny-train", targets="label")
    mlflow.set_experiment(unique("datasets"))
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    assert (inputs[0].dataset.name, inputs[0].dataset.digest) == ("tiny-train", dataset.digest)
    assert {t.key: t.value for t in inputs[0].tags} == {"mlflow.data.context": "training"}


def test_long_metric_history_comes_back_whole(client):
    """30,000 points: more than the 25,000 the client asks for per page, so the history is paged."""
    run_id = client.create_run(mlflow.set_experiment(unique("long")).experiment_id).info.run_id
    now = int(time.time() * 1000)
    for start in range(0, 30_000, 1000):
        client.log_batch(run_id, metrics=[Metric("loss", 1.0 / (s + 1), now + s, s) for s in range(start, start + 1000)])
    history = client.get_metric_history(run_id, "loss")
    assert len(history) == 30_000
    assert [m.step for m in history] == list(range(30_000))
    assert client.get_run(run_id).data.metrics["loss"] == pytest.approx(1.0 / 30_000)
