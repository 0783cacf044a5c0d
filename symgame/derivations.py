"""Derivations about the Shapley value: the four axioms for all n (symbolic n), and the uniqueness theorem solved exactly."""

import itertools
import time
from fractions import Fraction
from math import factorial

import sympy as sp

from .game import Game
from .guards import check_player_count
from .values import dividends, shapley, shapley_forms, shapley_weight
from .verdicts import Verdict, Verdicts

__all__ = ["EQUATIONS", "MAX_CHECK_PLAYERS", "MAX_UNIQUENESS_PLAYERS", "derive_shapley_axioms_all_n", "derive_uniqueness",
           "derive_uniqueness_all_n", "unanimity_lemmas", "uniqueness_solution", "uniqueness_system",
           "solve_exact_system"]

#: Largest size the axiom checkers accept (the generic game has 2^n - 1 symbols and
#: the symmetry check evaluates the rule on C(n, 2) families).
MAX_CHECK_PLAYERS = 10

#: Largest size for :func:`derive_uniqueness` (n (2^n - 1) unknowns; n = 10 takes about 20 s).
MAX_UNIQUENESS_PLAYERS = 10


#: The axioms' equations, as the certificates state them.
EQUATIONS = {
    "efficiency": "sum_i phi_i(v) = v(N)",
    "null_player": "phi_i(v) = 0 when i is a null player of v",
    "symmetry": "phi_i(v) = phi_j(v) when i and j are interchangeable in v",
    "additivity": "phi_i(v + w) = phi_i(v) + phi_i(w)",
    "homogeneity": "phi_i(a v) = a phi_i(v)",
}



# ---------------------------------------------------------------------- all-n derivation
def _step(claim, expr, operation, result, expected):
    return {
        "claim": claim,
        "input": sp.sstr(expr),
        "operation": operation,
        "result": sp.sstr(result),
        "expected": sp.sstr(expected),
        "holds": bool(result == expected),
    }


def _shapley_weight(n, s):
    return shapley_weight(s, n)


