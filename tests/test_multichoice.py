"""Multi-choice games and their values (issue 14): construction, JSON, bad input, and every value
against an independent formula on random exact games."""

import json
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgame import Game, shapley
from symgame.errors import (
    GameFormatError,
    GameTooLargeError,
    InvalidGameError,
    InvalidValueError,
    SymgameError,
    UnknownPlayerError,
)
from symgame.multichoice import (
    MultiChoiceGame,
    cumulative,
    derks_peters,
    dividends,
    hsiao_raghavan,
    player_totals,
    van_den_nouweland,
)
from symgame.multichoice.orders import (
    admissible_orderings,
    derks_peters_by_pairs,
    hsiao_raghavan_by_recursion,
    van_den_nouweland_by_orders,
)

FEW = settings(max_examples=40, deadline=None)


@st.composite
def exact_games(draw, max_players=3, max_level=3, max_vectors=36):
    n = draw(st.integers(1, max_players))
    levels = draw(st.lists(st.integers(1, max_level), min_size=n, max_size=n))
    size = 1
    for m in levels:
        size *= m + 1
    if size > max_vectors:
        levels = [min(m, 2) for m in levels]
        size = 1
        for m in levels:
            size *= m + 1
    values = draw(st.lists(st.fractions(-5, 5, max_denominator=4), min_size=size - 1, max_size=size - 1))
    return MultiChoiceGame.from_table([f"p{k}" for k in range(n)], levels, [0, *values])


weights = st.lists(st.fractions(Fraction(1, 3), 4, max_denominator=3).filter(lambda w: w > 0), min_size=3,
                   max_size=3)


# ---------------------------------------------------------------------- construction
def test_constructors_agree():
    f = lambda x: x[0] * x[1] + x[0]
    a = MultiChoiceGame.from_function(["a", "b"], [2, 1], f)
    b = MultiChoiceGame.from_table(["a", "b"], [2, 1], [f(x) for x in a.level_vectors()])
    c = MultiChoiceGame(["a", "b"], {"a": 2, "b": 1}, {x: f(x) for x in a.level_vectors()})
    d = MultiChoiceGame(["a", "b"], [2, 1], {(1, 0): 1, (1, 1): 2, (2, 0): 2, (2, 1): 4}, default=0)
    assert a == b == c == d and len({a, b, c, d}) == 1
    assert a[{"a": 2, "b": 1}] == 4 and a[(0, 1)] == 0


def test_from_game_round_trip_and_generic():
    tu = Game.generic(3)
    mc = MultiChoiceGame.from_game(tu)
    assert mc.levels == (1, 1, 1) and mc.to_game() == tu
    g = MultiChoiceGame.generic(["a", "b"], [2, 1])
    assert g.is_symbolic and len(g.free_symbols) == 5 and g[(0, 0)] == 0


def test_immutable_algebra():
    g = MultiChoiceGame.generic(2, 2)
    h = MultiChoiceGame.generic(2, 2, name="w")
    assert (g + h)[(1, 2)] == g[(1, 2)] + h[(1, 2)]
    assert (3 * g - g)[(2, 2)] == 2 * g[(2, 2)]
    assert g.swap(1, 2)[(2, 1)] == g[(1, 2)]
    with pytest.raises(AttributeError):
        g._table = ()  # noqa: SLF001 - immutability: no new attributes and slots only


def test_dividends_invert():
    g = MultiChoiceGame.generic(["a", "b"], [2, 2])
    d = dividends(g)
    for y in g.level_vectors()[1:]:
        total = sp.Add(*(dx for x, dx in d.items() if all(a <= b for a, b in zip(x, y))))
        assert sp.expand(total - g[y]) == 0


# ---------------------------------------------------------------------- JSON
def test_json_round_trip_symbolic(tmp_path):
    x = sp.Symbol("x", positive=True)
    g = MultiChoiceGame.generic(["a", 2], [2, 1]).subs({sp.Symbol("v_{a:1}", real=True): 3 * x})
    doc = g.to_json()
    assert doc["format"] == "symgame-multichoice" and doc["version"] == 1
    assert MultiChoiceGame.from_json(json.dumps(doc)) == g
    path = tmp_path / "g.json"
    g.save(path)
    assert MultiChoiceGame.load(path) == g and [p.name for p in tmp_path.iterdir()] == ["g.json"]


