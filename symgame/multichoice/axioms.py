"""Axiom checks for multi-choice values: each axiom decided exactly on generic symbolic games, size by size.

A *multi-choice value rule* is a :class:`ValueRule`: a function ``game -> {(player, level): value}``
(:func:`symgame.multichoice.values.derks_peters` and the others), optionally with symbolic
parameters (the Hsiao-Raghavan level weights, as positive symbols, so that a proof covers every
choice of weights), and an independent implementation used to re-verify counterexamples.

The axioms (each for every player / player-level / pair the premise allows):

* ``efficiency``: ``sum_{i, j} phi[(i, j)](v) = v(m)``;
* ``linearity``: ``phi(v + w) = phi(v) + phi(w)`` and ``phi(a v) = a phi(v)`` for a symbol ``a``;
* ``null_player``: ``v(x) = v(x_{-i}, 0)`` for every ``x`` implies ``phi[(i, j)] = 0`` for every ``j``;
* ``level_null``: ``v(x_{-i}, j) = v(x_{-i}, j - 1)`` for every ``x_{-i}`` implies ``phi[(i, j)] = 0``;
* ``symmetry``: ``m_i = m_k`` and ``v`` unchanged by exchanging the levels of ``i`` and ``k`` implies
  ``phi[(i, l)] = phi[(k, l)]`` for every ``l``;
* ``extra_level``: giving player ``k`` one more top level that adds nothing
  (``w(x) = v(min(x, m))`` on levels ``m + e_k``) changes no value and gives the new level 0.

How a size is decided: the rule is applied to the generic game of the axiom's family (one real
symbol per level vector, identified so that the premise holds, :func:`family`), and both sides are
compared exactly (as linear forms; with symbolic weights, as the numerator of one rational
function).  A size ``n`` covers every profile of levels in :func:`level_profiles` and every
player, level and pair.  A non-zero difference is turned into a concrete exact instance (small
integers; weights 1, 2, ...), which is re-verified on an independent path: the game is rebuilt
from its JSON document, the premise is re-checked by enumeration (:func:`premise_holds`), and
both the rule and its independent implementation must violate the axiom with the same numbers.

Examples
--------
>>> from symgame.multichoice.values import derks_peters
>>> str(check_value_axiom("efficiency", RULES["derks_peters"], 2))
'PROVED (n <= 2)'
>>> v = check_value_axiom("level_null", RULES["derks_peters"], 2)
>>> str(v), v.certificate["reverified"]
('REFUTED', True)
"""

import itertools
import random

import sympy as sp

from ..errors import InvalidGameError, InvalidRuleError, UndecidedError
from ..exact import exact_str
from ..linear import LinearForm
from ..verdicts import Verdict
from .game import MultiChoiceGame
from .orders import derks_peters_by_pairs, hsiao_raghavan_by_recursion, van_den_nouweland_by_orders
from .values import derks_peters, hsiao_raghavan, van_den_nouweland

__all__ = ["AXIOMS", "ValueRule", "RULES", "HR_WEIGHTS", "level_profiles", "family", "premise_holds",
           "check_value_axiom", "vanishes", "MAX_AXIOM_PLAYERS"]

#: The axioms :func:`check_value_axiom` decides.
AXIOMS = ("efficiency", "linearity", "null_player", "level_null", "symmetry", "extra_level")
#: Largest number of players a proof covers (the generic game of 4 players at 2 levels has 80 symbols).
MAX_AXIOM_PLAYERS = 4
#: The Hsiao-Raghavan level weights as positive symbols: a proof with them holds for every positive weights.
HR_WEIGHTS = sp.symbols("w_1 w_2 w_3 w_4", positive=True)
_A = sp.Symbol("a", real=True)


class ValueRule:
    """A multi-choice value with its symbolic parameters and an independent implementation.

    Parameters
    ----------
    name : str
    compute : callable
        ``compute(game, *parameters) -> {(player, level): value}``.
    independent : callable
        Same signature, a path sharing no code with ``compute`` (re-verifies counterexamples).
    parameters : tuple of sympy.Symbol
        Symbols passed as the parameters (positive); a counterexample substitutes numbers.

    Examples
    --------
    >>> g = MultiChoiceGame(["a", "b"], [1, 1], {(1, 1): 1}, default=0)
    >>> RULES["hsiao_raghavan"](g)
    {('a', 1): 1/2, ('b', 1): 1/2}
    """

    def __init__(self, name, compute, independent, parameters=()):
        if not callable(compute) or not callable(independent):
            raise InvalidRuleError(f"rule {name!r}: compute and independent must be callables")
        self.name, self.compute, self.independent, self.parameters = name, compute, independent, tuple(parameters)

    def __call__(self, game, values=None, *, independent=False):
        """The value of ``game``; ``values`` maps the parameter symbols to numbers (default: keep the symbols)."""
        params = [p if values is None else values[p] for p in self.parameters]
        out = (self.independent if independent else self.compute)(game, *params)
        if not isinstance(out, dict) or set(out) != {(p, j) for p, m in zip(game.players, game.levels)
                                                     for j in range(1, m + 1)}:
            raise InvalidRuleError(f"rule {self.name!r} must return one value per player-level (player, level)")
        return out

    def __repr__(self):
        return f"ValueRule({self.name!r})"


