"""The MLflow 3.x client at the public HTTPS URL, through the proxy: a training run, a registered
model, a 1 GiB artifact that must stream through Cairn rather than sit in its memory, and a served
model's production telemetry."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import urllib.request
from pathlib import Path

import mlflow
import numpy as np
import requests
from mlflow import MlflowClient
from sklearn.linear_model import LogisticRegression

from support import CairnApi, unique

TRACKING_URI = os.environ["MLFLOW_TRACKING_URI"]
BASE, _, SLUG = TRACKING_URI.rstrip("/").rpartition("/p/")
OBSERVER = os.environ["CAIRN_DEPLOY_OBSERVER"]
MIB = 1 << 20
GIB = 1 << 30
# Cairn's whole process tree may grow by this much while 1 GiB passes through: far below the file.
MAX_RSS_GROWTH = 300 * MIB


def _observer(path: str, data: bytes | None = None) -> dict | list:
    with urllib.request.urlopen(urllib.request.Request(f"{OBSERVER}{path}", data=data, method="POST" if data is not None else "GET")) as response:
        return json.load(response)


def _wait_for_hook(event: str, model: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for hook in _observer("/hooks"):
            if hook["event"] == event and hook["payload"].get("model") == model:
                return hook
        time.sleep(0.25)
    raise AssertionError(f"no {event} delivery for {model} within {timeout} s")


def _sparse_file(path: Path, size: int) -> None:
    """`size` bytes written in an instant: sparse, with its own offset stamped at every MiB, so that a
    lost, repeated or reordered chunk changes the digest."""
    with open(path, "wb") as f:
        f.truncate(size)
        for offset in range(0, size, MIB):
            f.seek(offset)
            f.write(f"{offset:016x}".encode())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 * MIB):
            digest.update(chunk)
    return digest.hexdigest()


def test_the_client_reaches_the_public_https_url_and_trusts_only_the_proxy_ca():
    assert TRACKING_URI.startswith("https://")
    assert mlflow.get_tracking_uri() == TRACKING_URI
    # The CA bundle is the proxy's root alone: a public CA's certificate would not verify.
    assert Path(os.environ["REQUESTS_CA_BUNDLE"]).read_text().count("BEGIN CERTIFICATE") == 1


def test_a_training_run_logs_params_metrics_and_tags():
    client = MlflowClient()
    mlflow.set_experiment(unique("deploy-training"))
    losses = [1.0, 0.6, 0.4, 0.3, 0.25]
    with mlflow.start_run() as run:
        mlflow.log_params({"learning_rate": 0.01, "epochs": len(losses)})
        for step, loss in enumerate(losses):
            mlflow.log_metrics({"loss": loss, "accuracy": 1 - loss / 2}, step=step)
        mlflow.set_tags({"team": "fraud", "purpose": "deployment check"})

    got = client.get_run(run.info.run_id)
    assert got.info.status == "FINISHED"
    assert got.data.params == {"learning_rate": "0.01", "epochs": "5"}
    assert got.data.metrics == {"loss": 0.25, "accuracy": 0.875}
    assert {k: v for k, v in got.data.tags.items() if not k.startswith("mlflow.")} == {"team": "fraud", "purpose": "deployment check"}
    assert [m.value for m in client.get_metric_history(run.info.run_id, "loss")] == losses


def test_log_model_registers_a_version_that_loads_back_and_is_announced_with_a_public_link():
    # A CI script subscribes to registrations over the same public URL, with the same token.
    created = requests.post(
        f"{BASE}/api/trpc/webhook.create",
        headers={"authorization": f"Bearer {os.environ['MLFLOW_TRACKING_TOKEN']}"},
        json={"json": {"projectSlug": SLUG, "url": f"{OBSERVER}/hook", "events": ["model_version.registered"]}},
        timeout=30,
    )
    assert created.status_code == 200, created.text

    rng = np.random.RandomState(7)
    X = rng.rand(60, 3)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0.75).astype(int)
    name = unique("deploy-model")
    mlflow.set_experiment(unique("deploy-models"))
    with mlflow.start_run():
        model = LogisticRegression().fit(X, y)
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name=name, input_example=X[:2])
    assert int(info.registered_model_version) == 1
    loaded = mlflow.pyfunc.load_model(f"models:/{name}/1")
    assert (loaded.predict(X) == model.predict(X)).all()

    hook = _wait_for_hook("model_version.registered", name)
    assert hook["payload"]["url"] == f"{BASE}/p/{SLUG}/models/{name}/versions/1"


def test_a_1_gib_artifact_streams_up_and_down_through_the_proxy(tmp_path, record_property, capsys):
    client = MlflowClient()
    source = tmp_path / "weights.bin"
    _sparse_file(source, GIB)
    digest = _sha256(source)
    back = tmp_path / "back"
    mlflow.set_experiment(unique("deploy-artifacts"))

    # pytest keeps the temporary folders of recent runs: the gigabytes go as soon as they are checked.
    try:
        _observer("/memory/start", b"")
        try:
            with mlflow.start_run() as run:
                started = time.monotonic()
                mlflow.log_artifact(str(source), artifact_path="checkpoints")
                upload_s = time.monotonic() - started
            source.unlink()
            started = time.monotonic()
            local = Path(mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="checkpoints/weights.bin", dst_path=str(back)))
            download_s = time.monotonic() - started
        finally:
            memory = _observer("/memory/stop", b"")
        assert [(f.path, f.file_size) for f in client.list_artifacts(run.info.run_id, "checkpoints")] == [("checkpoints/weights.bin", GIB)]
        assert local.stat().st_size == GIB
        assert _sha256(local) == digest
    finally:
        source.unlink(missing_ok=True)
        shutil.rmtree(back, ignore_errors=True)

    growth = memory["peakBytes"] - memory["baselineBytes"]
    figures = {
        "upload_mib_per_s": round(GIB / MIB / upload_s),
        "download_mib_per_s": round(GIB / MIB / download_s),
        "cairn_rss_baseline_mib": round(memory["baselineBytes"] / MIB),
        "cairn_rss_peak_mib": round(memory["peakBytes"] / MIB),
        "cairn_rss_growth_mib": round(growth / MIB),
        "rss_samples": memory["samples"],
    }
    for key, value in figures.items():
        record_property(key, value)
    with capsys.disabled():
        print(
            f"\n1 GiB through the proxy: upload {upload_s:.1f} s ({figures['upload_mib_per_s']} MiB/s), "
            f"download {download_s:.1f} s ({figures['download_mib_per_s']} MiB/s); Cairn's peak RSS "
            f"{figures['cairn_rss_peak_mib']} MiB, {figures['cairn_rss_growth_mib']:+} MiB over "
            f"{figures['cairn_rss_baseline_mib']} MiB ({memory['samples']} samples)"
        )
    assert growth < MAX_RSS_GROWTH, f"Cairn's memory grew by {growth / MIB:.0f} MiB while 1 GiB passed: it buffers instead of streaming"


def test_production_telemetry_goes_through_the_proxy_to_the_public_monitoring_api():
    api = CairnApi(BASE, SLUG, os.environ["MLFLOW_TRACKING_TOKEN"])
    spec = requests.get(f"{BASE}/p/{SLUG}/api/monitoring/v1/openapi.json", timeout=30).json()
    assert spec["servers"][0]["url"] == f"{BASE}/p/{SLUG}/api/monitoring/v1"
    assert f'CAIRN = "{BASE}/p/{SLUG}/api/monitoring/v1"' in spec["info"]["description"]

    client = MlflowClient()
    name = unique("deploy-monitored")
    client.create_registered_model(name)
    version = client.create_model_version(name, source="s3://models/deploy", run_id=None).version
    client.set_registered_model_alias(name, "champion", version)
    reference = api.monitoring("PUT", "reference", {"model": name, "version": int(version), "rows": {"columns": ["x", "prediction"], "data": [[i, i % 2] for i in range(100)]}})
    assert reference.status_code == 200, reference.text
    records = [{"id": f"r{i}", "features": {"x": i * 2}, "prediction": i % 2} for i in range(500)]
    sent = api.monitoring("POST", "records", {"model": name, "alias": "champion", "records": records})
    assert sent.status_code == 200 and sent.json() == {"accepted": 500, "duplicates": 0}, sent.text
    retried = api.monitoring("POST", "records", {"model": name, "alias": "champion", "records": records})
    assert retried.json() == {"accepted": 0, "duplicates": 500}
