"""Cairn's drift and decay statistics against scipy's and scikit-learn's on the same samples.

A version gets a reference posted through the monitoring API (a numeric feature, a categorical one
with more categories than a reference keeps, and a numeric prediction), then an hour of production
records that moved away from it, and labels. What Cairn reports for that hour must be what the
scientific Python stack computes from the same values: the reference's quantile edges (numpy), the
Kolmogorov–Smirnov statistic of the samples digitized at those edges (scipy.stats.ks_2samp), the
Jensen–Shannon distance in base 2 (scipy.spatial.distance.jensenshannon), the population stability
index with empty bins clipped to 1e-4, and the production MAE and RMSE (scikit-learn).
"""

from __future__ import annotations

import math
import os
import time
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from mlflow import MlflowClient
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp
from sklearn.metrics import mean_absolute_error, mean_squared_error

from support import CairnApi, unique

HOUR_MS = 3_600_000
ALIAS = "champion"
PSI_FLOOR = 1e-4
TOP_CATEGORIES = 20


def _samples(seed: int, n: int, shift: float, spread: float, city_weights: np.ndarray) -> dict:
    rng = np.random.default_rng(seed)
    cities = [f"city-{k:02d}" for k in range(len(city_weights))]
    prediction = rng.normal(10 + shift, 2 * spread, n)
    return {
        "tenure": rng.gamma(2.0 + shift, 3.0 * spread, n),
        "city": rng.choice(cities, size=n, p=city_weights / city_weights.sum()),
        "prediction": prediction,
        "label": prediction + rng.normal(0.5, 1.0 + shift, n),
    }


def _edges(values: np.ndarray) -> np.ndarray:
    """Ten quantile bins' inner cut points (numpy's linear interpolation), repeats dropped."""
    cuts = np.quantile(values, np.arange(1, 10) / 10)
    return cuts[np.concatenate(([True], np.diff(cuts) != 0))]


def _top(values: np.ndarray) -> list[str]:
    """The reference's categories: the most frequent first, ties by name."""
    names, counts = np.unique(values, return_counts=True)
    return [str(name) for _, name in sorted(zip(-counts, names))][:TOP_CATEGORIES]


