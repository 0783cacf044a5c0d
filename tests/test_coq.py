"""The Coq layer (issue 12): symgame.coq compiles and audits a development, symgame prove shows the kernel column.

CI installs coqc and MathComp (.ci/run), so nothing here is skipped: without coqc these tests fail.
The machinery is tested on small developments written to tmp_path (one compiles, one admits a step,
one rests on an axiom, one names a theorem that does not exist); the project's own development is
tested in tests/test_coq_development.py.
"""

import json
import shutil
import textwrap

import pytest

from symgame import coq
from symgame.checks import REGISTRY, load_proofs
from symgame.cli import main
from symgame.errors import CoqError, CoqNotFoundError

HEADER = "From mathcomp Require Import all_ssreflect all_algebra.\n"


def write_dev(root, files, theorems):
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(HEADER + textwrap.dedent(text), encoding="utf-8")
    (root / "THEOREMS.txt").write_text(textwrap.dedent(theorems), encoding="utf-8")
    return root


GOOD = {
    "Base.v": """
        Definition two := 2.
        Lemma two_is_two : two = 2. Proof. by []. Qed.
        (* an admit in a comment does not count: Admitted *)
    """,
    "Top.v": """
        From Symgame Require Import Base.
        Lemma two_plus : two + two = 4. Proof. by []. Qed.
    """,
}
GOOD_THEOREMS = """
    # statement  file  theorem
    S0.x Base.v two_is_two
    S0.x Top.v two_plus
    S0.y - not formalised yet
"""


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("SYMGAME_COQ_CACHE", str(path))
    return path


def test_coqc_is_installed():
    # CI installs Coq (.ci/run); a machine without it fails here, it does not skip
    assert coq.find_coqc()
    assert "Coq" in coq.coq_version()


def test_a_clean_development_is_machine_checked_and_cached(tmp_path, cache):
    root = write_dev(tmp_path / "dev", GOOD, GOOD_THEOREMS)
    assert coq.source_files(root) == ["Base.v", "Top.v"]
    report = coq.check_development(root)
    assert report.ok and not report.cached, report.to_dict()
    assert report.results["S0.x"].status == coq.MACHINE_CHECKED
    assert report.results["S0.x"].theorems == (("Base.v", "two_is_two"), ("Top.v", "two_plus"))
    assert report.results["S0.y"].status == coq.NOT_PROVED and report.results["S0.y"].reason == "not formalised yet"
    again = coq.check_development(root)
    assert again.cached and again.ok and again.build == report.build
    # a changed file is a new build (the cache is keyed by the files' hashes)
    (root / "Top.v").write_text((root / "Top.v").read_text() + "\nLemma more : 1 = 1. Proof. by []. Qed.\n")
    changed = coq.check_development(root)
    assert not changed.cached and changed.build != report.build and changed.ok


def test_an_admitted_step_fails_every_statement(tmp_path, cache):
    files = dict(GOOD, **{"Top.v": """
        From Symgame Require Import Base.
        Lemma two_plus : two + two = 5. Proof. Admitted.
    """})
    report = coq.check_development(write_dev(tmp_path / "dev", files, GOOD_THEOREMS))
    assert not report.ok
    assert report.results["S0.x"].status == coq.FAILED
    assert "Top.v:4 Admitted" in report.results["S0.x"].reason


def test_an_axiom_is_found_by_grep_and_by_print_assumptions(tmp_path, cache):
    files = dict(GOOD, **{"Top.v": """
        From Symgame Require Import Base.
        Axiom cheat : forall n : nat, n = 0.
        Lemma two_plus : two + two = 4. Proof. by []. Qed.
        Lemma zero : 4 = 0. Proof. exact (cheat 4). Qed.
    """})
    root = write_dev(tmp_path / "dev", files, "S0.x Top.v zero\n")
    assert coq.find_admits(root) == [("Top.v", 4, "Axiom")]
    report = coq.check_development(root)
    assert report.results["S0.x"].status == coq.FAILED and "Axiom" in report.results["S0.x"].reason
    # Print Assumptions, asked directly, names the axiom the theorem rests on
    build, _ = coq.compile_development(root)
    assert coq.print_assumptions(build, [("Top.v", "zero"), ("Top.v", "two_plus")]) == {
        "zero": ["Top.cheat"], "two_plus": []}


def test_a_missing_theorem_or_a_file_that_does_not_compile_fails(tmp_path, cache):
    root = write_dev(tmp_path / "dev", GOOD, "S0.x Top.v no_such_theorem\nS0.z Base.v two_is_two\n")
    report = coq.check_development(root)
    assert report.results["S0.x"].status == coq.FAILED and "no theorem no_such_theorem" in report.results["S0.x"].reason
    assert report.results["S0.z"].status == coq.MACHINE_CHECKED
    broken = write_dev(tmp_path / "broken", dict(GOOD, **{"Base.v": "Lemma two_is_two : 2 = 3. Proof. by []. Qed.\n"}),
                       GOOD_THEOREMS)
    report = coq.check_development(broken)
    assert not report.ok and "Base.v" in report.error and "does not compile" in report.error