@pytest.mark.parametrize("doc, message", [
    ({"players": ["a"], "levels": [1]}, "lacks the key 'values'"),
    ({"format": "symgame-game", "players": ["a"], "levels": [1], "values": []}, "expected 'symgame-multichoice'"),
    ({"version": 2, "players": ["a"], "levels": [1], "values": []}, "version 2"),
    ({"players": ["a"], "levels": [0], "values": []}, "levels m_i must be an integer"),
    ({"players": ["a"], "levels": [1], "values": []}, "missing 1 level vector"),
    ({"players": ["a"], "levels": [1], "values": [{"levels": [2], "value": 1}]}, "level 2 for player 'a'"),
    ({"players": ["a"], "levels": [1], "values": [{"levels": [1], "value": "__import__('os')"}]}, "__import__"),
    ({"players": ["a"], "levels": [1], "values": [{"levels": [1], "value": 1}, {"levels": [1], "value": 2}]},
     "appears twice"),
    ({"players": [["a"]], "levels": [1], "values": []}, "'players' must be a list of labels"),
    ({"players": ["a"], "levels": [1], "values": [{"levels": [True], "value": 1}]}, "list of integers"),
    ([1, 2], "must be an object"),
])
def test_bad_json_is_a_clear_error(doc, message):
    with pytest.raises(GameFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        MultiChoiceGame.from_json(doc)


def test_bad_construction_is_a_symgame_error():
    cases = [
        (lambda: MultiChoiceGame(["a", "a"], [1, 1], {}), InvalidGameError, "duplicate player"),
        (lambda: MultiChoiceGame(["a"], [1, 1], {}), InvalidGameError, "need 1 level counts"),
        (lambda: MultiChoiceGame(["a"], [1.5], {}), InvalidGameError, "must be an integer"),
        (lambda: MultiChoiceGame(["a"], [1], {(0,): 1, (1,): 1}), InvalidGameError, r"v\(0, ..., 0\) must be 0"),
        (lambda: MultiChoiceGame(["a"], [1], {(1,): float("nan")}), InvalidValueError, "not finite"),
        (lambda: MultiChoiceGame(["a"], [2], {(1,): 1}), InvalidGameError, "missing 1 level vector"),
        (lambda: MultiChoiceGame(["a"], [2], {"a": 1}), InvalidGameError, "a tuple of levels or a mapping"),
        (lambda: MultiChoiceGame(["a"], [2], {(1,): 1, (2,): 1})[{"b": 1}], UnknownPlayerError, "'b'"),
        (lambda: MultiChoiceGame.generic(9, 3), GameTooLargeError, "65536"),
        (lambda: MultiChoiceGame.from_table(["a"], [1], [0]), InvalidGameError, "needs 2 values"),
        (lambda: hsiao_raghavan(MultiChoiceGame.generic(1, 2), [1]), InvalidValueError, "w_1..w_2"),
        (lambda: hsiao_raghavan(MultiChoiceGame.generic(1, 1), [-1]), InvalidValueError, "not positive"),
        (lambda: hsiao_raghavan(MultiChoiceGame.generic(1, 1), [sp.Symbol("w")]), InvalidValueError,
         "not provably positive"),
        (lambda: derks_peters(Game.generic(2)), InvalidGameError, "expects a symgame.multichoice"),
        (lambda: MultiChoiceGame.generic(["a", "b"], [1, 2]).swap("a", "b"), InvalidGameError, "cannot be swapped"),
    ]
    for build, error, message in cases:
        with pytest.raises(error, match=message) as info:
            build()
        assert isinstance(info.value, SymgameError)


# ---------------------------------------------------------------------- values vs independent formulas
@FEW
@given(exact_games())
def test_van_den_nouweland_closed_form_equals_the_orderings(game):
    assert van_den_nouweland(game) == van_den_nouweland_by_orders(game)


@FEW
@given(exact_games())
def test_derks_peters_closed_form_equals_shapley_of_the_player_level_game(game):
    assert derks_peters(game) == derks_peters_by_pairs(game)


@FEW
@given(exact_games(), weights)
def test_hsiao_raghavan_closed_form_equals_the_recursive_dividends(game, w):
    assert hsiao_raghavan(game, w) == hsiao_raghavan_by_recursion(game, w)


@FEW
@given(exact_games(), weights)
def test_every_value_is_efficient_on_random_games(game, w):
    for phi in (hsiao_raghavan(game, w), derks_peters(game), van_den_nouweland(game)):
        assert sum(phi.values()) == game[game.top]


def test_symbolic_weights_agree_with_the_recursion():
    a, b = sp.symbols("a b", positive=True)
    g = MultiChoiceGame.generic(["p", "q"], [2, 1])
    one = hsiao_raghavan(g, [a, b])
    two = hsiao_raghavan_by_recursion(g, [a, b])
    assert all(sp.cancel(one[k] - two[k]) == 0 for k in one)
    assert sp.cancel(sum(one.values()) - g[(2, 1)]) == 0


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.data())
def test_every_value_reduces_to_shapley_when_every_m_is_one(n, data):
    values = data.draw(st.lists(st.fractions(-5, 5, max_denominator=4), min_size=2 ** n - 1, max_size=2 ** n - 1))
    tu = Game.from_vector([0, *values])
    mc = MultiChoiceGame.from_game(tu)
    phi = shapley(tu)
    w = data.draw(weights)
    for value in (hsiao_raghavan(mc, w), derks_peters(mc), van_den_nouweland(mc)):
        assert {p: value[(p, 1)] for p in tu.players} == phi


