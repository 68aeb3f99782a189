"""Helpers shared by the MLflow client tests: unique names, error assertions, the HTTP recorder."""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import mlflow
import pytest
import requests
from mlflow.exceptions import MlflowException

MLFLOW_MAJOR = int(mlflow.__version__.split(".")[0])
IS_MLFLOW_3 = MLFLOW_MAJOR >= 3

# Names carry the client version and a per-session tag, so the 2.x and 3.x suites can share one
# project (and a re-run can share a server) without stepping on each other.
SESSION_TAG = f"py{MLFLOW_MAJOR}-{uuid.uuid4().hex[:6]}"


def unique(prefix: str) -> str:
    return f"{prefix}-{SESSION_TAG}-{uuid.uuid4().hex[:6]}"


def log_model_kwargs(path: str) -> dict:
    """3.x names a logged model with `name=`; 2.x only knows `artifact_path=`."""
    return {"name": path} if IS_MLFLOW_3 else {"artifact_path": path}


def expect_error(code: str, fn, *args, **kwargs) -> MlflowException:
    """Calls fn and asserts it raises MlflowException carrying exactly `code`."""
    with pytest.raises(MlflowException) as caught:
        fn(*args, **kwargs)
    assert caught.value.error_code == code, f"expected {code}, got {caught.value.error_code}: {caught.value}"
    return caught.value


@dataclass
class Call:
    method: str
    path: str
    status: int | None  # None when no response came back (connection error, retries exhausted)
    note: str = ""

    def __str__(self) -> str:
        status = self.status if self.status is not None else f"no response ({self.note})"
        return f"{self.method} {self.path} -> {status}"


class HttpRecorder:
    """Records every request the MLflow client sends through `requests`, from any thread."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._original = None

    def install(self) -> None:
        original = requests.adapters.HTTPAdapter.send
        self._original = original
        recorder = self

        def send(adapter, request, *args, **kwargs):
            parts = urlsplit(request.url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            try:
                response = original(adapter, request, *args, **kwargs)
            except requests.exceptions.RetryError as error:
                # urllib3 gave up on a retried status (5xx/429 with MLFLOW_HTTP_REQUEST_MAX_RETRIES=0).
                reason = str(error).rpartition("Caused by ")[2].rstrip(")") or str(error)
                recorder._add(Call(request.method, path, None, f"retries exhausted: {reason}"))
                raise
            except Exception as error:
                recorder._add(Call(request.method, path, None, type(error).__name__))
                raise
            recorder._add(Call(request.method, path, response.status_code))
            return response

        requests.adapters.HTTPAdapter.send = send

    def uninstall(self) -> None:
        if self._original is not None:
            requests.adapters.HTTPAdapter.send = self._original

    def _add(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def mark(self) -> int:
        with self._lock:
            return len(self.calls)

    def since(self, mark: int) -> list[Call]:
        with self._lock:
            return list(self.calls[mark:])

    def server_errors(self, mark: int) -> list[Call]:
        return [c for c in self.since(mark) if (c.status is None and "retries exhausted" in c.note) or (c.status or 0) >= 500]


@contextlib.contextmanager
def env(**values: str | None):
    """Temporarily sets (or, with None, removes) environment variables the client reads per request."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
