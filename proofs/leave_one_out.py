"""P3 — leave-one-out values are not Shapley values (STATEMENTS.md, P3).

Run alone: ``python -m proofs.leave_one_out``.

The talk's Proposition 3 reads: "If some player i is not a null player even
when excluding the coalition N \\ {i}, then there is no TU-game for which
leave-one-out values are Shapley values."  Read literally it is false
(additive games); the precise statement is a condition on Harsanyi dividends.
"""

import sympy as sp
from hypothesis import strategies as st

from symgame import Game, dividends, leave_one_out, shapley, shapley_forms
from symgame.checks import REGISTRY, check
from symgame.linear import LinearForm
from symgame.properties import is_additive
from symgame.search import find_counterexample
from symgame.strategies import additive_games, games, nonnegative_dividend_games
from symgame.verdicts import Verdict

from .common import (assert_family_ok, game_snippet, prove_as_script, independent_shapley, n_sym, t_sym,
                     unanimity_shapley_all_n)

__all__ = [
    "literal_hypothesis",
    "loo_equals_shapley",
    "literal_claim",
    "check_literal",
    "check_precise",
    "loo_on_unanimity",
    "precise_coefficient",
    "check_monotone",
    "check_redundancy",
    "redundancy_game",
]


def literal_hypothesis(game):
    """Some player has a non-zero marginal contribution to a coalition other than ``N \\ {i}``."""
    full = (1 << game.n) - 1
    vals = game.exprs()
    for i in range(game.n):
        bit = 1 << i
        for mask in range(1 << game.n):
            if mask & bit or mask == full ^ bit:
                continue
            if (vals[mask | bit] - vals[mask]).is_zero is False:
                return True
    return False


def loo_equals_shapley(game):
    """Whether LOO and Shapley agree exactly (as linear forms, so symbolic games are decided too)."""
    phi, loo = shapley(game), leave_one_out(game)
    return all(LinearForm.from_expr(phi[p] - loo[p]).is_zero for p in game.players)


def literal_claim(game):
    """The paper's loose claim on one game: hypothesis => LOO != Shapley."""
    return not literal_hypothesis(game) or not loo_equals_shapley(game)


def _search_strategy():
    return st.one_of(additive_games(max_players=4), games(max_players=4))


REGISTRY.search(
    "P3.literal",
    statement="hypothesis of Prop. 3 (a marginal contribution to a coalition other than N\\{i} is non-zero) "
              "implies LOO != Shapley",
    strategy=_search_strategy,
    claim=literal_claim,
    show=game_snippet,
    document=lambda g: g.to_json(),
)


@check("P3.literal",
       statement="If some player i has a nonzero marginal contribution to some coalition other than N\\{i}, "
                 "then LOO != Shapley.",
       claim="Prop. 3 as stated in the talk",
       expected="REFUTED",
       code="all(not literal_hypothesis(g) or not loo_equals_shapley(g) for g in games)",
       remedy="Replace 'a non-zero marginal contribution' by the dividend condition of P3.precise; for games with non-negative dividends (P3.monotone) it reads: LOO = Shapley iff the game is additive.")
def check_literal(profile):
    """Search games (additive and general) for one satisfying the hypothesis with LOO == Shapley."""
    result = find_counterexample(_search_strategy(), literal_claim,
                                 max_examples=profile.max_examples, seed=profile.seed)
    if not result.found:
        return Verdict.checked(result.examples, {"search": result.to_dict()}, "no counterexample found")
    g = result.instance
    # independent re-verification: permutation formula and the definition of LOO, on the concrete game
    phi = independent_shapley(g)
    full = g.grand_coalition
    loo = {p: g[full] - g[full - {p}] for p in g.players}
    hyp = literal_hypothesis(g)
    if not (hyp and phi == loo):
        raise AssertionError(f"counterexample failed re-verification: phi={phi}, loo={loo}, hypothesis={hyp}")
    return Verdict.refuted(
        {"game": g, "python": g.to_python(), "shapley_by_permutations": phi, "loo": loo,
         "additive": is_additive(g), "search": result.to_dict()},
        f"{g.n}-player game satisfying the hypothesis with LOO = Shapley = {phi}",
    )


def loo_on_unanimity(max_n):
    """LOO of every unanimity game ``u_T`` (n <= ``max_n``) as :func:`symgame.values.leave_one_out` computes it.

    Returns the set of values seen on members of ``T`` and on non-members; the all-n derivation of
    P3.precise needs one value for each (a lemma checked on every instance).

    Examples
    --------
    >>> loo_on_unanimity(3)
    {'members': [1], 'nonmembers': [0], 'games': 11}
    """
    members, nonmembers = set(), set()
    games = 0
    for n in range(1, max_n + 1):
        players = list(range(1, n + 1))
        for mask in range(1, 1 << n):
            T = [p for k, p in enumerate(players) if mask >> k & 1]
            loo = leave_one_out(Game.unanimity(players, T))
            games += 1
            for p, x in loo.items():
                (members if p in T else nonmembers).add(sp.sympify(x))
    return {"members": sorted(members, key=str), "nonmembers": sorted(nonmembers, key=str), "games": games}


