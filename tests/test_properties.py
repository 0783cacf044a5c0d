"""Tests for symgame.properties: every property against a brute-force loop over coalitions."""

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from symgame import Game, from_dividends
from symgame.errors import GameTooLargeError, InvalidGameError, UnknownPlayerError
from symgame.properties import (
    MAX_SUPERADDITIVE_PLAYERS,
    MAX_SYMBOLIC_PROPERTY_PLAYERS,
    MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS,
    is_additive,
    is_convex,
    is_monotone,
    is_null_player,
    is_submodular,
    is_superadditive,
    is_symmetric_pair,
    null_players,
    symmetric_pairs,
)
from symgame.strategies import (
    additive_games,
    games,
    monotone_games,
    nonnegative_dividend_games,
    symbolic_games,
)


# ---------------------------------------------------------------------- brute force (pairwise loops)
def coalitions(game):
    return [frozenset(c) for r in range(game.n + 1) for c in itertools.combinations(game.players, r)]


def brute_additive(g):
    return all(g[S] == sum((g[{p}] for p in S), sp.S.Zero) for S in coalitions(g))


def brute_monotone(g):
    cs = coalitions(g)
    return all(g[S] <= g[T] for S in cs for T in cs if S <= T)


def brute_convex(g):
    cs = coalitions(g)
    return all(g[S | T] + g[S & T] >= g[S] + g[T] for S in cs for T in cs)


def brute_submodular(g):
    cs = coalitions(g)
    return all(g[S | T] + g[S & T] <= g[S] + g[T] for S in cs for T in cs)


def brute_superadditive(g):
    cs = coalitions(g)
    return all(g[S | T] >= g[S] + g[T] for S in cs for T in cs if not S & T)


def brute_null(g):
    return [p for p in g.players if all(g[S | {p}] == g[S] for S in coalitions(g))]


def brute_symmetric(g):
    out = []
    for i, j in itertools.combinations(g.players, 2):
        if all(g[S | {i}] == g[S | {j}] for S in coalitions(g) if i not in S and j not in S):
            out.append((i, j))
    return out


# Games on which each property is true as well as false.
any_rational_games = st.one_of(
    games(max_players=4),
    games(max_players=4, values="rationals", min_value=-2, max_value=2),
    monotone_games(max_players=4),
    nonnegative_dividend_games(max_players=4),
    nonnegative_dividend_games(max_players=4).map(lambda g: -g),
    additive_games(max_players=4),
    games(max_players=4, min_value=0, max_value=1),
)


@given(any_rational_games)
def test_predicates_agree_with_brute_force(g):
    assert is_additive(g) is brute_additive(g)
    assert is_monotone(g) is brute_monotone(g)
    assert is_convex(g) is brute_convex(g)
    assert is_submodular(g) is brute_submodular(g)
    assert is_superadditive(g) is brute_superadditive(g)
    assert null_players(g) == brute_null(g)
    assert symmetric_pairs(g) == brute_symmetric(g)
    for p in g.players:
        assert is_null_player(g, p) is (p in brute_null(g))
    for i, j in itertools.combinations(g.players, 2):
        assert is_symmetric_pair(g, i, j) is ((i, j) in brute_symmetric(g))
        assert is_symmetric_pair(g, j, i) is is_symmetric_pair(g, i, j)


def _all_predicates(g):
    return (is_additive(g), is_monotone(g), is_convex(g), is_submodular(g), is_superadditive(g),
            null_players(g), symmetric_pairs(g))


@given(any_rational_games)
def test_numpy_backed_tables_give_the_same_answers(g):
    if all(v.is_Integer for v in g.exprs()):
        ints = np.array([int(v) for v in g.exprs()], dtype=np.int64)
        assert _all_predicates(Game.from_vector(ints)) == _all_predicates(g)
    # a float table holding the same (dyadic) numbers: v/4 is exact in binary when v is an integer/4
    quarter = [v / 4 for v in g.exprs()]
    if all(sp.Rational(v).q in (1, 2, 4) for v in quarter):
        floats = Game.from_vector(np.array([float(v) for v in quarter]))
        assert _all_predicates(floats) == _all_predicates(g)


