"""The official MLflow Python client against a running server (Cairn, via scripts/mlflow-tests.ts).

Environment, set by the runner:
  MLFLOW_TRACKING_URI            http://host:port/p/<project>   (required)
  MLFLOW_TRACKING_TOKEN          a read-write token of a member of that project (required)
  CAIRN_MLFLOW_READ_ONLY_TOKEN   a read-only token of the same user
  CAIRN_MLFLOW_OTHER_PROJECT     slug of a project the user is not a member of
  CAIRN_MLFLOW_OTHER_USER_TOKEN  a token of another user, restricted to that other project
  CAIRN_MLFLOW_REVOKED_TOKEN     a token that has been revoked
  CAIRN_MLFLOW_S3_*              when Cairn stores artifacts in S3 (see test_s3_bucket.py)
A case whose variable is missing is skipped with the reason printed (pytest -rs).
"""

from __future__ import annotations

import os

# A server 5xx must fail the test at once instead of retrying with backoff for minutes.
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")
# No internet here: MLflow 3 telemetry must not try to phone home.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

from support import IS_MLFLOW_3, HttpRecorder  # noqa: E402

TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "")
if not TRACKING_URI.startswith("http"):
    raise pytest.UsageError("Set MLFLOW_TRACKING_URI to the server's http(s) URL (scripts/mlflow-tests.ts does).")

RECORDER = HttpRecorder()
RECORDER.install()

# The bucket checks apply only to a Cairn on an S3 store, which the runner names.
collect_ignore = [] if os.environ.get("CAIRN_MLFLOW_S3_ENDPOINT") else ["test_s3_bucket.py"]
# Only MLflow 3's skinny package carries a scoring server (see test_serving.py).
if not IS_MLFLOW_3:
    collect_ignore += ["test_serving.py", "test_production_loop.py"]


def pytest_report_header(config):
    return f"mlflow {mlflow.__version__} -> {TRACKING_URI}"


@pytest.fixture(autouse=True)
def _no_server_errors_and_no_leftover_run(request):
    """Fails any test during which the server answered 5xx; ends a fluent run a failed test left open."""
    mark = RECORDER.mark()
    request.node.stash[_MARK] = mark
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run()
    errors = RECORDER.server_errors(mark)
    assert not errors, "the server answered 5xx:\n" + "\n".join(str(c) for c in errors)


_MARK = pytest.StashKey[int]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _MARK in item.stash:
        calls = RECORDER.since(item.stash[_MARK])
        shown = calls[-40:]
        lines = [str(c) for c in shown]
        if len(calls) > len(shown):
            lines.insert(0, f"... {len(calls) - len(shown)} earlier requests")
        report.sections.append(("HTTP requests during the test", "\n".join(lines) or "(none)"))


@pytest.fixture
def recorder():
    return RECORDER


@pytest.fixture
def client() -> MlflowClient:
    return MlflowClient()


@pytest.fixture(scope="session")
def tracking_uri() -> str:
    return TRACKING_URI


@pytest.fixture(scope="session")
def token() -> str:
    value = os.environ.get("MLFLOW_TRACKING_TOKEN")
    if not value:
        pytest.skip("MLFLOW_TRACKING_TOKEN is not set")
    return value


def _env_or_skip(name: str, why: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.skip(os.environ.get(f"{name}_SKIP_REASON") or f"{name} is not set: {why}")
    return value


@pytest.fixture(scope="session")
def read_only_token() -> str:
    return _env_or_skip("CAIRN_MLFLOW_READ_ONLY_TOKEN", "no read-only token to test with")


@pytest.fixture(scope="session")
def revoked_token() -> str:
    return _env_or_skip("CAIRN_MLFLOW_REVOKED_TOKEN", "no revoked token to test with")


@pytest.fixture(scope="session")
def cairn_base(tracking_uri) -> str:
    """The server root, for tests that address other projects (`<root>/p/<slug>`)."""
    if "/p/" not in tracking_uri:
        pytest.skip("MLFLOW_TRACKING_URI is not a Cairn project URI (<root>/p/<slug>)")
    return tracking_uri.rstrip("/").rsplit("/p/", 1)[0]


@pytest.fixture(scope="session")
def other_project_uri(cairn_base) -> str:
    slug = _env_or_skip("CAIRN_MLFLOW_OTHER_PROJECT", "no project the user is not a member of")
    return f"{cairn_base}/p/{slug}"


@pytest.fixture(scope="session")
def other_user_token() -> str:
    return _env_or_skip("CAIRN_MLFLOW_OTHER_USER_TOKEN", "no token of a user outside the project")


@pytest.fixture(scope="session")
def tiny_dataset():
    """A linearly separable 3-feature problem: enough for a real sklearn model, trains in milliseconds."""
    rng = np.random.RandomState(7)
    X = rng.rand(60, 3)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0.75).astype(int)
    return X, y