def test_theorems_file_and_dependency_errors_are_clear(tmp_path):
    with pytest.raises(CoqError, match="line 1: expected"):
        coq.parse_theorems("S0.a\n")
    with pytest.raises(CoqError, match="both as proved and as not proved"):
        coq.parse_theorems("S0.a A.v t\nS0.a - reason\n")
    with pytest.raises(CoqError, match="cannot read"):
        coq.read_theorems(tmp_path / "none")
    root = write_dev(tmp_path / "cyc", {"A.v": "From Symgame Require Import B.\n",
                                        "B.v": "From Symgame Require Import A.\n"}, "")
    with pytest.raises(CoqError, match="cycle"):
        coq.source_files(root)
    root = write_dev(tmp_path / "miss", {"A.v": "From Symgame Require Import Nope.\n"}, "")
    with pytest.raises(CoqError, match="Nope.v"):
        coq.source_files(root)


def test_without_coqc_the_layer_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMGAME_COQC", str(tmp_path / "no-coqc"))
    with pytest.raises(CoqNotFoundError, match="apt-get install -y coq libcoq-mathcomp-ssreflect"):
        coq.find_coqc()


# ---------------------------------------------------------------------- symgame prove: the kernel column
@pytest.fixture()
def registry_dev(tmp_path, monkeypatch, cache):
    load_proofs()
    root = write_dev(tmp_path / "dev", GOOD, "S0.d Base.v two_is_two\nS0.d Top.v two_plus\n")
    monkeypatch.setattr(REGISTRY, "coq_developments", [str(root)])
    return root


def test_prove_shows_machine_checked_next_to_the_verdict(registry_dev, tmp_path, capsys):
    out_json = tmp_path / "r.json"
    assert main(["prove", "S0.d", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    header, row = out.splitlines()[:2]
    assert header.split()[-1] == "kernel"
    assert row.startswith("S0.d") and row.endswith("machine-checked (Coq)")
    record = json.loads(out_json.read_text())[0]
    assert record["kernel"]["status"] == "machine-checked (Coq)"
    assert record["kernel"]["theorems"] == ["Base.v:two_is_two", "Top.v:two_plus"]


def test_the_markdown_report_carries_the_kernel_column(registry_dev, tmp_path, capsys):
    report = tmp_path / "REPORT.md"
    assert main(["prove", "S0.d", "--markdown", str(report)]) == 0
    capsys.readouterr()
    table = [line for line in report.read_text().splitlines() if line.startswith("| ")]
    assert table[0].endswith("| ok | kernel |")
    assert table[1].startswith("| S0.d |") and table[1].endswith("| machine-checked (Coq) |")
    assert main(["prove", "S0.d", "--no-coq", "--markdown", str(report)]) == 0
    assert "kernel" not in report.read_text().split("| statement |")[1].splitlines()[0]


def test_a_coq_failure_fails_prove(registry_dev, capsys):
    (registry_dev / "Top.v").write_text(HEADER + "From Symgame Require Import Base.\n"
                                        "Lemma two_plus : two + two = 4. Proof. admit. Admitted.\n")
    assert main(["prove", "S0.d"]) == 1
    out = capsys.readouterr().out
    assert "FAILED (Coq)" in out and "Top.v:3 admit" in out and "the Coq layer failed on 1 statements" in out


def test_prove_without_coqc_says_the_layer_was_not_run(registry_dev, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SYMGAME_COQC", str(tmp_path / "no-coqc"))
    assert main(["prove", "S0.d"]) == 0
    out = capsys.readouterr().out
    assert "the Coq layer was not run" in out and "apt-get install -y coq" in out
    assert "kernel" not in out.splitlines()[0]


def test_no_coq_flag(registry_dev, capsys):
    assert main(["prove", "S0.d", "--no-coq"]) == 0
    out = capsys.readouterr().out
    assert "kernel" not in out.splitlines()[0] and "not run (--no-coq)" in out


def test_cache_dir_is_removed_cleanly(tmp_path, cache):
    root = write_dev(tmp_path / "dev", GOOD, GOOD_THEOREMS)
    build, cached = coq.compile_development(root)
    assert not cached and (build / "BUILD_OK").is_file() and (build / "Top.vo").is_file()
    assert not [p for p in cache.iterdir() if p.name.startswith(".build-")]  # no temporary build left behind
    shutil.rmtree(build)
    assert not coq.compile_development(root)[1]
