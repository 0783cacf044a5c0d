"""S0 — Shapley's theorem: the formula satisfies the four axioms, uniquely (STATEMENTS.md, S0).

Run alone: ``python -m proofs.shapley_axioms``.
"""

import sympy as sp

from symgame import Game, shapley
from symgame.axioms import (
    AXIOMS,
    check_axioms,
    check_independence,
    derive_shapley_axioms_all_n,
    derive_uniqueness,
    derive_uniqueness_all_n,
    independence_witnesses,
)
from symgame.checks import REGISTRY, check
from symgame.verdicts import Kind, Verdict

from .common import INDEPENDENT_RULES, assert_family_ok, prove_as_script, independent_shapley

__all__ = ["check_axioms_hold", "check_uniqueness", "check_independence_of", "check_cookies", "cookie_game"]


@check("S0.a",
       statement="The Shapley formula satisfies Efficiency, Null player, Symmetry and Linearity.",
       claim="Shapley value exists (talk: 4 axioms)",
       expected="PROVED (all n)",
       code="check_axioms(shapley, N) and derive_shapley_axioms_all_n()")
def check_axioms_hold(profile):
    """Derive each axiom with n symbolic, and re-check each on generic games of every size n <= N."""
    derived = derive_shapley_axioms_all_n(check_up_to=profile.max_n)
    checked = check_axioms(shapley, profile.max_n)
    certificate = {
        "all_n": {axiom: v.to_dict() for axiom, v in derived.items()},
        "generic_games": {axiom: str(v) for axiom, v in checked.items()},
    }
    if any(v.kind is Kind.REFUTED for v in list(derived.values()) + list(checked.values())):
        return Verdict.refuted(certificate, "some axiom fails for the Shapley formula")
    if all(str(v) == "PROVED (all n)" for v in derived.values()):
        return Verdict.proved_for_all(
            certificate,
            f"all four axioms derived for symbolic n; re-checked exactly on generic games n <= {profile.max_n}")
    if all(v.kind is Kind.PROVED for v in checked.values()):
        return Verdict.proved_up_to(profile.max_n, certificate, "axioms checked on generic games")
    return Verdict.undecided("axiom derivation incomplete", certificate)


@check("S0.b",
       statement="Uniqueness: any value linear in v that is efficient, symmetric and null-player equals the "
                 "Shapley formula.",
       claim="Shapley value is unique",
       expected="PROVED (all n)",
       code="derive_uniqueness_all_n(N)  # unanimity basis, phi(u_T) = 1/t from the code's weight; "
            "derive_uniqueness(N) as a second certificate",
       depends=["S0.a"])
def check_uniqueness(profile):
    """The unanimity-basis argument for symbolic n (lemmas checked against the code for n <= 6), and the axioms
    solved as an exact linear system over the coefficients of a general linear value for n <= max_n."""
    derived = derive_uniqueness_all_n(min(profile.max_n, 6))
    system = derive_uniqueness(profile.max_n)
    certificate = {"all_n": derived.to_dict(), "linear_system": system.to_dict(),
                   "provenance": derived.certificate.get("provenance", {})}
    if system.kind is Kind.REFUTED:
        return Verdict.refuted(certificate, system.summary)
    if derived.kind is Kind.PROVED and system.kind is Kind.PROVED:
        return Verdict.proved_for_all(
            certificate, f"{derived.summary}; the linear system has the Shapley weights as its only solution for "
                         f"n <= {profile.max_n}")
    if system.kind is Kind.PROVED:
        return Verdict.proved_up_to(profile.max_n, certificate, "the all-n argument did not go through")
    return Verdict.undecided("uniqueness not established", certificate)


