"""Tests for symgame.interactions: the dividend form against the discrete-derivative definition, exactly."""

import itertools
from math import comb, factorial

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgame import Game, dividends, shapley
from symgame.errors import InvalidGameError, UnknownPlayerError
from symgame.interactions import (
    shapley_interaction,
    shapley_interaction_by_derivatives,
    shapley_interactions,
    shapley_interactions_by_derivatives,
    shapley_taylor,
    shapley_taylor_by_derivatives,
)
from symgame.strategies import games, symbolic_games

SEARCH = settings(database=None, max_examples=60, derandomize=True, deadline=None)

exact_games = st.one_of(
    games(min_players=1, max_players=5),
    games(min_players=1, max_players=4, values="rationals"),
    symbolic_games(max_players=3),
)


def _same(a, b):
    return set(a) == set(b) and all(sp.expand(a[k] - b[k]) == 0 for k in a)


@SEARCH
@given(exact_games, st.data())
def test_interaction_index_dividend_form_equals_the_derivative_definition(game, data):
    order = data.draw(st.integers(1, game.n))
    assert _same(shapley_interactions(game, order), shapley_interactions_by_derivatives(game, order))


@SEARCH
@given(exact_games, st.data())
def test_shapley_taylor_dividend_form_equals_the_derivative_definition(game, data):
    order = data.draw(st.integers(1, game.n))
    assert _same(shapley_taylor(game, order), shapley_taylor_by_derivatives(game, order))


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_generic_symbolic_games_agree_for_every_order_and_group(n):
    g = Game.generic(n)
    for order in range(1, n + 1):
        assert _same(shapley_interactions(g, order), shapley_interactions_by_derivatives(g, order))
        assert _same(shapley_taylor(g, order), shapley_taylor_by_derivatives(g, order))
        for group in itertools.combinations(g.players, order):
            assert sp.expand(shapley_interaction(g, group) - shapley_interaction_by_derivatives(g, group)) == 0


def _permutation_taylor(game, order):
    """Shapley-Taylor of a size-k group as an average over orders (Sundararajan et al., eq. 4):
    ``E_pi[Δ_S v(players before the first member of S)]``; a third path for small games."""
    out = {}
    players = list(game.players)
    for group in itertools.combinations(players, order):
        total = 0
        for perm in itertools.permutations(players):
            first = min(perm.index(p) for p in group)
            before = frozenset(perm[:first])
            total += sum((-1) ** (order - r) * game[before | frozenset(L)]
                         for r in range(order + 1) for L in itertools.combinations(group, r))
        out[group] = sp.expand(sp.Rational(1, factorial(len(players))) * total)
    return out


@pytest.mark.parametrize("n", [2, 3, 4])
def test_shapley_taylor_top_order_is_the_permutation_average(n):
    g = Game.generic(n)
    for order in range(1, n + 1):
        sti = shapley_taylor(g, order)
        perm = _permutation_taylor(g, order)
        assert all(sp.expand(sti[k] - perm[k]) == 0 for k in perm)


@SEARCH
@given(exact_games, st.data())
def test_order_one_is_shapley_and_shapley_taylor_is_efficient(game, data):
    phi = shapley(game)
    assert {k[0]: v for k, v in shapley_interactions(game, 1).items()} == phi
    assert {k[0]: v for k, v in shapley_taylor(game, 1).items()} == phi
    order = data.draw(st.integers(1, game.n))
    assert sp.expand(sp.Add(*shapley_taylor(game, order).values()) - game[game.players]) == 0


@SEARCH
@given(exact_games)
def test_top_order_indices_are_the_dividend_of_the_grand_coalition(game):
    d = dividends(game)[frozenset(game.players)]
    assert sp.expand(shapley_interaction(game, game.players) - d) == 0
    assert sp.expand(shapley_taylor(game, game.n)[tuple(game.players)] - d) == 0