def derive_shapley_axioms_all_n(check_up_to=8):
    """Derive the four axioms for the Shapley formula with ``n`` a SymPy integer symbol (S0.a).

    With ``w(s) = s!(n-s-1)!/n!`` and ``phi_i = sum_{S ⊆ N\\i} w(|S|)(v(S ∪ i) - v(S))``:

    * **Efficiency.**  In ``sum_i phi_i`` the coefficient of ``v(S)``,
      ``|S| = s``, is ``s w(s-1) - (n-s) w(s)`` (``s`` members enter ``S``,
      ``n - s`` others leave it); ``combsimp`` gives 0 for ``1 <= s <= n-1``,
      and ``n w(n-1) = 1`` for ``S = N``.  Second route (unanimity basis):
      ``phi_i(u_T) = sum_{k=0}^{n-t} C(n-t, k) w(t-1+k) = 1/t`` for ``i ∈ T``
      (``sympy.summation``), 0 for ``i ∉ T``, so ``sum_i phi_i(u_T) = 1 =
      u_T(N)``; the ``u_T`` are a basis (Möbius inversion) and the formula is
      linear.  The weights also form a distribution:
      ``sum_{s=0}^{n-1} C(n-1, s) w(s) = 1``.
    * **Null player.**  Every term is a marginal contribution of ``i``; with
      ``v(S ∪ i) := v(S)`` each term is 0.
    * **Symmetry.**  The transposition ``π = (i j)`` maps the terms of ``phi_i``
      bijectively to those of ``phi_j`` preserving ``|S|``; for
      ``S ⊆ N \\ {i, j}`` and ``S = R ∪ j`` the paired terms agree once
      ``v(S ∪ j) := v(S ∪ i)``.
    * **Linearity.**  The coefficients ``w`` do not depend on ``v``; each term
      is linear in ``v``, checked for ``a v + b w`` with symbols ``a, b``.

    Every step is computed by SymPy with ``n``, ``s``, ``t``, ``k`` integer
    symbols (here symbolic simplification *is* the proof).  Every closed form
    is cross-checked against direct exact sums for ``n = 1..check_up_to``,
    and the weights against the coefficients :func:`symgame.values.shapley_forms`
    computes on the generic game.

    Parameters
    ----------
    check_up_to : int
        Largest size for the concrete cross-checks (1 to MAX_CHECK_PLAYERS).

    Returns
    -------
    Verdicts
        A dict axiom -> ``Verdict`` (``PROVED (all n)`` when every step and
        cross-check holds, else ``UNDECIDED``), with the steps in
        ``certificate["derivation"]`` and ``certificate["cross_checks"]``.
        Its repr is one line; ``.render()`` prints every certificate.

    Examples
    --------
    >>> result = derive_shapley_axioms_all_n(check_up_to=4)
    >>> result
    Verdicts(efficiency=PROVED (all n), null_player=PROVED (all n), symmetry=PROVED (all n), linearity=PROVED (all n))
    >>> {axiom: str(v) for axiom, v in result.items()}
    {'efficiency': 'PROVED (all n)', 'null_player': 'PROVED (all n)', 'symmetry': 'PROVED (all n)', 'linearity': 'PROVED (all n)'}
    >>> [step["result"] for step in result["efficiency"].certificate["derivation"]]
    ['0', '1', '1/t', '1', '1/n', '1']
    >>> derive_shapley_axioms_all_n(check_up_to=0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: check_up_to must be an integer number of players >= 1, got 0
    """
    check_player_count(check_up_to, "check_up_to", MAX_CHECK_PLAYERS, "cross-check fewer sizes")
    n = sp.Symbol("n", integer=True, positive=True)
    s = sp.Symbol("s", integer=True, positive=True)
    s0 = sp.Symbol("s", integer=True, nonnegative=True)
    t = sp.Symbol("t", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)

    def w(x):  # the weight symgame.values uses, evaluated with symbolic sizes (not a copy of its formula)
        return shapley_weight(x, n)

    sizes = range(1, check_up_to + 1)
    # --- efficiency
    coefficient = s * w(s - 1) - (n - s) * w(s)
    top = n * w(n - 1)
    unanimity = sp.binomial(n - t, k) * w(t - 1 + k)
    unanimity_sum = sp.summation(unanimity, (k, 0, n - t))
    unanimity_closed = sp.simplify(unanimity_sum)
    summand = sp.binomial(n - 1, s0) * w(s0)
    summand_closed = sp.combsimp(summand)
    distribution = sp.summation(summand_closed, (s0, 0, n - 1))
    efficiency_steps = [
        _step("coefficient of v(S), 1 <= |S| = s <= n-1, in sum_i phi_i vanishes", coefficient,
              "sympy.combsimp", sp.combsimp(coefficient), sp.S.Zero),
        _step("coefficient of v(N) in sum_i phi_i is 1", top, "sympy.combsimp", sp.combsimp(top), sp.S.One),
        _step("phi_i(u_T) = 1/t for i in T, |T| = t (sum over the coalitions S ⊇ T \\ i, |S| = t-1+k)",
              sp.Sum(unanimity, (k, 0, n - t)), "sympy.summation, then sympy.simplify",
              unanimity_closed, 1 / t),
        _step("sum_{i in T} phi_i(u_T) = t * (1/t) = u_T(N)", sp.Mul(t, unanimity_closed, evaluate=False),
              "sympy multiplication", t * unanimity_closed, sp.S.One),
        _step("summand C(n-1, s) w(s) of the weight distribution", summand, "sympy.combsimp",
              summand_closed, 1 / n),
        _step("sum_{s=0}^{n-1} C(n-1, s) s!(n-s-1)!/n! = 1", sp.Sum(summand_closed, (s0, 0, n - 1)),
              "sympy.summation", distribution, sp.S.One),
    ]
    cross = []
    ok = True
    for m in sizes:
        direct_distribution = sum(factorial(m - 1) // (factorial(q) * factorial(m - 1 - q)) * _shapley_weight(m, q)
                                  for q in range(m))
        good = direct_distribution == 1 and distribution.subs(n, m) == 1
        for q in range(1, m):
            direct = q * _shapley_weight(m, q - 1) - (m - q) * _shapley_weight(m, q)
            good &= direct == 0 and coefficient.subs({n: m, s: q}) == 0
        good &= m * _shapley_weight(m, m - 1) == 1
        for size in range(1, m + 1):
            direct = sum(factorial(m - size) // (factorial(j) * factorial(m - size - j))
                         * _shapley_weight(m, size - 1 + j) for j in range(m - size + 1))
            good &= direct == Fraction(1, size) and unanimity_sum.subs({n: m, t: size}) == sp.Rational(1, size)
            u = Game.unanimity(range(1, m + 1), range(1, size + 1))
            phi = shapley(u)
            good &= all(phi[p] == (sp.Rational(1, size) if p <= size else 0) for p in u.players)
        cross.append({"n": m, "closed forms equal direct exact sums; shapley(u_T) = 1/|T| on T": good})
        ok &= good
    forms_ok = []
    for m in sizes:
        forms = shapley_forms(Game.generic(m))
        g = Game.generic(m)
        good = True
        for i, p in enumerate(g.players):
            for mask in range(1, 1 << m):
                size = mask.bit_count()
                expected = _shapley_weight(m, size - 1) if mask >> i & 1 else -_shapley_weight(m, size)
                good &= forms[p].coefficient(g.value_at(mask)) == expected
        forms_ok.append({"n": m, "shapley_forms coefficients equal w(|S|-1) on S ∋ i and -w(|S|) on S ∌ i": good})
        ok &= good

    # --- per-term identities for null player, symmetry, linearity
    vS, vSi, vSj, vSij, vR, vRi, vRj, vRij = sp.symbols("vS vSi vSj vSij vR vRi vRj vRij", real=True)
    a, b, v1, v0, u1, u0 = sp.symbols("a b v1 v0 u1 u0", real=True)
    term_null = (w(s0) * (vSi - vS)).subs(vSi, vS)
    case1 = w(s0) * (vRi - vR) - w(s0) * (vRj - vR)
    case2 = w(s0 + 1) * (vRij - vRj) - w(s0 + 1) * (vRij - vRi)
    lin = w(s0) * ((a * v1 + b * u1) - (a * v0 + b * u0)) - a * w(s0) * (v1 - v0) - b * w(s0) * (u1 - u0)
    null_steps = [
        _step("term w(|S|) (v(S ∪ i) - v(S)) with v(S ∪ i) := v(S)", w(s0) * (vSi - vS),
              "substitution v(S ∪ i) -> v(S)", term_null, sp.S.Zero),
    ]
    symmetry_steps = [
        _step("S = R ⊆ N \\ {i, j}: term of i at R minus term of j at π(R) = R", case1,
              "substitution v(R ∪ j) -> v(R ∪ i), sympy.expand", sp.expand(case1.subs(vRj, vRi)), sp.S.Zero),
        _step("S = R ∪ j: term of i at R ∪ j minus term of j at π(S) = R ∪ i (both of size |R| + 1)", case2,
              "substitution v(R ∪ j) -> v(R ∪ i), sympy.expand", sp.expand(case2.subs(vRj, vRi)), sp.S.Zero),
    ]
    linearity_steps = [
        _step("each term is linear: term(a v + b u) - a term(v) - b term(u)", lin, "sympy.expand",
              sp.expand(lin), sp.S.Zero),
    ]
    structural = {
        "null_player": "phi_i is a sum of terms w(|S|)(v(S ∪ i) - v(S)), one per S ⊆ N \\ i",
        "symmetry": ("S -> π(S) with π = (i j) is a bijection from the subsets of N \\ i to those of N \\ j "
                     "with |π(S)| = |S|; the subsets are R and R ∪ j with R ⊆ N \\ {i, j}"),
        "linearity": "the coefficients w(|S|) depend on n only, not on v",
        "efficiency": ("each S with |S| = s arises as (S \\ i) ∪ i for its s members (weight w(s-1)) and as "
                       "the coalition left by each of the n - s non-members (weight -w(s))"),
    }
    derivations = {
        "efficiency": efficiency_steps,
        "null_player": null_steps,
        "symmetry": symmetry_steps,
        "linearity": linearity_steps,
    }
    out = Verdicts()
    for axiom, steps in derivations.items():
        cert = {
            "statement": EQUATIONS[axiom] if axiom != "linearity" else "phi(a v + b u) = a phi(v) + b phi(u)",
            "formula": "phi_i = sum_{S ⊆ N \\ i} w(|S|) (v(S ∪ i) - v(S)),  w(s) = s!(n-s-1)!/n!",
            "symbols": "n, s, t, k are SymPy integer symbols (n, t >= 1; s, k >= 0)",
            "structure": structural[axiom],
            "derivation": steps,
            "cross_checks": cross + forms_ok,
        }
        holds = all(st["holds"] for st in steps) and ok
        if holds:
            out[axiom] = Verdict.proved_for_all(cert, f"the Shapley formula satisfies {axiom} for every n")
        else:  # pragma: no cover - would mean SymPy or the formula changed
            out[axiom] = Verdict.undecided("a derivation step or cross-check did not hold", cert)
    return out