#: The three values of :mod:`symgame.multichoice.values`, Hsiao-Raghavan with symbolic weights.
RULES = {
    "hsiao_raghavan": ValueRule("hsiao_raghavan", lambda g, *w: hsiao_raghavan(g, w),
                                lambda g, *w: hsiao_raghavan_by_recursion(g, w), HR_WEIGHTS),
    "derks_peters": ValueRule("derks_peters", derks_peters, derks_peters_by_pairs),
    "van_den_nouweland": ValueRule("van_den_nouweland", van_den_nouweland, van_den_nouweland_by_orders),
}


def level_profiles(n):
    """The level profiles ``(m_1 <= ... <= m_n)`` a proof of size ``n`` covers: levels 1..3 for
    ``n <= 2``, 1..2 for ``n >= 3``.

    Examples
    --------
    >>> level_profiles(2)
    [(1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)]
    >>> len(level_profiles(3))
    4
    """
    top = 3 if n <= 2 else 2
    return list(itertools.combinations_with_replacement(range(1, top + 1), n))


def _from(game, levels, source):
    """The game on ``levels`` whose value at ``x`` is ``game[source(x)]``."""
    return MultiChoiceGame.from_function(game.players, levels, lambda x: game[source(x)])


def family(axiom, levels):
    """The generic games of ``axiom``'s premise on the given levels: ``[(case, games)]``.

    ``case`` names the player / player-level / pair; ``games`` is the tuple the axiom compares
    (one game; two for linearity; the game and its extension for ``extra_level``).

    Examples
    --------
    >>> [case for case, _ in family("level_null", (2, 1))]
    [(1, 1), (1, 2), (2, 1)]
    >>> _, (g,) = family("null_player", (1, 1))[0]
    >>> g[(1, 0)], g[(1, 1)] == g[(0, 1)]
    (0, True)
    """
    players = tuple(range(1, len(levels) + 1))
    g = MultiChoiceGame.generic(players, levels)
    n = len(players)
    if axiom == "efficiency":
        return [(None, (g,))]
    if axiom == "linearity":
        return [(None, (g, MultiChoiceGame.generic(players, levels, name="w")))]
    if axiom == "null_player":
        return [(players[k], (_from(g, levels, lambda x, k=k: x[:k] + (0,) + x[k + 1:]),)) for k in range(n)]
    if axiom == "level_null":
        out = []
        for k in range(n):
            for j in range(1, levels[k] + 1):
                low = lambda x, k=k, j=j: x[:k] + (j - 1,) + x[k + 1:] if x[k] == j else x
                out.append(((players[k], j), (_from(g, levels, low),)))
        return out
    if axiom == "symmetry":
        out = []
        for a, b in itertools.combinations(range(n), 2):
            if levels[a] == levels[b]:
                def rep(x, a=a, b=b):
                    y = list(x)
                    y[a], y[b] = y[b], y[a]
                    return min(x, tuple(y))
                out.append(((players[a], players[b]), (_from(g, levels, rep),)))
        return out
    if axiom == "extra_level":
        out = []
        for k in range(n):
            more = levels[:k] + (levels[k] + 1,) + levels[k + 1:]
            out.append((players[k], (g, _from(g, more, lambda x: tuple(min(a, b) for a, b in zip(x, levels))))))
        return out
    raise InvalidRuleError(f"unknown multi-choice axiom {axiom!r}; known: {', '.join(AXIOMS)}")


