"""Derivations shared by several proof modules.

Every function computes its result; nothing here is typed in.

Examples
--------
>>> steps = unanimity_shapley_all_n()
>>> steps["phi_member"], steps["phi_nonmember"]
('1/t', '0')
"""

import sympy as sp

from symgame import Game, shapley, shapley_permutations

__all__ = ["unanimity_shapley_all_n", "symbolic_sizes", "independent_shapley", "n_sym", "t_sym"]

#: Symbolic number of players and carrier size used by all-n derivations.
n_sym, t_sym = sp.symbols("n t", integer=True, positive=True)


def symbolic_sizes():
    """The SymPy integer symbols ``(n, t)`` used in all-n derivations."""
    return n_sym, t_sym


def unanimity_shapley_all_n():
    """Derive ``phi_i(u_T) = 1/|T|`` for ``i in T`` and ``0`` otherwise, with ``n`` and ``t = |T|`` symbolic.

    For ``i in T``: ``v(S ∪ i) - v(S) = 1`` exactly when ``T \\ i ⊆ S``; there are
    ``C(n-t, k)`` such ``S`` of size ``t - 1 + k``, so
    ``phi_i = sum_{k=0}^{n-t} C(n-t, k) (t-1+k)! (n-t-k)! / n!``, which SymPy
    sums in closed form.  For ``i ∉ T`` every marginal contribution is 0.

    Returns
    -------
    dict
        The summand, the computed closed form, and the simplified values (strings).
    """
    n, t = n_sym, t_sym
    k = sp.Symbol("k", integer=True, nonnegative=True)
    summand = sp.binomial(n - t, k) * sp.factorial(t - 1 + k) * sp.factorial(n - t - k) / sp.factorial(n)
    closed = sp.summation(summand, (k, 0, n - t))
    member = sp.simplify(sp.combsimp(closed))
    # cross-check the closed form at concrete sizes against the exact Shapley value of u_T
    checks = {}
    for nn in range(1, 6):
        for tt in range(1, nn + 1):
            players = list(range(nn))
            phi = shapley(Game.unanimity(players, players[:tt]))
            checks[f"n={nn},t={tt}"] = phi[0] == member.subs({n: nn, t: tt}) and phi[nn - 1] == (
                member.subs({n: nn, t: tt}) if tt == nn else 0)
    if not all(checks.values()):
        raise AssertionError(f"closed form {member} disagrees with exact Shapley values: {checks}")
    return {
        "summand": sp.sstr(summand),
        "closed_form": sp.sstr(closed),
        "phi_member": sp.sstr(member),
        "phi_nonmember": "0",
        "cross_checked_sizes": sorted(checks),
    }


def independent_shapley(game):
    """Shapley value by the permutation formula (an independent code path for re-verification)."""
    return shapley_permutations(game)
