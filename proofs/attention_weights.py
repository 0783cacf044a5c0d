"""P1 — attention weights are not Shapley values (STATEMENTS.md, P1).

Run alone: ``python -m proofs.attention_weights``.

The talk's Proposition 1: "If some player is attended to more than another,
there is no TU-game (N, v) for which attention weights are Shapley values."
Read literally it is false (the additive game with weights alpha); for the
natural game of attention — masking, with attention renormalised over the
coalition — it is true, and for the head-output payoff the exact set where
"attention times value" is the Shapley value is computed here.
"""

import sympy as sp
from hypothesis import strategies as st

from symgame import Game, shapley
from symgame.checks import REGISTRY, check
from symgame.flowgames import masking_game
from symgame.progress import step
from symgame.search import find_counterexample
from symgame.verdicts import Kind, Verdict

from .common import assert_family_ok, prove_as_script, independent_shapley, n_sym

__all__ = ["attention_rows", "literal_claim", "check_literal", "check_masking", "check_output",
           "output_condition"]


@st.composite
def attention_rows(draw, *, max_tokens=5):
    """Non-uniform attention rows with exact rational entries summing to 1."""
    n = draw(st.integers(2, max_tokens))
    raw = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n).filter(lambda r: len(set(r)) > 1))
    total = sum(raw)
    return tuple(sp.Rational(k, total) for k in raw)


def literal_claim(alpha):
    """The loose claim on one row: no game has Shapley value ``alpha``.  We try the additive game."""
    witness = Game.additive(dict(enumerate(alpha)))
    return shapley(witness) != dict(enumerate(alpha))


def _literal_snippet(alpha):
    """The witness as source that runs in a fresh interpreter (the assert is the claim failing)."""
    return ("from sympy import Rational\nfrom symgame import Game, shapley\n"
            f"alpha = [{', '.join(f'Rational({str(a)!r})' for a in alpha)}]\n"
            "witness = Game.additive(dict(enumerate(alpha)))\n"
            "assert shapley(witness) == dict(enumerate(alpha))  # alpha is the Shapley value of this game")


REGISTRY.search(
    "P1.literal",
    statement="no TU-game has Shapley values equal to a non-uniform attention row",
    strategy=attention_rows,
    claim=literal_claim,
    show=lambda alpha: _literal_snippet(alpha),
    document=lambda alpha: Game.additive(dict(enumerate(alpha))).to_json(),
)


@check("P1.literal",
       statement="No TU-game has Shapley values equal to an attention row alpha that is not uniform.",
       claim="Prop. 1 as stated in the talk",
       expected="REFUTED",
       code="not any(shapley(v) == alpha for v in games)  # for non-uniform alpha",
       remedy="Name the game: for the attention-masking game (P1.masking) the Shapley value is 1/n, so non-uniform attention is never that game's Shapley value; some other game (the additive one) always has it.")
def check_literal(profile):
    """Search non-uniform rows; the additive game v(S) = sum_{i in S} alpha_i is the witness."""
    result = find_counterexample(attention_rows(), literal_claim, max_examples=profile.max_examples,
                                 seed=profile.seed)
    if not result.found:
        return Verdict.checked(result.examples, {"search": result.to_dict()}, "no witness found")
    alpha = result.instance
    game = Game.additive(dict(enumerate(alpha)))
    by_orders = independent_shapley(game)
    if by_orders != dict(enumerate(alpha)) or len(set(alpha)) < 2:
        raise AssertionError("witness failed re-verification by the permutation formula")
    return Verdict.refuted(
        {"alpha": list(alpha), "game": game, "python": game.to_python(), "shapley_by_permutations": by_orders,
         "search": result.to_dict()},
        f"alpha = ({', '.join(map(str, alpha))}) is the Shapley value of the additive game v(S) = sum alpha_i",
    )


@check("P1.masking",
       statement="Attention-masking game (S sees only its tokens, softmax renormalised over S, payoff = total "
                 "attention): phi_i = 1/n, so alpha = phi iff alpha is uniform.",
       claim="attention weights are not Shapley values",
       expected="PROVED (all n)",
       code="shapley(masking_game(scores)) == {i: 1/n for i in players}")
def check_masking(profile):
    """v(S) = sum_S e^{s_i} / sum_S e^{s_j} = 1 for every non-empty S (symbolic), so only the marginal
    contribution to the empty coalition counts: phi_i = 0!(n-1)!/n! = 1/n, with n symbolic."""
    k = sp.Symbol("k", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, positive=True)
    s = sp.IndexedBase("s", real=True)
    total = sp.Sum(sp.exp(s[j]), (j, 1, k))
    value = sp.simplify(total / total)
    phi = sp.simplify(sp.factorial(0) * sp.factorial(n_sym - 1) / sp.factorial(n_sym))
    checked = {}
    for n in range(1, profile.max_n + 1):
        scores = sp.symbols(f"s1:{n + 1}", real=True)
        g = masking_game(scores)
        values_ok = all(g.value_at(m) == 1 for m in range(1, 1 << n))
        phi_n = shapley(g)
        checked[f"n={n}"] = values_ok and all(phi_n[p] == phi.subs(n_sym, n) for p in g.players)
    if value != 1 or phi != 1 / n_sym or not all(checked.values()):
        return Verdict.undecided("masking game derivation", {"value": value, "phi": phi, "checked": checked})
    return Verdict.proved_for_all(
        {
            "derivation": [
                f"v(S) = Sum(exp(s_j), j in S) / Sum(exp(s_j), j in S) = {sp.sstr(value)} for non-empty S",
                "v(S ∪ i) - v(S) = 1 if S = ∅ else 0",
                f"phi_i = w(0) = 0!(n-1)!/n! = {sp.sstr(phi)} (n symbolic)",
                "so alpha_i = phi_i for all i iff alpha_i = 1/n for all i, i.e. alpha is uniform",
            ],
            "cross_check_symbolic_scores": checked,
        },
        "phi_i = 1/n for every scores vector (n symbolic); alpha = phi iff alpha is uniform",
    )