def _digitize_numeric(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """A value on an edge belongs to the bin below it (right-closed bins, as quantile cuts are)."""
    return np.searchsorted(edges, values, side="left")


def _digitize_categorical(values: np.ndarray, categories: list[str]) -> np.ndarray:
    index = {c: i for i, c in enumerate(categories)}
    return np.array([index.get(str(v), len(categories)) for v in values])


def _psi(reference: np.ndarray, current: np.ndarray) -> float:
    p = np.maximum(reference / reference.sum(), PSI_FLOOR)
    q = np.maximum(current / current.sum(), PSI_FLOOR)
    return float(np.sum((q - p) * np.log(q / p)))


@pytest.fixture(scope="module")
def watched(cairn_base):
    """A version with a reference and an hour of shifted production traffic with its labels."""
    slug = os.environ["MLFLOW_TRACKING_URI"].rstrip("/").rsplit("/p/", 1)[1]
    api = CairnApi(cairn_base, slug, os.environ["MLFLOW_TRACKING_TOKEN"])
    client = MlflowClient()
    name = unique("stats")
    client.create_registered_model(name)
    version = client.create_model_version(name, source="s3://models/stats", run_id=None).version
    client.set_registered_model_alias(name, ALIAS, version)

    # 25 cities, fewer kept by the reference: production's rarest ones fall in "other".
    reference = _samples(1, 4_000, shift=0.0, spread=1.0, city_weights=np.linspace(3, 1, 25))
    production = _samples(2, 3_000, shift=0.6, spread=1.3, city_weights=np.linspace(1, 3, 25))
    columns = ["tenure", "city", "prediction"]
    rows = [[float(reference["tenure"][i]), str(reference["city"][i]), float(reference["prediction"][i])] for i in range(4_000)]
    put = api.monitoring("PUT", "reference", {"model": name, "version": int(version), "rows": {"columns": columns, "data": rows}})
    assert put.status_code == 200, put.text

    # Every record in the middle of the last full hour: one window holds them all.
    at = (int(time.time() * 1000) // HOUR_MS) * HOUR_MS - HOUR_MS // 2
    ids = [f"r{i}" for i in range(3_000)]
    records = [
        {"id": ids[i], "timestamp": at, "features": {"tenure": float(production["tenure"][i]), "city": str(production["city"][i])}, "prediction": float(production["prediction"][i])}
        for i in range(3_000)
    ]
    for start in range(0, 3_000, 1_000):
        sent = api.monitoring("POST", "records", {"model": name, "alias": ALIAS, "records": records[start : start + 1_000]})
        assert sent.status_code == 200 and sent.json()["accepted"] == 1_000, sent.text
    # The task decides what a label adds up (errors for a regressor), so it is set before labels arrive.
    api.mutate("monitoring.saveConfig", name=name, config={"task": "regression", "metric": "rmse", "retentionDays": 7})
    labels = [{"id": ids[i], "label": float(production["label"][i])} for i in range(3_000)]
    labelled = api.monitoring("POST", "labels", {"model": name, "labels": labels})
    assert labelled.status_code == 200 and labelled.json()["accepted"] == 3_000, labelled.text

    start = datetime.fromtimestamp(at / 1000, timezone.utc)
    window = {"from": (start - timedelta(hours=1)).isoformat(), "to": (start + timedelta(hours=1)).isoformat()}
    return {"api": api, "name": name, "window": window, "reference": reference, "production": production, "columns": {c["name"]: c for c in put.json()["columns"]}}


def _drift(watched) -> dict:
    seen = watched["api"].query("monitoring.target", name=watched["name"], target=ALIAS, range=watched["window"])
    return {d["column"]: d for d in seen["drift"]}


@pytest.mark.parametrize("column", ["tenure", "prediction"])
def test_numeric_columns_match_numpy_quantiles_and_scipy_ks(watched, column):
    reference, current = watched["reference"][column], watched["production"][column]
    stored = watched["columns"][column]
    assert stored["kind"] == "numeric"
    edges = _edges(reference)
    assert stored["edges"] == pytest.approx(edges.tolist(), rel=1e-12)
    edges = np.asarray(stored["edges"])
    ref_bins, cur_bins = _digitize_numeric(reference, edges), _digitize_numeric(current, edges)
    assert stored["counts"] == np.bincount(ref_bins, minlength=len(edges) + 1).tolist()

    drift = _drift(watched)[column]
    assert drift["values"] == len(current) and drift["js"] is None
    assert drift["ks"] == pytest.approx(ks_2samp(ref_bins, cur_bins).statistic, abs=1e-12)
    counts = np.bincount(cur_bins, minlength=len(edges) + 1)
    assert drift["psi"] == pytest.approx(_psi(np.asarray(stored["counts"]), counts), rel=1e-9)
    # The samples do differ, so the statistics are not trivially zero.
    assert drift["ks"] > 0.05 and drift["psi"] > 0.05


def test_categorical_column_matches_scipy_jensen_shannon(watched):
    reference, current = watched["reference"]["city"], watched["production"]["city"]
    stored = watched["columns"]["city"]
    assert stored["kind"] == "categorical"
    assert stored["categories"] == _top(reference)
    ref_counts = np.bincount(_digitize_categorical(reference, stored["categories"]), minlength=TOP_CATEGORIES + 1)
    cur_counts = np.bincount(_digitize_categorical(current, stored["categories"]), minlength=TOP_CATEGORIES + 1)
    assert stored["counts"] == ref_counts.tolist()

    drift = _drift(watched)["city"]
    assert drift["ks"] is None
    assert drift["js"] == pytest.approx(float(jensenshannon(ref_counts, cur_counts, base=2)), abs=1e-12)
    assert drift["psi"] == pytest.approx(_psi(ref_counts, cur_counts), rel=1e-9)
    assert drift["js"] > 0.05


@pytest.mark.parametrize("metric", ["mae", "rmse"])
def test_production_error_matches_scikit_learn(watched, metric):
    api, name = watched["api"], watched["name"]
    # The metric is read from the window's sums, so either one can be chosen afterwards.
    api.mutate("monitoring.saveConfig", name=name, config={"task": "regression", "metric": metric, "retentionDays": 7})
    windows = [w for w in api.query("monitoring.target", name=name, target=ALIAS, range=watched["window"])["windows"] if w["labelled"]]
    assert [w["labelled"] for w in windows] == [3_000]
    truth, predicted = watched["production"]["label"], watched["production"]["prediction"]
    expected = mean_absolute_error(truth, predicted) if metric == "mae" else math.sqrt(mean_squared_error(truth, predicted))
    assert windows[0]["metric"] == pytest.approx(expected, rel=1e-12)
