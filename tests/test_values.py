"""Tests for symgame.values: axioms, independent code paths, classic games, and bad input."""

import itertools
from fractions import Fraction
from math import factorial

import numpy as np
import pytest
import sympy as sp
from hypothesis import find, given, settings
from hypothesis import strategies as st

from symgame import (
    Game,
    banzhaf,
    banzhaf_float,
    dividends,
    from_dividends,
    leave_one_out,
    linear_value,
    owen,
    shapley,
    shapley_float,
    shapley_forms,
    shapley_permutations,
)
from symgame.errors import GameTooLargeError, InvalidGameError, NotExactError, UnknownPlayerError
from symgame.linear import LinearForm
from symgame.properties import null_players, symmetric_pairs
from symgame.strategies import additive_games, games, symbolic_games
from symgame.values import MAX_PERMUTATION_PLAYERS

SEARCH = settings(database=None, max_examples=500, derandomize=True)

exact_games = st.one_of(
    games(max_players=4),
    games(max_players=4, values="rationals"),
    symbolic_games(max_players=3),
    games(max_players=3, values="symbolic", symbols=["a", "b", "c"]),
)


def same(a, b):
    """Exact equality of two expressions as linear forms (no simplify, no tolerance)."""
    return LinearForm.from_expr(a) == LinearForm.from_expr(b)


def same_values(phi, psi):
    return phi.keys() == psi.keys() and all(same(phi[p], psi[p]) for p in phi)


# ---------------------------------------------------------------------- the four axioms
@given(exact_games)
def test_shapley_is_efficient(g):
    phi = shapley(g)
    assert list(phi) == list(g.players)
    assert same(sp.Add(*phi.values()), g[g.grand_coalition])


@given(exact_games, st.integers(0, 3))
def test_shapley_gives_null_players_zero(g, position):
    """Insert a null player anywhere: it gets 0 and nobody else's value changes."""
    players = list(g.players)
    position = min(position, len(players))
    with_null = players[:position] + ["null"] + players[position:]
    h = Game.from_function(with_null, lambda S: g[S - {"null"}])
    assert "null" in null_players(h)
    phi, psi = shapley(g), shapley(h)
    assert psi["null"] == 0
    assert all(same(psi[p], phi[p]) for p in players)


@given(exact_games)
def test_shapley_treats_symmetric_players_equally(g):
    if g.n < 2:
        return
    i, j = g.players[0], g.players[1]
    swap = {i: j, j: i}
    h = Game.from_function(g.players, lambda S: g[S] + g[{swap.get(p, p) for p in S}])
    assert (i, j) in symmetric_pairs(h)
    phi = shapley(h)
    assert same(phi[i], phi[j])
    for a, b in symmetric_pairs(g):
        assert same(shapley(g)[a], shapley(g)[b])


@given(games(max_players=4), games(max_players=4, values="rationals"), st.fractions(-3, 3, max_denominator=5),
       st.integers(-3, 3))
def test_shapley_is_linear(g, h, a, b):
    if set(g.players) != set(h.players):
        return
    combined = shapley(a * g + b * h)
    pg, ph = shapley(g), shapley(h)
    assert all(combined[p] == sp.Rational(a.numerator, a.denominator) * pg[p] + b * ph[p] for p in g.players)


@given(symbolic_games(max_players=3), symbolic_games(max_players=3), st.integers(-3, 3))
def test_shapley_is_linear_on_symbolic_games(g, h, c):
    if set(g.players) != set(h.players):
        return
    combined = shapley(c * g - h)
    assert all(same(combined[p], c * shapley(g)[p] - shapley(h)[p]) for p in g.players)


# ---------------------------------------------------------------------- failures of other values, found
def _inefficient(value):
    return lambda g: sp.expand(sp.Add(*value(g).values()) - g[g.grand_coalition]) == 0


def test_banzhaf_fails_efficiency_on_a_found_game():
    witness = find(games(max_players=4), lambda g: not _inefficient(banzhaf)(g), settings=SEARCH)
    total = sum(banzhaf(witness).values())
    assert total != witness[witness.grand_coalition]
    assert witness.n == 3  # Banzhaf is efficient on 1 and 2 players: beta_1 + beta_2 = v(N) there
    # and a classic witness: simple majority of 3
    assert sum(banzhaf(Game.majority([1, 2, 3])).values()) == sp.Rational(3, 2)


