"""Serving from the registry as users do it: `mlflow models serve -m "models:/<name>@champion"` with the
tracking URI pointing at a Cairn project loads the version through Cairn's registry and artifact proxy,
and its scoring server answers /invocations with the model's predictions.

MLflow 3's scoring server (FastAPI and uvicorn) ships in mlflow-skinny; MLflow 2's needs Flask and
gunicorn from the full package, so conftest.py collects this file for the 3.x client only.
"""

from __future__ import annotations

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from sklearn.linear_model import LinearRegression

from support import log_model_kwargs, scoring_server, unique


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
    with scoring_server(f"models:/{champion['name']}@champion", tmp_path / "serve.log") as invoke:
        probe = champion["frame"].head(5)
        predictions = invoke(probe)
    np.testing.assert_allclose(np.asarray(predictions).reshape(-1), champion["model"].predict(probe), rtol=1e-9)
