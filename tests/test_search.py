"""Tests for symgame.search: the Hypothesis counterexample engine."""

import pytest
from hypothesis import strategies as st

from symgame import Game, shapley
from symgame.errors import InvalidSearchError, InvalidGameError
from symgame.search import ProgressPrinter, SearchResult, find_counterexample
from symgame.strategies import games


def test_finds_planted_counterexample_and_shrinks_it():
    # planted: the claim fails exactly for integers >= 1000; the smallest failure is 1000
    result = find_counterexample(st.integers(0, 10**6), lambda k: k < 1000, max_examples=500, seed=3)
    assert result.found
    assert result.instance == 1000
    assert 1 <= result.examples <= 500
    assert result.calls >= result.examples


def test_reports_none_on_a_true_statement():
    # efficiency of the Shapley value holds on every game: the search must come back empty
    def efficient(g):
        return sum(shapley(g).values()) == g[g.grand_coalition]

    result = find_counterexample(games(max_players=3), efficient, max_examples=40, seed=0)
    assert not result.found
    assert result.instance is None
    assert result.examples == 40


def test_same_seed_same_result():
    claim = lambda g: g[g.grand_coalition] <= 5  # noqa: E731
    a = find_counterexample(games(max_players=3), claim, max_examples=100, seed=7)
    b = find_counterexample(games(max_players=3), claim, max_examples=100, seed=7)
    assert a.found and b.found
    assert a.instance == b.instance and a.examples == b.examples


def test_shrinks_a_game_to_the_smallest_instance():
    result = find_counterexample(games(max_players=4), lambda g: g.n < 2 or g[g.grand_coalition] <= 3,
                                 max_examples=300, seed=1)
    assert result.found
    assert result.instance.n == 2
    assert result.instance[result.instance.grand_coalition] == 4


def test_symgame_errors_mark_instances_not_applicable():
    def claim(k):
        if k % 2:
            raise InvalidGameError("odd instances do not apply")
        return k < 10

    result = find_counterexample(st.integers(0, 100), claim, max_examples=300, seed=0)
    assert result.found and result.instance == 10
    assert result.skipped > 0


def test_progress_is_reported():
    seen = []
    find_counterexample(st.integers(0, 10**9), lambda k: True, max_examples=20,
                        progress=lambda count, shrinking: seen.append(count))
    assert seen and seen[-1] == 20


def test_progress_printer_writes_lines():
    import io

    out = io.StringIO()
    printer = ProgressPrinter("x", every=5, stream=out)
    for k in range(1, 11):
        printer(k, k > 5)
    assert out.getvalue().splitlines() == ["[x] 5 instances searched", "[x] 10 instances searched (shrinking)"]


def test_result_serialises_exactly():
    result = find_counterexample(games(max_players=2, values="rationals"),
                                 lambda g: g[g.grand_coalition] == 0, max_examples=100)
    d = result.to_dict()
    assert isinstance(result, SearchResult) and d["found"] is True
    assert Game.from_json(d["instance"]) == result.instance


@pytest.mark.parametrize("kwargs, message", [
    ({"strategy": 3}, "strategy must be a Hypothesis SearchStrategy"),
    ({"claim": 3}, "claim must be callable"),
    ({"max_examples": 0}, "max_examples must be a positive integer"),
    ({"max_examples": True}, "max_examples must be a positive integer"),
])
def test_bad_configuration(kwargs, message):
    args = {"strategy": st.integers(), "claim": lambda k: True, "max_examples": 10}
    args.update(kwargs)
    with pytest.raises(InvalidSearchError, match=message):
        find_counterexample(args.pop("strategy"), args.pop("claim"), **args)