@given(games(max_players=3, min_value=-3, max_value=3))
def test_huge_numerators_use_exact_python_integers(g):
    """Values near 2^62 overflow int64 sums; the object-array path must still be exact."""
    assume(any(g.exprs()))
    big = Game.from_vector(np.array([int(v) * 2 ** 60 for v in g.exprs()], dtype=object))
    assert big.rational_table()[0].dtype == object
    assert _all_predicates(big) == _all_predicates(g)


# ---------------------------------------------------------------------- classic games
def test_classic_games():
    glove = Game.glove(["L"], ["R1", "R2"])
    assert (is_monotone(glove), is_superadditive(glove), is_convex(glove)) == (True, True, False)
    assert symmetric_pairs(glove) == [("R1", "R2")]
    u = Game.unanimity([1, 2, 3, 4], [2, 3], scale=5)
    assert (is_convex(u), is_monotone(u), is_additive(u)) == (True, True, False)
    assert null_players(u) == [1, 4]
    assert is_submodular(Game.airport({"a": 1, "b": 2, "c": 4})) is True
    assert is_convex(Game.airport({"a": 1, "b": 2, "c": 4})) is False
    maj = Game.majority(list("abcde"))
    assert len(symmetric_pairs(maj)) == 10 and null_players(maj) == []
    assert is_superadditive(maj) is True and is_convex(maj) is False
    zero = Game.from_function([1, 2, 3], lambda S: 0)
    assert _all_predicates(zero)[:5] == (True, True, True, True, True)
    assert null_players(zero) == [1, 2, 3]


def test_degenerate_games():
    empty = Game([], {})
    assert _all_predicates(empty) == (True, True, True, True, True, [], [])
    one = Game.from_dict(["a"], {("a",): -1})
    assert (is_additive(one), is_monotone(one), is_convex(one), is_superadditive(one)) == (True, False, True, True)
    assert is_symmetric_pair(one, "a", "a") is True


def test_larger_numeric_games_run_vectorised():
    n = 14
    rng = np.random.default_rng(7)
    d = np.zeros(1 << n, dtype=np.int64)
    d[rng.integers(1, 1 << n, 40) & ~1] = rng.integers(0, 3, 40)  # player 0 only in singleton dividends
    d[1] = 2
    v = d.copy()
    for i in range(n):
        v.reshape(-1, 2, 1 << i)[:, 1, :] += v.reshape(-1, 2, 1 << i)[:, 0, :]
    g = Game.from_vector(v)
    assert is_convex(g) is True and is_monotone(g) is True and is_superadditive(g) is True
    top = (1 << n) - 1
    bad = v.copy()
    bad[top] -= 1  # only the conditions with S + i + j = N change: they become sum_{T ⊇ ij} d(T) - 1 >= 0
    masks = np.arange(1 << n)
    pair_support = [int(d[(masks & (1 << i | 1 << j)) == (1 << i | 1 << j)].sum())
                     for i, j in itertools.combinations(range(n), 2)]
    assert is_convex(Game.from_vector(bad)) is (min(pair_support) >= 1)
    assert min(pair_support) == 0  # player 0 shares no dividend: lowering v(N) breaks convexity
    assert is_convex(Game.from_vector(v.astype(np.float64) / 8)) is True


# ---------------------------------------------------------------------- symbolic, three-valued
def test_generic_game_is_undecided():
    g = Game.generic(3)
    for f in (is_additive, is_monotone, is_convex, is_submodular, is_superadditive):
        assert f(g) is None
    assert is_null_player(g, 1) is None and is_symmetric_pair(g, 1, 2) is None
    assert null_players(g) == [] and symmetric_pairs(g) == []


def test_symbolic_games_are_decided_when_the_signs_are_known():
    x, y = sp.symbols("x y", positive=True)
    g = from_dividends(["a", "b", "c"], {("a", "b"): x, ("b", "c"): y, ("a",): 2 * x})
    assert (is_convex(g), is_monotone(g), is_superadditive(g), is_submodular(g)) == (True, True, True, False)
    assert is_additive(g) is False
    assert null_players(g) == [] and symmetric_pairs(g) == []
    h = from_dividends(["a", "b", "c"], {("a", "b"): x, ("a", "c"): x})
    assert symmetric_pairs(h) == [("b", "c")]
    neg = sp.Symbol("m", negative=True)
    assert is_monotone(Game.additive({"a": neg, "b": x})) is False
    assert is_null_player(Game.additive({"a": x, "b": 0}), "b") is True
    assert is_null_player(Game.additive({"a": x, "b": 0}), "a") is False
    assert null_players(Game.additive({"a": x, "b": 0})) == ["b"]