# ---------------------------------------------------------------------- uniqueness
def uniqueness_system(n):
    """Columns ``(i, S)`` and the axioms as sparse rows ``({column: coeff}, rhs, axiom)``."""
    full = (1 << n) - 1
    keys = sorted(((i, m) for m in range(1, 1 << n) for i in range(n)),
                  key=lambda key: (-key[1].bit_count(), key[1], key[0]))
    col = {key: c for c, key in enumerate(keys)}
    rows = []
    for m in range(1, 1 << n):  # efficiency on the basis game e_S: sum_i c[i, S] = e_S(N)
        rows.append(({col[i, m]: 1 for i in range(n)}, 1 if m == full else 0, "efficiency"))
    for i in range(n):  # phi_i vanishes on e_T + e_{T ∪ i}, T ⊆ N \ i non-empty (games with i null)
        bit = 1 << i
        for t in range(1, 1 << n):
            if not t & bit:
                rows.append(({col[i, t]: 1, col[i, t | bit]: 1}, 0, "null_player"))
    for i, j in itertools.combinations(range(n), 2):  # phi_i - phi_j vanishes on games symmetric in i, j
        bi, bj = 1 << i, 1 << j
        for m in range(1, 1 << n):
            if bool(m & bi) == bool(m & bj):
                rows.append(({col[i, m]: 1, col[j, m]: -1}, 0, "symmetry"))
        for m in range(1 << n):
            if not m & (bi | bj):
                x, y = m | bi, m | bj
                rows.append(({col[i, x]: 1, col[i, y]: 1, col[j, x]: -1, col[j, y]: -1}, 0, "symmetry"))
    return col, rows


