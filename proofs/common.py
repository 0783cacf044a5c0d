"""Derivations shared by several proof modules.

Every function computes its result; nothing here is typed in.

Examples
--------
>>> steps = unanimity_shapley_all_n()
>>> steps["phi_member"], steps["phi_nonmember"]
('1/t', '0')
"""

import itertools
from math import factorial

import sympy as sp

from symgame import Game, shapley
from symgame.axioms import derive_shapley_axioms_all_n
from symgame.errors import SymgameError
from symgame.verdicts import Verdict

__all__ = ["unanimity_shapley_all_n", "shapley_weight_sum_all_n", "assert_family_ok", "prove_as_script",
           "symbolic_sizes", "independent_shapley", "independent_banzhaf", "INDEPENDENT_RULES", "n_sym", "t_sym",
           "Tally", "game_snippet"]

#: Symbolic number of players and carrier size used by all-n derivations.
n_sym, t_sym = sp.symbols("n t", integer=True, positive=True)


def game_snippet(game, name="game"):
    """Python source, with its import, that rebuilds ``game`` as ``name`` in a fresh interpreter
    (what ``symgame search`` prints for pasting back).

    Examples
    --------
    >>> from symgame import Game
    >>> print(game_snippet(Game.additive({"a": 1})))
    from symgame import Game
    game = Game.from_dict(['a'], {('a',): 1})
    """
    return f"from symgame import Game\n{name} = {game.to_python()}"


def symbolic_sizes():
    """The SymPy integer symbols ``(n, t)`` used in all-n derivations."""
    return n_sym, t_sym


def _efficiency_step(prefix):
    """A step of :func:`symgame.axioms.derive_shapley_axioms_all_n` (efficiency), found by its claim."""
    steps = derive_shapley_axioms_all_n(check_up_to=5)["efficiency"].certificate["derivation"]
    step = next(st for st in steps if st["claim"].startswith(prefix))
    if not step["holds"]:
        raise AssertionError(f"derivation step failed: {step}")
    return step


def unanimity_shapley_all_n():
    """``phi_i(u_T) = 1/|T|`` for ``i in T`` and ``0`` otherwise, with ``n`` and ``t = |T|`` symbolic.

    Taken from the efficiency derivation of :func:`symgame.axioms.derive_shapley_axioms_all_n`:
    ``phi_i = sum_{k=0}^{n-t} C(n-t, k) (t-1+k)! (n-t-k)! / n!`` summed by SymPy; for ``i ∉ T``
    every marginal contribution is 0.  Re-checked here against exact Shapley values of unanimity
    games for n <= 5.

    Returns
    -------
    dict
        The summand, the computed closed form, and the simplified values (strings).
    """
    step = _efficiency_step("phi_i(u_T) = 1/t")
    n, t = n_sym, t_sym
    member = sp.sympify(step["result"], locals={"n": n, "t": t})
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
        "summand": step["input"],
        "closed_form": step["result"],
        "phi_member": sp.sstr(member),
        "phi_nonmember": "0",
        "cross_checked_sizes": sorted(checks),
    }


def shapley_weight_sum_all_n():
    """``sum_{s=0}^{n-1} C(n-1, s) s!(n-1-s)!/n!`` for symbolic ``n``, from the axioms derivation (it is 1).

    Examples
    --------
    >>> shapley_weight_sum_all_n()
    1
    """
    return sp.sympify(_efficiency_step("sum_{s=0}^{n-1} C(n-1, s)")["result"])


def assert_family_ok(names, count=None):
    """pytest helper: run the named checks at the quick profile and assert each reaches its expected verdict."""
    from symgame.checks import REGISTRY

    results = REGISTRY.run(list(names), profile="quick")
    assert results and (count is None or len(results) == count) and all(r.ok for r in results), \
        [(r.check.name, str(r.verdict), r.error) for r in results]


def prove_as_script(names):
    """Entry point of ``python -m proofs.<name>``: ``symgame prove NAMES``, exiting with its status."""
    import sys

    from symgame.cli import main

    sys.exit(main(["prove", *names]))


