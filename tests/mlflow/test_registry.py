"""sklearn log_model with registration, aliases, stages, loading by every URI form, registry search."""

from __future__ import annotations

import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, Ridge

from support import IS_MLFLOW_3, expect_error, log_model_kwargs, unique


@pytest.fixture(scope="module")
def registered(tiny_dataset):
    """Two runs, each logging a model registered under one name: versions 1 and 2."""
    X, _ = tiny_dataset
    frame = pd.DataFrame(X, columns=["f0", "f1", "f2"])
    target = X @ np.array([1.0, 2.0, -1.0]) + 0.3
    first = LinearRegression().fit(frame, target)
    second = Ridge(alpha=5.0).fit(frame, target)
    name = unique("regressor")
    mlflow.set_experiment(unique("registry"))
    runs, infos = [], []
    for model in (first, second):
        with mlflow.start_run() as run:
            mlflow.log_param("kind", type(model).__name__)
            infos.append(
                mlflow.sklearn.log_model(model, input_example=frame.head(3), registered_model_name=name, **log_model_kwargs("model"))
            )
        runs.append(run.info.run_id)
    probe = frame.head(10)
    expected = [first.predict(probe), second.predict(probe)]
    assert not np.allclose(expected[0], expected[1]), "the two models must be told apart by their predictions"
    return {"name": name, "runs": runs, "infos": infos, "probe": probe, "expected": expected}


def _predicts(uri: str, registered, which: int) -> None:
    model = mlflow.pyfunc.load_model(uri)
    got = np.asarray(model.predict(registered["probe"])).reshape(-1)
    np.testing.assert_allclose(got, registered["expected"][which], rtol=1e-9, err_msg=uri)


def test_log_model_registers_version_1_then_2(registered, client):
    name, runs, infos = registered["name"], registered["runs"], registered["infos"]
    assert [str(i.registered_model_version) for i in infos] == ["1", "2"]
    for version, run_id in (("1", runs[0]), ("2", runs[1])):
        mv = client.get_model_version(name, version)
        assert (mv.name, mv.version, mv.run_id, mv.status, mv.current_stage) == (name, version, run_id, "READY", "None")
    model = client.get_registered_model(name)
    assert model.name == name
    assert [v.version for v in model.latest_versions] == ["2"]


def test_alias_points_at_a_version(registered, client):
    name = registered["name"]
    client.set_registered_model_alias(name, "champion", "1")
    mv = client.get_model_version_by_alias(name, "champion")
    assert (mv.version, mv.run_id) == ("1", registered["runs"][0])
    assert "champion" in mv.aliases
    assert client.get_registered_model(name).aliases == {"champion": "1"}
    # Moving an alias re-points it; it never sits on two versions.
    client.set_registered_model_alias(name, "challenger", "2")
    client.set_registered_model_alias(name, "challenger", "1")
    assert client.get_registered_model(name).aliases == {"champion": "1", "challenger": "1"}
    client.delete_registered_model_alias(name, "challenger")


def test_load_model_by_alias_version_and_run_predicts_like_the_trained_model(registered, client):
    name, runs = registered["name"], registered["runs"]
    client.set_registered_model_alias(name, "champion", "1")
    _predicts(f"models:/{name}@champion", registered, 0)
    _predicts(f"models:/{name}/1", registered, 0)
    _predicts(f"models:/{name}/2", registered, 1)
    _predicts(f"runs:/{runs[0]}/model", registered, 0)
    _predicts(registered["infos"][1].model_uri, registered, 1)


