"""Tests for the symgame command line."""

import json

import pytest
import sympy as sp

from symgame import Game
from symgame.cli import main


@pytest.fixture
def cookie_file(tmp_path):
    x = sp.Symbol("x", positive=True)
    path = tmp_path / "cookies.json"
    Game.from_dict(["Alice", "Bob"], {("Alice",): 5 * x, ("Bob",): 3 * x, ("Alice", "Bob"): 10 * x}).save(path)
    return path


def test_values_prints_exact_shapley(cookie_file, capsys):
    assert main(["values", str(cookie_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["Alice", "6*x"] and lines[2].split() == ["Bob", "4*x"]


@pytest.mark.parametrize("rule, expected", [
    ("shapley", {"Alice": "6*x", "Bob": "4*x"}),
    ("loo", {"Alice": "7*x", "Bob": "5*x"}),  # under "values", beside "loo_agreement" (tests/test_loo.py)
    ("banzhaf", {"Alice": "6*x", "Bob": "4*x"}),
    ("dividends", {"Alice": "5*x", "Bob": "3*x", "Alice,Bob": "2*x"}),
])
def test_values_json(cookie_file, capsys, rule, expected):
    assert main(["values", str(cookie_file), "--rule", rule, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["values"] if rule == "loo" else document) == expected


def test_values_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"players": ["a"], "values": [{"coalition": ["a"], "value": [0.5]}]}')
    assert main(["values", str(bad)]) == 2
    assert "must be a string" in capsys.readouterr().err
    assert main(["values", str(tmp_path / "missing.json")]) == 2
    assert "cannot read game file" in capsys.readouterr().err


def test_prove_runs_selected_checks_and_writes_reports(tmp_path, capsys):
    js, md = tmp_path / "r.json", tmp_path / "r.md"
    assert main(["prove", "P3.literal", "G.general", "--json", str(js), "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    assert "P3.literal" in out and "all 2 verdicts equal the expected ones" in out
    records = json.loads(js.read_text())
    assert [r["name"] for r in records] == ["P3.literal", "G.general"]
    assert all(r["verdict"] == "REFUTED" and r["ok"] for r in records)
    assert Game.from_json(records[0]["certificate"]["game"]).n == 2
    assert "# symgame" in md.read_text()


def test_prove_exits_nonzero_when_an_expected_verdict_changes(monkeypatch, capsys):
    from dataclasses import replace

    from symgame.checks import REGISTRY, load_proofs

    load_proofs()
    original = REGISTRY._checks["P3.literal"]
    monkeypatch.setitem(REGISTRY._checks, "P3.literal", replace(original, expected="PROVED (all n)"))
    assert main(["prove", "P3.literal"]) == 1
    assert "differ from the expected ones: P3.literal" in capsys.readouterr().out


def test_prove_counts_a_missing_extra_unless_allowed(monkeypatch, capsys):
    import proofs.real_model as real

    monkeypatch.setattr(real, "available", lambda: False)
    assert main(["prove", "P2.real.fixed"]) == 1
    out = capsys.readouterr().out
    assert "1 checks UNDECIDED, optional extra missing: P2.real.fixed (transformers)" in out
    assert main(["prove", "P2.real.fixed", "--allow-undecided"]) == 0
    assert "accepted (--allow-undecided)" in capsys.readouterr().out


def test_prove_unknown_name(capsys):
    assert main(["prove", "P9.nothing"]) == 2
    assert "no check named 'P9.nothing'" in capsys.readouterr().err


def test_search_prints_a_pasteable_instance(tmp_path, capsys):
    saved = tmp_path / "witness.json"
    assert main(["search", "G.general", "--max-examples", "200", "--quiet", "--save", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "counterexample after" in out
    code = out.split("shrunk to:\n", 1)[1]
    namespace = {"Game": Game}
    exec(code.split("saved to")[0], namespace)  # the printed instance is valid Python
    assert isinstance(namespace["game"], Game)
    assert Game.from_json(json.loads(saved.read_text())["game"]) == namespace["game"]


def test_search_json(capsys):
    assert main(["search", "P3.literal", "--max-examples", "100", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["found"] and out["name"] == "P3.literal" and out["seed"] == 0
    assert Game.from_json(out["instance"]).n == 2


def test_search_lists_searches(capsys):
    assert main(["search"]) == 0
    assert "P3.literal" in capsys.readouterr().out


EXAMPLE = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "attention_2x3.json")


def test_explain_prints_exact_table(capsys):
    assert main(["explain", EXAMPLE, "--output", "1"]) == 0
    out = capsys.readouterr().out
    assert "exact arithmetic" in out and "Shapley flow: exists" in out


def test_explain_json_is_exact_and_consistent(capsys):
    from fractions import Fraction

    assert main(["explain", EXAMPLE, "--output", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    players = report["players"]
    assert sum(Fraction(p["shapley"]) for p in players) == Fraction(report["max_flow"])  # efficiency of v*
    assert all(Fraction(p["ej_low"]) <= Fraction(p["ej_flow"]) <= Fraction(p["ej_high"]) for p in players)


def test_explain_no_shapley(capsys):
    assert main(["explain", EXAMPLE, "--output", "1", "--no-shapley"]) == 0
    assert "Shapley of v*: skipped" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--output", "7"], "output 7 is not a token index"),
    ([], "explain needs --output K"),
    (["--output", "1", "--source", "x"], "--source must be 'all' or a token index"),
    (["--output", "1", "--permutations", "0"], "--permutations must be a positive integer"),
])
def test_explain_bad_input(capsys, argv, message):
    assert main(["explain", EXAMPLE, *argv]) == 2
    assert message in capsys.readouterr().err


def test_explain_attention_file_cannot_run_code(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps([[["__import__('pathlib').Path('marker').touch()", "0"], ["0", "1"]]]))
    assert main(["explain", str(evil), "--output", "0"]) == 2
    assert "contains '__import__'" in capsys.readouterr().err
    assert not (tmp_path / "marker").exists()
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps([[["10**10**10", "0"], ["0", "1"]]]))
    assert main(["explain", str(huge), "--output", "0"]) == 2  # refused, not hung
    assert "numeric exponents" in capsys.readouterr().err


def test_unwritable_output_files_are_clear_errors_before_any_work(tmp_path, capsys):
    missing = str(tmp_path / "no-such-dir" / "out.json")
    assert main(["prove", "S0.d", "--json", missing]) == 2
    assert f"cannot write --json file {missing!r}: no directory" in capsys.readouterr().err
    assert main(["prove", "S0.d", "--markdown", str(tmp_path)]) == 2
    assert "cannot write --markdown file" in capsys.readouterr().err
    assert main(["search", "P3.literal", "--quiet", "--save", missing]) == 2
    assert "cannot write --save file" in capsys.readouterr().err


def test_values_reads_a_binary_file_as_a_clear_error(tmp_path, capsys):
    npy = tmp_path / "attention.npy"
    npy.write_bytes(b"\x93NUMPY\x01\x00")
    assert main(["values", str(npy)]) == 2
    assert "is not UTF-8 text; a game file is JSON" in capsys.readouterr().err


def test_values_reads_the_file_search_saves(tmp_path, capsys):
    """README: `--save FILE` writes it in a format the other commands read (G.general saves game + group)."""
    saved = tmp_path / "witness.json"
    assert main(["search", "G.general", "--max-examples", "200", "--quiet", "--save", str(saved)]) == 0
    capsys.readouterr()
    assert main(["values", str(saved), "--json"]) == 0
    game = Game.from_json(json.loads(saved.read_text())["game"])
    from symgame.values import shapley
    assert json.loads(capsys.readouterr().out) == {str(p): str(v) for p, v in shapley(game).items()}