def premise_holds(axiom, case, games):
    """Whether concrete ``games`` satisfy ``axiom``'s premise for ``case``, checked by enumerating level vectors
    (shares no code with :func:`family`).

    Examples
    --------
    >>> g = MultiChoiceGame.from_function(["a", "b"], [2, 1], lambda x: x[1] * (x[0] >= 1))
    >>> premise_holds("level_null", ("a", 2), (g,)), premise_holds("level_null", ("a", 1), (g,))
    (True, False)
    """
    if axiom in ("efficiency", "linearity"):
        return True
    game = games[0]
    pos = {p: k for k, p in enumerate(game.players)}
    vectors = game.level_vectors()
    if axiom == "null_player":
        k = pos[case]
        return all(game[x] == game[tuple(0 if a == k else l for a, l in enumerate(x))] for x in vectors)
    if axiom == "level_null":
        k, j = pos[case[0]], case[1]
        return all(game[x] == game[tuple(j - 1 if a == k else l for a, l in enumerate(x))]
                   for x in vectors if x[k] == j)
    if axiom == "symmetry":
        a, b = pos[case[0]], pos[case[1]]
        swap = lambda x: tuple(x[b] if c == a else x[a] if c == b else l for c, l in enumerate(x))
        return game.levels[a] == game.levels[b] and all(game[x] == game[swap(x)] for x in vectors)
    if axiom == "extra_level":
        small, big = games
        k = pos[case]
        grown = [m + (1 if c == k else 0) for c, m in enumerate(small.levels)]
        return list(big.levels) == grown and all(
            big[y] == small[tuple(min(l, m) for l, m in zip(y, small.levels))] for y in big.level_vectors())
    raise InvalidRuleError(f"unknown multi-choice axiom {axiom!r}")


def _sides(axiom, case, games, phi, a=_A):
    """``[(what, lhs, rhs)]``: the equations ``axiom`` asks for, from the values ``phi`` of ``games``."""
    if axiom == "efficiency":
        (g,) = games
        return [("sum of values", sp.Add(*phi[0].values()), g[g.top])]
    if axiom == "linearity":
        both, first, second, scaled = phi
        out = [(f"additivity at {key}", both[key], first[key] + second[key]) for key in first]
        return out + [(f"homogeneity at {key}", scaled[key], a * first[key]) for key in first]
    if axiom == "null_player":
        return [(f"phi{key}", v, 0) for key, v in phi[0].items() if key[0] == case]
    if axiom == "level_null":
        return [(f"phi{case}", phi[0][case], 0)]
    if axiom == "symmetry":
        i, k = case
        return [(f"phi[{i!r}, {l}] vs phi[{k!r}, {l}]", phi[0][(i, l)], phi[0][(k, l)])
                for (p, l) in phi[0] if p == i]
    if axiom == "extra_level":
        small, big = phi
        out = [(f"phi{key} before and after", big[key], v) for key, v in small.items()]
        new = [key for key in big if key not in small]
        return out + [(f"phi{key} of the new level", big[key], 0) for key in new]
    raise InvalidRuleError(f"unknown multi-choice axiom {axiom!r}")


def _values(axiom, rule, games, params=None, independent=False):
    if axiom == "linearity":
        g, h = games
        return [rule(g + h, params, independent=independent), rule(g, params, independent=independent),
                rule(h, params, independent=independent),
                rule(g * (_A if params is None else params[_A]), params, independent=independent)]
    return [rule(g, params, independent=independent) for g in games]


def vanishes(expr, parameters=()):
    """Whether ``expr`` is identically 0, exactly, without ``simplify``.

    A polynomial is compared as a linear form of monomials.  Otherwise ``expr`` is expanded and its
    terms grouped by their factors free of ``parameters`` (the game's symbols); each group's coefficient,
    a rational function of the parameters, is brought to one fraction whose numerator must expand to 0.

    Examples
    --------
    >>> x, w = sp.symbols("x w", positive=True)
    >>> vanishes(x * w / (w + 1) + x / (w + 1) - x, [w]), vanishes(x - 2 * x / 2), vanishes(x / (w + 1), [w])
    (True, True, False)
    """
    expr = sp.sympify(expr)
    if expr.is_polynomial():
        return LinearForm.from_expr(sp.expand(expr)).is_zero
    params = set(parameters)
    groups = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        factors = sp.Mul.make_args(term)
        key = sp.Mul(*(f for f in factors if not (f.free_symbols & params) and not f.is_Number))
        groups.setdefault(key, []).append(term / key)
    return all(LinearForm.from_expr(sp.expand(sp.numer(sp.together(sp.Add(*terms))))).is_zero
               for terms in groups.values())


def _counterexample(diff, games, rule, rng):
    """Numbers for the symbols making ``diff`` non-zero (small integers; positive weights), or None."""
    weights = set(rule.parameters)
    free = sorted(set().union(*(g.free_symbols for g in games)) | diff.free_symbols | {_A}, key=str)
    for attempt in range(300):
        values = {}
        for s in free:
            if s in weights:
                values[s] = sp.Integer(rng.randint(1, 4))
            elif s == _A:
                values[s] = sp.Integer(rng.choice([2, 3, -1]))
            else:
                values[s] = sp.Integer(rng.randint(-3, 3) if attempt else (1 if s in diff.free_symbols else 0))
        if diff.subs(values) != 0:
            return values
    return None


