"""Tests for symgame.strategies: what each strategy draws, how it shrinks, and build-time validation."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import find, given, settings
from hypothesis import strategies as st

from symgame import Game, dividends
from symgame.errors import InvalidStrategyError, SymgameError
from symgame.exact import to_expr
from symgame.strategies import (
    MAX_ATTENTION_HEADS,
    MAX_ATTENTION_LAYERS,
    MAX_ATTENTION_TOKENS,
    MAX_STRATEGY_PLAYERS,
    additive_games,
    attention_tensors,
    games,
    monotone_games,
    nonnegative_dividend_games,
    symbolic_games,
)

SEARCH = settings(database=None, max_examples=300, derandomize=True)


def _coalitions(g):
    return [frozenset(c) for r in range(g.n + 1) for c in itertools.combinations(g.players, r)]


# ---------------------------------------------------------------------- games
@given(games(min_players=2, max_players=3, min_value=-4, max_value=7))
def test_integer_games_respect_their_bounds(g):
    assert 2 <= g.n <= 3 and g.players == tuple(range(g.n))
    assert g[()] == 0
    assert all(v.is_Integer and -4 <= v <= 7 for v in g.exprs()[1:])


@given(games(values="rationals", min_value=Fraction(-1, 2), max_value=Fraction(3, 4), max_denominator=6))
def test_rational_games_respect_their_bounds(g):
    for v in g.exprs()[1:]:
        assert v.is_Rational and Fraction(-1, 2) <= Fraction(int(v.p), int(v.q)) <= Fraction(3, 4)
        assert v.q <= 6


@given(games(values="symbolic", symbols=["a", "b"], min_value=-2, max_value=2))
def test_symbolic_games_are_integer_combinations_of_the_symbols(g):
    a, b = sp.symbols("a b", real=True)
    assert g.free_symbols <= {a, b}
    for v in g.exprs():
        poly = sp.Poly(v, a, b)
        assert poly.total_degree() <= 1
        assert all(c.is_Integer and -2 <= c <= 2 for c in poly.coeffs())


def test_games_reach_non_integer_rationals_and_symbols():
    g = find(games(values="rationals"), lambda g: any(not v.is_Integer for v in g.exprs()), settings=SEARCH)
    assert g.n == 1 and not g[{0}].is_Integer
    assert find(games(values="symbolic"), lambda g: g.is_symbolic, settings=SEARCH).n == 1


def test_games_shrink_to_few_players_and_small_values():
    g = find(games(max_players=5), lambda g: g.n >= 3, settings=SEARCH)
    assert g.n == 3 and not any(g.exprs())
    g = find(games(max_players=4), lambda g: g[g.grand_coalition] >= 5, settings=SEARCH)
    assert g.n == 1 and g[{0}] == 5
    g = find(games(min_value=2), lambda g: True, settings=SEARCH)
    assert g.n == 1 and g[{0}] == 2


def test_zero_player_games_can_be_drawn():
    assert find(games(min_players=0), lambda g: True, settings=SEARCH) == Game([], {})


# ---------------------------------------------------------------------- special families
@given(monotone_games(max_players=4, max_value=6))
def test_monotone_games_are_monotone_and_bounded(g):
    cs = _coalitions(g)
    assert all(g[S] <= g[T] for S in cs for T in cs if S <= T)
    assert all(0 <= v <= 6 for v in g.exprs())


@given(monotone_games(max_players=3, values="rationals", max_value=Fraction(5, 2)))
def test_rational_monotone_games(g):
    cs = _coalitions(g)
    assert all(g[S] <= g[T] for S in cs for T in cs if S <= T)
    assert all(0 <= v <= Fraction(5, 2) for v in g.exprs())


def test_monotone_games_reach_a_given_monotone_game():
    target = Game.from_vector([0, 1, 3, 3])
    assert find(monotone_games(min_players=2, max_players=2, max_value=3), lambda g: g == target,
                settings=settings(database=None, max_examples=5000, derandomize=True)) == target


@given(nonnegative_dividend_games(max_players=4, max_value=5))
def test_nonnegative_dividend_games_have_nonnegative_dividends(g):
    d = dividends(g)
    assert all(x >= 0 for x in d.values()) and all(x <= 5 for x in d.values())


@given(nonnegative_dividend_games(max_players=3, values="symbolic"))
def test_symbolic_nonnegative_dividends(g):
    for x in dividends(g).values():
        assert x.is_nonnegative is True
        assert all(s.is_nonnegative for s in x.free_symbols)


@given(nonnegative_dividend_games(max_players=3, values="rationals", max_value=Fraction(1, 2)))
def test_rational_nonnegative_dividends(g):
    assert all(0 <= x <= Fraction(1, 2) for x in dividends(g).values())


@given(additive_games(max_players=4, min_value=-3, max_value=3))
def test_additive_games_are_additive(g):
    for S in _coalitions(g):
        assert g[S] == sum((g[{p}] for p in S), sp.S.Zero)
    assert all(-3 <= g[{p}] <= 3 for p in g.players)


@given(additive_games(max_players=3, values="symbolic"))
def test_symbolic_additive_games(g):
    assert all(x == 0 for T, x in dividends(g).items() if len(T) >= 2)


@given(symbolic_games(min_players=2, max_players=3, symbols=["p", "q", "r"], assumptions={"positive": True},
                      min_coefficient=0, max_coefficient=2, constant=False))
def test_symbolic_games_use_the_given_symbols_and_coefficients(g):
    p, q, r = sp.symbols("p q r", positive=True)
    for v in g.exprs():
        poly = sp.Poly(v, p, q, r)
        assert poly.total_degree() <= 1 and poly.coeff_monomial(1) == 0
        assert all(0 <= c <= 2 for c in poly.coeffs())


def test_symbolic_games_accept_symbol_objects():
    t = sp.Symbol("t", negative=True)
    g = find(symbolic_games(symbols=[t], constant=False), lambda g: g.is_symbolic, settings=SEARCH)
    assert g.free_symbols == {t}


# ---------------------------------------------------------------------- attention tensors
def _check_stochastic(A):
    assert A.dtype == object
    assert all(isinstance(x, sp.Rational) and x >= 0 for x in A.flat)
    assert all(sum(row, sp.S.Zero) == 1 for row in A.reshape(-1, A.shape[-1]))


@given(attention_tensors(min_layers=2, max_layers=3, min_tokens=2, max_tokens=5))
def test_attention_tensors_are_exact_row_stochastic(A):
    assert A.ndim == 3 and 2 <= A.shape[0] <= 3 and 2 <= A.shape[1] == A.shape[2] <= 5
    _check_stochastic(A)
    assert all(x > 0 for x in A.flat)


@given(attention_tensors(heads=2, sparse=True, max_tokens=3))
def test_multi_head_sparse_tensors(A):
    assert A.ndim == 4 and A.shape[1] == 2
    _check_stochastic(A)


def test_sparse_tensors_reach_zero_weights_and_dense_ones_do_not():
    A = find(attention_tensors(sparse=True), lambda A: any(x == 0 for x in A.flat), settings=SEARCH)
    _check_stochastic(A)
    # the simplest sparse tensor: all-zero weights become "attend to yourself"
    A = find(attention_tensors(sparse=True), lambda A: True, settings=SEARCH)
    assert (A[0] == np.eye(2, dtype=int)).all()


@given(attention_tensors(exact=False, sparse=True, heads=1, max_tokens=6))
def test_float_tensors_are_exact_dyadics_summing_to_one(A):
    assert A.dtype == np.float64 and A.ndim == 4
    assert (A >= 0).all() and (A.sum(axis=-1) == 1.0).all()
    for row in A.reshape(-1, A.shape[-1]):
        assert sum((to_expr(x) for x in row), sp.S.Zero) == 1
        assert all(x * 2 ** 16 == int(x * 2 ** 16) for x in row)


@given(attention_tensors(exact=False, max_tokens=MAX_ATTENTION_TOKENS, max_weight=255))
def test_dense_float_tensors_stay_positive(A):
    assert (A > 0).all() and (A.sum(axis=-1) == 1.0).all()


def test_attention_tensors_shrink_to_uniform_rows():
    A = find(attention_tensors(min_tokens=3, max_tokens=4), lambda A: True, settings=SEARCH)
    assert A.shape == (1, 3, 3) and all(x == sp.Rational(1, 3) for x in A.flat)


@settings(max_examples=10)
@given(attention_tensors(min_layers=MAX_ATTENTION_LAYERS, max_layers=MAX_ATTENTION_LAYERS,
                         min_tokens=MAX_ATTENTION_TOKENS, max_tokens=MAX_ATTENTION_TOKENS,
                         heads=MAX_ATTENTION_HEADS, sparse=True))
def test_largest_attention_tensors_can_be_drawn(A):
    assert A.shape == (MAX_ATTENTION_LAYERS, MAX_ATTENTION_HEADS, MAX_ATTENTION_TOKENS, MAX_ATTENTION_TOKENS)
    _check_stochastic(A)


@settings(max_examples=10)
@given(games(min_players=MAX_STRATEGY_PLAYERS, max_players=MAX_STRATEGY_PLAYERS))
def test_largest_games_can_be_drawn(g):
    assert g.n == MAX_STRATEGY_PLAYERS


# ---------------------------------------------------------------------- validation at build time
BAD = [
    (games, {"min_players": -1}, "min_players must be at least 0, got -1"),
    (games, {"max_players": MAX_STRATEGY_PLAYERS + 1}, f"max_players must be at most {MAX_STRATEGY_PLAYERS}"),
    (games, {"min_players": 3, "max_players": 2}, "min_players=3 must not exceed max_players=2"),
    (games, {"min_players": 1.5}, "min_players must be an integer, got 1.5"),
    (games, {"max_players": True}, "max_players must be an integer, got True"),
    (games, {"values": "floats"}, "values must be one of 'integers', 'rationals', 'symbolic', got 'floats'"),
    (games, {"min_value": 5, "max_value": 1}, "min_value=5 must not exceed max_value=1"),
    (games, {"min_value": 0.5}, "min_value must be an integer, got 0.5"),
    (games, {"values": "rationals", "max_value": 0.5}, "max_value must be an exact rational number"),
    (games, {"values": "rationals", "max_denominator": 0}, "max_denominator must be at least 1, got 0"),
    (games, {"values": "symbolic", "symbols": []}, "symbols must name at least one symbol"),
    (games, {"values": "symbolic", "symbols": ["x", "x"]}, "symbols must be distinct"),
    (games, {"values": "symbolic", "symbols": [""]}, "each symbol must be a non-empty name"),
    (games, {"values": "symbolic", "assumptions": "positive"}, "assumptions must be a dict"),
    (games, {"values": "symbolic", "assumptions": {"real": False}}, "is not real"),
    (monotone_games, {"values": "symbolic"}, "values must be one of 'integers', 'rationals', got 'symbolic'"),
    (monotone_games, {"max_value": -1}, "max_value must be at least 0 (monotone games"),
    (nonnegative_dividend_games, {"max_value": -2}, "max_value must be at least 0 (the dividends"),
    (nonnegative_dividend_games, {"max_players": 9}, "max_players must be at most 8"),
    (additive_games, {"values": 3}, "values must be one of"),
    (symbolic_games, {"symbols": "xy"}, "symbols must be a list or tuple"),
    (symbolic_games, {"min_coefficient": 2, "max_coefficient": 1}, "min_coefficient=2 must not exceed"),
    (symbolic_games, {"constant": 1}, "constant must be True or False, got 1"),
    (attention_tensors, {"min_layers": 0}, "min_layers must be at least 1, got 0"),
    (attention_tensors, {"max_layers": MAX_ATTENTION_LAYERS + 1}, f"max_layers must be at most {MAX_ATTENTION_LAYERS}"),
    (attention_tensors, {"min_tokens": 3, "max_tokens": 2}, "min_tokens=3 must not exceed max_tokens=2"),
    (attention_tensors, {"max_tokens": MAX_ATTENTION_TOKENS + 1}, f"max_tokens must be at most {MAX_ATTENTION_TOKENS}"),
    (attention_tensors, {"heads": MAX_ATTENTION_HEADS + 1}, f"heads must be at most {MAX_ATTENTION_HEADS}"),
    (attention_tensors, {"heads": "2"}, "heads must be an integer, got '2'"),
    (attention_tensors, {"sparse": "yes"}, "sparse must be True or False, got 'yes'"),
    (attention_tensors, {"exact": None}, "exact must be True or False, got None"),
    (attention_tensors, {"max_weight": 0}, "max_weight must be at least 1, got 0"),
]


@pytest.mark.parametrize("strategy, kwargs, message", BAD, ids=[f"{s.__name__}-{k}" for s, k, _ in BAD])
def test_bad_arguments_fail_when_the_strategy_is_built(strategy, kwargs, message):
    with pytest.raises(InvalidStrategyError) as info:
        strategy(**kwargs)  # no draw: validation happens at build time
    assert message in str(info.value)
    assert isinstance(info.value, SymgameError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("strategy", [games, monotone_games, nonnegative_dividend_games, additive_games,
                                      symbolic_games, attention_tensors])
def test_strategies_are_keyword_only(strategy):
    with pytest.raises(TypeError):
        strategy(1)


def test_strategies_are_exported():
    import symgame.strategies as mod

    for name in ["games", "monotone_games", "nonnegative_dividend_games", "additive_games", "symbolic_games",
                 "attention_tensors"]:
        assert name in mod.__all__
        assert isinstance(getattr(mod, name)(), st.SearchStrategy)