def independent_shapley(game):
    """Shapley value by the permutation formula, written here (shares no code with :mod:`symgame.values`).

    ``phi_i = (1/n!) sum over orders of v(P ∪ i) - v(P)``, ``P`` the players before ``i``; the
    game is read only through ``game[coalition]``.  For re-verification of small games (n <= 7).

    Examples
    --------
    >>> independent_shapley(Game.glove(["L"], ["R1", "R2"]))
    {'L': 2/3, 'R1': 1/6, 'R2': 1/6}
    """
    players = list(game.players)
    if len(players) > 7:
        raise ValueError(f"independent_shapley enumerates n! orders; n = {len(players)} is too many")
    value = {}

    def v(coalition):
        key = frozenset(coalition)
        if key not in value:
            value[key] = sp.sympify(game[key])
        return value[key]

    totals = {p: [] for p in players}
    for order in itertools.permutations(players):
        before = []
        for p in order:
            totals[p].append(v(before + [p]) - v(before))
            before.append(p)
    return {p: sp.expand(sp.Add(*terms) / factorial(len(players))) for p, terms in totals.items()}


def independent_banzhaf(game):
    """Banzhaf value ``2^{-(n-1)} sum_{S ⊆ N \\ i} (v(S ∪ i) - v(S))`` by enumeration, written here.

    Examples
    --------
    >>> independent_banzhaf(Game.majority(["a", "b", "c"]))
    {'a': 1/2, 'b': 1/2, 'c': 1/2}
    """
    players = list(game.players)
    n = len(players)
    out = {}
    for p in players:
        others = [q for q in players if q != p]
        terms = []
        for r in range(n):
            for S in itertools.combinations(others, r):
                terms.append(sp.sympify(game[frozenset(S) | {p}]) - sp.sympify(game[frozenset(S)]))
        out[p] = sp.expand(sp.Add(*terms) / 2 ** (n - 1))
    return out


#: Independent re-implementations of the witness rules of S0.c, by the rule's name.
INDEPENDENT_RULES = {"banzhaf": independent_banzhaf}


class Tally:
    """Counts the distinct instances a claim decided and the ones it skipped, for a ``CHECKED`` verdict.

    :meth:`wrap` returns the claim with counting around it: an instance on which the claim raises a
    :class:`~symgame.errors.SymgameError` is *skipped* (the search goes on, as
    :func:`symgame.search.find_counterexample` does), every other one is *decided*; instances are
    told apart by ``key`` (default: the instance itself, which must be hashable).  :meth:`checked`
    builds the verdict from the counts, so a search whose instances were all skipped reports
    ``CHECKED (0 instances, 300 skipped)``, which satisfies no expectation.

    Examples
    --------
    >>> tally = Tally()
    >>> claim = tally.wrap(lambda k: 100 // k > 0)
    >>> [claim(k) for k in (1, 2, 2, 3)]
    [True, True, True, True]
    >>> str(tally.checked({}, "fine"))
    'CHECKED (3 instances)'
    """

    def __init__(self, key=None):
        self.key = key or (lambda instance: instance)
        self.decided = set()
        self.draws = 0
        self.skipped = 0
        self.skip_reasons = {}

    def wrap(self, claim):
        """``claim`` with counting around it."""
        def counted(instance):
            self.draws += 1
            try:
                out = claim(instance)
            except SymgameError as exc:
                self.skipped += 1
                reason = type(exc).__name__
                self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1
                raise
            self.decided.add(self.key(instance))
            return out

        return counted

    def counts(self):
        """``draws``, ``distinct_decided``, ``skipped`` (and why) as a dict for a certificate."""
        return {"draws": self.draws, "distinct_decided": len(self.decided), "skipped": self.skipped,
                "skip_reasons": dict(self.skip_reasons)}

    def checked(self, certificate, summary=""):
        """``CHECKED (k instances[, s skipped])`` with ``k`` distinct decided instances."""
        return Verdict.checked(len(self.decided), {**certificate, "instances": self.counts()}, summary,
                               skipped=self.skipped)
