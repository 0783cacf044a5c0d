"""G — groups of tokens as one player (STATEMENTS.md, G).

Run alone: ``python -m proofs.groups``.

Treating a group of tokens as one player means passing to the *quotient game*
(:meth:`symgame.Game.merge`).  For additive games — the fixed-flow game of
P2.fixed is one — the merged player's Shapley value is the sum of its
members' values; for general games it is not.
"""

import sympy as sp
from hypothesis import strategies as st

from symgame import Game, shapley, shapley_forms
from symgame.checks import REGISTRY, check
from symgame.linear import LinearForm
from symgame.search import find_counterexample
from symgame.strategies import games
from symgame.verdicts import Verdict

from .common import assert_family_ok, game_snippet, prove_as_script, independent_shapley, shapley_weight_sum_all_n

__all__ = ["group_claim", "merged_value", "check_additive", "check_general", "grouped_games"]

MERGED = "group"


def merged_value(game, group):
    """Shapley value of the merged player in the quotient game where ``group`` acts as one player."""
    return shapley(game.merge(group, MERGED))[MERGED]


def group_claim(instance):
    """The claim on one (game, group): Shapley of the merged player = sum of the members' Shapley values."""
    game, group = instance
    phi = shapley(game)
    return LinearForm.from_expr(merged_value(game, group) - sp.Add(*[phi[p] for p in group])).is_zero


@st.composite
def grouped_games(draw, *, max_players=4):
    """A game with at least two players and a group of at least two of them."""
    game = draw(games(min_players=2, max_players=max_players))
    size = draw(st.integers(2, game.n))
    members = draw(st.permutations(list(game.players)))[:size]
    return game, tuple(sorted(members, key=game.players.index))


def _show(instance):
    game, group = instance
    return f"{game_snippet(game)}\ngroup = {list(group)!r}"


REGISTRY.search(
    "G.general",
    statement="the Shapley value of a merged group equals the sum of its members' Shapley values",
    strategy=grouped_games,
    claim=group_claim,
    show=_show,
    document=lambda inst: {"game": inst[0].to_json(), "group": list(inst[1])},
)


@check("G.additive",
       statement="For the fixed-flow game (an additive game), the Shapley value of a merged group equals the "
                 "sum of its members' values.",
       claim="groups of tokens can be treated as one player",
       expected="PROVED (all n)",
       code="shapley(v.merge(G))[g] == sum(shapley(v)[i] for i in G) for additive v",
       depends=["P2.fixed"])
def check_additive(profile):
    """phi_i(additive v) = w_i * sum_s C(n-1,s) s!(n-1-s)!/n! = w_i (summed with symbolic n); the quotient of
    an additive game is additive with the group's total weight; cross-checked on generic additive games."""
    weight_sum = shapley_weight_sum_all_n()
    if weight_sum != 1:
        return Verdict.undecided("sum of Shapley weights", {"computed": weight_sum})
    checked = {}
    for size in range(2, profile.max_n + 1):
        w = sp.symbols(f"w1:{size + 1}", real=True)
        players = list(range(1, size + 1))
        g = Game.additive(dict(zip(players, w)))
        phi = shapley_forms(g)
        groups = 0
        for mask in range(1, 1 << size):
            group = [p for k, p in enumerate(players) if mask >> k & 1]
            if len(group) < 2:
                continue
            merged = shapley_forms(g.merge(group, MERGED))[MERGED]
            total = LinearForm()
            for p in group:
                total = total + phi[p]
            if merged != total:
                return Verdict.refuted({"game": g, "group": group}, "additive quotient mismatch")
            groups += 1
        checked[f"n={size}"] = f"{groups} groups, symbolic weights"
    return Verdict.proved_for_all(
        {
            "derivation": [
                "additive v: v(S ∪ i) - v(S) = w_i for every S, so phi_i = w_i * sum_s C(n-1,s) s!(n-1-s)!/n!",
                f"sum_s C(n-1,s) s!(n-1-s)!/n! = {sp.sstr(weight_sum)} (SymPy, n symbolic)",
                "the quotient v' of an additive v is additive: v'(S') = sum over members, weight w'_g = sum_(i in G) w_i",
                "so phi_g(v') = w'_g = sum_(i in G) w_i = sum_(i in G) phi_i(v)",
                "the fixed-flow game is additive (P2.fixed), so the statement applies to it",
            ],
            "cross_check_generic_additive_games": checked,
        },
        f"proved for symbolic n; re-checked exactly on every group of additive games with n <= {profile.max_n}",
    )


@check("G.general",
       statement="For general games the Shapley value of a merged group equals the sum of its members' values.",
       claim="(false in general; the smallest witness)",
       expected="REFUTED",
       code="shapley(v.merge(G))[g] == sum(shapley(v)[i] for i in G)",
       remedy="Group values add up only for additive games such as the fixed-flow game (G.additive); in general use the quotient game's Shapley value or the Owen value, not the sum.")
def check_general(profile):
    """Search (game, group) pairs; re-verify the shrunk witness with the permutation formula."""
    result = find_counterexample(grouped_games(), group_claim, max_examples=profile.max_examples,
                                 seed=profile.seed)
    if not result.found:
        return Verdict.checked(result.examples, {"search": result.to_dict()}, "no witness found")
    game, group = result.instance
    phi = independent_shapley(game)
    merged = independent_shapley(game.merge(group, MERGED))[MERGED]
    total = sp.Add(*[phi[p] for p in group])
    if sp.simplify(merged - total) == 0:
        raise AssertionError("witness failed re-verification by the permutation formula")
    return Verdict.refuted(
        {"game": game, "python": game.to_python(), "group": list(group),
         "merged_shapley": merged, "sum_of_members": total, "search": result.to_dict()},
        f"{game.n}-player game, group {list(group)}: merged value {merged} != sum {total}",
    )


def test_checks():
    """pytest: every G check reaches its expected verdict at the quick profile."""
    assert_family_ok(["G"])


if __name__ == "__main__":
    prove_as_script(["G"])
