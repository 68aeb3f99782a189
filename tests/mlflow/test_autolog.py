"""`mlflow.sklearn.autolog()`: params, metrics, tags, the training dataset and the model, in one fit."""

from __future__ import annotations

import json

import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from support import IS_MLFLOW_3, unique


@pytest.fixture(scope="module")
def autologged(tiny_dataset):
    X, _ = tiny_dataset
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    target = frame["a"] * 2.0 - frame["c"] + 1.0
    mlflow.set_experiment(unique("autolog"))
    mlflow.sklearn.autolog()
    try:
        with mlflow.start_run() as run:
            model = LinearRegression().fit(frame, target)
    finally:
        mlflow.sklearn.autolog(disable=True)
    return {"run_id": run.info.run_id, "model": model, "frame": frame}


def test_autolog_records_params_metrics_and_tags(autologged, client):
    run = client.get_run(autologged["run_id"])
    assert run.info.status == "FINISHED"
    assert run.data.params["fit_intercept"] == "True"
    assert {"copy_X", "fit_intercept", "n_jobs", "positive"} <= set(run.data.params)
    assert run.data.metrics["training_r2_score"] == pytest.approx(1.0)
    assert {"training_score", "training_mean_squared_error"} <= set(run.data.metrics)
    assert run.data.tags["estimator_name"] == "LinearRegression"


def test_autolog_records_the_training_dataset(autologged, client):
    inputs = client.get_run(autologged["run_id"]).inputs.dataset_inputs
    assert len(inputs) == 1
    assert {t.key: t.value for t in inputs[0].tags} == {"mlflow.data.context": "train"}
    assert inputs[0].dataset.name and inputs[0].dataset.digest


def test_autolog_model_loads_and_predicts(autologged, client):
    run_id = autologged["run_id"]
    run = client.get_run(run_id)
    if IS_MLFLOW_3:
        # 3.x logs a LoggedModel linked to the run through runs/outputs.
        outputs = run.outputs.model_outputs
        assert len(outputs) == 1
        logged = mlflow.get_logged_model(outputs[0].model_id)
        assert logged.source_run_id == run_id
        from mlflow.entities import LoggedModelStatus

        assert logged.status == LoggedModelStatus.READY
    else:
        # 2.x stores the model under the run's artifacts and records it in mlflow.log-model.history.
        assert "model/MLmodel" in {f.path for f in client.list_artifacts(run_id, "model")}
        history = json.loads(run.data.tags["mlflow.log-model.history"])
        assert [h["artifact_path"] for h in history] == ["model"]
    loaded = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
    np.testing.assert_allclose(loaded.predict(autologged["frame"]), autologged["model"].predict(autologged["frame"]))