def test_leave_one_out_fails_efficiency_and_differs_from_shapley_on_found_games():
    witness = find(games(max_players=4), lambda g: not _inefficient(leave_one_out)(g), settings=SEARCH)
    assert sum(leave_one_out(witness).values()) != witness[witness.grand_coalition]
    assert witness.n == 2
    differs = find(games(max_players=4), lambda g: leave_one_out(g) != shapley(g), settings=SEARCH)
    assert leave_one_out(differs) != shapley_permutations(differs)
    # the talk's redundancy example: two interchangeable critical players
    either = Game.from_dict(["a", "b"], {("a",): 1, ("b",): 1, ("a", "b"): 1})
    assert leave_one_out(either) == {"a": 0, "b": 0}
    assert shapley(either) == {"a": sp.Rational(1, 2), "b": sp.Rational(1, 2)}


@given(additive_games(max_players=4, values="rationals"))
def test_all_values_agree_on_additive_games(g):
    phi = shapley(g)
    assert phi == banzhaf(g) == leave_one_out(g) == {p: g[{p}] for p in g.players}


# ---------------------------------------------------------------------- independent code paths
def dividend_form(g):
    """phi_i = sum_{T ∋ i} d(T)/|T|, from the dividends."""
    d = dividends(g)
    return {p: sp.Add(*[dT / len(T) for T, dT in d.items() if p in T]) for p in g.players}


def subset_formula(g):
    """phi_i = sum_{S ⊆ N \\ i} |S|!(n-|S|-1)!/n! (v(S ∪ i) - v(S)), written out directly."""
    n = g.n
    out = {}
    for p in g.players:
        others = [q for q in g.players if q != p]
        terms = []
        for r in range(n):
            w = sp.Rational(factorial(r) * factorial(n - r - 1), factorial(n))
            for S in itertools.combinations(others, r):
                terms.append(w * (g[set(S) | {p}] - g[S]))
        out[p] = sp.Add(*terms)
    return out


@given(exact_games)
def test_shapley_agrees_with_permutations_dividends_and_the_subset_formula(g):
    phi = shapley(g)
    assert same_values(phi, shapley_permutations(g))
    assert same_values(phi, dividend_form(g))
    assert same_values(phi, subset_formula(g))
    assert same_values(phi, {p: f.as_expr() for p, f in shapley_forms(g).items()})


@given(games(max_players=4, values="rationals"))
def test_rational_fast_path_equals_symbolic_linear_form_path(g):
    """The integer Möbius path and the linear-form path on the same rational game."""
    fast = shapley(g)
    assert fast == {p: f.as_expr() for p, f in shapley_forms(g).items()}
    assert all(f.constant == Fraction(int(fast[p].p), int(fast[p].q)) for p, f in shapley_forms(g).items())
    # and through the generic game: Shapley of v_S, then substitute the numbers
    generic = Game.generic(g.players)
    point = {generic[S]: g[S] for S in g.coalitions() if S}
    assert {p: e.subs(point) for p, e in shapley(generic).items()} == fast


@given(games(max_players=5, min_value=-1000, max_value=1000))
def test_numpy_integer_table_equals_sympy_table(g):
    arr = Game.from_vector(np.array([int(v) for v in g.exprs()], dtype=np.int64))
    assert shapley(arr) == shapley(g) == shapley_permutations(arr)
    assert banzhaf(arr) == banzhaf(g)
    assert dividends(arr) == dividends(g)


def test_float_tables_are_used_exactly():
    g = Game.from_vector(np.array([0.0, 0.1, 0.2, 0.7]))
    phi = shapley(g)
    assert phi == shapley_permutations(g)
    assert phi[0] == (sp.Rational(0.1) + sp.Rational(0.7) - sp.Rational(0.2)) / 2


def test_huge_integer_values_stay_exact():
    big = 10 ** 30
    g = Game.from_vector([0, big, 1, big + 3])
    assert g.rational_table()[0].dtype == object
    assert shapley(g) == {0: big + 1, 1: 2} == shapley_permutations(g)


def test_shapley_float_is_close_to_exact():
    rng = np.random.default_rng(20240601)
    for n in (1, 2, 5, 9):
        v = rng.normal(size=1 << n)
        v[0] = 0.0
        g = Game.from_vector(v)
        exact = shapley(g)
        approx = shapley_float(g)
        assert list(approx) == list(exact)
        assert all(isinstance(a, float) for a in approx.values())
        assert np.allclose([approx[p] for p in g.players], [float(exact[p]) for p in g.players],
                           rtol=1e-9, atol=1e-9)  # float path: tolerance is the point
        bz = banzhaf(g)
        assert np.allclose([banzhaf_float(g)[p] for p in g.players], [float(bz[p]) for p in g.players],
                           rtol=1e-9, atol=1e-9)


