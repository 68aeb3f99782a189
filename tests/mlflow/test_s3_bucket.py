"""With Cairn on an S3 store: what the client logs lands, byte for byte, as objects in the bucket.

Collected only when scripts/mlflow-tests.ts runs the S3 store and sets:
  CAIRN_MLFLOW_S3_ENDPOINT       the S3 server's URL (path-style addressing)
  CAIRN_MLFLOW_S3_BUCKET         the bucket Cairn writes to
  CAIRN_MLFLOW_S3_PREFIX         Cairn's key prefix in it
  CAIRN_MLFLOW_S3_ACCESS_KEY_ID, CAIRN_MLFLOW_S3_SECRET_ACCESS_KEY, CAIRN_MLFLOW_S3_REGION
  CAIRN_MLFLOW_ARTIFACTS_DIR     the local artifact folder Cairn would fall back to, which must stay empty
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import mlflow
import pandas as pd
import requests
from sklearn.linear_model import LinearRegression

from support import log_model_kwargs, unique

ENDPOINT = os.environ["CAIRN_MLFLOW_S3_ENDPOINT"].rstrip("/")
BUCKET = os.environ["CAIRN_MLFLOW_S3_BUCKET"]
PREFIX = os.environ["CAIRN_MLFLOW_S3_PREFIX"].strip("/")
ACCESS_KEY = os.environ["CAIRN_MLFLOW_S3_ACCESS_KEY_ID"]
SECRET_KEY = os.environ["CAIRN_MLFLOW_S3_SECRET_ACCESS_KEY"]
REGION = os.environ["CAIRN_MLFLOW_S3_REGION"]
LOCAL_DIR = Path(os.environ["CAIRN_MLFLOW_ARTIFACTS_DIR"])
S3 = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def _uri_encode(text: str, safe: str = "-_.~") -> str:
    """S3's URI encoding: every byte but unreserved characters (and `safe`) percent-encoded."""
    return quote(text, safe=safe)


def _s3_get(key: str | None = None, query: dict[str, str] | None = None) -> requests.Response:
    """A GET of the bucket (key None) or of an object, signed with AWS Signature Version 4 (stdlib only)."""
    path = _uri_encode(f"/{BUCKET}" + (f"/{key}" if key is not None else ""), safe="/-_.~")
    canonical_query = "&".join(f"{_uri_encode(k)}={_uri_encode(v)}" for k, v in sorted((query or {}).items()))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    scope = f"{stamp[:8]}/{REGION}/s3/aws4_request"
    headers = {"host": urlsplit(ENDPOINT).netloc, "x-amz-content-sha256": hashlib.sha256(b"").hexdigest(), "x-amz-date": stamp}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["GET", path, canonical_query, *(f"{k}:{headers[k]}" for k in sorted(headers)), "", signed, headers["x-amz-content-sha256"]])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing_key = f"AWS4{SECRET_KEY}".encode()
    for part in scope.split("/"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, SignedHeaders={signed}, Signature={signature}"
    url = f"{ENDPOINT}{path}" + (f"?{canonical_query}" if canonical_query else "")
    response = requests.get(url, headers=headers, timeout=30)
    assert response.status_code == 200, f"GET {url} -> {response.status_code}: {response.text[:300]}"
    return response


def _bucket_objects(marker: str) -> dict[str, bytes]:
    """Every object under Cairn's prefix whose key holds `marker`, by the key's part after it (ListObjectsV2, paged)."""
    found: dict[str, bytes] = {}
    query = {"list-type": "2", "prefix": f"{PREFIX}/projects/"}
    while True:
        root = ET.fromstring(_s3_get(query=query).content)
        for key in (c.findtext(f"{S3}Key") for c in root.iter(f"{S3}Contents")):
            if marker in key:
                found[key.split(marker, 1)[1]] = _s3_get(key).content
        if root.findtext(f"{S3}IsTruncated") != "true":
            return found
        query["continuation-token"] = root.findtext(f"{S3}NextContinuationToken")


def _files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_run_artifacts_are_objects_in_the_bucket(tmp_path):
    blob = random.Random(9).randbytes(300_000)
    (tmp_path / "weights.bin").write_bytes(blob)
    mlflow.set_experiment(unique("s3-run"))
    with mlflow.start_run() as run:
        mlflow.log_text("kept in S3\n", "notes/where.txt")
        mlflow.log_artifact(str(tmp_path / "weights.bin"), artifact_path="blobs")
    assert _bucket_objects(f"/{run.info.run_id}/artifacts/") == {
        "notes/where.txt": b"kept in S3\n",
        "blobs/weights.bin": blob,
    }


def test_model_files_are_objects_in_the_bucket(recorder, tmp_path):
    frame = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    model = LinearRegression().fit(frame, [1.0, 3.0, 5.0, 7.0])
    mlflow.set_experiment(unique("s3-model"))
    mark = recorder.mark()
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, **log_model_kwargs("model"))
    # 3.x keeps a logged model's files under models/<model id>/, 2.x under the run's artifacts.
    model_id = getattr(info, "model_id", None)
    marker = f"/models/{model_id}/artifacts/" if model_id else f"/{run.info.run_id}/artifacts/model/"
    uploaded = {unquote(c.path.split(marker, 1)[1]) for c in recorder.since(mark) if c.method == "PUT" and marker in c.path}
    assert "MLmodel" in uploaded
    # The download may add files of the client's own (3.x writes registered_model_meta): compare what was uploaded.
    downloaded = _files_under(Path(mlflow.artifacts.download_artifacts(info.model_uri, dst_path=str(tmp_path))))
    assert _bucket_objects(marker) == {rel: downloaded[rel] for rel in uploaded}


def test_nothing_was_written_to_the_local_artifact_folder():
    # Runs after test_artifacts, test_autolog and test_registry (files are collected in name order).
    assert not LOCAL_DIR.exists() or not any(p.is_file() for p in LOCAL_DIR.rglob("*"))