def test_stage_transitions_and_loading_by_stage(registered, client):
    name = registered["name"]
    assert client.transition_model_version_stage(name, "1", "Staging").current_stage == "Staging"
    assert client.transition_model_version_stage(name, "2", "production").current_stage == "Production"
    assert client.get_model_version(name, "2").current_stage == "Production"
    _predicts(f"models:/{name}/Production", registered, 1)
    _predicts(f"models:/{name}/Staging", registered, 0)
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["2"]
    assert sorted((v.version, v.current_stage) for v in client.get_latest_versions(name)) == [("1", "Staging"), ("2", "Production")]
    # Promoting version 1 with archive_existing_versions moves version 2 out of Production.
    client.transition_model_version_stage(name, "1", "Production", archive_existing_versions=True)
    assert client.get_model_version(name, "2").current_stage == "Archived"
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["1"]
    _predicts(f"models:/{name}/Production", registered, 0)
    # The registered model lists the newest version in each stage.
    latest = client.get_registered_model(name).latest_versions
    assert sorted((v.version, v.current_stage) for v in latest) == [("1", "Production"), ("2", "Archived")]


def test_search_model_versions_by_name(registered, client):
    name, runs = registered["name"], registered["runs"]
    found = client.search_model_versions(f"name='{name}'")
    assert sorted((mv.version, mv.run_id) for mv in found) == [("1", runs[0]), ("2", runs[1])]
    assert all(mv.status == "READY" for mv in found)
    assert [mv.version for mv in client.search_model_versions(f"name='{name}' AND run_id='{runs[1]}'")] == ["2"]


def test_search_registered_models_lists_the_model(registered, client):
    name = registered["name"]
    # The 3.x client adds a filter hiding prompts; a model without the prompt tag must still be listed.
    assert name in {m.name for m in client.search_registered_models()}
    assert [m.name for m in client.search_registered_models(filter_string=f"name = '{name}'")] == [name]
    prefix = name.rsplit("-", 1)[0]
    assert name in {m.name for m in client.search_registered_models(filter_string=f"name LIKE '{prefix}%'")}


def test_delete_alias(registered, client):
    name = registered["name"]
    client.set_registered_model_alias(name, "to-drop", "2")
    client.delete_registered_model_alias(name, "to-drop")
    assert "to-drop" not in client.get_registered_model(name).aliases
    assert "to-drop" not in client.get_model_version(name, "2").aliases
    # MLflow answers an unknown alias with INVALID_PARAMETER_VALUE (400), not a 404.
    expect_error("INVALID_PARAMETER_VALUE", client.get_model_version_by_alias, name, "to-drop")


def test_register_model_from_a_run_uri(registered, client):
    """Registering after the fact (`mlflow.register_model("runs:/…")`) creates version 1 of a new name."""
    other = unique("registered-later")
    version = mlflow.register_model(f"runs:/{registered['runs'][1]}/model", other)
    assert str(version.version) == "1"
    assert client.get_model_version(other, "1").run_id == registered["runs"][1]
    _predicts(f"models:/{other}/1", registered, 1)
    # Registering into an existing name adds a version instead of failing.
    assert str(mlflow.register_model(f"runs:/{registered['runs'][0]}/model", other).version) == "2"
    _predicts(f"models:/{other}/latest", registered, 0)
    # A deleted version's number is never reused, and its aliases go with it.
    client.set_registered_model_alias(other, "doomed", "2")
    client.delete_model_version(other, "2")
    expect_error("RESOURCE_DOES_NOT_EXIST", client.get_model_version, other, "2")
    assert client.get_registered_model(other).aliases == {}
    assert str(mlflow.register_model(f"runs:/{registered['runs'][0]}/model", other).version) == "3"
    assert sorted(mv.version for mv in client.search_model_versions(f"name='{other}'")) == ["1", "3"]
    client.delete_registered_model(other)
    expect_error("RESOURCE_DOES_NOT_EXIST", client.get_registered_model, other)
    assert client.search_model_versions(f"name='{other}'") == []


def test_model_uri_form_matches_client_version(registered):
    """3.x logs a LoggedModel (`models:/m-…`); 2.x logs run artifacts (`runs:/<id>/model`)."""
    info = registered["infos"][0]
    if IS_MLFLOW_3:
        assert info.model_uri.startswith("models:/m-"), info.model_uri
        assert info.model_id and info.model_uri == f"models:/{info.model_id}"
    else:
        assert info.model_uri == f"runs:/{registered['runs'][0]}/model"