def test_float_paths_refuse_symbols():
    with pytest.raises(NotExactError, match="free symbols"):
        shapley_float(Game.generic(2))
    with pytest.raises(NotExactError, match="free symbols"):
        banzhaf_float(Game.generic(2))


# ---------------------------------------------------------------------- dividends, LOO, Banzhaf
@given(exact_games)
def test_dividends_and_from_dividends_are_inverse(g):
    d = dividends(g)
    assert set(d) == {S for S in g.coalitions() if S}
    assert from_dividends(g.players, d) == g.map_values(sp.expand)
    for S in g.coalitions():  # v(S) = sum of dividends of subsets
        assert same(g[S], sp.Add(*[dT for T, dT in d.items() if T <= S]))


def test_dividend_definition_on_the_generic_game():
    g = Game.generic(3)
    v = {frozenset(S): g[S] for S in g.coalitions()}
    T = frozenset({1, 2, 3})
    expected = sum((-1) ** (len(T) - len(S)) * v[S] for S in v if S <= T)
    assert same(dividends(g)[T], expected)


def test_from_dividends_examples_and_errors():
    x = sp.Symbol("x", positive=True)
    g = from_dividends(["a", "b"], {("a", "b"): x, ("a",): 1})
    assert (g[{"a"}], g[{"b"}], g[{"a", "b"}]) == (1, 0, 1 + x)
    with pytest.raises(UnknownPlayerError):
        from_dividends(["a"], {("z",): 1})
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0"):
        from_dividends(["a"], {(): 1})


@given(exact_games)
def test_leave_one_out_and_banzhaf_definitions(g):
    N = g.grand_coalition
    loo = leave_one_out(g)
    assert all(same(loo[p], g[N] - g[N - {p}]) for p in g.players)
    bz = banzhaf(g)
    for p in g.players:
        others = [q for q in g.players if q != p]
        subsets = [set(S) for r in range(len(others) + 1) for S in itertools.combinations(others, r)]
        direct = sp.Add(*[g[S | {p}] - g[S] for S in subsets]) / 2 ** (g.n - 1)
        assert same(bz[p], direct)


def test_linear_value_equal_split():
    g = Game.generic(3)
    full = 7
    split = linear_value(g, lambda i, mask: Fraction(1, 3) if mask == full else 0)
    assert split == {p: g[{1, 2, 3}] / 3 for p in g.players}


# ---------------------------------------------------------------------- Owen
def partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for smaller in partitions(rest):
        for k in range(len(smaller)):
            yield smaller[:k] + [[first] + smaller[k]] + smaller[k + 1:]
        yield [[first]] + smaller


@given(st.one_of(games(max_players=4), symbolic_games(max_players=3)))
def test_owen_with_singletons_or_one_block_is_shapley(g):
    phi = shapley(g)
    assert same_values(owen(g, [[p] for p in g.players]), phi)
    if g.n:
        assert same_values(owen(g, [list(g.players)]), phi)


@given(games(min_players=1, max_players=4, values="rationals"))
def test_owen_is_efficient_and_blocks_get_their_quotient_shapley_value(g):
    for partition in partitions(list(g.players)):
        o = owen(g, partition)
        assert sum(o.values()) == g[g.grand_coalition]
        quotient = g
        labels = []
        for k, block in enumerate(partition):
            quotient = quotient.merge(block, f"B{k}")
            labels.append(f"B{k}")
        q_phi = shapley(quotient)
        for k, block in enumerate(partition):
            assert sum(o[p] for p in block) == q_phi[f"B{k}"]


def test_owen_known_value():
    """Glove game with a priori union {R1, R2}: the right-glove owners bargain as one (Owen 1977)."""
    g = Game.glove(["L"], ["R1", "R2"])
    assert owen(g, [["L"], ["R1", "R2"]]) == {"L": sp.Rational(1, 2), "R1": sp.Rational(1, 4),
                                               "R2": sp.Rational(1, 4)}


@pytest.mark.parametrize("partition, message", [
    ([[1, 2]], "missing \\[3\\], repeated \\[\\]"),
    ([[1, 2], [2, 3]], "missing \\[\\], repeated \\[2\\]"),
    ([[1], [2], [3], []], "missing \\[\\], repeated \\[\\]"),
])
def test_owen_rejects_bad_partitions(partition, message):
    with pytest.raises(InvalidGameError, match=message):
        owen(Game.generic(3), partition)


def test_owen_rejects_unknown_players():
    with pytest.raises(UnknownPlayerError):
        owen(Game.generic(2), [[1], [2], [9]])


