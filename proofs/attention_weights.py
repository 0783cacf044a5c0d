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
from symgame.values import shapley_weight
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
    """The lemma, checked on the code's masking games with symbolic scores for every n <= max_n: v(S) is one common
    value c for every non-empty S.  Then only the marginal contribution to the empty coalition counts:
    phi_i = w(0) * c with w the code's Shapley weight evaluated at symbolic n, giving c/n."""
    checked = {}
    nonempty_values = set()
    for n in range(1, profile.max_n + 1):
        scores = sp.symbols(f"s1:{n + 1}", real=True)
        g = masking_game(scores)
        seen = {sp.simplify(g.value_at(m)) for m in range(1, 1 << n)}
        nonempty_values |= seen
        phi_n = shapley(g)
        checked[f"n={n}"] = {"values of non-empty coalitions": sorted(map(sp.sstr, seen)),
                             "shapley": sorted({sp.sstr(v) for v in phi_n.values()})}
    if len(nonempty_values) != 1:
        return Verdict.undecided("the masking game's value is not one constant on non-empty coalitions",
                                 {"checked": checked})
    (c,) = nonempty_values
    weight = shapley_weight(sp.Integer(0), n_sym)  # the code's weight with n symbolic
    phi = sp.simplify(weight * (c - 0))
    per_size = all(checked[f"n={n}"]["shapley"] == [sp.sstr(phi.subs(n_sym, n))] for n in range(1, profile.max_n + 1))
    if phi != 1 / n_sym or not per_size:
        return Verdict.undecided("masking game derivation", {"value": c, "phi": phi, "checked": checked})
    return Verdict.proved_for_all(
        {
            "derivation": [
                f"lemma (the code's masking_game, symbolic scores, every n <= {profile.max_n}): v(S) = "
                f"{sp.sstr(c)} for every non-empty S, v(∅) = 0",
                f"v(S ∪ i) - v(S) = {sp.sstr(c)} if S = ∅ else 0",
                f"phi_i = shapley_weight(0, n) * {sp.sstr(c)} = {sp.sstr(weight)} * {sp.sstr(c)} = {sp.sstr(phi)} "
                f"(the code's weight, n symbolic)",
                "so alpha_i = phi_i for all i iff alpha_i = 1/n for all i, i.e. alpha is uniform",
            ],
            "cross_check_symbolic_scores": checked,
            "provenance": {
                "computed_from_code": ["v(S) read from masking_game with symbolic scores",
                                       "phi_i = shapley_weight(0, n) * c with n symbolic"],
                "checked_on_instances": [f"v(S) = c for every non-empty S and shapley = c/n, n <= {profile.max_n}"],
                "argued": ["the masking payoff sum_S e^{s_i} / sum_S e^{s_j} is the same ratio for every S "
                           "(the lemma for n beyond the bound)"],
            },
        },
        "phi_i = 1/n for every scores vector (n symbolic); alpha = phi iff alpha is uniform",
    )


#: The stages of :func:`output_condition`, reported to :func:`symgame.progress.step` as they start.
_STAGES = ("Shapley values of the masking game", "recomputation by permutations", "column sums (efficiency)",
           "certifying minor", "null space")