def solve_exact_system(num_cols, rows):
    """Sparse exact Gaussian elimination over QQ.

    Returns ``(rank, consistent, pivots)``; pivot rows are normalised and in
    echelon form (each row's first column is its pivot).  Rows are taken
    sparsest first and columns ordered by decreasing coalition size, which
    keeps fill-in small.
    """
    rhs_col = num_cols
    pivots = {}
    consistent = True
    for coeffs, rhs, _axiom in sorted(rows, key=lambda r: len(r[0])):
        row = {c: Fraction(x) for c, x in coeffs.items()}
        if rhs:
            row[rhs_col] = Fraction(rhs)
        while row:
            c = min(row)
            if c == rhs_col:
                consistent = False
                break
            p = pivots.get(c)
            if p is None:
                inv = 1 / row[c]
                pivots[c] = {k: x * inv for k, x in row.items()}
                break
            f = row[c]
            for k, x in p.items():
                y = row.get(k, 0) - f * x
                if y:
                    row[k] = y
                else:
                    row.pop(k, None)
    return len(pivots), consistent, pivots


def _back_substitute(num_cols, pivots, free=None):
    """The solution of the echelon system, or (with ``free``) the kernel vector with ``x[free] = 1``."""
    rhs_col = num_cols
    sol = {} if free is None else {free: Fraction(1)}
    for c in sorted(pivots, reverse=True):
        row = pivots[c]
        val = Fraction(0) if free is not None else row.get(rhs_col, Fraction(0))
        for k, x in row.items():
            if k != c and k != rhs_col:
                val -= x * sol.get(k, 0)
        sol[c] = val
    return sol


_UNIQUENESS_LIMIT = "the system has n (2^n - 1) unknowns (n = 10: 10230, about 20 s)"


def _uniqueness(n):
    """Build and solve the system at size ``n``: ``(col, counts, rank, consistent, pivots)``."""
    col, rows = uniqueness_system(n)
    counts = {"efficiency": 0, "null_player": 0, "symmetry": 0}
    for _c, _r, axiom in rows:
        counts[axiom] += 1
    counts["total"] = len(rows)
    rank, consistent, pivots = solve_exact_system(len(col), rows)
    return col, counts, rank, consistent, pivots


