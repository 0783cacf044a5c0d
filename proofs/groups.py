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
from symgame.interactions import merge_gap, merge_gap_weight, quotient_value_by_interactions
from symgame.linear import LinearForm
from symgame.search import find_counterexample
from symgame.strategies import games
from symgame.verdicts import Verdict

from .common import (assert_family_ok, game_snippet, prove_as_script, independent_shapley, shapley_weight_sum_all_n,
                     unanimity_shapley_all_n, t_sym)

__all__ = ["group_claim", "merged_value", "check_additive", "check_general", "grouped_games", "quotient_by_definition",
           "check_interaction", "merge_gap_derivation"]

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
    quotient_additive = True
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
            quotient = g.merge(group, MERGED)
            # lemma on the code's quotient game: additive, the merged player's weight the group's total weight
            singles = {p: quotient.value_at(1 << k) for k, p in enumerate(quotient.players)}
            additive = all(sp.expand(quotient.value_at(m) - sp.Add(*[singles[p] for k, p in enumerate(quotient.players)
                                                                      if m >> k & 1])) == 0
                           for m in range(1 << quotient.n))
            weight_ok = sp.expand(singles[MERGED] - sp.Add(*[w[p - 1] for p in group])) == 0
            others_ok = all(sp.expand(singles[p] - w[p - 1]) == 0 for p in quotient.players if p != MERGED)
            quotient_additive &= additive and weight_ok and others_ok
            merged = shapley_forms(quotient)[MERGED]
            total = LinearForm()
            for p in group:
                total = total + phi[p]
            if merged != total or not (additive and weight_ok and others_ok):
                return Verdict.refuted({"game": g, "group": group, "quotient": quotient},
                                       "additive quotient mismatch")
            groups += 1
        checked[f"n={size}"] = f"{groups} groups, symbolic weights"
    return Verdict.proved_for_all(
        {
            "derivation": [
                "additive v: v(S ∪ i) - v(S) = w_i for every S, so phi_i = w_i * sum_s C(n-1,s) s!(n-1-s)!/n!",
                f"sum_s C(n-1,s) s!(n-1-s)!/n! = {sp.sstr(weight_sum)} (values.shapley_weight summed, n symbolic)",
                f"lemma (the quotient games Game.merge builds from additive games with symbolic weights, every group, "
                f"n <= {profile.max_n}): v' is additive, w'_g = sum_(i in G) w_i and w'_j = w_j off the group",
                "so phi_g(v') = w'_g = sum_(i in G) w_i = sum_(i in G) phi_i(v)",
                "the fixed-flow game is additive (P2.fixed), so the statement applies to it",
            ],
            "cross_check_generic_additive_games": checked,
            "provenance": {
                "computed_from_code": ["sum of the Shapley weights (values.shapley_weight) with n symbolic"],
                "checked_on_instances": [
                    f"Game.merge of additive games is additive with the group's total weight, n <= {profile.max_n}",
                    f"shapley_forms of the quotient = sum of the members' values, every group, n <= {profile.max_n}"],
                "argued": ["the quotient of an additive game is additive for every n: v'(S') = v(S) is a sum "
                           "over the members of S"],
            },
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
    minimal = smaller_sizes_exhausted(game.n)
    return Verdict.refuted(
        {"game": game, "python": game.to_python(), "group": list(group),
         "merged_shapley": merged, "sum_of_members": total, "search": result.to_dict(),
         "minimality": minimal},
        f"{game.n}-player game, group {list(group)}: merged value {merged} != sum {total}"
        + ("; no smaller game has a witness (decided for every game)" if minimal["all_exhausted"] else ""),
    )


def smaller_sizes_exhausted(n):
    """Prove that no game with fewer than ``n`` players (and at least 2) is a witness against :func:`group_claim`.

    With ``m`` players a group of at least two members is ``N`` itself only when ``m = 2``; so sizes
    ``m < 3`` are decided for every game: on the generic game (every value a symbol) the merged
    player's Shapley value equals the sum of the members' as exact linear forms (efficiency).  Sizes
    ``3 <= m < n`` have witnesses whenever 3 does and are reported as not exhausted.

    Examples
    --------
    >>> smaller_sizes_exhausted(3)["all_exhausted"]
    True
    """
    out = {}
    for m in range(2, n):
        if m == 2:
            g = Game.generic(m)
            ok = all(group_claim((g, tuple(grp))) for grp in [g.players])
            out[f"n={m}"] = {"decided": "for every game (generic game, every group of >= 2 players)",
                             "no witness": bool(ok)}
        else:
            out[f"n={m}"] = {"decided": "not exhausted"}
    return {"sizes": out, "all_exhausted": all(v.get("no witness") for v in out.values()),
            "why": "1 player has no group of two; with 2 players the only group is N, and the merged player's "
                   "value v(N) is the members' sum by efficiency (computed on the generic game)"}


def quotient_by_definition(game, group, label=MERGED):
    """The quotient game written from its definition, not by :meth:`Game.merge`: players ``(N \\ T) ∪ {label}``
    (label first), ``v'(S') = v(S' with label replaced by every member of T)``."""
    members = set(group)
    players = [label] + [p for p in game.players if p not in members]

    def payoff(coalition):
        expanded = set(coalition) - {label}
        if label in coalition:
            expanded |= members
        return game[frozenset(expanded)]

    return Game.from_function(players, payoff)


def merge_gap_derivation():
    """The weight of ``d(R)`` in ``phi_[T](v_[T]) - sum_(i in T) phi_i(v)`` for symbolic ``r = |R|``, ``k = |R ∩ T|``.

    From ``phi_i(u_R) = 1/|R|`` (:func:`proofs.common.unanimity_shapley_all_n`, ``n`` symbolic): in the
    quotient game ``u_R`` becomes the unanimity game of ``(R \\ T) ∪ {[T]}``, ``r - k + 1`` players, so the
    merged player gets ``1/(r-k+1)``; the ``k`` members of ``R ∩ T`` get ``1/r`` each.

    Examples
    --------
    >>> merge_gap_derivation()["factored"]
    '-(-k + r)*(k - 1)/(r*(-k + r + 1))'
    """
    r, k = sp.symbols("r k", integer=True, positive=True)
    unanimity = unanimity_shapley_all_n()
    member = sp.sympify(unanimity["phi_member"], locals={"t": t_sym})
    merged = member.subs(t_sym, r - k + 1)
    members = k * member.subs(t_sym, r)
    weight = sp.factor(sp.simplify(merged - members))
    return {
        "merged_share": sp.sstr(merged), "members_share": sp.sstr(members), "weight": weight,
        "factored": sp.sstr(weight), "at_k_1": sp.simplify(weight.subs(k, 1)), "at_k_r": sp.simplify(weight.subs(k, r)),
        "symbols": (r, k), "unanimity": unanimity,
    }


@check("G.interaction",
       statement="For every game v and group T (|T| >= 2), with r = |R| and k = |R ∩ T|: "
                 "phi_[T](v_[T]) - sum_{i in T} phi_i(v) = sum_{R: k >= 2, R ⊄ T} d(R) (1/(r-k+1) - k/r), "
                 "and phi_[T](v_[T]) = sum_{∅ != S ⊆ T} I_{v|(N\\T) ∪ S}(S) (Shapley interaction indices of the "
                 "sub-groups, each in the game without the rest of T).",
       claim="what a group's value is, when it is not the sum of its members' values",
       expected="PROVED (n <= 6)",
       code="shapley(v.merge(T))[g] - sum(shapley(v)[i] for i in T) == merge_gap(v, T)['gap'] "
            "and shapley(v.merge(T))[g] == quotient_value_by_interactions(v, T)")
def check_interaction(profile):
    """Both identities as exact linear forms on the generic game, every group, every n <= max_n; the quotient
    built by ``Game.merge`` and again from its definition; the dividend weight derived for symbolic sizes."""
    derivation = merge_gap_derivation()
    r, k = derivation["symbols"]
    weight = derivation["weight"]
    if derivation["at_k_1"] != 0 or derivation["at_k_r"] != 0:
        return Verdict.refuted({"derivation": {key: sp.sstr(val) for key, val in derivation.items()
                                               if key not in ("symbols", "unanimity")}},
                               "the gap weight does not vanish for k = 1 or R ⊆ T")
    weights = {}
    for rr in range(1, profile.max_n + 1):
        for kk in range(1, rr + 1):
            if sp.Rational(merge_gap_weight(rr, kk)) != weight.subs({r: rr, k: kk}):
                return Verdict.refuted({"r": rr, "k": kk, "library": merge_gap_weight(rr, kk),
                                        "derived": weight.subs({r: rr, k: kk})},
                                       "merge_gap_weight disagrees with the derived weight")
            weights[f"r={rr},k={kk}"] = sp.sstr(weight.subs({r: rr, k: kk}))
    checked = {}
    for size in range(2, profile.max_n + 1):
        g = Game.generic(size)
        phi = shapley_forms(g)
        groups = nonzero = 0
        for mask in range(1, 1 << size):
            group = [p for j, p in enumerate(g.players) if mask >> j & 1]
            if len(group) < 2:
                continue
            merged_game = g.merge(group, MERGED)
            by_definition = quotient_by_definition(g, group)
            if merged_game != by_definition:
                return Verdict.refuted({"game": g, "group": group, "merge": merged_game.to_python(),
                                        "definition": by_definition.to_python()},
                                       "Game.merge differs from the quotient game's definition")
            merged = shapley_forms(merged_game)[MERGED]
            if merged != shapley_forms(by_definition)[MERGED]:
                raise AssertionError(f"equal games with different Shapley values (n={size}, group {group})")
            gap = merged
            for p in group:
                gap = gap - phi[p]
            predicted = merge_gap(g, group)
            if gap != LinearForm.from_expr(predicted["gap"]):
                return Verdict.refuted({"game": g, "group": group, "gap": gap.as_expr(), "dividend_form": predicted},
                                       f"n={size}, group {group}: the gap is not the dividend sum")
            interactions = quotient_value_by_interactions(g, group)
            if merged != LinearForm.from_expr(interactions):
                return Verdict.refuted({"game": g, "group": group, "merged": merged.as_expr(),
                                        "interactions": interactions},
                                       f"n={size}, group {group}: the merged value is not the interaction sum")
            groups += 1
            nonzero += not gap.is_zero
        checked[f"n={size}"] = f"{groups} groups ({nonzero} with a non-zero gap), {2 ** size - 1} coalition symbols"
    return Verdict.proved_up_to(
        profile.max_n,
        {
            "derivation": [
                "v = sum_R d(R) u_R (Möbius inversion); Shapley values and the quotient v -> v_[T] are linear in v",
                "the quotient of u_R is the unanimity game of (R \\ T) ∪ {[T]} when R meets T (r - k + 1 players)",
                f"phi(u_R) = {derivation['unanimity']['phi_member']} per member (t = carrier size, n symbolic): "
                f"merged share {derivation['merged_share']}, members' share {derivation['members_share']}",
                f"weight of d(R) in the gap: {derivation['factored']}; at k = 1: {derivation['at_k_1']}, "
                f"at k = r (R ⊆ T): {derivation['at_k_r']}",
                "interaction form: I_{v|P}(S) = sum_{S ⊆ R ⊆ P} d(R)/(r-|S|+1); with P = (N \\ T) ∪ S, d(R) enters "
                "the S-term iff R ∩ T = S, with weight 1/(r-k+1), the merged share",
            ],
            "weights_checked_against_merge_gap_weight": weights,
            "generic_games": checked,
        },
        f"both identities exact on every group of generic games n <= {profile.max_n} (quotients by merge and by "
        f"definition); gap weight {derivation['factored']} derived with r, k symbolic",
    )


def test_checks():
    """pytest: every G check reaches its expected verdict at the quick profile."""
    assert_family_ok(["G"])


if __name__ == "__main__":
    prove_as_script(["G"])
