"""The exceptions a script sees for common mistakes and for credentials, each with its exact error_code."""

from __future__ import annotations

import time

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import Param

from support import env, expect_error, unique


@pytest.fixture
def run_id(client):
    experiment_id = client.create_experiment(unique("errors"))
    return client.create_run(experiment_id).info.run_id


def test_relogging_a_param_with_another_value_fails_fast(client, run_id, recorder):
    client.log_param(run_id, "lr", "0.1")
    client.log_param(run_id, "lr", "0.1")  # the same value again is fine (scripts resume and re-log)
    mark = recorder.mark()
    started = time.monotonic()
    expect_error("INVALID_PARAMETER_VALUE", client.log_param, run_id, "lr", "0.2")
    assert time.monotonic() - started < 5, "a client mistake must not be answered with a retried 5xx"
    assert [c.status for c in recorder.since(mark)] == [400]
    # The same conflict inside a batch (what mlflow.log_params sends) fails the same way.
    expect_error("INVALID_PARAMETER_VALUE", client.log_batch, run_id, params=[Param("lr", "0.3")])
    client.log_batch(run_id, params=[Param("lr", "0.1")])
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_fluent_log_param_conflict(client):
    mlflow.set_experiment(unique("errors-fluent"))
    with mlflow.start_run():
        mlflow.log_param("epochs", 10)
        mlflow.log_param("epochs", 10)
        started = time.monotonic()
        expect_error("INVALID_PARAMETER_VALUE", mlflow.log_param, "epochs", 20)
        expect_error("INVALID_PARAMETER_VALUE", mlflow.log_params, {"epochs": 30})
        assert time.monotonic() - started < 5


def test_unknown_run_experiment_and_model(client, recorder):
    mark = recorder.mark()
    expect_error("RESOURCE_DOES_NOT_EXIST", client.get_run, "0123456789abcdef0123456789abcdef")
    expect_error("RESOURCE_DOES_NOT_EXIST", client.get_experiment, "987654321")
    expect_error("RESOURCE_DOES_NOT_EXIST", client.get_registered_model, unique("no-such-model"))
    assert [c.status for c in recorder.since(mark)] == [404, 404, 404]
    # The client turns the 404 from get-by-name into None: that is how set_experiment knows to create.
    assert client.get_experiment_by_name(unique("no-such-experiment")) is None


def test_duplicate_experiment_and_model_names(client):
    name = unique("dupe")
    client.create_experiment(name)
    expect_error("RESOURCE_ALREADY_EXISTS", client.create_experiment, name)
    model = unique("dupe-model")
    client.create_registered_model(model)
    expect_error("RESOURCE_ALREADY_EXISTS", client.create_registered_model, model)


def test_bad_filters_are_invalid_parameter_value(client, recorder):
    experiment_id = client.create_experiment(unique("bad-filter"))
    for bad in ("metrics.acc >> 0.5", "nosuchprefix.acc > 1", "metrics.acc > 'high'", "params.lr > 1"):
        mark = recorder.mark()
        expect_error("INVALID_PARAMETER_VALUE", client.search_runs, [experiment_id], bad)
        statuses = [c.status for c in recorder.since(mark)]
        assert all(s is not None and s < 500 for s in statuses), (bad, statuses)
    expect_error("INVALID_PARAMETER_VALUE", client.search_runs, [experiment_id], "", order_by=["metrics.acc SIDEWAYS"])
    expect_error("INVALID_PARAMETER_VALUE", client.search_experiments, filter_string="name === 'x'")
    expect_error("INVALID_PARAMETER_VALUE", client.search_experiments, filter_string="nosuch.attr = 'x'")


def test_logging_to_a_finished_run_is_allowed_but_deleted_run_is_not(client, run_id):
    client.set_terminated(run_id)
    client.log_metric(run_id, "late", 1.0)
    client.delete_run(run_id)
    expect_error("INVALID_PARAMETER_VALUE", client.log_metric, run_id, "late", 2.0)


# Credentials and projects: the client reads MLFLOW_TRACKING_* from the environment on every request.


