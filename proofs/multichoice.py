"""M — multi-choice games: the values of Hsiao-Raghavan, Derks-Peters and van den Nouweland et al. (STATEMENTS.md, M).

Run alone: ``python -m proofs.multichoice``.

The talk closes with "generalized cooperative games with multiple actions"; a multi-choice game
gives each player the levels ``0..m_i`` (a token hidden, attended with reduced weight, fully
present).  Each statement below is decided on the generic symbolic games of every level profile
of each size (:func:`symgame.multichoice.axioms.level_profiles`), or refuted by a concrete game
re-verified on an independent path.
"""

import sympy as sp

from symgame import Game, shapley
from symgame.attention.masking import attention_masking_game
from symgame.checks import check
from symgame.linear import LinearForm
from symgame.multichoice import MultiChoiceGame, derks_peters, hsiao_raghavan, player_totals, van_den_nouweland
from symgame.multichoice.attention import attention_multilevel_game
from symgame.multichoice.axioms import AXIOMS, HR_WEIGHTS, RULES, check_value_axiom, level_profiles, vanishes
from symgame.multichoice.orders import hsiao_raghavan_by_recursion, van_den_nouweland_by_orders
from symgame.verdicts import Kind, Verdict

from .common import assert_family_ok, independent_shapley, prove_as_script

__all__ = ["axiom_bound", "EXPECTED_AXIOMS", "SHORT", "check_reduces_to_shapley", "check_independent",
           "check_hr_unanimity", "check_dp_unanimity", "check_vdn_is_not_hr", "check_cookies",
           "check_attention_one_level", "check_dp_hr_totals"]

#: Check-name abbreviations of the three values.
SHORT = {"hsiao_raghavan": "hr", "derks_peters": "dp", "van_den_nouweland": "vdn"}
_NAMES = {"hsiao_raghavan": "Hsiao-Raghavan value (any positive level weights)",
          "derks_peters": "Derks-Peters value", "van_den_nouweland": "van den Nouweland et al. value"}
_AXIOM_WORDS = {
    "efficiency": "is efficient: the values of all player-levels sum to v(m)",
    "linearity": "is linear: phi(v + w) = phi(v) + phi(w) and phi(a v) = a phi(v)",
    "null_player": "gives nothing to a null player (v(x) = v(x_-i, 0) for every x)",
    "level_null": "gives nothing to a null player-level (v(x_-i, j) = v(x_-i, j - 1) for every x_-i)",
    "symmetry": "gives interchangeable players (same m, v unchanged by exchanging their levels) equal values "
                "at every level",
    "extra_level": "is unchanged when a player gets one more top level that adds nothing, which gets 0",
}
#: Expected verdicts of the axiom statements, established by computation (see STATEMENTS.md, M).
EXPECTED_AXIOMS = {(rule, axiom): "PROVED (n <= 3)" for rule in RULES for axiom in AXIOMS}
EXPECTED_AXIOMS[("derks_peters", "level_null")] = "REFUTED"
EXPECTED_AXIOMS[("van_den_nouweland", "extra_level")] = "REFUTED"


def axiom_bound(profile):
    """Players covered by the generic-game proofs: 3 at the quick profile, 4 at the thorough one."""
    return 4 if profile.max_n >= 8 else 3


def _axiom_check(rule_name, axiom):
    def run(profile):
        return check_value_axiom(axiom, RULES[rule_name], axiom_bound(profile), seed=profile.seed)

    run.__name__ = f"check_{SHORT[rule_name]}_{axiom}"
    return run


for _rule in RULES:
    for _axiom in AXIOMS:
        check(f"M.{SHORT[_rule]}.{_axiom}",
              statement=f"The {_NAMES[_rule]} {_AXIOM_WORDS[_axiom]}.",
              claim="multi-choice values (issue 14)",
              expected=EXPECTED_AXIOMS[(_rule, _axiom)],
              code=f"check_value_axiom({_axiom!r}, RULES[{_rule!r}], N)")(_axiom_check(_rule, _axiom))