def uniqueness_solution(n):
    """The coefficients of the only linear value with Efficiency, Null player and Symmetry on ``n`` players.

    Solves the linear system of :func:`derive_uniqueness` at one size.

    Parameters
    ----------
    n : int
        Number of players ``1..n`` (1 to :data:`MAX_UNIQUENESS_PLAYERS`).

    Returns
    -------
    dict or None
        ``(i, frozenset(S)) -> Fraction``: the coefficient of ``v(S)`` in
        ``phi_i``, for every player ``i`` and non-empty ``S``; ``None`` if the
        system does not have exactly one solution.

    Examples
    --------
    >>> c = uniqueness_solution(3)
    >>> c[1, frozenset({1, 2})], c[3, frozenset({1, 2})]
    (Fraction(1, 6), Fraction(-1, 3))
    >>> uniqueness_solution(0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: n must be an integer number of players >= 1, got 0
    """
    check_player_count(n, "n", MAX_UNIQUENESS_PLAYERS, _UNIQUENESS_LIMIT)
    col, _counts, rank, consistent, pivots = _uniqueness(n)
    if not consistent or rank < len(col):  # pragma: no cover - Shapley's theorem
        return None
    sol = _back_substitute(len(col), pivots)
    return {(i + 1, frozenset(_members(m, n))): sol[c] for (i, m), c in sorted(col.items())}


def derive_uniqueness(max_n=6):
    """Shapley's uniqueness theorem for ``n = 1..max_n`` by exact linear algebra (STATEMENTS.md, S0.b).

    A general linear value is ``phi_i(v) = sum_{S ≠ ∅} c[i, S] v(S)`` with
    ``n (2^n - 1)`` unknown coefficients.  The axioms are linear equations on
    them, imposed on spanning sets of the relevant subspaces:

    * Efficiency on each basis game ``e_S``: ``sum_i c[i, S] = [S = N]``;
    * Null player: ``phi_i`` vanishes on the games where ``i`` is null,
      spanned by ``e_T + e_{T ∪ i}`` for non-empty ``T ⊆ N \\ i`` (such games
      have ``v({i}) = v(∅) = 0``): ``c[i, T] + c[i, T ∪ i] = 0``;
    * Symmetry: ``phi_i - phi_j`` vanishes on the games where ``i, j`` are
      interchangeable, spanned by ``e_S`` (``S`` containing both or neither)
      and ``e_{S ∪ i} + e_{S ∪ j}`` (``S ⊆ N \\ {i, j}``).

    The system is solved exactly over QQ (sparse Fraction elimination).  The
    theorem holds at size ``n`` when the system is consistent with rank equal
    to the number of unknowns (one solution) and that solution is the Shapley
    weights ``c[i, S] = (|S|-1)!(n-|S|)!/n!`` for ``i ∈ S`` and
    ``-|S|!(n-|S|-1)!/n!`` for ``i ∉ S``, compared with both the closed form
    and the coefficients of :func:`symgame.values.shapley_forms` on the
    generic game.

    Parameters
    ----------
    max_n : int
        1 to :data:`MAX_UNIQUENESS_PLAYERS`.  About 1 s up to n = 8 and
        20 s up to n = 10 on one core.

    Returns
    -------
    Verdict
        ``PROVED (n <= max_n)`` with, per size, the number of unknowns and
        equations (by axiom), the rank and the timing; ``REFUTED`` with a
        second solution or the differing coefficients if the theorem failed.

    Examples
    --------
    >>> v = derive_uniqueness(4)
    >>> str(v), v.certificate["per_n"][4]["unknowns"], v.certificate["per_n"][4]["rank"]
    ('PROVED (n <= 4)', 60, 60)
    >>> v.certificate["per_n"][3]["solution"]
    {'i in S, |S| = 1': '1/3', 'i in S, |S| = 2': '1/6', 'i in S, |S| = 3': '1/3', 'i not in S, |S| = 1': '-1/6', 'i not in S, |S| = 2': '-1/3'}
    >>> derive_uniqueness(11)
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: max_n = 11 exceeds the limit of 10 players; the system has n (2^n - 1) unknowns (n = 10: 10230, about 20 s)
    """
    check_player_count(max_n, "max_n", MAX_UNIQUENESS_PLAYERS, _UNIQUENESS_LIMIT)
    per_n = {}
    cert = {"statement": "a linear, efficient, null-player, symmetric value is the Shapley value", "per_n": per_n}
    for n in range(1, max_n + 1):
        start = time.perf_counter()
        col, counts, rank, consistent, pivots = _uniqueness(n)
        num = len(col)
        info = per_n[n] = {"unknowns": num, "equations": counts, "rank": rank, "consistent": consistent}
        if not consistent:  # pragma: no cover - Shapley's theorem
            return Verdict.refuted(cert, f"the axioms are inconsistent at n = {n}")
        if rank < num:  # pragma: no cover - Shapley's theorem
            free = min(set(range(num)) - set(pivots))
            kernel = _back_substitute(num, pivots, free)
            info["second_solution_direction"] = {f"c[{i + 1}, {_members(m, n)}]": x
                                                 for (i, m), c in col.items() if (x := kernel.get(c, 0))}
            return Verdict.refuted(cert, f"the axioms leave {num - rank} free coefficients at n = {n}")
        sol = _back_substitute(num, pivots)
        generic = Game.generic(n)
        forms = shapley_forms(generic)
        differing = []
        table = {}
        for (i, m), c in col.items():
            size = m.bit_count()
            inside = m >> i & 1
            expected = _shapley_weight(n, size - 1) if inside else -_shapley_weight(n, size)
            computed = forms[generic.players[i]].coefficient(generic.value_at(m))
            if sol[c] != expected or computed != expected:
                differing.append({"i": i + 1, "S": _members(m, n), "solution": sol[c], "shapley": expected})
            table.setdefault(f"i {'in' if inside else 'not in'} S, |S| = {size}", str(sol[c]))
        info["solution"] = dict(sorted(table.items()))
        info["equals_shapley_weights"] = not differing
        info["seconds"] = round(time.perf_counter() - start, 4)
        if differing:  # pragma: no cover - Shapley's theorem
            info["differing"] = differing[:10]
            return Verdict.refuted(cert, f"the unique solution at n = {n} is not the Shapley value")
    cert["method"] = (
        "unknown coefficients c[i, S] of a linear value; Efficiency, Null player and Symmetry imposed on "
        "spanning sets of the basis games; exact sparse Gaussian elimination over QQ; rank = number of "
        "unknowns; the solution compared with the closed-form Shapley weights and with shapley_forms"
    )
    return Verdict.proved_up_to(
        max_n, cert, f"the Shapley value is the only linear value with E, N, S for n <= {max_n}"
    )