def precise_coefficient(max_n):
    """The coefficient of ``d(T)`` in ``LOO_i - phi_i`` for ``i in T`` and ``i not in T``, with ``t = |T|`` symbolic.

    ``LOO_i(u_T)`` is read from the code (:func:`loo_on_unanimity`, every n <= ``max_n``);
    ``phi_i(u_T) = 1/t`` is the S0.a derivation, which sums the code's weight with symbolic n, t.

    Returns
    -------
    dict
        ``member`` and ``nonmember`` coefficients (SymPy, ``None`` when the code's LOO is not one
        value per case), the LOO lemma and the unanimity derivation.

    Examples
    --------
    >>> c = precise_coefficient(3)
    >>> c["member"], c["nonmember"]
    ((t - 1)/t, 0)
    """
    unanimity = unanimity_shapley_all_n()
    t = t_sym
    phi_member = sp.sympify(unanimity["phi_member"], locals={"t": t})
    lemma = loo_on_unanimity(max_n)
    out = {"loo_lemma": lemma, "unanimity": unanimity, "member": None, "nonmember": None}
    if len(lemma["members"]) == 1 and len(lemma["nonmembers"]) == 1:
        out["member"] = sp.simplify(lemma["members"][0] - phi_member)
        out["nonmember"] = sp.simplify(lemma["nonmembers"][0] - sp.sympify(unanimity["phi_nonmember"]))
    return out


@check("P3.precise",
       statement="LOO = phi iff for every i: sum_{T ∋ i, |T| >= 2} d(T) (|T|-1)/|T| = 0.",
       claim="the precise form of Prop. 3",
       expected="PROVED (all n)",
       code="LOO_i - phi_i == sum(d[T] * (len(T) - 1) / len(T) for T in coalitions if i in T and len(T) >= 2)")
def check_precise(profile):
    """Derive ``LOO_i - phi_i = sum_{T ∋ i} d(T)(1 - 1/|T|)`` for symbolic t from the code's LOO on unanimity games
    and the code's Shapley weight, then cross-check exactly on generic games."""
    t = t_sym
    derived = precise_coefficient(profile.max_n)
    coefficient, off = derived["member"], derived["nonmember"]
    unanimity = derived["unanimity"]
    if coefficient is None:
        return Verdict.undecided("the code's LOO of u_T is not one value on members / non-members",
                                 {"loo_lemma": derived["loo_lemma"]})
    if sp.simplify(coefficient - (t - 1) / t) != 0 or off != 0:
        return Verdict.refuted({"coefficient": coefficient, "nonmember_coefficient": off,
                                "loo_lemma": derived["loo_lemma"]},
                               f"coefficient of d(T) in LOO_i - phi_i is {coefficient}, not (t-1)/t")
    singleton = coefficient.subs(t, 1)
    # cross-check as exact linear forms on the fully generic game for each n <= max_n
    sizes = {}
    for n in range(1, profile.max_n + 1):
        g = Game.generic(n)
        phi = shapley_forms(g)
        loo = leave_one_out(g)
        d = dividends(g)
        for i, p in enumerate(g.players):
            rhs = LinearForm()
            for T, dT in d.items():
                if p in T and len(T) >= 2:
                    rhs = rhs + LinearForm.from_expr(dT * sp.Rational(len(T) - 1, len(T)))
            if LinearForm.from_expr(loo[p]) - phi[p] != rhs:
                return Verdict.refuted({"n": n, "player": p}, f"identity fails for n={n}, player {p}")
        sizes[n] = 2 ** n - 1
    lemma = derived["loo_lemma"]
    return Verdict.proved_for_all(
        {
            "derivation": [
                "v = sum_T d(T) u_T (Möbius inversion; S0.b's spanning lemma); LOO and phi are linear in v",
                f"LOO_i(u_T) read from values.leave_one_out on all {lemma['games']} unanimity games n <= "
                f"{profile.max_n}: {lemma['members']} for i in T, {lemma['nonmembers']} otherwise",
                f"phi_i(u_T) = {unanimity['closed_form']} = {unanimity['phi_member']} for i in T, 0 otherwise "
                "(the code's weight summed with n, t symbolic)",
                f"so LOO_i - phi_i = sum_(T ∋ i) d(T) * ({sp.sstr(coefficient)}) (sympy.simplify); the |T| = 1 term "
                f"is {sp.sstr(singleton)} and non-members contribute {sp.sstr(off)}",
            ],
            "coefficient": coefficient,
            "loo_lemma": lemma,
            "unanimity_derivation": unanimity,
            "symbols": {"n": sp.sstr(n_sym), "t": "|T|"},
            "cross_check_generic_games": {f"n={n}": f"{k} coalition symbols" for n, k in sizes.items()},
            "provenance": {
                "computed_from_code": ["phi_i(u_T) = 1/t: values.shapley_weight summed, n and t symbolic",
                                       "LOO_i(u_T) from values.leave_one_out; coefficient simplified symbolically"],
                "checked_on_instances": [
                    f"LOO_i(u_T) = one value on members and one off T, every unanimity game n <= {profile.max_n}",
                    f"the identity as exact linear forms on generic games (values.dividends, shapley_forms), "
                    f"n <= {profile.max_n}"],
                "argued": ["linearity of LOO and phi; the unanimity basis spans (S0.b)"],
            },
        },
        f"coefficient of d(T) in LOO_i - phi_i is {sp.sstr(coefficient)} for all n (from the code's LOO and "
        f"weight); identity re-checked as exact linear forms on generic games n <= {profile.max_n}",
    )


