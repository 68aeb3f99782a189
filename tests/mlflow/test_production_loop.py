"""The production loop end to end, on real parts: train with the MLflow client, register, promote
through a review, serve with `mlflow models serve`, send the scoring server's predictions and later
the labels to Cairn, and see drift and decay computed, alerts raised and delivered (inbox, e-mail, a
Slack-format webhook), and that evidence in the next promotion request.

The data is scikit-learn's iris set; production flowers have petals 1.5 cm longer than any the model
saw, so its inputs drift and its accuracy falls. Collected for the 3.x client only (see
test_serving.py for why serving needs it).
"""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from support import CairnApi, log_model_kwargs, scoring_server, unique

ALIAS = "champion"
POLL_S = 90


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the tier through scripts/mlflow-tests.ts")
    return value


def _eventually(what: str, probe):
    """Polls `probe` until it returns something truthy: alerts are evaluated by a job after the batch."""
    deadline = time.monotonic() + POLL_S
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {POLL_S} s")
        time.sleep(1)


class _Receiver(http.server.BaseHTTPRequestHandler):
    bodies: list[dict] = []

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def webhook_receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Receiver.bodies
    server.shutdown()


@pytest.fixture(scope="module")
def iris():
    data = load_iris(as_frame=True)
    frame = data.data.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    species = data.target.map(dict(enumerate(data.target_names)))
    train = np.arange(len(frame)) % 5 != 0
    return {"frame": frame, "species": species, "train": train}


def _train(iris, name: str, C: float) -> str:
    """One training run: fits on four fifths, scores on the fifth held out, logs the model with its
    signature and the training sample with its predictions as a table (the monitoring reference),
    and registers it."""
    X, y, train = iris["frame"], iris["species"], iris["train"]
    model = LogisticRegression(C=C, max_iter=500).fit(X[train], y[train])
    with mlflow.start_run() as run:
        mlflow.log_param("C", C)
        mlflow.log_metric("val_accuracy", float((model.predict(X[~train]) == y[~train]).mean()))
        sample = X[train].assign(prediction=model.predict(X[train]), label=y[train].values)
        mlflow.log_table(sample, artifact_file="training.json")
        mlflow.sklearn.log_model(model, signature=infer_signature(X, model.predict(X)), input_example=X.head(3), registered_model_name=name, **log_model_kwargs("model"))
    versions = MlflowClient().search_model_versions(f"name='{name}'")
    return next(v.version for v in versions if v.run_id == run.info.run_id)


def _approve_open_request(owner: CairnApi, reviewer: CairnApi, name: str, version: str) -> int:
    requests_ = owner.query("promotion.list", state="open")
    number = next(r["number"] for r in requests_ if r["model"] == name and str(r["version"]) == str(version))
    reviewer.mutate("promotion.review", number=number, decision="approve", comment="Looks good in validation.")
    return number