def _members(mask, n):
    return [k + 1 for k in range(n) if mask >> k & 1]


# ---------------------------------------------------------------------- uniqueness for all n
def unanimity_lemmas(max_n):
    """The facts about unanimity games the all-n uniqueness proof uses, checked against the code for n <= ``max_n``.

    For every ``n <= max_n``, on the games :meth:`Game.unanimity` builds and the dividends
    :func:`symgame.values.dividends` computes:

    * *spanning*: ``v = sum_T d(T) u_T`` on the generic game (``d`` its dividends, ``u_T`` built by
      ``Game.unanimity``, summed with the Game's own ``+`` and scalar ``*``);
    * *null*: a player outside ``T`` has every marginal contribution 0 in ``u_T``;
    * *symmetry*: two members of ``T`` are interchangeable in ``u_T``;
    * *grand coalition*: ``u_T(N)``, collected per instance (the proof needs one common value);
    * *Shapley on the basis*: :func:`symgame.values.shapley` of ``u_T`` per player, collected by
      membership (the proof compares them with ``1/t`` and 0).

    Returns
    -------
    dict
        ``sizes``, per-lemma booleans, ``grand_values`` (the set of ``u_T(N)`` seen) and
        ``shapley_on_basis`` (``t -> set of member values``, and the set of non-member values).

    Examples
    --------
    >>> lem = unanimity_lemmas(3)
    >>> lem["spanning"], lem["null"], lem["symmetry"], lem["grand_values"]
    (True, True, True, [1])
    """
    check_player_count(max_n, "max_n", MAX_CHECK_PLAYERS, "check fewer sizes")
    spanning = null = symmetric = True
    grand = set()
    member_values, nonmember_values = {}, set()
    games = 0
    for n in range(1, max_n + 1):
        players = list(range(1, n + 1))
        full = (1 << n) - 1
        generic = Game.generic(n)
        total = None
        for T, dT in dividends(generic).items():
            u = Game.unanimity(players, T)
            games += 1
            total = u * dT if total is None else total + u * dT
            vals = u.exprs()
            tmask = u.mask(T)
            grand.add(vals[full])
            for i in range(n):
                bit = 1 << i
                if not tmask & bit:
                    null &= all(vals[m | bit] == vals[m] for m in range(1 << n) if not m & bit)
            members = [i for i in range(n) if tmask >> i & 1]
            for a, b in zip(members, members[1:]):
                ba, bb = 1 << a, 1 << b
                symmetric &= all(vals[m | ba] == vals[m | bb] for m in range(1 << n) if not m & (ba | bb))
            phi = shapley(u)
            for i, p in enumerate(u.players):
                if tmask >> i & 1:
                    member_values.setdefault(len(T), set()).add(phi[p])
                else:
                    nonmember_values.add(phi[p])
        spanning &= all(sp.expand(a - b) == 0 for a, b in zip(total.exprs(), generic.exprs()))
    return {
        "sizes": list(range(1, max_n + 1)),
        "unanimity_games": games,
        "spanning": bool(spanning),
        "null": bool(null),
        "symmetry": bool(symmetric),
        "grand_values": sorted(grand, key=str),
        "shapley_on_basis": {"members": {t: sorted(vs, key=str) for t, vs in sorted(member_values.items())},
                             "nonmembers": sorted(nonmember_values, key=str)},
    }