def monotone_claim(game):
    """P3.monotone on one game with non-negative dividends: LOO = phi exactly when the game is additive."""
    return loo_equals_shapley(game) == is_additive(game)


def _monotone_strategy():
    return nonnegative_dividend_games(max_players=4)


REGISTRY.search(
    "P3.monotone",
    statement="for games with non-negative dividends, LOO = Shapley iff the game is additive (the cross-check "
              "of the derivation; a hit would refute it)",
    strategy=_monotone_strategy,
    claim=monotone_claim,
    show=game_snippet,
    document=lambda g: g.to_json(),
)


@check("P3.monotone",
       statement="For games with non-negative dividends, LOO = phi iff the game is additive.",
       claim="when LOO can be trusted",
       expected="PROVED (all n)",
       code="(loo_equals_shapley(g) == is_additive(g)) for g with all dividends >= 0",
       depends=["P3.precise"])
def check_monotone(profile):
    """The P3.precise coefficient, computed again from the code, is positive for |T| = s + 2 >= 2 (decided by
    SymPy), so the sum of non-negative terms vanishes iff every dividend of size >= 2 does, i.e. iff v is additive
    (the dividends of additive games checked from the code)."""
    s = sp.Symbol("s", integer=True, nonnegative=True)
    derived = precise_coefficient(min(profile.max_n, 5))
    if derived["member"] is None:
        return Verdict.undecided("the code's LOO of u_T is not one value on members / non-members",
                                 {"loo_lemma": derived["loo_lemma"]})
    coefficient = sp.simplify(derived["member"].subs(t_sym, s + 2))
    positive = coefficient.is_positive
    singleton = sp.simplify(derived["member"].subs(t_sym, 1))
    if positive is not True or singleton != 0:
        return Verdict.undecided("sign of the P3.precise coefficient not decided",
                                 {"coefficient": coefficient, "singleton": singleton})
    # lemma: v is additive iff its dividends of size >= 2 vanish, on the code's dividends and is_additive
    additive_lemma = {}
    for n in range(1, min(profile.max_n, 5) + 1):
        w = sp.symbols(f"w1:{n + 1}", real=True)
        g = Game.additive(dict(zip(range(1, n + 1), w)))
        d = dividends(g)
        higher = all(sp.expand(x) == 0 for T, x in d.items() if len(T) >= 2)
        single = all(sp.expand(d[frozenset([p])] - w[p - 1]) == 0 for p in g.players)
        nonadd = Game.unanimity(list(range(1, n + 1)), [1, 2]) if n >= 2 else None
        rejects = nonadd is None or is_additive(nonadd + g) is False
        additive_lemma[f"n={n}"] = higher and single and is_additive(g) is True and rejects
    if not all(additive_lemma.values()):
        return Verdict.undecided("additivity and the dividends of size >= 2 disagree in the code", additive_lemma)
    # a cross-check by search: no non-negative-dividend game where the two sides disagree
    result = find_counterexample(_monotone_strategy(), monotone_claim,
                                 max_examples=profile.max_examples, seed=profile.seed)
    if result.found:
        return Verdict.refuted({"game": result.instance, "search": result.to_dict()},
                               "a non-negative-dividend game where LOO = phi and additivity disagree")
    return Verdict.proved_for_all(
        {
            "derivation": [
                "P3.precise: LOO_i - phi_i = sum_(T ∋ i) d(T) c(|T|), c computed from the code's LOO and weight",
                f"c(1) = {sp.sstr(singleton)}; with |T| = s + 2: c = {sp.sstr(coefficient)}, is_positive = {positive}",
                "d(T) >= 0, so the sum is 0 iff d(T) = 0 for every T ∋ i with |T| >= 2",
                "every T with |T| >= 2 contains some player, so LOO = phi iff all such d(T) vanish iff v is additive "
                "(lemma on the code's dividends and is_additive)",
            ],
            "additivity_lemma": additive_lemma,
            "cross_check_search": result.to_dict(),
            "provenance": {
                "computed_from_code": ["the coefficient c(t) (values.leave_one_out, values.shapley_weight) and "
                                       "its sign for t = s + 2, s symbolic"],
                "checked_on_instances": [
                    f"additive games have zero dividends of size >= 2 and is_additive agrees, n <= "
                    f"{min(profile.max_n, 5)}",
                    f"search of {result.examples} non-negative-dividend games: LOO = phi iff additive"],
                "argued": ["a sum of non-negative terms vanishes iff every term does"],
            },
        },
        "positivity of the P3.precise coefficient for |T| >= 2 decided symbolically from the code; search found "
        "no disagreement",
    )


