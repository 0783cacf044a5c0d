"""Multi-choice values again, by paths that share no code with :mod:`symgame.multichoice.values`.

Each function here recomputes one value of :mod:`symgame.multichoice.values` from its other
definition, reading the game only through ``game[x]``, so that the tests and the ``M.*``
statements can require exact agreement of two independent computations:

* :func:`van_den_nouweland_by_orders`: the average, over every admissible ordering of the
  player-levels, of the marginal contributions (the definition of van den Nouweland et al.);
* :func:`derks_peters_by_pairs`: the Shapley value (:func:`symgame.values.shapley`) of the TU game
  on player-levels ``T -> v(rho(T))`` (the definition of Derks and Peters);
* :func:`hsiao_raghavan_by_recursion`: dividends by recursive subtraction over the lattice
  (``d(y) = v(y) - sum_{x < y} d(x)``, not the Möbius formula), shared out per unanimity game.

Examples
--------
>>> from symgame.multichoice.game import MultiChoiceGame
>>> g = MultiChoiceGame(["a", "b"], [2, 1], {(2, 1): 6}, default=0)
>>> van_den_nouweland_by_orders(g)
{('a', 1): 0, ('a', 2): 4, ('b', 1): 2}
>>> derks_peters_by_pairs(g)
{('a', 1): 2, ('a', 2): 2, ('b', 1): 2}
>>> hsiao_raghavan_by_recursion(g, [1, 5])
{('a', 1): 0, ('a', 2): 5, ('b', 1): 1}
"""

import itertools
from math import factorial, prod

import sympy as sp

from ..errors import GameTooLargeError, InvalidGameError, InvalidValueError
from ..game import Game
from ..values import shapley
from .game import MultiChoiceGame

__all__ = ["van_den_nouweland_by_orders", "derks_peters_by_pairs", "hsiao_raghavan_by_recursion",
           "admissible_orderings", "MAX_ORDERINGS"]

#: Most admissible orderings :func:`van_den_nouweland_by_orders` enumerates.
MAX_ORDERINGS = 200_000


def _check(game, what):
    if not isinstance(game, MultiChoiceGame):
        raise InvalidGameError(f"{what} expects a symgame.multichoice.MultiChoiceGame, got {type(game).__name__}")


def admissible_orderings(levels):
    """Every admissible ordering of the player-levels for top levels ``levels``, as a sequence of player
    positions (position ``k`` appearing ``levels[k]`` times; its ``j``-th appearance is level ``j``).

    Examples
    --------
    >>> list(admissible_orderings((2, 1)))
    [(0, 0, 1), (0, 1, 0), (1, 0, 0)]
    """
    count = factorial(sum(levels)) // prod(factorial(m) for m in levels)
    if count > MAX_ORDERINGS:
        raise GameTooLargeError(f"levels {tuple(levels)!r} have {count} admissible orderings; enumerating them is "
                                f"limited to {MAX_ORDERINGS} (use symgame.multichoice.van_den_nouweland)")

    def extend(prefix, left):
        if not any(left):
            yield tuple(prefix)
            return
        for k, r in enumerate(left):
            if r:
                left[k] -= 1
                prefix.append(k)
                yield from extend(prefix, left)
                prefix.pop()
                left[k] += 1

    return extend([], list(levels))


def van_den_nouweland_by_orders(game):
    """The van den Nouweland-Potters-Tijs-Zarzuelo value as the average marginal contribution of each
    player-level over all admissible orderings (enumerated; small games only).

    Examples
    --------
    >>> g = MultiChoiceGame.from_function(["a", "b"], [2, 1], lambda x: x[0] * x[1])
    >>> van_den_nouweland_by_orders(g)
    {('a', 1): 1/3, ('a', 2): 2/3, ('b', 1): 1}
    """
    _check(game, "van_den_nouweland_by_orders")
    players, levels = game.players, game.levels
    totals = {(p, j): [] for p, m in zip(players, levels) for j in range(1, m + 1)}
    count = 0
    for order in admissible_orderings(levels):
        count += 1
        x = [0] * len(players)
        before = game[tuple(x)]
        for k in order:
            x[k] += 1
            after = game[tuple(x)]
            totals[(players[k], x[k])].append(after - before)
            before = after
    return {key: sp.Add(*terms) / count for key, terms in totals.items()}


def derks_peters_by_pairs(game):
    """The Derks-Peters value as the Shapley value of the TU game on player-levels ``(i, j)`` in which a set
    ``T`` is worth ``v(rho(T))``, ``rho(T)_i = max{l : (i, 1..l) all in T}``.

    Examples
    --------
    >>> g = MultiChoiceGame.from_function(["a", "b"], [2, 1], lambda x: x[0] * x[1])
    >>> derks_peters_by_pairs(g)
    {('a', 1): 5/6, ('a', 2): 1/3, ('b', 1): 5/6}
    """
    _check(game, "derks_peters_by_pairs")
    pairs = [(p, j) for p, m in zip(game.players, game.levels) for j in range(1, m + 1)]

    def worth(T):
        x = []
        for p, m in zip(game.players, game.levels):
            level = 0
            while level < m and (p, level + 1) in T:
                level += 1
            x.append(level)
        return game[tuple(x)]

    return dict(shapley(Game.from_function(pairs, worth)))


def hsiao_raghavan_by_recursion(game, weights):
    """The Hsiao-Raghavan value from dividends found by recursive subtraction,
    ``d(y) = v(y) - sum_{x <= y, x != y} d(x)``, each shared as ``w_{y_i} / sum_{k in S(y)} w_{y_k}``
    to the player-levels ``(i, y_i)``.  ``weights`` is the sequence ``(w_1, w_2, ...)``.

    Examples
    --------
    >>> g = MultiChoiceGame.from_function(["a", "b"], [2, 1], lambda x: x[0] * x[1])
    >>> hsiao_raghavan_by_recursion(g, [1, 2])
    {('a', 1): 1/2, ('a', 2): 2/3, ('b', 1): 5/6}
    """
    _check(game, "hsiao_raghavan_by_recursion")
    w = [sp.sympify(x) for x in weights]
    if len(w) < max(game.levels) or any(x.is_positive is not True for x in w):
        raise InvalidValueError(f"weights {weights!r} must give a positive weight for each level 1..{max(game.levels)}")
    vectors = list(itertools.product(*(range(m + 1) for m in game.levels)))
    d = {}
    for y in vectors:  # lexicographic order lists every x <= y before y
        below = [d[x] for x in d if all(a <= b for a, b in zip(x, y))]
        d[y] = game[y] - sp.Add(*below)
    out = {(p, j): sp.S.Zero for p, m in zip(game.players, game.levels) for j in range(1, m + 1)}
    for y, dy in d.items():
        if not any(y):
            continue
        total = sp.Add(*(w[l - 1] for l in y if l))
        for p, l in zip(game.players, y):
            if l:
                out[(p, l)] += dy * w[l - 1] / total
    return out
