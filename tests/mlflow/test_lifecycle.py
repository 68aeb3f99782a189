"""Deleting and restoring runs and experiments, renaming experiments."""

from __future__ import annotations

import mlflow
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException
import pytest

from support import expect_error, unique


def _ids(runs):
    return sorted(r.info.run_id for r in runs)


def test_delete_and_restore_a_run(client):
    experiment_id = client.create_experiment(unique("run-life"))
    keep = client.create_run(experiment_id).info.run_id
    drop = client.create_run(experiment_id).info.run_id
    client.delete_run(drop)
    assert client.get_run(drop).info.lifecycle_stage == "deleted"
    assert _ids(client.search_runs([experiment_id])) == [keep]
    assert _ids(client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)) == [drop]
    assert _ids(client.search_runs([experiment_id], run_view_type=ViewType.ALL)) == sorted([keep, drop])
    client.restore_run(drop)
    assert client.get_run(drop).info.lifecycle_stage == "active"
    assert _ids(client.search_runs([experiment_id])) == sorted([keep, drop])


def test_delete_and_restore_an_experiment(client):
    name = unique("exp-life")
    experiment_id = mlflow.set_experiment(name).experiment_id
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0)
    client.delete_experiment(experiment_id)

    assert client.get_experiment(experiment_id).lifecycle_stage == "deleted"
    assert client.get_experiment_by_name(name).lifecycle_stage == "deleted"
    # Its runs are deleted with it.
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    assert experiment_id not in {e.experiment_id for e in client.search_experiments()}
    assert experiment_id in {e.experiment_id for e in client.search_experiments(view_type=ViewType.DELETED_ONLY)}
    # The name stays reserved while the experiment is deleted.
    expect_error("RESOURCE_ALREADY_EXISTS", client.create_experiment, name)
    assert "deleted" in str(expect_error("INVALID_PARAMETER_VALUE", mlflow.set_experiment, name))

    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    assert mlflow.set_experiment(name).experiment_id == experiment_id
    with mlflow.start_run() as again:
        mlflow.log_metric("m", 2.0)
    assert client.get_run(again.info.run_id).info.experiment_id == experiment_id


def test_set_experiment_by_id_on_a_deleted_experiment_raises(client):
    experiment_id = client.create_experiment(unique("exp-gone"))
    client.delete_experiment(experiment_id)
    error = expect_error("INVALID_PARAMETER_VALUE", mlflow.set_experiment, experiment_id=experiment_id)
    assert "deleted" in str(error)


def test_rename_an_experiment(client, recorder):
    old, new = unique("before"), unique("after")
    experiment_id = client.create_experiment(old)
    client.rename_experiment(experiment_id, new)
    assert client.get_experiment(experiment_id).name == new
    assert client.get_experiment_by_name(old) is None
    assert client.get_experiment_by_name(new).experiment_id == experiment_id
    assert mlflow.set_experiment(new).experiment_id == experiment_id
    # Renaming onto a taken name is refused with a 400 (MLflow's SQL store says BAD_REQUEST; the
    # REST spec says RESOURCE_ALREADY_EXISTS: either is a client error, never a retried 5xx).
    taken = client.create_experiment(unique("taken"))
    mark = recorder.mark()
    with pytest.raises(MlflowException) as caught:
        client.rename_experiment(taken, new)
    assert caught.value.error_code in ("RESOURCE_ALREADY_EXISTS", "BAD_REQUEST"), caught.value
    assert [c.status for c in recorder.since(mark)] == [400]
    assert client.get_experiment(taken).name != new