def check_reduces_to_shapley(rule_name):
    """When every ``m_i = 1`` the value equals :func:`symgame.values.shapley` and the permutation formula."""
    def run(profile):
        bound = min(profile.max_n, 6)
        per_n = {}
        for n in range(1, bound + 1):
            tu = Game.generic(n)
            value = RULES[rule_name](MultiChoiceGame.from_game(tu))
            phi = shapley(tu)
            again = independent_shapley(tu) if n <= 5 else phi
            bad = [p for p in tu.players if not vanishes(value[(p, 1)] - phi[p], HR_WEIGHTS)
                   or not LinearForm.from_expr(phi[p] - again[p]).is_zero]
            if bad:
                return Verdict.refuted({"n": n, "players": bad, "value": value, "shapley": phi},
                                       f"{rule_name} differs from Shapley at n = {n}")
            per_n[n] = {"symbols": 2 ** n - 1, "permutation_formula": n <= 5}
        return Verdict.proved_up_to(bound, {"per_n": per_n},
                                    f"{rule_name} of the generic TU game equals its Shapley value for n <= {bound}")

    run.__name__ = f"check_{SHORT[rule_name]}_shapley"
    return run


def check_independent(rule_name):
    """The closed form equals the independent formula on the generic game of every level profile."""
    def run(profile):
        bound = axiom_bound(profile)
        rule = RULES[rule_name]
        covered = []
        for n in range(1, bound + 1):
            for levels in level_profiles(n):
                g = MultiChoiceGame.generic(tuple(range(1, n + 1)), levels)
                one, two = rule(g), rule(g, independent=True)
                bad = [k for k in one if not vanishes(one[k] - two[k], rule.parameters)]
                if bad:
                    return Verdict.refuted({"levels": levels, "keys": bad, "closed_form": one, "independent": two},
                                           f"closed form and independent formula of {rule_name} differ")
                covered.append(list(levels))
        return Verdict.proved_up_to(bound, {"profiles": covered}, f"{len(covered)} level profiles, generic games")

    run.__name__ = f"check_{SHORT[rule_name]}_independent"
    return run


_INDEPENDENT_WORDS = {
    "hsiao_raghavan": "dividends found by recursive subtraction instead of the Möbius formula",
    "derks_peters": "the Shapley value of the TU game on player-levels T -> v(rho(T))",
    "van_den_nouweland": "the average marginal contribution over every admissible ordering of player-levels",
}

for _rule in RULES:
    check(f"M.{SHORT[_rule]}.shapley",
          statement=f"When every player has one level (m_i = 1) the {_NAMES[_rule]} is the Shapley value.",
          claim="multi-choice values reduce to Shapley (issue 14)",
          expected="PROVED (n <= 6)",
          code=f"RULES[{_rule!r}](MultiChoiceGame.from_game(Game.generic(n))) == shapley(Game.generic(n))")(
        check_reduces_to_shapley(_rule))
    check(f"M.{SHORT[_rule]}.independent",
          statement=f"The closed form of the {_NAMES[_rule]} equals {_INDEPENDENT_WORDS[_rule]}.",
          claim="every new value agrees with an independent formula (issue 14)",
          expected="PROVED (n <= 3)",
          code=f"RULES[{_rule!r}](g) == RULES[{_rule!r}](g, independent=True)  # g generic")(
        check_independent(_rule))


def _unanimity(players, levels, x):
    return MultiChoiceGame(players, levels, {y: 1 for y in MultiChoiceGame.generic(players, levels).level_vectors()
                                             if all(a >= b for a, b in zip(y, x))}, default=0)


@check("M.hr.unanimity",
       statement="Hsiao and Raghavan's Axiom 1: in every unanimity game u_x the value of (i, x_i) is proportional "
                 "to the weight w_{x_i} over the players i with x_i >= 1, and every other player-level gets 0.",
       claim="Hsiao-Raghavan value, level weights given from outside",
       expected="PROVED (n <= 3)",
       code="phi = hsiao_raghavan(u_x, (w_1, w_2, w_3)); phi[(i, x_i)] * w_{x_k} == phi[(k, x_k)] * w_{x_i}")
def check_hr_unanimity(profile):
    """Every unanimity game of every level profile, weights symbolic."""
    bound = axiom_bound(profile)
    games = 0
    for n in range(1, bound + 1):
        for levels in level_profiles(n):
            players = tuple(range(1, n + 1))
            for x in MultiChoiceGame.generic(players, levels).level_vectors()[1:]:
                phi = hsiao_raghavan(_unanimity(players, levels, x), HR_WEIGHTS)
                support = [k for k, l in enumerate(x) if l]
                top = [phi[(players[k], x[k])] for k in support]
                rest = [v for (p, j), v in phi.items() if x[players.index(p)] != j]
                ok = all(vanishes(top[a] * HR_WEIGHTS[x[support[b]] - 1] - top[b] * HR_WEIGHTS[x[support[a]] - 1],
                                  HR_WEIGHTS) for a in range(len(top)) for b in range(len(top))) \
                    and all(vanishes(v, HR_WEIGHTS) for v in rest) and vanishes(sp.Add(*top) - 1, HR_WEIGHTS)
                if not ok:
                    return Verdict.refuted({"levels": levels, "x": x, "value": phi}, "Axiom 1 fails")
                games += 1
    return Verdict.proved_up_to(bound, {"unanimity_games": games, "weights": [str(w) for w in HR_WEIGHTS]},
                                f"{games} unanimity games, weights symbolic")