def test_cookie_game_pair_index():
    x = sp.Symbol("x", positive=True)
    cookies = Game.from_dict(["Alice", "Bob"], {("Alice",): 5 * x, ("Bob",): 3 * x, ("Alice", "Bob"): 10 * x})
    assert shapley_interaction(cookies, ["Alice", "Bob"]) == 2 * x
    assert shapley_interactions(cookies) == {("Alice", "Bob"): 2 * x}
    assert shapley_taylor(cookies, 2) == {("Alice",): 5 * x, ("Bob",): 3 * x, ("Alice", "Bob"): 2 * x}


def test_the_cookie_file_pair_index():
    from pathlib import Path

    game = Game.load(Path(__file__).resolve().parent.parent / "examples" / "cookies.json")
    x = sp.Symbol("x", positive=True)
    assert shapley_interaction(game, ["Alice", "Bob"]) == 2 * x == shapley_interaction_by_derivatives(game, ["Bob", "Alice"])


def test_unanimity_and_closed_forms():
    # u_R: I(S) = 1/(|R|-|S|+1) for S ⊆ R; STI^k(S) = 1/C(|R|, k) for |S| = k
    players = list("abcde")
    for r in range(1, 6):
        u = Game.unanimity(players, players[:r])
        for s in range(1, r + 1):
            assert shapley_interaction(u, players[:s]) == sp.Rational(1, r - s + 1)
            assert shapley_taylor(u, s)[tuple(players[:s])] == sp.Rational(1, comb(r, s))
        if r < 5:
            assert shapley_interaction(u, players[r - 1:r + 1]) == 0


def test_bad_groups_and_orders_are_named():
    g = Game.generic(3)
    with pytest.raises(InvalidGameError, match="at least one player"):
        shapley_interaction(g, [])
    with pytest.raises(InvalidGameError, match="twice"):
        shapley_interaction(g, [1, 1])
    with pytest.raises(UnknownPlayerError, match="not a player"):
        shapley_interaction(g, [1, 9])
    with pytest.raises(InvalidGameError, match="not a collection"):
        shapley_interaction(g, 1)
    with pytest.raises(InvalidGameError, match="order must be an integer in 1..3"):
        shapley_taylor(g, 0)
    with pytest.raises(InvalidGameError, match="order must be an integer"):
        shapley_interactions(g, True)
    with pytest.raises(InvalidGameError, match="expects a symgame.Game"):
        shapley_interactions({}, 2)


# ---------------------------------------------------------------------- merged groups (G.interaction)
@SEARCH
@given(exact_games, st.data())
def test_merge_gap_and_interaction_form_equal_the_quotient_game(game, data):
    from symgame.interactions import merge_gap, quotient_value_by_interactions

    if game.n < 2:
        return
    size = data.draw(st.integers(2, game.n))
    group = data.draw(st.permutations(list(game.players)))[:size]
    phi = shapley(game)
    merged = shapley(game.merge(group, "T"))["T"]
    assert sp.expand(merged - sp.Add(*[phi[p] for p in group]) - merge_gap(game, group)["gap"]) == 0
    assert sp.expand(merged - quotient_value_by_interactions(game, group)) == 0


def test_merge_gap_lists_only_coalitions_crossing_the_group():
    from symgame.interactions import merge_gap

    players = ["a", "b", "c", "d"]
    inside = Game.unanimity(players, ["a", "b"])          # R ⊆ T
    one_member = Game.unanimity(players, ["a", "c"])      # |R ∩ T| = 1
    crossing = Game.unanimity(players, ["a", "b", "c"])   # k = 2, r = 3
    assert merge_gap(inside, ["a", "b"]) == {"gap": 0, "terms": {}}
    assert merge_gap(one_member, ["a", "b"]) == {"gap": 0, "terms": {}}
    out = merge_gap(crossing, ["a", "b"])
    assert out["gap"] == sp.Rational(1, 2) - sp.Rational(2, 3)
    assert list(out["terms"]) == [("a", "b", "c")]