def output_condition(n, *, basis=True, stages=None):
    """Decide, for ``n`` tokens, where ``phi(masking game with values x) = alpha * x``, by the rank argument.

    The masking game's payoff is linear in ``x``, so ``phi - alpha * x = M(w) x``; column ``j`` of
    ``M`` is ``shapley(masking_game(weights=w, values=e_j)) - alpha_j e_j``, computed by the code
    with the weights ``w_i = e^{s_i} > 0`` as symbols, in the field ``QQ(w)``.  The set is the null
    space of ``M``:

    * ``M`` is recomputed from the definition of the masking game by the permutation formula (no
      code shared with the package) and must agree entry by entry;
    * *rank <= n - 1*: every column of ``M`` sums to 0 (efficiency of the code's Shapley values:
      ``sum_i phi_i = v(N) = sum_i alpha_i x_i``), computed exactly;
    * *rank >= n - 1*: an ``(n-1) x (n-1)`` minor whose numerator and denominator have all
      coefficients of one sign, so it vanishes nowhere on the positive orthant;
    * so the null space is one line; with ``basis`` it is spanned by the cofactors of the row the
      minor leaves out (checked: ``M v = 0`` in ``QQ(w)``).

    Parameters
    ----------
    n : int
    basis : bool
        Compute the spanning vector (``n - 1`` more determinants; about a minute at n = 4).
    stages : sequence of str, optional
        Stage names reported to :func:`symgame.progress.step` as each starts (``_STAGES``).

    Returns
    -------
    dict
        ``rank``, ``nullspace`` (list of vectors, empty without ``basis``), ``minor`` (the
        certifying minor), ``M``.

    Examples
    --------
    >>> cert = output_condition(2)
    >>> cert["rank"], cert["nullspace"]
    (1, [[w1/w2, 1]])
    """
    from itertools import combinations, permutations

    from sympy.polys.matrices import DomainMatrix

    def stage(k):
        if stages is not None:
            step(f"stages, n={n}: {stages[k]}", k + 1, len(stages))

    stage(0)
    w = sp.symbols(f"w1:{n + 1}", positive=True)
    K = sp.QQ.frac_field(*w)
    total = sp.Add(*w)
    alpha = [K.from_sympy(w[i] / total) for i in range(n)]
    columns = []
    for j in range(n):
        unit = [1 if k == j else 0 for k in range(n)]
        phi = shapley(masking_game(weights=w, values=unit))
        columns.append([K.from_sympy(sp.sympify(phi[i])) - (alpha[j] if i == j else K.zero) for i in range(n)])
    M = DomainMatrix([[columns[j][i] for j in range(n)] for i in range(n)], (n, n), K)
    # independent recomputation: the masking game from its definition, Shapley by the permutation formula
    stage(1)
    wk = [K.from_sympy(x) for x in w]
    count = K.from_sympy(sp.factorial(n))
    for j in range(n):
        def v(S):
            return wk[j] / sum((wk[i] for i in S), K.zero) if j in S else K.zero

        marginal = [K.zero] * n
        for order in permutations(range(n)):
            before = frozenset()
            for p in order:
                after = before | {p}
                marginal[p] += v(after) - v(before)
                before = after
        again = [marginal[i] / count - (alpha[j] if i == j else K.zero) for i in range(n)]
        if again != columns[j]:
            raise AssertionError(f"column {j} of M disagrees with the permutation formula on the masking game")
    stage(2)
    column_sums = [sum((M[i, j].element for i in range(n)), K.zero) for j in range(n)]
    if any(c != K.zero for c in column_sums):
        raise AssertionError(f"the columns of M do not sum to 0 (efficiency fails): {column_sums}")
    stage(3)
    certificate_minor = None
    for rows in combinations(range(n), n - 1):
        for cols in combinations(range(n), n - 1):
            minor = M.extract(list(rows), list(cols)).det()
            num, den = sp.fraction(K.to_sympy(minor))
            if minor != K.zero and _one_sign(num) and _one_sign(den):
                certificate_minor = {"rows": list(rows), "cols": list(cols), "value": K.to_sympy(minor),
                                     "numerator_terms": len(sp.Add.make_args(sp.expand(num))), "det": minor}
                break
        if certificate_minor:
            break
    if certificate_minor is None:
        return {"n": n, "rank": None, "nullspace": None, "minor": None, "M": M.to_Matrix()}
    nullspace = []
    stage(4)
    if basis:
        rows, cols = certificate_minor["rows"], certificate_minor["cols"]
        (left_out,) = set(range(n)) - set(cols)
        vector = []
        for j in range(n):
            if j == left_out:
                cof = certificate_minor["det"]
            else:
                others = [c for c in range(n) if c != j]
                cof = M.extract(rows, others).det()
            # cofactor sign relative to the left-out column: (-1)^(position difference)
            vector.append(cof if (j - left_out) % 2 == 0 else -cof)
        scale = vector[left_out]
        vector = [e / scale for e in vector]
        if any(sum((M[i, j].element * vector[j] for j in range(n)), K.zero) != K.zero for i in range(n)):
            raise AssertionError("the cofactor vector is not in the null space of M")
        nullspace = [[K.to_sympy(e) for e in vector]]
    certificate_minor.pop("det")
    return {"n": n, "rank": n - 1, "nullspace": nullspace, "minor": certificate_minor, "M": M.to_Matrix(),
            "column_sums": [K.to_sympy(c) for c in column_sums]}


