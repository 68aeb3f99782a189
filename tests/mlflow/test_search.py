"""Run and experiment search: filters, ordering, paging, as the fluent API and MlflowClient use them."""

from __future__ import annotations

import time

import mlflow
import pytest

from support import unique

# name, lr param, acc metric (None = never logged), team tag, final status
RUNS = [
    ("alpha-1", "0.01", 0.95, "x", "FINISHED"),
    ("alpha-2", "0.1", 0.91, "x", "FINISHED"),
    ("beta-1", "0.01", 0.85, "y", "FINISHED"),
    ("beta-2", "0.01", 0.97, "y", "FAILED"),
    ("gamma", "0.001", None, "x", "RUNNING"),
]


@pytest.fixture(scope="module")
def searchable(client_module):
    """Five runs with distinct start times (oldest first), so every expected order is exact."""
    client = client_module
    name = unique("search")
    experiment_id = client.create_experiment(name)
    base = int(time.time() * 1000) - 60_000
    ids = {}
    for i, (run_name, lr, acc, team, status) in enumerate(RUNS):
        run = client.create_run(experiment_id, start_time=base + i * 1000, run_name=run_name, tags={"team": team})
        run_id = run.info.run_id
        client.log_param(run_id, "lr", lr)
        if acc is not None:
            client.log_metric(run_id, "acc", acc, step=0)
        if status != "RUNNING":
            client.set_terminated(run_id, status=status, end_time=base + i * 1000 + 500)
        ids[run_name] = run_id
    return {"name": name, "experiment_id": experiment_id, "ids": ids}


@pytest.fixture(scope="module")
def client_module():
    return mlflow.MlflowClient()


def _fluent(searchable, filter_string="", order_by=None):
    frame = mlflow.search_runs(experiment_names=[searchable["name"]], filter_string=filter_string, order_by=order_by)
    by_id = {v: k for k, v in searchable["ids"].items()}
    return [by_id[run_id] for run_id in frame["run_id"].tolist()]


def test_default_order_is_newest_first(searchable):
    assert _fluent(searchable) == ["gamma", "beta-2", "beta-1", "alpha-2", "alpha-1"]


def test_filter_on_metric_ordered_by_metric(searchable):
    assert _fluent(searchable, "metrics.acc > 0.9", ["metrics.acc DESC"]) == ["beta-2", "alpha-1", "alpha-2"]
    assert _fluent(searchable, "metrics.acc <= 0.91", ["metrics.acc ASC"]) == ["beta-1", "alpha-2"]


def test_filter_on_param(searchable):
    assert _fluent(searchable, "params.lr = '0.01'", ["metrics.acc DESC"]) == ["beta-2", "alpha-1", "beta-1"]


def test_filter_on_tag_puts_runs_without_the_sort_metric_last(searchable):
    assert _fluent(searchable, "tags.team = 'x'", ["metrics.acc DESC"]) == ["alpha-1", "alpha-2", "gamma"]
    assert _fluent(searchable, "tags.team = 'x'", ["metrics.acc ASC"]) == ["alpha-2", "alpha-1", "gamma"]


def test_filter_on_status_attribute(searchable):
    assert _fluent(searchable, "attributes.status = 'FINISHED'", ["metrics.acc DESC"]) == ["alpha-1", "alpha-2", "beta-1"]
    assert _fluent(searchable, "attributes.status != 'FINISHED'") == ["gamma", "beta-2"]


def test_like_and_ilike(searchable):
    assert _fluent(searchable, "attributes.run_name LIKE 'alpha%'") == ["alpha-2", "alpha-1"]
    assert _fluent(searchable, "params.lr LIKE '0.0%'") == ["gamma", "beta-2", "beta-1", "alpha-1"]
    assert _fluent(searchable, "tags.team ILIKE 'X'") == ["gamma", "alpha-2", "alpha-1"]
    assert _fluent(searchable, "tags.team LIKE 'X'") == []


def test_combined_clauses_and_missing_values_never_match(searchable):
    assert _fluent(searchable, "metrics.acc > 0.9 AND params.lr = '0.01'", ["metrics.acc DESC"]) == ["beta-2", "alpha-1"]
    # gamma has no acc metric, so even != leaves it out.
    assert _fluent(searchable, "metrics.acc != 0.95") == ["beta-2", "beta-1", "alpha-2"]


def test_search_runs_frame_carries_metrics_params_tags(searchable):
    frame = mlflow.search_runs(experiment_names=[searchable["name"]], filter_string="attributes.run_name = 'alpha-1'")
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["run_id"], row["status"], row["metrics.acc"], row["params.lr"], row["tags.team"]) == (
        searchable["ids"]["alpha-1"],
        "FINISHED",
        0.95,
        "0.01",
        "x",
    )
    assert row["tags.mlflow.runName"] == "alpha-1"


def test_client_search_runs_pages_return_every_run_once(searchable, client_module):
    client = client_module
    seen, pages, token = [], 0, None
    while True:
        page = client.search_runs([searchable["experiment_id"]], max_results=2, page_token=token)
        pages += 1
        assert len(page) <= 2
        seen += [r.info.run_id for r in page]
        token = page.token
        if not token:
            break
        assert pages < 10, "paging does not end"
    ids = searchable["ids"]
    assert seen == [ids[n] for n in ("gamma", "beta-2", "beta-1", "alpha-2", "alpha-1")]
    assert pages in (3, 4)  # a token after an exactly-full last page is tolerated
    ordered = client.search_runs([searchable["experiment_id"]], order_by=["metrics.acc DESC"], max_results=3)
    assert [r.info.run_name for r in ordered] == ["beta-2", "alpha-1", "alpha-2"]
    rest = client.search_runs([searchable["experiment_id"]], order_by=["metrics.acc DESC"], max_results=3, page_token=ordered.token)
    assert [r.info.run_name for r in rest] == ["beta-1", "gamma"]


def test_search_experiments(searchable, client_module):
    client = client_module
    prefix = unique("exps")
    created = [client.create_experiment(f"{prefix}-{i}", tags={"idx": str(i)}) for i in range(3)]
    exact = client.search_experiments(filter_string=f"name = '{searchable['name']}'")
    assert [e.experiment_id for e in exact] == [searchable["experiment_id"]]
    mine = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"])
    assert [e.experiment_id for e in mine] == created
    assert [e.tags.get("idx") for e in mine] == ["0", "1", "2"]
    tagged = client.search_experiments(filter_string=f"name LIKE '{prefix}-%' AND tags.idx = '1'")
    assert [e.experiment_id for e in tagged] == [created[1]]
    page = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"], max_results=2)
    assert [e.experiment_id for e in page] == [created[2], created[1]] and page.token
    last = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"], max_results=2, page_token=page.token)
    assert [e.experiment_id for e in last] == [created[0]]
    everything = {e.name for e in client.search_experiments()}
    assert {"Default", searchable["name"]} <= everything