def _decide_case(axiom, rule, case, games, rng):
    """``None`` if every equation holds identically, else a certificate of a re-verified counterexample."""
    phi = _values(axiom, rule, games)
    for what, lhs, rhs in _sides(axiom, case, games, phi):
        if vanishes(lhs - rhs, rule.parameters):
            continue
        values = _counterexample(sp.sympify(lhs - rhs), games, rule, rng)
        if values is None:
            raise UndecidedError(f"{axiom}: {what} is not identically 0 but no small instance shows it")
        concrete = tuple(g.subs(values) for g in games)
        rebuilt = tuple(MultiChoiceGame.from_json(g.to_json()) for g in concrete)
        params = {s: values[s] for s in rule.parameters} | {_A: values[_A]}
        found = {}
        for path in (False, True):
            phi_c = _values(axiom, rule, rebuilt, params, independent=path)
            eqs = {w: (l, r) for w, l, r in _sides(axiom, case, rebuilt, phi_c, a=values[_A])}
            found["independent" if path else "rule"] = eqs[what]
        premise = premise_holds(axiom, case, rebuilt)
        l, r = found["rule"]
        reverified = premise and l != r and found["independent"] == found["rule"]
        return {"axiom": axiom, "case": case, "levels": list(rebuilt[0].levels), "equation": what,
                "lhs": exact_str(l), "rhs": exact_str(r), "premise_rechecked": premise,
                "independent_path": {"lhs": exact_str(found["independent"][0]),
                                     "rhs": exact_str(found["independent"][1])},
                "parameters": {str(s): exact_str(values[s]) for s in rule.parameters},
                "scalar_a": exact_str(values[_A]) if axiom == "linearity" else None,
                "games": [g.to_json() for g in rebuilt],
                "python": "from symgame.multichoice import MultiChoiceGame\n" + "\n".join(
                    f"g{k} = MultiChoiceGame.from_json({json_text!r})"
                    for k, json_text in enumerate(_dump(g) for g in rebuilt)),
                "symbolic_difference": sp.sstr(lhs - rhs),
                "reverified": reverified}
    return None


def _dump(game):
    import json

    return json.dumps(game.to_json())


def check_value_axiom(axiom, rule, max_n, *, seed=0):
    """Decide ``axiom`` for ``rule`` on the generic games of every level profile of every size ``n <= max_n``.

    Returns
    -------
    Verdict
        ``PROVED (n <= max_n)`` with the profiles and cases covered, or ``REFUTED`` with the smallest
        counterexample found (first in size order), re-verified; ``UNDECIDED`` if a counterexample
        could not be re-verified.

    Examples
    --------
    >>> str(check_value_axiom("extra_level", RULES["van_den_nouweland"], 1))   # one player: nothing to reorder
    'PROVED (n <= 1)'
    >>> v = check_value_axiom("extra_level", RULES["van_den_nouweland"], 2)
    >>> str(v), v.certificate["levels"], v.certificate["reverified"]
    ('REFUTED', [1, 1], True)
    >>> check_value_axiom("symmetry", RULES["derks_peters"], 9)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: multi-choice axiom checks cover at most 4 players, got 9
    """
    if axiom not in AXIOMS:
        raise InvalidRuleError(f"unknown multi-choice axiom {axiom!r}; known: {', '.join(AXIOMS)}")
    if not isinstance(rule, ValueRule):
        raise InvalidRuleError(f"rule must be a symgame.multichoice.axioms.ValueRule, got {type(rule).__name__}")
    if not 1 <= max_n <= MAX_AXIOM_PLAYERS:
        raise InvalidGameError(f"multi-choice axiom checks cover at most {MAX_AXIOM_PLAYERS} players, got {max_n}")
    rng = random.Random(seed)
    covered = {}
    for n in range(1, max_n + 1):
        for levels in level_profiles(n):
            cases = family(axiom, levels)
            for case, games in cases:
                witness = _decide_case(axiom, rule, case, games, rng)
                if witness is not None:
                    cert = {**witness, "rule": rule.name, "sizes_proved_before": sorted(covered)}
                    if not witness["reverified"]:
                        return Verdict.undecided("counterexample not re-verified", cert)
                    return Verdict.refuted(cert, f"{rule.name} violates {axiom} at levels {witness['levels']} "
                                                 f"({witness['equation']}: {witness['lhs']} != {witness['rhs']})")
            covered[str(levels)] = len(cases)
    return Verdict.proved_up_to(max_n, {"rule": rule.name, "axiom": axiom, "profiles_and_cases": covered,
                                        "parameters": [str(p) for p in rule.parameters]},
                                f"{axiom} holds for {rule.name} on the generic games of {len(covered)} level profiles")