def _one_sign(poly):
    coeffs = sp.Poly(sp.expand(poly), *sorted(poly.free_symbols, key=str)).coeffs() if poly.free_symbols \
        else [poly]
    return all(c > 0 for c in coeffs) or all(c < 0 for c in coeffs)


@check("P1.output",
       statement="Masking game with payoff = head output sum_{i in S} alpha^S_i x_i: the set of (scores, x) with "
                 "phi = alpha * x, decided exactly per n.",
       claim="'attention times value' is a Shapley value",
       expected="PROVED (n <= 4)",
       code="{x : shapley(masking_game(weights=w, values=x)) == alpha * x} == nullspace(M(w)); "
            "rank M = n - 1 by efficiency and a one-sign minor")
def check_output(profile):
    """For each n <= 4, compute M(w) from the code, certify rank n - 1 on the positive orthant (columns sum to 0; a
    one-sign (n-1)-minor), and report the null space, re-verified by the permutation formula."""
    sizes = 4
    results = {}
    for n in range(2, sizes + 1):
        cert = output_condition(n, basis=n <= 3 or profile.name != "quick", stages=_STAGES)
        if cert["minor"] is None:
            return Verdict.undecided(f"rank of M not certified on the positive orthant for n={n}",
                                     {"M": cert["M"]})
        results[f"n={n}"] = {
            "rank": cert["rank"],
            "rank_upper_bound": "columns of M sum to 0 (efficiency of the code's Shapley values)",
            "solution_set": ("x = lambda * v for v in nullspace, lambda real" if cert["nullspace"] else
                             "a line through 0: the null space of M (rank n - 1); its spanning cofactor vector is "
                             "computed by the thorough profile"),
            "nullspace": cert["nullspace"],
            "rank_certificate_minor": {k: cert["minor"][k] for k in ("rows", "cols", "numerator_terms")},
            "minor_value": cert["minor"]["value"] if n <= 3 else "(numerator and denominator of one sign; "
                                                                  f"{cert['minor']['numerator_terms']} terms)",
        }
    return Verdict(Kind.PROVED, f"n <= {sizes}", {
        "weights": "w_i = exp(s_i) > 0; alpha_i = w_i / sum_j w_j",
        "per_n": results,
        "method": "M computed from shapley(masking_game(weights=w, values=e_j)) in QQ(w); rank <= n-1 from the "
                  "zero column sums, rank >= n-1 from a minor of one sign on the positive orthant; the null "
                  "vector checked in QQ(w) and by the permutation formula on the game built from its definition",
        "provenance": {
            "computed_from_code": ["M(w): the code's masking game and Shapley values, symbolic weights",
                                   "column sums of M (efficiency) and the certifying minor, exactly in QQ(w)"],
            "checked_on_instances": [],
            "argued": ["a rational function whose numerator and denominator have coefficients of one sign "
                       "does not vanish on the positive orthant"],
        },
        "reading": "phi = alpha * x exactly on a line through 0: for n = 2, x proportional to alpha "
                   "(x_1/alpha_1 = x_2/alpha_2); for n >= 3 a different, weight-dependent direction",
    }, f"phi = alpha * x iff x lies on the computed line, for n = 2..{sizes}")


def test_checks():
    """pytest: every P1 check reaches its expected verdict at the quick profile."""
    assert_family_ok(["P1"], count=3)


if __name__ == "__main__":
    prove_as_script(["P1"])