#: The stages of :func:`output_condition`, reported to :func:`symgame.progress.step` as they start.
_STAGES = ("Shapley value of the masking game", "matrix M(w)", "rank of M", "certifying minor",
           "null space", "re-verification by permutations")


def output_condition(n, stages=None):
    """Decide, for ``n`` tokens, where ``phi(masking game with values x) = alpha * x``.

    The payoff is linear in ``x``, so ``phi - alpha * x = M(w) x`` for a matrix
    ``M`` of rational functions of the positive weights ``w_i = e^{s_i}``; the
    set is the null space of ``M``.  The rank of ``M`` is certified on the
    whole positive orthant by an ``(n-1)``-minor whose numerator and
    denominator have coefficients of one sign.

    Returns
    -------
    dict
        ``rank``, ``nullspace`` (list of vectors), ``minor`` (the certifying minor), ``M``.

    Examples
    --------
    >>> cert = output_condition(2)
    >>> cert["rank"], cert["nullspace"]
    (1, [[w1/w2, 1]])
    """
    def stage(k):
        if stages is not None:
            step(f"stages, n={n}: {stages[k]}", k + 1, len(stages))

    stage(0)
    w = sp.symbols(f"w1:{n + 1}", positive=True)
    x = sp.symbols(f"x1:{n + 1}", real=True)
    game = masking_game(weights=w, values=x)
    phi = shapley(game)
    total = sp.Add(*w)
    residual = [sp.together(phi[i] - w[i] * x[i] / total) for i in range(n)]
    stage(1)
    M = sp.Matrix([[sp.cancel(sp.diff(residual[i], x[jj])) for jj in range(n)] for i in range(n)])
    # residual is exactly M x (linear, no constant term): checked, not assumed
    if any(sp.cancel(residual[i] - sum(M[i, jj] * x[jj] for jj in range(n))) != 0 for i in range(n)):
        raise AssertionError("the residual is not linear in x")
    stage(2)
    rank = M.rank(simplify=True)
    stage(3)
    certificate_minor = None
    for rows in _combinations(n, rank):
        for cols in _combinations(n, rank):
            minor = sp.cancel(M.extract(rows, cols).det())
            num, den = sp.fraction(minor)
            if _one_sign(num) and _one_sign(den):
                certificate_minor = {"rows": rows, "cols": cols, "value": minor}
                break
        if certificate_minor:
            break
    stage(4)
    nullspace = [[sp.simplify(e) for e in v] for v in M.nullspace(simplify=True)]
    # re-verify: each null vector makes phi equal alpha * x, by the permutation formula
    stage(5)
    for v in nullspace:
        sub = dict(zip(x, v))
        g = masking_game(weights=w, values=[sub[xi] for xi in x])
        by_orders = independent_shapley(g)
        for i in range(n):
            if sp.cancel(by_orders[i] - w[i] * sub[x[i]] / total) != 0:
                raise AssertionError(f"null vector {v} fails re-verification")
    return {"n": n, "rank": rank, "nullspace": nullspace, "minor": certificate_minor, "M": M}


def _combinations(n, r):
    from itertools import combinations

    return [list(c) for c in combinations(range(n), r)]


def _one_sign(poly):
    coeffs = sp.Poly(sp.expand(poly), *sorted(poly.free_symbols, key=str)).coeffs() if poly.free_symbols \
        else [poly]
    return all(c > 0 for c in coeffs) or all(c < 0 for c in coeffs)


@check("P1.output",
       statement="Masking game with payoff = head output sum_{i in S} alpha^S_i x_i: the set of (scores, x) with "
                 "phi = alpha * x, decided exactly per n.",
       claim="'attention times value' is a Shapley value",
       expected="PROVED (n <= 3)",
       code="{x : shapley(masking_game(weights=w, values=x)) == alpha * x} == nullspace(M(w))")
def check_output(profile):
    """For each n, compute M(w), certify its rank on the positive orthant, and report the null space."""
    sizes = 3 if profile.name == "quick" else 4
    results = {}
    for n in range(2, sizes + 1):
        cert = output_condition(n, stages=_STAGES)
        if cert["minor"] is None:
            return Verdict.undecided(f"rank of M not certified on the positive orthant for n={n}",
                                     {"M": cert["M"]})
        results[f"n={n}"] = {
            "rank": cert["rank"],
            "solution_set": "x = lambda * v for v in nullspace, lambda real" if cert["nullspace"] else "{0}",
            "nullspace": cert["nullspace"],
            "rank_certificate_minor": cert["minor"],
        }
    return Verdict(Kind.PROVED, f"n <= {sizes}", {
        "weights": "w_i = exp(s_i) > 0; alpha_i = w_i / sum_j w_j",
        "per_n": results,
        "reading": "phi = alpha * x exactly on a line through 0: for n = 2, x proportional to alpha "
                   "(x_1/alpha_1 = x_2/alpha_2); for n >= 3 a different, weight-dependent direction",
    }, f"phi = alpha * x iff x lies on the computed line, for n = 2..{sizes}")


def test_checks():
    """pytest: every P1 check reaches its expected verdict at the quick profile."""
    assert_family_ok(["P1"], count=3)


if __name__ == "__main__":
    prove_as_script(["P1"])