# ---------------------------------------------------------------------- classic games
@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_glove_game_with_one_left_glove(m):
    """The left-glove owner is pivotal unless she comes first: phi_L = m/(m+1)."""
    rights = [f"R{k}" for k in range(m)]
    phi = shapley(Game.glove(["L"], rights))
    assert phi["L"] == sp.Rational(m, m + 1)
    assert all(phi[r] == sp.Rational(1, m * (m + 1)) for r in rights)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_majority_game_splits_equally(n):
    assert shapley(Game.majority(list(range(n)))) == {p: sp.Rational(1, n) for p in range(n)}


def test_weighted_voting_game():
    """Quota 4 with weights 3, 2, 1: a is pivotal in 4 of the 6 orders, b and c in one each."""
    g = Game.weighted_voting({"a": 3, "b": 2, "c": 1}, 4)
    assert shapley(g) == {"a": sp.Rational(2, 3), "b": sp.Rational(1, 6), "c": sp.Rational(1, 6)}


def test_airport_game_matches_littlechild_owen():
    """phi_i = sum_{k <= i} (c_k - c_{k-1}) / (n - k + 1) for sorted costs (Littlechild & Owen 1973)."""
    costs = {"a": 1, "b": 3, "c": 4, "d": 9}
    ordered = sorted(costs.values())
    n = len(ordered)
    expected = {}
    for p, c in costs.items():
        i = ordered.index(c)
        expected[p] = sum(sp.Rational(ordered[k] - (ordered[k - 1] if k else 0), n - k) for k in range(i + 1))
    assert shapley(Game.airport(costs)) == expected


def test_airport_game_with_symbolic_costs():
    a, b = sp.symbols("a b", positive=True)
    phi = shapley(Game.airport({"small": a, "big": a + b}))
    assert sp.simplify(phi["small"] - a / 2) == 0 and sp.simplify(phi["big"] - (a / 2 + b)) == 0


@given(st.integers(1, 5), st.data())
def test_unanimity_game_gives_scale_over_carrier_size(n, data):
    players = list(range(n))
    carrier = data.draw(st.sets(st.sampled_from(players), min_size=1))
    scale = sp.Symbol("c", positive=True)
    phi = shapley(Game.unanimity(players, carrier, scale=scale))
    assert phi == {p: (scale / len(carrier) if p in carrier else 0) for p in players}


def test_cookie_example():
    x = sp.Symbol("x", positive=True)
    g = Game.from_dict(["A", "B"], {("A",): 5 * x, ("B",): 3 * x, ("A", "B"): 10 * x})
    assert shapley(g) == {"A": 6 * x, "B": 4 * x}
    assert leave_one_out(g) == {"A": 7 * x, "B": 5 * x}
    assert banzhaf(g) == {"A": 6 * x, "B": 4 * x}


def test_empty_game_has_no_values():
    g = Game([], {})
    for f in (shapley, shapley_forms, shapley_permutations, shapley_float, banzhaf, banzhaf_float, leave_one_out,
              dividends):
        assert f(g) == {}


# ---------------------------------------------------------------------- bad input and limits
@pytest.mark.parametrize("func", [shapley, shapley_forms, shapley_permutations, shapley_float, banzhaf,
                                  banzhaf_float, leave_one_out, dividends])
@pytest.mark.parametrize("bad", [None, {"a": 1}, [0, 1]])
def test_non_games_are_rejected(func, bad):
    with pytest.raises(InvalidGameError, match=f"{func.__name__} expects a symgame.Game, got"):
        func(bad)


def test_owen_and_linear_value_reject_non_games():
    with pytest.raises(InvalidGameError, match="owen expects a symgame.Game"):
        owen([1], [[1]])
    with pytest.raises(InvalidGameError, match="linear_value expects a symgame.Game"):
        linear_value("g", lambda i, m: 0)


def test_permutation_limit_names_the_limit_and_the_alternative():
    n = MAX_PERMUTATION_PLAYERS + 1
    with pytest.raises(GameTooLargeError, match=f"{n}! orders; the limit is {MAX_PERMUTATION_PLAYERS} players. "
                                                 f"Use shapley\\(\\)"):
        shapley_permutations(Game.from_vector(np.zeros(1 << n, dtype=np.int64)))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
def test_exact_shapley_on_python_integer_tables_matches_permutations(n):
    # huge floats make the exact integer table exceed int64, so the object-array path runs
    rng = np.random.default_rng(n)
    table = rng.random(1 << n) * 1e300
    table[0] = 0.0
    game = Game.from_vector(table)
    assert game.rational_table()[0].dtype == object
    assert shapley(game) == shapley_permutations(game)
