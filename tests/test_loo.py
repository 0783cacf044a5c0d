"""Tests for symgame.loo: the exact answer to "is leave-one-out safe here?", against values.leave_one_out and
values.shapley compared directly, and in symgame values / explain (file and --model)."""

import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgame import Game, dividends, from_dividends, leave_one_out, shapley
from symgame.cli import main
from symgame.errors import InvalidGameError, InvalidValueError
from symgame.loo import loo_agreement
from symgame.properties import is_additive
from symgame.strategies import additive_games, games, nonnegative_dividend_games, symbolic_games

SEARCH = settings(database=None, max_examples=80, derandomize=True, deadline=None)
ROOT = Path(__file__).resolve().parent.parent

exact_games = st.one_of(
    games(max_players=5),
    games(max_players=4, values="rationals"),
    symbolic_games(max_players=3),
    additive_games(max_players=4),
)


@SEARCH
@given(exact_games)
def test_the_answer_is_the_direct_comparison_of_loo_and_shapley(game):
    answer = loo_agreement(game)
    loo, phi = leave_one_out(game), shapley(game)
    for p in game.players:
        direct = sp.expand(loo[p] - phi[p])
        assert answer.loo[p] == loo[p] and answer.shapley[p] == phi[p]
        assert sp.expand(answer.differences[p] - direct) == 0
        assert answer.equal[p] == (direct == 0)
        if answer.cause_counts[p] <= 10:  # every cause listed: they add up to the difference
            assert sp.expand(sp.Add(*[c.contribution for c in answer.causes[p]]) - direct) == 0
    assert answer.agrees == all(sp.expand(loo[p] - phi[p]) == 0 for p in game.players)
    assert answer.differing == tuple(p for p in game.players if sp.expand(loo[p] - phi[p]) != 0)


@SEARCH
@given(exact_games)
def test_every_cause_is_a_shared_dividend_of_the_player(game):
    answer = loo_agreement(game)
    d = dividends(game)
    for p in answer.differing:
        for c in answer.causes[p]:
            T = frozenset(c.coalition)
            assert p in T and len(T) >= 2 and d[T] == c.dividend != 0
            assert c.weight == Fraction(len(T) - 1, len(T))
            assert sp.expand(c.contribution - c.dividend * sp.Rational(len(T) - 1, len(T))) == 0


@SEARCH
@given(nonnegative_dividend_games(max_players=4))
def test_non_negative_dividends_safe_iff_additive(game):
    assert loo_agreement(game).agrees == is_additive(game)  # P3.monotone


def test_redundancy_and_cancellation():
    red = Game.from_function(["a", "b"], lambda S: 1 if S else 0)
    answer = loo_agreement(red)
    assert not answer.agrees and answer.differences == {"a": -sp.Rational(1, 2), "b": -sp.Rational(1, 2)}
    assert [c.coalition for c in answer.causes["a"]] == [("a", "b")]
    # pair dividends 2 and a triple dividend -3 cancel for every player: LOO = Shapley, yet not additive
    g = from_dividends(list("abc"), {tuple("ab"): 2, tuple("ac"): 2, tuple("bc"): 2, tuple("abc"): -3})
    assert not is_additive(g) and loo_agreement(g).agrees and leave_one_out(g) == shapley(g)
    assert loo_agreement(g).causes == {"a": (), "b": (), "c": ()}


def test_causes_are_ordered_and_truncated():
    g = from_dividends(list("abcd"), {tuple("ab"): 1, tuple("ac"): -8, tuple("ad"): 3, tuple("abc"): 6})
    answer = loo_agreement(g, max_causes=2)
    assert [c.coalition for c in answer.causes["a"]] == [("a", "c"), ("a", "b", "c")]
    assert answer.cause_counts["a"] == 4
    assert "and 2 more" in str(answer)
    assert answer.to_json()["players"][0]["causes_not_listed"] == 2


def test_symbolic_difference_is_a_difference():
    x, y = sp.symbols("x y", real=True)
    g = Game.from_dict(["a", "b"], {("a",): x, ("b",): y, ("a", "b"): x + y})
    assert loo_agreement(g).agrees
    h = Game.from_dict(["a", "b"], {("a",): x, ("b",): x, ("a", "b"): 2 * y})
    answer = loo_agreement(h)
    assert not answer.agrees and answer.differences["a"] == y - x


