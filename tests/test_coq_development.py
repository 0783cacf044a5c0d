"""The project's Coq development proofs/coq (issue 12): it compiles, admits nothing, rests on no axiom, its
definitions compute the values symgame.values computes (exactly), and every REFUTED verdict with an exact
witness gets a Coq certificate that compiles (a certificate with one wrong number does not).

CI installs coqc and MathComp (.ci/run); nothing here is skipped.
"""

import random
import re
from fractions import Fraction
from pathlib import Path

import pytest

from symgame import Game, coq
from symgame.checks import REGISTRY, load_proofs
from symgame.coqcert import certificate_for, certify_results, compile_certificate, link_file, parse_rationals
from symgame.values import banzhaf, dividends, leave_one_out, shapley

ROOT = Path(__file__).resolve().parent.parent / "proofs" / "coq"

#: REFUTED statements without a Coq certificate, and the reason certificate_for gives (the kernel column says so).
NO_CERTIFICATE = {
    "P2.real.algorithm": "a real-model witness",
    "G.real.additive": "a real-model witness",
    "M.dp.level_null": "multi-choice game values",
    "M.vdn.extra_level": "multi-choice game values",
    "M.vdn.is_hr": "multi-choice game values",
}


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:  # a fresh cache: the development is really compiled here
        mp.setenv("SYMGAME_COQ_CACHE", str(tmp_path_factory.mktemp("coq-cache")))
        path, _ = coq.compile_development(ROOT)
        yield path


def test_the_development_compiles_admits_nothing_and_every_listed_statement_is_machine_checked(build):
    assert coq.find_admits(ROOT) == []
    table = coq.read_theorems(ROOT)
    report = coq.check_development(ROOT)
    assert report.ok, report.to_dict()
    for name, entry in table.items():
        result = report.results[name]
        if isinstance(entry, str):
            assert result.status == coq.NOT_PROVED and result.reason
        else:
            assert result.status == coq.MACHINE_CHECKED, result
    # every listed statement is a registered check, so the kernel column can show it
    load_proofs()
    assert set(table) <= set(REGISTRY.names())


def test_print_assumptions_of_every_theorem_is_closed(build):
    theorems = [ft for entry in coq.read_theorems(ROOT).values() if isinstance(entry, list) for ft in entry]
    assumptions = coq.print_assumptions(build, theorems)
    assert set(assumptions) == {t for _, t in theorems}
    assert {t: a for t, a in assumptions.items() if a} == {}


def _random_game(n, rng):
    players = list(range(n))
    values = {}
    for m in range(1, 1 << n):
        S = tuple(p for p in players if m >> p & 1)
        values[S] = Fraction(rng.randint(-9, 9), rng.choice([1, 1, 2, 3, 4, 7]))
    return Game.from_dict(players, values)


def test_coq_computes_the_values_symgame_computes(build):
    """The link between the Coq definitions and the Python code: Coq evaluates shapley_l/banzhaf_l/loo_l/
    dividend_l (proved equal to shapley/banzhaf/loo/dividend on {set 'I_n}) on concrete games, and the printed
    rationals equal symgame.values' exactly."""
    rng = random.Random(12)
    games = [_random_game(n, rng) for n in (2, 3, 3, 4)] + [Game.glove(["L"], ["R1", "R2"])]
    tables, terms, expected = [], [], []
    for k, game in enumerate(games):
        n = game.n
        tables.append([game.value_at(m) for m in range(1 << n)])
        phi, beta, loo, div = shapley(game), banzhaf(game), leave_one_out(game), dividends(game)
        for i, p in enumerate(game.players):
            terms += [f"shapley_l {n} (tab g{k}) {i}", f"banzhaf_l {n} (tab g{k}) {i}", f"loo_l {n} (tab g{k}) {i}"]
            expected += [phi[p], beta[p], loo[p]]
        for T, d in div.items():
            bits = "[:: " + "; ".join("true" if p in T else "false" for p in game.players) + "]"
            terms.append(f"dividend_l {n} (tab g{k}) {bits}")
            expected.append(d)
    code, out = coq.run_coq_file(link_file(tables, terms), build=build, name="Link.v")
    assert code == 0, out
    printed = parse_rationals(out)  # loading Shapley.vo replays no Eval: the printed values are ours, in order
    assert len(printed) == len(terms), out[-2000:]
    mismatches = [(t, str(e), str(p)) for t, e, p in zip(terms, expected, printed) if Fraction(str(e)) != p]
    assert mismatches == []


@pytest.fixture(scope="module")
def refuted_results():
    load_proofs()
    names = [c.name for c in REGISTRY.select() if c.expected == "REFUTED"]
    return REGISTRY.run(names, profile="quick")


def test_every_refuted_verdict_of_the_quick_profile_gets_a_compiled_certificate(refuted_results, build, tmp_path):
    assert all(r.ok for r in refuted_results), [(r.check.name, str(r.verdict)) for r in refuted_results]
    records = certify_results(refuted_results, tmp_path, root=ROOT, coqc=coq.find_coqc())
    assert set(records) == {r.check.name for r in refuted_results}
    without = {name: rec["reason"] for name, rec in records.items() if rec["status"] == "none"}
    assert set(without) <= set(NO_CERTIFICATE), without
    assert all(without[k].startswith(NO_CERTIFICATE[k]) for k in without), without
    failed = {name: rec["reason"] for name, rec in records.items() if rec["status"] == "failed"}
    assert failed == {}
    compiled = [name for name, rec in records.items() if rec["status"] == "compiled"]
    assert len(compiled) >= 12  # S0.c x4, P1.literal, P2 x5, P3.literal, G.general
    for name in compiled:
        text = Path(records[name]["file"]).read_text()
        assert "Admitted" not in text and "admit" not in text and "Axiom" not in text
    flows = Path(records["P2.algorithm"]["file"]).read_text()
    assert "maxflow N 0" in flows and "Lemma vstar_3" in flows  # v*(S) of every coalition certified


def test_a_certificate_with_one_wrong_number_does_not_compile(refuted_results, build, tmp_path):
    by_name = {r.check.name: r for r in refuted_results}
    for name, pattern in (("P3.literal", r"(Lemma loo_1 : .*= \()(\d+)(%:R)"),
                          ("P2.algorithm", r"(Lemma engine_flow_is_maximum : .* \()(\d+)(%:R)"),
                          ("S0.c.efficiency", r"(Lemma lhs_computed : .*== \()(\d+)(%:R)")):
        file_name, text = certificate_for(by_name[name])
        good = tmp_path / file_name
        good.write_text(text)
        assert compile_certificate(good, build)[0], name
        mutated, count = re.subn(pattern, lambda m: m.group(1) + str(int(m.group(2)) + 1) + m.group(3), text, count=1)
        assert count == 1, (name, pattern)
        bad = tmp_path / ("Bad_" + file_name)
        bad.write_text(mutated)
        ok, output = compile_certificate(bad, build)
        assert not ok and "Error" in output, name