def test_symbolic_atoms_other_than_symbols_go_to_sympy():
    a, b = sp.symbols("a b", positive=True)
    airport = Game.airport({"p": a, "q": a + b})  # values contain Max(a, a + b) = a + b, decided by SymPy
    assert is_monotone(airport) is True
    g = Game.from_dict(["p", "q"], {("p",): a ** 2, ("q",): b ** 2, ("p", "q"): a ** 2 + b ** 2 + a * b})
    assert is_convex(g) is True and is_additive(g) is False


signed_symbols = [sp.Symbol("r", real=True), sp.Symbol("p", positive=True), sp.Symbol("q", nonnegative=True),
                  sp.Symbol("m", negative=True), sp.Symbol("k", nonpositive=True),
                  sp.Symbol("z", integer=True, positive=True), sp.Symbol("u")]


@given(st.lists(st.tuples(st.integers(-3, 3), st.sampled_from(signed_symbols)), max_size=3),
       st.integers(-3, 3))
def test_sign_decisions_agree_with_sympy_assumptions(terms, constant):
    """is_monotone of a one-player game decides v({a}) >= 0; it must never contradict SymPy."""
    expr = sp.Integer(constant) + sp.Add(*[c * s for c, s in terms])
    g = Game.additive({"a": expr})
    assert is_monotone(g) == expr.is_nonnegative
    assert is_null_player(g, "a") == expr.is_zero


@given(symbolic_games(max_players=3, symbols=["s", "t"], assumptions={"positive": True}, min_coefficient=-2,
                      max_coefficient=2),
       st.tuples(st.integers(1, 5), st.integers(1, 5)))
def test_a_decided_symbolic_property_holds_for_every_substitution(g, point):
    s, t = sp.symbols("s t", positive=True)
    numeric = g.subs({s: point[0], t: point[1]})
    for f in (is_additive, is_monotone, is_convex, is_submodular, is_superadditive):
        decided = f(g)
        if decided is not None:
            assert f(numeric) is decided
    assert set(null_players(g)) <= set(null_players(numeric))
    assert set(symmetric_pairs(g)) <= set(symmetric_pairs(numeric))


# ---------------------------------------------------------------------- bad input and limits
@pytest.mark.parametrize("func", [is_additive, is_monotone, is_convex, is_submodular, is_superadditive,
                                  null_players, symmetric_pairs])
@pytest.mark.parametrize("bad", [None, {"a": 1}, [0, 1], "game"])
def test_non_games_are_rejected(func, bad):
    with pytest.raises(InvalidGameError, match=f"{func.__name__} expects a symgame.Game, got"):
        func(bad)


def test_unknown_players_are_rejected():
    g = Game.glove(["L"], ["R"])
    with pytest.raises(UnknownPlayerError, match="player 'X' is not a player of this game"):
        is_null_player(g, "X")
    with pytest.raises(UnknownPlayerError, match="i 'X' is not a player"):
        is_symmetric_pair(g, "X", "L")
    with pytest.raises(UnknownPlayerError, match="j 'X' is not a player"):
        is_symmetric_pair(g, "L", "X")


def test_superadditivity_limit_names_the_limit_and_the_alternative():
    n = MAX_SUPERADDITIVE_PLAYERS + 1
    with pytest.raises(GameTooLargeError, match=rf"3\^{n} .* the limit is {MAX_SUPERADDITIVE_PLAYERS} players.*is_convex"):
        is_superadditive(Game.from_vector(np.zeros(1 << n, dtype=np.int64)))
    m = MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS + 1
    with pytest.raises(GameTooLargeError, match=f"the limit is {MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS} players"):
        is_superadditive(Game.generic(m))


@pytest.mark.parametrize("func", [is_additive, is_monotone, is_convex, is_submodular, null_players, symmetric_pairs])
def test_symbolic_limit_names_the_limit_and_the_alternative(func):
    g = Game.generic(MAX_SYMBOLIC_PROPERTY_PLAYERS + 1)
    with pytest.raises(GameTooLargeError, match=f"the limit is {MAX_SYMBOLIC_PROPERTY_PLAYERS} players.*subs"):
        func(g)