def test_reduction_to_shapley_on_the_generic_game():
    tu = Game.generic(3)
    mc = MultiChoiceGame.from_game(tu)
    phi = shapley(tu)
    for value in (hsiao_raghavan(mc, [7]), derks_peters(mc), van_den_nouweland(mc)):
        assert all(sp.expand(value[(p, 1)] - phi[p]) == 0 for p in tu.players)


def test_the_three_values_differ_and_cumulative_totals():
    g = MultiChoiceGame.from_function(["a", "b"], [2, 1], lambda x: x[0] * x[1])
    hr, dp, vdn = hsiao_raghavan(g, [1, 1]), derks_peters(g), van_den_nouweland(g)
    assert len({tuple(v.values()) for v in (hr, dp, vdn)}) == 3
    assert cumulative(vdn)[("a", 2)] == player_totals(vdn)["a"] == vdn[("a", 1)] + vdn[("a", 2)]


def test_admissible_orderings_are_counted_and_limited():
    assert len(list(admissible_orderings((2, 2)))) == 6
    with pytest.raises(GameTooLargeError, match="admissible orderings"):
        list(admissible_orderings((5, 5, 5, 5)))


# ---------------------------------------------------------------------- axiom checks
def test_axiom_checks_refuse_bad_requests():
    from symgame.errors import InvalidRuleError
    from symgame.multichoice.axioms import RULES, check_value_axiom

    with pytest.raises(InvalidRuleError, match="unknown multi-choice axiom 'fairness'"):
        check_value_axiom("fairness", RULES["derks_peters"], 2)
    with pytest.raises(InvalidRuleError, match="must be a symgame.multichoice.axioms.ValueRule"):
        check_value_axiom("efficiency", derks_peters, 2)


def test_a_refutation_carries_a_game_that_rebuilds_and_fails_again():
    from symgame.multichoice.axioms import RULES, check_value_axiom, premise_holds

    v = check_value_axiom("level_null", RULES["derks_peters"], 2)
    cert = v.certificate
    game = MultiChoiceGame.from_json(cert["games"][0])
    case = tuple(cert["case"])
    assert premise_holds("level_null", case, (game,))
    assert derks_peters(game)[case] != 0 and derks_peters_by_pairs(game)[case] == derks_peters(game)[case]
    namespace = {}
    exec(cert["python"], namespace)  # the snippet rebuilds the same game
    assert namespace["g0"] == game


def test_the_worked_example_in_the_docs_runs_as_doctests():
    import doctest
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "docs" / "multichoice.md"
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 12 and result.failed == 0, result


@pytest.mark.parametrize("text, message", [
    ('{"players": ["a"], "levels": [1], "values": [{"levels": [1], "value": "10**10**10"}]}', "raises to the power"),
    ('{"players": ["a"], "levels": [1], "values": [{"levels": [1], "value": 1e10000000000}]}', "digits"),
    ('{"players": ["a"], "levels": [1], "values": [{"levels": [1], "value": NaN}]}', "NaN"),
    ('[' * 100 + ']' * 100, "nest"),
    ('{"players": ["a", "b", "c", "d", "e"], "levels": [64, 64, 64, 64, 64], "values": []}', "level vectors"),
    ('{"players": ["a"], "levels": [1], "values": {"1": 2}}', "must be a list"),
    ('{"players": ["a"], "levels": [1], "symbols": {"x": {"positive": "yes"}}, "values": []}', "bad assumptions"),
    ('{"players": ["a"], "levels": [1], "values": [{"levels": [1], "value": [1]}]}', "must be a string"),
    ('not json', "JSON"),
])
def test_hostile_files_are_refused_and_left_unchanged(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(GameFormatError, match=message):
        MultiChoiceGame.load(path)
    assert path.read_text() == text