def redundancy_game(k, m=0):
    """``k`` interchangeable critical players ``a1..ak`` and ``m`` null players: ``v(S) = 1`` iff ``S`` meets K.

    Examples
    --------
    >>> shapley(redundancy_game(2))
    {'a1': 1/2, 'a2': 1/2}
    """
    critical = [f"a{j}" for j in range(1, k + 1)]
    nulls = [f"z{j}" for j in range(1, m + 1)]
    K = set(critical)
    return Game.from_function(critical + nulls, lambda S: 1 if S & K else 0)


@check("P3.redundancy",
       statement="Two critical but interchangeable players (v(S)=1 iff S meets {a,b}): LOO = (0,0), "
                 "phi = (1/2,1/2); for k >= 2 interchangeable players plus null players: LOO = 0, "
                 "phi = 1/k on K and 0 on the null players.",
       claim="the talk's redundancy example",
       expected="PROVED (all n)",
       code="shapley(redundancy_game(k, m)) == {a: 1/k, z: 0}; leave_one_out(...) == 0 for k >= 2")
def check_redundancy(profile):
    """Dividends d(T) = (-1)^(|T|+1) on T ⊆ K give phi_a = sum_j C(k-1,j)(-1)^j/(j+1), summed for symbolic k."""
    k, j = sp.symbols("k j", integer=True, positive=True)
    summed = sp.simplify(sp.summation(sp.binomial(k - 1, j) * (-1) ** j / (j + 1), (j, 0, k - 1)))
    if sp.simplify(summed - 1 / k) != 0:
        return Verdict.undecided("closed form of the family's Shapley value", {"computed": summed})
    talk = redundancy_game(2)
    talk_phi, talk_loo = shapley(talk), leave_one_out(talk)
    family = {}
    for kk in range(1, 6):
        for mm in range(0, 3):
            g = redundancy_game(kk, mm)
            phi, loo = shapley(g), leave_one_out(g)
            d = dividends(g)
            want_phi = {p: (summed.subs(k, kk) if p.startswith("a") else 0) for p in g.players}
            want_loo = {p: (1 if kk == 1 and p.startswith("a") else 0) for p in g.players}
            dividends_ok = all(
                d[T] == ((-1) ** (len(T) + 1) if all(p.startswith("a") for p in T) else 0) for T in d)
            ok = phi == want_phi and loo == want_loo and dividends_ok
            if g.n <= 6:
                ok = ok and independent_shapley(g) == phi
            family[f"k={kk},m={mm}"] = ok
    if not all(family.values()) or talk_phi != {"a1": sp.Rational(1, 2), "a2": sp.Rational(1, 2)} \
            or talk_loo != {"a1": 0, "a2": 0}:
        return Verdict.refuted({"family": family, "talk_phi": talk_phi, "talk_loo": talk_loo},
                               "the redundancy family does not behave as claimed")
    return Verdict.proved_for_all(
        {
            "derivation": [
                "v(S) = 1 - [S ∩ K = ∅] has dividends d(T) = (-1)^(|T|+1) for non-empty T ⊆ K, 0 otherwise",
                f"phi_a = sum_(j=0)^(k-1) C(k-1, j) (-1)^j / (j+1) = {sp.sstr(summed)} (SymPy, k symbolic)",
                "null players get 0 (no marginal contribution); LOO_a = v(N) - v(N \\ a) = 1 - 1 = 0 for k >= 2",
            ],
            "talk_example": {"shapley": talk_phi, "loo": talk_loo},
            "family_checked_exactly": family,
        },
        f"phi = {sp.sstr(summed)} on K for symbolic k; talk example phi = (1/2, 1/2), LOO = (0, 0)",
    )


def test_checks():
    """pytest: every P3 check reaches its expected verdict at the quick profile."""
    assert_family_ok(["P3"])


if __name__ == "__main__":
    prove_as_script(["P3"])
