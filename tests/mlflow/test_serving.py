"""Serving from the registry as users do it: `mlflow models serve -m "models:/<name>@champion"` with the
tracking URI pointing at a Cairn project loads the version through Cairn's registry and artifact proxy,
and its scoring server answers /invocations with the model's predictions.

MLflow 3's scoring server (FastAPI and uvicorn) ships in mlflow-skinny; MLflow 2's needs Flask and
gunicorn from the full package, so conftest.py collects this file for the 3.x client only.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from sklearn.linear_model import LinearRegression

from support import log_model_kwargs, unique

START_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


@pytest.fixture(scope="module")
def champion(tiny_dataset):
    """A regression model registered as version 1 of a new model, with the alias `champion`."""
    X, _ = tiny_dataset
    frame = pd.DataFrame(X, columns=["f0", "f1", "f2"])
    model = LinearRegression().fit(frame, X @ np.array([3.0, -1.0, 0.5]) + 2.0)
    name = unique("served")
    mlflow.set_experiment(unique("serving"))
    with mlflow.start_run():
        mlflow.sklearn.log_model(model, input_example=frame.head(2), registered_model_name=name, **log_model_kwargs("model"))
    MlflowClient().set_registered_model_alias(name, "champion", "1")
    return {"name": name, "model": model, "frame": frame}


def test_models_serve_loads_the_champion_from_cairn_and_answers_invocations(champion, tmp_path):
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")
    # The client's environment (Cairn's tracking URI, the project token) in an activated virtual
    # environment, as a user runs it: the scoring server starts `uvicorn` from PATH.
    env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    server = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "models", "serve", "-m", f"models:/{champion['name']}@champion", "--env-manager", "local", "--host", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while _get(f"{base}/ping") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"mlflow models serve did not come up (exit {server.poll()}):\n{log.read()[-4000:]}")
            time.sleep(0.5)
        probe = champion["frame"].head(5)
        body = json.dumps({"dataframe_split": {"columns": list(probe.columns), "data": probe.values.tolist()}}).encode()
        request = urllib.request.Request(f"{base}/invocations", data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            predictions = json.loads(response.read())["predictions"]
        np.testing.assert_allclose(np.asarray(predictions).reshape(-1), champion["model"].predict(probe), rtol=1e-9)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
