"""The official MLflow 3.x client against Cairn behind Caddy, over HTTPS (scripts/deploy-tests.ts).

Environment, set by the runner:
  MLFLOW_TRACKING_URI    https://cairn.test:<port>/p/<project>, through the proxy
  MLFLOW_TRACKING_TOKEN  a read-write token of the project's owner
  REQUESTS_CA_BUNDLE     the proxy's CA root, the only certificate the client trusts
  CAIRN_DEPLOY_OBSERVER  http://127.0.0.1:<port>: webhook deliveries and Cairn's memory
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# The HTTP recorder and helpers of the MLflow tier (tests/mlflow/support.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mlflow"))

from support import HttpRecorder  # noqa: E402

for name in ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "REQUESTS_CA_BUNDLE", "CAIRN_DEPLOY_OBSERVER"):
    if not os.environ.get(name):
        raise pytest.UsageError(f"{name} is not set: run these tests with `npm test -- --only deploy`")

RECORDER = HttpRecorder()
RECORDER.install()


@pytest.fixture(autouse=True)
def _no_server_errors():
    """Fails any test during which the server answered 5xx."""
    mark = RECORDER.mark()
    yield
    errors = RECORDER.server_errors(mark)
    assert not errors, "the server answered 5xx:\n" + "\n".join(str(c) for c in errors)