@check("M.dp.unanimity",
       statement="In every unanimity game u_x the Derks-Peters value splits 1 equally over the player-levels (i, j) "
                 "with j <= x_i and gives the levels above x nothing.",
       claim="Derks-Peters: every unit of level counts the same",
       expected="PROVED (n <= 3)",
       code="phi = derks_peters(u_x); set(phi[(i, j)] for j <= x_i) == {1/sum(x)}")
def check_dp_unanimity(profile):
    """Every unanimity game of every level profile, by the value's independent path (Shapley on player-levels)."""
    bound = axiom_bound(profile)
    games = 0
    for n in range(1, bound + 1):
        for levels in level_profiles(n):
            players = tuple(range(1, n + 1))
            for x in MultiChoiceGame.generic(players, levels).level_vectors()[1:]:
                u = _unanimity(players, levels, x)
                phi = derks_peters(u)
                inside = {v for (p, j), v in phi.items() if j <= x[players.index(p)]}
                outside = {v for (p, j), v in phi.items() if j > x[players.index(p)]}
                if len(inside) != 1 or outside - {0} or sum(phi.values()) != 1 \
                        or RULES["derks_peters"](u, independent=True) != phi:
                    return Verdict.refuted({"levels": levels, "x": x, "value": phi}, "not an equal split")
                games += 1
    return Verdict.proved_up_to(bound, {"unanimity_games": games}, f"{games} unanimity games")


@check("M.vdn.is_hr",
       statement="The van den Nouweland et al. value equals the Hsiao-Raghavan value with weights w_j = j (as it "
                 "does on every unanimity game u_m of the top level vector).",
       claim="a tempting identity between two multi-choice values",
       expected="REFUTED",
       code="van_den_nouweland(g) == hsiao_raghavan(g, [1, 2, 3])")
def check_vdn_is_not_hr(profile):
    """Search the unanimity games of small profiles; re-verify by orderings and recursive dividends."""
    agree_on_top = []
    for n in (1, 2):
        for levels in level_profiles(n):
            players = tuple(range(1, n + 1))
            for x in MultiChoiceGame.generic(players, levels).level_vectors()[1:]:
                u = _unanimity(players, levels, x)
                vdn, hr = van_den_nouweland(u), hsiao_raghavan(u, [1, 2, 3])
                if x == levels:
                    agree_on_top.append(vdn == hr)
                if vdn != hr:
                    again = MultiChoiceGame.from_json(u.to_json())
                    by_orders = van_den_nouweland_by_orders(again)
                    by_recursion = hsiao_raghavan_by_recursion(again, [1, 2, 3])
                    cert = {"game": again.to_json(), "x": x, "van_den_nouweland": vdn, "hsiao_raghavan_w_j_eq_j": hr,
                            "by_orders": by_orders, "by_recursion": by_recursion,
                            "agree_on_u_m_so_far": agree_on_top}
                    if by_orders != vdn or by_recursion != hr:
                        return Verdict.undecided("the independent paths disagree with the closed forms", cert)
                    return Verdict.refuted(cert, f"levels {levels}, u_x with x = {x}: van den Nouweland {vdn} vs "
                                                 f"Hsiao-Raghavan(w_j = j) {hr}")
    return Verdict.checked(len(agree_on_top), {"agree_on_top": agree_on_top}, "no difference found")


@check("M.dp.hr_totals",
       statement="Per player, the Derks-Peters totals sum_j phi[(i, j)] equal the Hsiao-Raghavan totals with weights "
                 "w_j = j (the values differ level by level).",
       claim="two multi-choice values agree on what each player gets in all",
       expected="PROVED (n <= 3)",
       code="player_totals(derks_peters(g)) == player_totals(hsiao_raghavan(g, [1, 2, 3]))  # g generic")
