"""Helpers shared by the MLflow client tests: unique names, error assertions, the HTTP recorder."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
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


SCORING_SERVER_START_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


@contextlib.contextmanager
def scoring_server(model_uri: str, log_path):
    """`mlflow models serve -m <model_uri>` as a user runs it, in this client's environment (Cairn's
    tracking URI and token) from an activated virtual environment, since the scoring server starts
    `uvicorn` from PATH. Yields a function that posts a DataFrame to /invocations and returns the
    predictions."""
    port = _free_port()
    log = open(log_path, "w+")
    env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    command = [sys.executable, "-m", "mlflow", "models", "serve", "-m", model_uri, "--env-manager", "local", "--host", "127.0.0.1", "-p", str(port)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def invoke(frame) -> list:
        body = json.dumps({"dataframe_split": {"columns": list(frame.columns), "data": frame.values.tolist()}}).encode()
        request = urllib.request.Request(f"{base}/invocations", data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            return json.loads(response.read())["predictions"]

    try:
        deadline = time.monotonic() + SCORING_SERVER_START_TIMEOUT_S
        while _status(f"{base}/ping") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"mlflow models serve did not come up (exit {server.poll()}):\n{log.read()[-4000:]}")
            time.sleep(0.5)
        yield invoke
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


class CairnApi:
    """Cairn's own doors beside MLflow's, as a script or a CI job calls them with a token: tRPC
    procedures over HTTP (superjson's `{"json": ...}` envelope) and the project's monitoring API."""

    def __init__(self, base: str, slug: str, token: str | None = None) -> None:
        self.base, self.slug = base.rstrip("/"), slug
        self.session = requests.Session()
        if token:
            self.session.headers["authorization"] = f"Bearer {token}"

    @classmethod
    def signed_in(cls, base: str, slug: str, email: str, password: str) -> "CairnApi":
        """A person at the browser (next-auth's password sign-in), for what tokens may not do: reviews."""
        api = cls(base, slug)
        csrf = api.session.get(f"{api.base}/api/auth/csrf", timeout=30).json()["csrfToken"]
        form = {"email": email, "password": password, "csrfToken": csrf, "callbackUrl": f"{api.base}/"}
        api.session.post(f"{api.base}/api/auth/callback/credentials", data=form, headers={"origin": api.base}, allow_redirects=False, timeout=30)
        assert any("session-token" in c.name for c in api.session.cookies), f"{email} could not sign in"
        return api

    def _data(self, response: requests.Response, what: str):
        assert response.ok, f"{what} answered HTTP {response.status_code}: {response.text[:2000]}"
        return response.json()["result"]["data"]["json"]

    def query(self, procedure: str, **input):
        payload = json.dumps({"json": {"projectSlug": self.slug, **input}})
        return self._data(self.session.get(f"{self.base}/api/trpc/{procedure}", params={"input": payload}, timeout=60), procedure)

    def mutate(self, procedure: str, **input):
        body = {"json": {"projectSlug": self.slug, **input}}
        return self._data(self.session.post(f"{self.base}/api/trpc/{procedure}", json=body, headers={"origin": self.base}, timeout=60), procedure)

    def user_query(self, procedure: str, **input):
        """A procedure of the signed-in person rather than of a project (the inbox)."""
        payload = json.dumps({"json": input})
        return self._data(self.session.get(f"{self.base}/api/trpc/{procedure}", params={"input": payload}, timeout=60), procedure)

    def monitoring(self, method: str, path: str, body: dict) -> requests.Response:
        return self.session.request(method, f"{self.base}/p/{self.slug}/api/monitoring/v1/{path}", json=body, timeout=60)
