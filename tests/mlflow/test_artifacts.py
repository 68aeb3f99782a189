"""Artifacts through the proxy (`mlflow-artifacts:/`): log_text/dict/artifact/artifacts, list, download."""

from __future__ import annotations

import json
import random
from pathlib import Path

import mlflow
import pytest

from support import unique

BIG = 3 * 1024 * 1024 + 17  # a few MB, not a multiple of any chunk size


def _write(root: Path, rel: str, data: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture(scope="module")
def artifact_run(tmp_path_factory):
    """Logs a tree of artifacts the ways scripts do; returns the run id and what each file must hold."""
    local = tmp_path_factory.mktemp("artifacts-src")
    rng = random.Random(42)
    big = rng.randbytes(BIG)
    tree = {
        "a.txt": b"alpha\n",
        "sub/b.json": b'{"b": 2}\n',
        "sub/with space.txt": b"spaces in the name\n",
        "sub/résumé-ü.txt": "non-ASCII name\n".encode(),
        "sub/deeper/c.bin": rng.randbytes(100_000),
        "sub/deeper/empty.txt": b"",
    }
    for rel, data in tree.items():
        _write(local / "tree", rel, data)
    _write(local / "flat", "root_a.txt", b"at the root\n")
    _write(local, "big.bin", big)
    _write(local, "summary.csv", b"epoch,loss\n0,1.0\n1,0.5\n")

    mlflow.set_experiment(unique("artifacts"))
    with mlflow.start_run() as run:
        mlflow.log_text("hello\nworld\n", "notes/readme.txt")
        mlflow.log_dict({"lr": 0.01, "layers": [64, 32]}, "config/params.json")
        mlflow.log_artifact(str(local / "big.bin"))
        mlflow.log_artifact(str(local / "summary.csv"), artifact_path="reports")
        mlflow.log_artifacts(str(local / "tree"), artifact_path="tree")
        mlflow.log_artifacts(str(local / "flat"))

    expected = {
        "notes/readme.txt": b"hello\nworld\n",
        "big.bin": big,
        "reports/summary.csv": (local / "summary.csv").read_bytes(),
        "root_a.txt": b"at the root\n",
        **{f"tree/{rel}": data for rel, data in tree.items()},
    }
    return {"run_id": run.info.run_id, "expected": expected}


def _files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_download_artifacts_brings_every_file_back_byte_identical(artifact_run, tmp_path):
    local = Path(mlflow.artifacts.download_artifacts(run_id=artifact_run["run_id"], dst_path=str(tmp_path)))
    files = _files_under(local)
    params = files.pop("config/params.json")
    assert json.loads(params) == {"lr": 0.01, "layers": [64, 32]}
    assert sorted(files) == sorted(artifact_run["expected"])
    for rel, data in artifact_run["expected"].items():
        assert files[rel] == data, f"{rel} differs ({len(files[rel])} bytes back, {len(data)} sent)"


def test_download_a_subdirectory_and_a_single_file(artifact_run, client, tmp_path):
    run_id = artifact_run["run_id"]
    expected = artifact_run["expected"]
    sub = Path(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="tree/sub", dst_path=str(tmp_path / "d")))
    assert _files_under(sub) == {k[len("tree/sub/"):]: v for k, v in expected.items() if k.startswith("tree/sub/")}
    (tmp_path / "f").mkdir()  # the 2.x client insists that the destination exists
    one = Path(client.download_artifacts(run_id, "tree/sub/deeper/c.bin", str(tmp_path / "f")))
    assert one.read_bytes() == expected["tree/sub/deeper/c.bin"]
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/readme.txt") == "hello\nworld\n"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config/params.json") == {"lr": 0.01, "layers": [64, 32]}


def test_list_artifacts_at_root_and_in_subdirectories(artifact_run, client):
    run_id = artifact_run["run_id"]
    expected = artifact_run["expected"]

    def listing(path=None):
        return {(f.path, f.is_dir, f.file_size) for f in client.list_artifacts(run_id, path)}

    assert listing() == {
        ("big.bin", False, BIG),
        ("config", True, None),
        ("notes", True, None),
        ("reports", True, None),
        ("root_a.txt", False, len(expected["root_a.txt"])),
        ("tree", True, None),
    }
    assert listing("tree") == {("tree/a.txt", False, 6), ("tree/sub", True, None)}
    assert listing("tree/sub") == {
        ("tree/sub/b.json", False, len(expected["tree/sub/b.json"])),
        ("tree/sub/with space.txt", False, len(expected["tree/sub/with space.txt"])),
        ("tree/sub/résumé-ü.txt", False, len(expected["tree/sub/résumé-ü.txt"])),
        ("tree/sub/deeper", True, None),
    }
    deeper = listing("tree/sub/deeper")
    # MLflow's own server leaves file_size out for an empty file, which the client reads as None.
    assert deeper in (
        {("tree/sub/deeper/c.bin", False, 100_000), ("tree/sub/deeper/empty.txt", False, 0)},
        {("tree/sub/deeper/c.bin", False, 100_000), ("tree/sub/deeper/empty.txt", False, None)},
    ), deeper
    # A file, or a path that does not exist, lists as empty: the client relies on it to tell files from folders.
    assert listing("big.bin") == set()
    assert listing("no/such/dir") == set()


def test_client_log_artifact_into_a_finished_run(client, tmp_path):
    """MlflowClient writes artifacts by run id after the fluent run has ended (a common evaluation step)."""
    mlflow.set_experiment(unique("late-artifacts"))
    with mlflow.start_run() as run:
        mlflow.log_metric("acc", 0.5)
    extra = tmp_path / "eval.txt"
    extra.write_text("evaluated later\n")
    client.log_artifact(run.info.run_id, str(extra), artifact_path="eval")
    assert [(f.path, f.is_dir) for f in client.list_artifacts(run.info.run_id)] == [("eval", True)]
    assert [f.path for f in client.list_artifacts(run.info.run_id, "eval")] == ["eval/eval.txt"]
    assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/eval/eval.txt") == "evaluated later\n"