def test_read_only_token_can_read_but_not_write(client, run_id, read_only_token, recorder, tmp_path):
    client.log_param(run_id, "seen", "yes")
    client.log_text(run_id, "readable", "note.txt")
    with env(MLFLOW_TRACKING_TOKEN=read_only_token, MLFLOW_TRACKING_USERNAME=None, MLFLOW_TRACKING_PASSWORD=None):
        assert client.get_run(run_id).data.params == {"seen": "yes"}
        assert client.search_experiments()
        assert mlflow.artifacts.load_text(f"runs:/{run_id}/note.txt") == "readable"
        mark = recorder.mark()
        expect_error("PERMISSION_DENIED", client.log_param, run_id, "lr", "0.1")
        expect_error("PERMISSION_DENIED", client.log_metric, run_id, "acc", 0.5)
        expect_error("PERMISSION_DENIED", client.set_tag, run_id, "k", "v")
        expect_error("PERMISSION_DENIED", client.create_experiment, unique("ro"))
        expect_error("PERMISSION_DENIED", client.create_run, "0")
        expect_error("PERMISSION_DENIED", client.create_registered_model, unique("ro-model"))
        assert {c.status for c in recorder.since(mark)} == {403}
        upload = tmp_path / "nope.txt"
        upload.write_text("must not be stored")
        mark = recorder.mark()
        with pytest.raises(Exception):
            client.log_artifact(run_id, str(upload))
        assert [c.status for c in recorder.since(mark) if c.method == "PUT"] == [403]
    assert client.get_run(run_id).data.params == {"seen": "yes"}
    assert [f.path for f in client.list_artifacts(run_id)] == ["note.txt"]


def _unauthenticated(client, recorder):
    mark = recorder.mark()
    expect_error("UNAUTHENTICATED", client.search_experiments)
    expect_error("UNAUTHENTICATED", client.get_experiment, "0")
    assert {c.status for c in recorder.since(mark)} == {401}


def test_bogus_token_is_unauthenticated(client, recorder):
    with env(MLFLOW_TRACKING_TOKEN="cairn_bogus_" + "x" * 40, MLFLOW_TRACKING_USERNAME=None, MLFLOW_TRACKING_PASSWORD=None):
        _unauthenticated(client, recorder)


def test_missing_credentials_are_unauthenticated(client, recorder):
    with env(MLFLOW_TRACKING_TOKEN=None, MLFLOW_TRACKING_USERNAME=None, MLFLOW_TRACKING_PASSWORD=None):
        _unauthenticated(client, recorder)


def test_basic_auth_with_wrong_password_is_unauthenticated(client, recorder):
    with env(MLFLOW_TRACKING_TOKEN=None, MLFLOW_TRACKING_USERNAME="someone", MLFLOW_TRACKING_PASSWORD="not-a-token"):
        _unauthenticated(client, recorder)


def test_revoked_token_is_unauthenticated(client, recorder, revoked_token):
    with env(MLFLOW_TRACKING_TOKEN=revoked_token, MLFLOW_TRACKING_USERNAME=None, MLFLOW_TRACKING_PASSWORD=None):
        _unauthenticated(client, recorder)


def test_basic_auth_with_the_token_as_password_works(client, token):
    with env(MLFLOW_TRACKING_TOKEN=None, MLFLOW_TRACKING_USERNAME="anything", MLFLOW_TRACKING_PASSWORD=token):
        mlflow.set_experiment(unique("basic-auth"))
        with mlflow.start_run() as run:
            mlflow.log_param("auth", "basic")
            mlflow.log_metric("acc", 0.7)
            mlflow.log_text("via basic auth", "note.txt")
        assert client.get_run(run.info.run_id).data.params == {"auth": "basic"}
        assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/note.txt") == "via basic auth"
    assert client.get_run(run.info.run_id).info.status == "FINISHED"


def test_project_the_user_is_not_in_does_not_exist(other_project_uri, recorder):
    outsider = MlflowClient(tracking_uri=other_project_uri)
    mark = recorder.mark()
    expect_error("RESOURCE_DOES_NOT_EXIST", outsider.search_experiments)
    expect_error("RESOURCE_DOES_NOT_EXIST", outsider.get_experiment, "0")
    expect_error("RESOURCE_DOES_NOT_EXIST", outsider.create_experiment, unique("intruder"))
    assert {c.status for c in recorder.since(mark)} == {404}
    assert outsider.get_experiment_by_name("Default") is None


def test_unknown_project_looks_the_same_as_a_hidden_one(cairn_base):
    nowhere = MlflowClient(tracking_uri=f"{cairn_base}/p/{unique('no-such-project')}")
    expect_error("RESOURCE_DOES_NOT_EXIST", nowhere.search_experiments)
    expect_error("RESOURCE_DOES_NOT_EXIST", nowhere.get_experiment, "0")


def test_token_of_a_user_outside_the_project_does_not_exist(client, other_user_token, recorder):
    with env(MLFLOW_TRACKING_TOKEN=other_user_token, MLFLOW_TRACKING_USERNAME=None, MLFLOW_TRACKING_PASSWORD=None):
        mark = recorder.mark()
        expect_error("RESOURCE_DOES_NOT_EXIST", client.search_experiments)
        expect_error("RESOURCE_DOES_NOT_EXIST", client.get_experiment, "0")
        assert {c.status for c in recorder.since(mark)} == {404}