def derive_uniqueness_all_n(check_up_to=6, axioms=None):
    """Shapley's uniqueness theorem for every n through the unanimity basis (STATEMENTS.md, S0.b).

    Let ``psi`` be linear, efficient, symmetric and null-player.  With ``n`` and ``t = |T|``
    SymPy integer symbols:

    1. *Spanning* (Möbius inversion): ``sum_{T ⊆ S} d(T) = v(S)`` because for ``R ⊊ S`` the
       coefficient of ``v(R)`` is ``sum_{k=0}^{m} C(m, k) (-1)^k`` with ``m = |S \\ R| >= 1``,
       which ``sympy.summation`` gives as 0 (computed).  As a lemma, ``v = sum_T d(T) u_T`` is
       checked on the generic game for every ``n <= check_up_to`` with the code's dividends and
       unanimity games (:func:`unanimity_lemmas`).
    2. *Null player*: ``i ∉ T`` is null in ``u_T`` (lemma, checked on the code's games), so
       ``psi_i(u_T) = 0``.
    3. *Symmetry*: members of ``T`` are interchangeable in ``u_T`` (lemma), so ``psi_i(u_T) = x``
       for every ``i ∈ T``.
    4. *Efficiency*: ``t x + (n - t) 0 = u_T(N)``, with ``u_T(N)`` read from the code's games
       (one common value is required); ``sympy.solve`` gives ``x`` (computed).
    5. The Shapley formula gives ``phi_i(u_T) = 1/t`` for ``i ∈ T`` — the efficiency derivation of
       :func:`derive_shapley_axioms_all_n`, which sums the weight
       :func:`symgame.values.shapley_weight` with symbolic ``n`` and ``t`` — and 0 for ``i ∉ T``
       (its null-player step); ``x - phi_i(u_T)`` is simplified to 0 (computed).
    6. By linearity ``psi(v) = sum_T d(T) psi(u_T) = sum_T d(T) phi(u_T) = phi(v)``.

    Parameters
    ----------
    check_up_to : int
        Largest size on which the lemmas are checked against the code (1 to MAX_CHECK_PLAYERS).
    axioms : dict, optional
        The result of :func:`derive_shapley_axioms_all_n` to reuse (computed when omitted).

    Returns
    -------
    Verdict
        ``PROVED (all n)`` when every computed step and lemma holds, ``UNDECIDED`` otherwise; the
        certificate lists the steps with their provenance.

    Examples
    --------
    >>> v = derive_uniqueness_all_n(3)
    >>> str(v), [st["result"] for st in v.certificate["derivation"]]
    ('PROVED (all n)', ['0', '[1/t]', '0', '0'])
    """
    check_player_count(check_up_to, "check_up_to", MAX_CHECK_PLAYERS, "check the lemmas on fewer sizes")
    n = sp.Symbol("n", integer=True, positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    x = sp.Symbol("x")
    axioms = axioms if axioms is not None else derive_shapley_axioms_all_n(check_up_to=min(check_up_to, 5))
    eff = axioms["efficiency"].certificate["derivation"]
    unanimity_step = next(st for st in eff if st["claim"].startswith("phi_i(u_T) = 1/t"))
    null_step = axioms["null_player"].certificate["derivation"][0]
    phi_member = sp.sympify(unanimity_step["result"], locals={"n": n, "t": t})
    phi_nonmember = sp.sympify(null_step["result"], locals={"n": n})
    lem = unanimity_lemmas(check_up_to)
    grand = lem["grand_values"]
    grand_value = sp.sympify(grand[0]) if len(grand) == 1 else None
    mobius_sum = sp.Sum(sp.binomial(m, k) * (-1) ** k, (k, 0, m))
    mobius = sp.summation(mobius_sum.function, (k, 0, m))
    steps = [_step("spanning: coefficient of v(R), R ⊊ S, m = |S \\ R| >= 1, in sum_(T ⊆ S) d(T)", mobius_sum,
                   "sympy.summation", mobius, sp.S.Zero)]
    if grand_value is None:
        return Verdict.undecided("u_T(N) is not one common value on the code's unanimity games",
                                 {"lemmas": lem, "derivation": steps})
    solved = sp.solve(sp.Eq(t * x + (n - t) * 0, grand_value), x)
    steps.append(_step("efficiency on u_T: t x + (n - t) psi_nonmember = u_T(N) (u_T(N) read from Game.unanimity)",
                       sp.Eq(t * x, grand_value), "sympy.solve for x", solved, [1 / t]))
    psi_member = solved[0] if len(solved) == 1 else sp.nan
    steps.append(_step("psi_i(u_T) - phi_i(u_T) for i in T (phi from the summed code weight, S0.a)",
                       psi_member - phi_member, "sympy.simplify", sp.simplify(psi_member - phi_member), sp.S.Zero))
    steps.append(_step("psi_i(u_T) - phi_i(u_T) for i not in T (null player; phi's null-player step, S0.a)",
                       sp.S.Zero - phi_nonmember, "sympy.simplify", sp.simplify(-phi_nonmember), sp.S.Zero))
    basis = lem["shapley_on_basis"]
    basis_ok = (all(vs == [sp.Rational(1, tt)] for tt, vs in basis["members"].items())
                and basis["nonmembers"] == [0])
    lemmas_ok = lem["spanning"] and lem["null"] and lem["symmetry"] and basis_ok
    provenance = {
        "computed_from_code": [
            "phi_i(u_T) = 1/t: shapley_weight (symgame.values) summed with n, t symbolic (S0.a efficiency step)",
            "u_T(N) read from Game.unanimity on every instance",
            "x = psi_i(u_T) solved from efficiency with t symbolic; psi - phi simplified to 0",
            "Möbius coefficient sum_k C(m, k)(-1)^k = 0 summed with m symbolic",
        ],
        "checked_on_instances": [
            f"spanning v = sum_T d(T) u_T (values.dividends, Game.unanimity, Game +/*) on the generic game, "
            f"n <= {check_up_to}",
            f"i not in T is null in u_T; members of T interchangeable, n <= {check_up_to}",
            f"shapley(u_T) = 1/t on T and 0 off T, n <= {check_up_to}",
        ],
        "argued": ["linearity: psi(v) = sum_T d(T) psi(u_T) (psi linear, v spanned by the u_T)"],
    }
    cert = {
        "statement": "a linear, efficient, null-player, symmetric value is the Shapley value, for every n",
        "method": "unanimity basis: the axioms fix psi(u_T); the Shapley formula has the same values on the basis",
        "derivation": steps,
        "lemmas": lem,
        "provenance": provenance,
    }
    if all(st["holds"] for st in steps) and lemmas_ok:
        return Verdict.proved_for_all(cert, "the axioms force psi_i(u_T) = 1/t on T and 0 off T, which is the "
                                            "Shapley value of u_T (derived from the code's weight); linearity "
                                            "extends it to every game")
    return Verdict.undecided("a computed step or a lemma did not hold", cert)