def test_train_promote_serve_watch_alert_and_review_again(iris, webhook_receiver, cairn_base, tmp_path):
    slug = _env("MLFLOW_TRACKING_URI").rstrip("/").rsplit("/p/", 1)[1]
    owner = CairnApi(cairn_base, slug, _env("MLFLOW_TRACKING_TOKEN"))
    reviewer_email = _env("CAIRN_MLFLOW_REVIEWER_EMAIL")
    reviewer = CairnApi.signed_in(cairn_base, slug, reviewer_email, _env("CAIRN_MLFLOW_REVIEWER_PASSWORD"))
    hook_url, hook_bodies = webhook_receiver
    name = unique("iris")
    client = MlflowClient()
    mlflow.set_experiment(unique("production-loop"))

    # Train and register; the alias is protected, so the client's promotion becomes a review.
    first = _train(iris, name, C=1.0)
    owner.mutate("promotion.saveRule", target={"kind": "alias", "name": ALIAS}, modelName=name, requiredApprovals=1)
    with pytest.raises(MlflowException, match="promotion request"):
        client.set_registered_model_alias(name, ALIAS, first)
    _approve_open_request(owner, reviewer, name, first)
    assert client.get_model_version_by_alias(name, ALIAS).version == first

    # Watching: the reference from the run's table, the validation metric, rules, a webhook, a watcher.
    reference = owner.monitoring("PUT", "reference", {"model": name, "version": int(first), "artifact": "training.json"})
    assert reference.status_code == 200, reference.text
    columns = {c["name"]: c for c in reference.json()["columns"]}
    assert set(columns) == {"sepal_length", "sepal_width", "petal_length", "petal_width", "prediction"}
    assert columns["prediction"]["role"] == "prediction" and columns["prediction"]["kind"] == "categorical"
    owner.mutate("monitoring.saveConfig", name=name, config={"task": "classification", "metric": "accuracy", "validationMetric": "val_accuracy", "retentionDays": 7})
    drift_rule = {"kind": "drift", "target": ALIAS, "statistic": "psi", "threshold": 0.25, "windows": 1, "column": "petal_length"}
    owner.mutate("alert.createRule", name="Petal length drift", modelName=name, config=drift_rule)
    owner.mutate("alert.createRule", name="Accuracy below validation", modelName=name, config={"kind": "decay", "target": ALIAS, "margin": 0.1, "windows": 1})
    owner.mutate("webhook.create", url=hook_url, events=["alert.opened"], format="slack", description="team channel")
    reviewer.mutate("watch.set", subject={"type": "registered_model", "name": name}, watching=True)

    # Production: the scoring server answers for shifted flowers; the caller posts what it saw.
    shifted = iris["frame"].assign(petal_length=iris["frame"]["petal_length"] + 1.5)
    truth = iris["species"].tolist()
    ids = [f"req-{uuid.uuid4().hex}" for _ in range(len(shifted))]
    with scoring_server(f"models:/{name}@{ALIAS}", tmp_path / "serve.log") as invoke:
        predictions = invoke(shifted)
    records = [{"id": i, "features": row, "prediction": p} for i, row, p in zip(ids, shifted.to_dict("records"), predictions)]
    sent = owner.monitoring("POST", "records", {"model": name, "alias": ALIAS, "records": records})
    assert sent.status_code == 200 and sent.json() == {"accepted": len(records), "duplicates": 0}, sent.text
    retried = owner.monitoring("POST", "records", {"model": name, "alias": ALIAS, "records": records})
    assert retried.json() == {"accepted": 0, "duplicates": len(records)}
    labelled = owner.monitoring("POST", "labels", {"model": name, "labels": [{"id": i, "label": t} for i, t in zip(ids, truth)]})
    assert labelled.status_code == 200 and labelled.json()["accepted"] == len(ids), labelled.text

    # Drift and decay as Cairn computed them, against what the client can work out itself.
    now = datetime.now(timezone.utc)
    window = {"from": (now - timedelta(hours=2)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    seen = owner.query("monitoring.target", name=name, target=ALIAS, range=window)
    drift = {d["column"]: d for d in seen["drift"]}
    assert drift["petal_length"]["psi"] > 0.25 and drift["sepal_width"]["psi"] < 0.1
    production_accuracy = float(np.mean(np.asarray(predictions) == np.asarray(truth)))
    windows = [w for w in seen["windows"] if w["labelled"]]
    assert sum(w["records"] for w in windows) == len(records)
    assert sum(w["metric"] * w["labelled"] for w in windows) / sum(w["labelled"] for w in windows) == pytest.approx(production_accuracy)
    validation = client.get_run(client.get_model_version(name, first).run_id).data.metrics["val_accuracy"]
    assert production_accuracy < validation - 0.1

    # Alerts opened, and delivered: the inbox, e-mail and the Slack-format webhook.
    opened = _eventually(
        "drift and decay alerts open",
        lambda: (lambda alerts: alerts if {"drift", "decay"} <= {a["kind"] for a in alerts} else None)(
            owner.query("alert.list", status="open", modelName=name)["alerts"]
        ),
    )
    assert any("petal_length" in a["subject"] for a in opened if a["kind"] == "drift")
    inbox = _eventually(
        "the watcher's inbox",
        lambda: [n for n in reviewer.user_query("notification.list", limit=50)["items"] if n["kind"] == "alert.opened" and n["project"]["slug"] == slug],
    )
    bodies = " ".join(n["body"] for n in inbox)
    assert "Petal length drift" in bodies and "Accuracy below validation" in bodies
    mailbox = _env("CAIRN_MLFLOW_MAILBOX_URL")
    _eventually("the watcher's e-mail", lambda: [m for m in requests.get(mailbox, timeout=10).json() if reviewer_email in m["to"] and "alert" in m["text"].lower()])
    _eventually("the Slack-format webhook", lambda: [b for b in hook_bodies if isinstance(b.get("text"), str) and name in b["text"]])

    # The next candidate's review shows what production did with the version it would replace.
    second = _train(iris, name, C=0.5)
    with pytest.raises(MlflowException, match="promotion request"):
        client.set_registered_model_alias(name, ALIAS, second)
    number = next(r["number"] for r in owner.query("promotion.list", state="open") if r["model"] == name)
    production = owner.query("promotion.get", number=number)["production"]
    record = production["record"]
    assert record["version"] == int(first) and record["records"] == len(records)
    assert record["metric"]["value"] == pytest.approx(production_accuracy)
    assert record["metric"]["validation"] == pytest.approx(validation)
    assert record["worstDrift"]["column"] == "petal_length"
    assert {a["kind"] for a in production["openAlerts"]} >= {"drift", "decay"}


def test_the_documented_python_snippet_sends_a_pyfunc_models_traffic(iris, cairn_base):
    """The snippet the OpenAPI document (and the empty monitoring page) gives, run as a user pastes it."""
    slug = _env("MLFLOW_TRACKING_URI").rstrip("/").rsplit("/p/", 1)[1]
    token = _env("MLFLOW_TRACKING_TOKEN")
    owner = CairnApi(cairn_base, slug, token)
    name = unique("snippet")
    mlflow.set_experiment(unique("snippet"))
    version = _train(iris, name, C=1.0)
    MlflowClient().set_registered_model_alias(name, ALIAS, version)

    spec = requests.get(f"{cairn_base}/p/{slug}/api/monitoring/v1/openapi.json", timeout=30).json()
    assert spec["servers"][0]["url"] == f"{cairn_base}/p/{slug}/api/monitoring/v1"
    snippet = spec["info"]["description"].split("```python", 1)[1].split("```", 1)[0]
    assert 'MODEL, ALIAS = "my-model", "champion"' in snippet
    namespace: dict = {}
    os.environ["CAIRN_TOKEN"] = token
    try:
        exec(compile(snippet.replace('"my-model"', json.dumps(name)), "snippet.py", "exec"), namespace)
        flowers = iris["frame"].head(20)
        ids = [f"snippet-{i}" for i in range(len(flowers))]
        predictions = namespace["predict"](flowers, ids)
        namespace["post_labels"](dict(zip(ids, iris["species"].head(20))))
    finally:
        del os.environ["CAIRN_TOKEN"]
    assert len(predictions) == 20
    now = datetime.now(timezone.utc)
    window = {"from": (now - timedelta(hours=2)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    windows = owner.query("monitoring.target", name=name, target=ALIAS, range=window)["windows"]
    assert sum(w["records"] for w in windows) == 20 and sum(w["labelled"] for w in windows) == 20