def test_bad_input():
    with pytest.raises(InvalidGameError, match="expects a symgame.Game"):
        loo_agreement({"a": 1})
    with pytest.raises(InvalidValueError, match="max_causes"):
        loo_agreement(Game.additive({"a": 1}), max_causes=1.5)


# ---------------------------------------------------------------------- command line
def test_values_rule_loo_text_says_whether_loo_is_safe(capsys):
    assert main(["values", str(ROOT / "examples" / "cookies.json"), "--rule", "loo"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["Alice", "7*x"] and out[2].split() == ["Bob", "5*x"]
    assert out[4].startswith("LOO = Shapley: no (2 of 2 players differ")
    assert out[6].split()[:4] == ["Alice", "7*x", "6*x", "x"] and "d(Alice,Bob) = 2*x" in out[6]


def test_values_rule_loo_json(capsys):
    assert main(["values", str(ROOT / "examples" / "cookies.json"), "--rule", "loo", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["values"] == {"Alice": "7*x", "Bob": "5*x"}
    agreement = doc["loo_agreement"]
    assert agreement["loo_equals_shapley"] is False and agreement["differing"] == ["Alice", "Bob"]
    alice = agreement["players"][0]
    assert (alice["loo"], alice["shapley"], alice["difference"]) == ("7*x", "6*x", "x")
    assert alice["causes"] == [{"coalition": ["Alice", "Bob"], "dividend": "2*x", "weight": "1/2",
                                "contribution": "x"}]


def test_values_rule_loo_on_a_safe_game(tmp_path, capsys):
    path = tmp_path / "additive.json"
    Game.additive({"a": 1, "b": 2}).save(path)
    assert main(["values", str(path), "--rule", "loo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["loo_agreement"]["loo_equals_shapley"] is True


EXAMPLE = str(ROOT / "examples" / "attention_2x3.json")


def test_explain_attention_file_answers_on_v_star(capsys):
    from symgame.attention import load_attention
    from symgame.explain import explain
    from symgame.flows import reoptimised_game
    from symgame.attention.graph import attention_graph

    report = explain(load_attention(EXAMPLE), output=1)
    answer = report.loo_agreement
    assert answer.loo == report.columns["loo"] and answer.shapley == report.columns["shapley"]
    game = reoptimised_game(attention_graph(load_attention(EXAMPLE), output=1, source="all"), 0)
    loo, phi = leave_one_out(game), shapley(game)
    assert answer.differing == tuple(p for p in game.players if loo[p] != phi[p]) == (0, 1, 2)
    assert main(["explain", EXAMPLE, "--output", "1"]) == 0
    assert "LOO = Shapley on v*: no; LOO - Shapley: 0 the -1/8" in capsys.readouterr().out
    assert main(["explain", EXAMPLE, "--output", "1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["loo_agreement"]
    assert doc["loo_equals_shapley"] is False
    assert [Fraction(r["difference"]) for r in doc["players"]] == [Fraction(loo[p] - phi[p]) for p in game.players]


def test_explain_without_an_exact_v_star_leaves_it_undecided(capsys):
    from symgame.explain import explain

    assert explain([[[1.0, 0.0], [0.25, 0.75]]], output=1).loo_agreement is None  # float input
    assert explain([[["1", "0"], ["1/4", "3/4"]]], output=1, shapley_value=False).loo_agreement is None
    assert main(["explain", EXAMPLE, "--output", "1", "--no-shapley", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["loo_agreement"] is None


def test_explain_model_answers_on_the_masking_game(capsys):
    from symgame.modelexplain import explain_sentence

    report = explain_sentence("bad movie", progress=False)
    answer = report.model_loo_agreement
    assert answer.players == (1, 2)
    assert answer.loo == report.model_loo and answer.shapley == report.model_shapley
    direct = {p: report.model_loo[p] - report.model_shapley[p] for p in (1, 2)}
    assert answer.differences == direct and answer.agrees == all(v == 0 for v in direct.values())
    assert "on the model masking game" in str(report)
    assert report.to_json()["model_loo_agreement"]["differing"] == [str(p) for p in answer.differing]
    assert main(["explain", "--model", "minilm", "bad movie", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["difference"] for r in doc["model_loo_agreement"]["players"]] == [str(direct[1]), str(direct[2])]