def _independence_check(axiom):
    others = [a for a in AXIOMS if a != axiom]

    def run(profile):
        rule = independence_witnesses()[axiom]
        result = check_independence(min(4, profile.max_n), witnesses={axiom: rule})[axiom]
        verdicts = result["verdicts"]
        certificate = {"rule": result["rule"], "verdicts": {a: v.to_dict() for a, v in verdicts.items()}}
        others_hold = all(verdicts[a].kind is Kind.PROVED for a in others)
        witness = verdicts[axiom].certificate if verdicts[axiom].kind is Kind.REFUTED else None
        independent = INDEPENDENT_RULES.get(result["rule"])
        if witness and independent is not None:
            # the witness rule recomputed by a second implementation must give the same lhs
            game = Game.from_json(witness["game"])
            again = independent(game)
            lhs = sp.sympify(witness["lhs"])
            recomputed = sp.Add(*again.values()) if axiom == "efficiency" else None
            agree = recomputed is None or sp.simplify(recomputed - lhs) == 0
            certificate["independent_rule"] = {"rule": result["rule"], "values": again, "lhs": recomputed,
                                               "agrees": agree}
            if not agree:
                return Verdict.undecided(f"{result['rule']} disagrees with its independent implementation on the "
                                         f"witness game: lhs {lhs} vs {recomputed}", certificate)
        if others_hold and verdicts[axiom].kind is Kind.REFUTED:
            witness = verdicts[axiom].certificate
            return Verdict.refuted(
                certificate,
                f"{result['rule']} satisfies {', '.join(others)} (proved for n <= {min(4, profile.max_n)}) "
                f"and violates {axiom} on a re-verified witness game",
            ) if witness else Verdict.undecided("witness missing", certificate)
        return Verdict.undecided("the witness rule does not separate the axioms", certificate)

    run.__name__ = f"check_independence_of_{axiom}"
    return run


for _axiom in AXIOMS:
    check(f"S0.c.{_axiom}",
          statement=f"{_axiom.replace('_', ' ').capitalize()} follows from the other three axioms.",
          claim="the four axioms are independent",
          expected="REFUTED",
          code=f"check_axioms(independence_witnesses()[{_axiom!r}], N)")(_independence_check(_axiom))

check_independence_of = {a: REGISTRY.get(f"S0.c.{a}").func for a in AXIOMS}


def cookie_game(a, b, c):
    """Alice and Bob's cookies: ``v(A) = a``, ``v(B) = b``, ``v(AB) = c``.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> shapley(cookie_game(5 * x, 3 * x, 10 * x))
    {'Alice': 6*x, 'Bob': 4*x}
    """
    return Game.from_dict(["Alice", "Bob"], {("Alice",): a, ("Bob",): b, ("Alice", "Bob"): c})


@check("S0.d",
       statement="The cookie example v(A)=5x, v(B)=3x, v(AB)=10x gives (6x, 4x) with x symbolic.",
       claim="Alice should get 6x cookies and Bob 4x",
       expected="PROVED",
       code="shapley(cookie_game(5*x, 3*x, 10*x)) == {'Alice': 6*x, 'Bob': 4*x}")
def check_cookies(profile):
    """Closed form for symbolic rates (a, b, c), specialised to the talk's numbers, two independent paths."""
    a, b, c = sp.symbols("a b c", real=True)
    x = sp.Symbol("x", positive=True)
    general = shapley(cookie_game(a, b, c))
    by_orders = independent_shapley(cookie_game(a, b, c))
    talk = {p: sp.expand(v.subs({a: 5 * x, b: 3 * x, c: 10 * x})) for p, v in general.items()}
    direct = shapley(cookie_game(5 * x, 3 * x, 10 * x))
    marginals = {"Alice": [5 * x, 10 * x - 3 * x], "Bob": [10 * x - 5 * x, 3 * x]}
    averaged = {p: sp.Add(*m) / 2 for p, m in marginals.items()}
    agree = all(sp.expand(general[p] - by_orders[p]) == 0 for p in general) and talk == direct == averaged
    certificate = {"closed_form": general, "by_permutations": by_orders, "talk": direct,
                   "marginal_contributions": marginals}
    if not agree:
        return Verdict.undecided("the two paths disagree", certificate)
    if direct != {"Alice": 6 * x, "Bob": 4 * x}:
        return Verdict.refuted(certificate, f"the talk's split is not Shapley: got {direct}")
    return Verdict(Kind.PROVED, "all x", certificate,
                   f"phi = {sp.sstr(general['Alice'])}, {sp.sstr(general['Bob'])}; at (5x, 3x, 10x): (6x, 4x)")


def test_checks():
    """pytest: every S0 check reaches its expected verdict at the quick profile."""
    assert_family_ok(["S0"], count=7)


if __name__ == "__main__":
    prove_as_script(["S0"])