def check_dp_hr_totals(profile):
    """Generic games of every level profile; the level-by-level difference recorded as well."""
    bound = axiom_bound(profile)
    covered, differ_by_level = [], 0
    for n in range(1, bound + 1):
        for levels in level_profiles(n):
            g = MultiChoiceGame.generic(tuple(range(1, n + 1)), levels)
            dp, hr = derks_peters(g), hsiao_raghavan(g, [1, 2, 3, 4])
            tdp, thr = player_totals(dp), player_totals(hr)
            bad = [p for p in tdp if not vanishes(tdp[p] - thr[p])]
            if bad:
                return Verdict.refuted({"levels": levels, "players": bad, "derks_peters": tdp, "hsiao_raghavan": thr},
                                       f"totals differ at levels {levels}")
            differ_by_level += sum(1 for k in dp if not vanishes(dp[k] - hr[k]))
            covered.append(list(levels))
    return Verdict.proved_up_to(bound, {"profiles": covered, "player_levels_that_differ": differ_by_level},
                                "equal totals; the level-by-level values differ")


@check("M.cookies",
       statement="The cookie game v(A) = 5x, v(B) = 3x, v(AB) = 10x as a multi-choice game with one level each gives "
                 "(6x, 4x) under all three values, x symbolic.",
       claim="Alice should get 6x cookies and Bob 4x (the talk), with multiple actions",
       expected="PROVED",
       code="hsiao_raghavan / derks_peters / van_den_nouweland of MultiChoiceGame.from_game(cookies)")
def check_cookies(profile):
    """All three values and their independent paths, against the Shapley value of the TU game."""
    x = sp.Symbol("x", positive=True)
    tu = Game.from_dict(["Alice", "Bob"], {("Alice",): 5 * x, ("Bob",): 3 * x, ("Alice", "Bob"): 10 * x})
    mc = MultiChoiceGame.from_game(tu)
    values = {}
    for name, rule in RULES.items():
        for path in (False, True):
            phi = rule(mc, independent=path)
            values[f"{name}{' (independent)' if path else ''}"] = {p: sp.factor(phi[(p, 1)]) for p in tu.players}
    phi = shapley(tu)
    cert = {"values": values, "shapley": phi}
    if any(v != phi for v in values.values()):
        return Verdict.refuted(cert, "a multi-choice value differs from Shapley on the cookie game")
    if phi != {"Alice": 6 * x, "Bob": 4 * x}:
        return Verdict.refuted(cert, f"the talk's split is not reproduced: {phi}")
    return Verdict(Kind.PROVED, "all x", cert, "(6x, 4x) under all three values and their independent paths")


@check("M.attention.one_level",
       statement="The multi-level attention-masking game with the single fraction (1,) is the two-level "
                 "attention-masking game, and each multi-choice value of it is that game's Shapley value, for "
                 "symbolic positive weights and symbolic values.",
       claim="token levels extend the attention-masking game (talk: multiple actions)",
       expected="PROVED (n <= 3)",
       code="RULES[r](attention_multilevel_game(weights=w, values=x, fractions=[1])) == "
            "shapley(attention_masking_game(weights=w, values=x))")
def check_attention_one_level(profile):
    """Symbolic rows of n <= 3 tokens; the games compared entry by entry, the values as rational functions."""
    per_n = {}
    for n in range(1, 4):
        w = sp.symbols(f"w0:{n}", positive=True)
        x = sp.symbols(f"x0:{n}", real=True)
        two = attention_masking_game(weights=w, values=x)
        one = attention_multilevel_game(weights=w, values=x, fractions=[1])
        same_game = all(vanishes(a - b, w + x) for a, b in zip(one.exprs(), MultiChoiceGame.from_game(two).exprs()))
        phi = shapley(two)
        agree = {name: all(vanishes(rule(one, {p: 1 for p in rule.parameters})[(p, 1)] - phi[p], w + x)
                           for p in two.players) for name, rule in RULES.items()}
        per_n[n] = {"same_game": same_game, "values_equal_shapley": agree}
        if not same_game or not all(agree.values()):
            return Verdict.refuted({"n": n, **per_n[n], "shapley": phi}, f"differs at n = {n}")
    return Verdict.proved_up_to(3, {"per_n": per_n}, "one level: the two-level game and its Shapley value")


def test_checks():
    """pytest: every M check reaches its expected verdict at the quick profile."""
    assert_family_ok(["M"], count=len(RULES) * (len(AXIOMS) + 2) + 6)


if __name__ == "__main__":
    prove_as_script(["M"])
