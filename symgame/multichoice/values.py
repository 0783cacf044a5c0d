"""Values of multi-choice games in closed form: Hsiao-Raghavan, Derks-Peters, van den Nouweland et al.

Every value here is a *level-increment* value: it gives each player-level ``(i, j)``,
``1 <= j <= m_i``, the payoff ``phi[(i, j)]`` for raising player ``i`` from level ``j - 1`` to
level ``j``; :func:`cumulative` turns it into the payoff of ``i`` *playing at* level ``j``
(``sum_{l <= j} phi[(i, l)]``, the form Hsiao and Raghavan write) and :func:`player_totals`
into one number per player.  All three are linear and efficient
(``sum_{i, j} phi[(i, j)] = v(m)``) and reduce to the Shapley value when every ``m_i = 1``.

They are computed from the *dividends* of the game (the Möbius inversion of ``v`` on the
product of chains ``prod_i {0..m_i}``):

``d(x) = sum_{T ⊆ S(x)} (-1)^{|T|} v(x - 1_T)``, ``S(x) = {i : x_i >= 1}``, so that
``v = sum_{x != 0} d(x) u_x`` with the multi-choice unanimity games ``u_x(y) = [y >= x]``.
Each value is fixed by what it gives in ``u_x`` (``||x|| = sum_k x_k``):

=========================  ==============================================================
value                      share of ``(i, j)`` in ``u_x``
=========================  ==============================================================
Hsiao-Raghavan, weights w  ``w_j / sum_{k in S(x)} w_{x_k}`` if ``j = x_i``, else 0
Derks-Peters               ``1 / ||x||`` if ``1 <= j <= x_i``, else 0
van den Nouweland et al.   ``P((i, x_i) arrives last)`` if ``j = x_i``, else 0 (see below)
=========================  ==============================================================

:mod:`symgame.multichoice.orders` computes each again by a path sharing no code with this one.

Examples
--------
>>> from symgame.multichoice.game import MultiChoiceGame
>>> g = MultiChoiceGame(["a", "b"], [2, 1], {(2, 1): 6}, default=0)   # u_(2,1), times 6
>>> van_den_nouweland(g)
{('a', 1): 0, ('a', 2): 4, ('b', 1): 2}
>>> van_den_nouweland(g) == hsiao_raghavan(g, [1, 2])   # they agree on this game, not in general
True
>>> derks_peters(g)
{('a', 1): 2, ('a', 2): 2, ('b', 1): 2}
>>> hsiao_raghavan(g, [1, 5])
{('a', 1): 0, ('a', 2): 5, ('b', 1): 1}
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from math import comb as binomial, factorial

import sympy as sp

from ..errors import InvalidGameError, InvalidValueError
from ..exact import to_expr
from .game import MultiChoiceGame

__all__ = ["dividends", "hsiao_raghavan", "derks_peters", "van_den_nouweland", "cumulative", "player_totals",
           "level_weights", "vdn_unanimity_shares", "VALUES"]


def _require(game, what):
    if not isinstance(game, MultiChoiceGame):
        raise InvalidGameError(f"{what} expects a symgame.multichoice.MultiChoiceGame, got {type(game).__name__}")


def dividends(game):
    """The dividends ``d(x) = sum_{T ⊆ S(x)} (-1)^{|T|} v(x - 1_T)`` of every non-zero level vector.

    ``v(y) = sum_{x <= y} d(x)`` for every ``y`` (Möbius inversion on the product of chains).

    Examples
    --------
    >>> g = MultiChoiceGame.from_table(["a"], [2], [0, 1, 3])
    >>> dividends(g)
    {(1,): 1, (2,): 2}
    """
    _require(game, "dividends")
    out = {}
    for x in game.level_vectors()[1:]:
        support = [k for k, level in enumerate(x) if level]
        terms = []
        for mask in range(1 << len(support)):
            y = list(x)
            sign = 1
            for b, k in enumerate(support):
                if mask >> b & 1:
                    y[k] -= 1
                    sign = -sign
            value = game[tuple(y)]
            terms.append(value if sign > 0 else -value)
        out[x] = sp.Add(*terms)
    return out


def level_weights(weights, top):
    """The Hsiao-Raghavan level weights ``w_1, ..., w_top`` as a tuple of positive exact numbers or symbols.

    ``weights`` is a sequence ``(w_1, w_2, ...)`` (at least ``top`` long) or a mapping level -> weight.

    Examples
    --------
    >>> level_weights([1, "1/2"], 2)
    (1, 1/2)
    >>> level_weights([1, 0], 2)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: Hsiao-Raghavan weight w_2 = 0 is not positive; every level weight must be positive (w_0 = 0 is implied)
    """
    if isinstance(weights, Mapping):
        missing = [j for j in range(1, top + 1) if j not in weights]
        if missing:
            raise InvalidValueError(f"Hsiao-Raghavan weights {dict(weights)!r} give no weight for level(s) {missing}")
        seq = [weights[j] for j in range(1, top + 1)]
    elif isinstance(weights, Sequence) and not isinstance(weights, (str, bytes)):
        if len(weights) < top:
            raise InvalidValueError(f"Hsiao-Raghavan weights {list(weights)!r} give {len(weights)} level weight(s); "
                                    f"the game has levels up to {top}, so give w_1..w_{top}")
        seq = list(weights)[:top]
    else:
        raise InvalidValueError(f"Hsiao-Raghavan weights must be a list (w_1, w_2, ...) or a mapping level -> "
                                f"weight, got {weights!r}")
    out = []
    for j, w in enumerate(seq, start=1):
        w = to_expr(w, what=f"Hsiao-Raghavan weight w_{j}")
        if w.is_positive is not True:
            raise InvalidValueError(f"Hsiao-Raghavan weight w_{j} = {w} is not "
                                    f"{'positive' if w.is_positive is False else 'provably positive'}; every level "
                                    f"weight must be positive (w_0 = 0 is implied)")
        out.append(w)
    return tuple(out)


def _distribute(game, share):
    """``phi[(i, j)] = sum_x d(x) share(x, i, j)`` for every player-level."""
    d = dividends(game)
    phi = {(p, j): [] for p, m in zip(game.players, game.levels) for j in range(1, m + 1)}
    for x, dx in d.items():
        if dx == 0:
            continue
        for k, p in enumerate(game.players):
            for j in range(1, game.levels[k] + 1):
                s = share(x, k, j)
                if s != 0:
                    phi[(p, j)].append(s * dx)
    return {key: sp.Add(*terms) for key, terms in phi.items()}


def hsiao_raghavan(game, weights):
    """The multi-choice Shapley value of Hsiao and Raghavan (1993), with level weights given from outside.

    Definition (the form implemented): with weights ``0 = w_0 < w_1, w_2, ...`` (positive; Hsiao and
    Raghavan also ask ``w_1 <= w_2 <= ...``, not needed here), the value is linear in ``v`` and in a
    unanimity game ``u_x`` gives the player-level ``(i, x_i)`` of each player ``i`` in ``S(x)`` the
    share ``w_{x_i} / sum_{k in S(x)} w_{x_k}`` (their Axiom 1: ``phi_{x_i, i}(u_x)`` proportional
    to ``w_{x_i}``) and every other player-level nothing; hence

    ``phi[(i, j)] = sum_{x : x_i = j} d(x) w_j / sum_{k in S(x)} w_{x_k}``

    with the dividends ``d`` of :func:`dividends`.  Hsiao and Raghavan's ``phi_{j, i}`` (the value of
    ``i`` playing at level ``j``) is ``cumulative(hsiao_raghavan(v, w))[(i, j)]``.

    Reference: C.-R. Hsiao and T. E. S. Raghavan, "Shapley value for multichoice cooperative games, I",
    Games and Economic Behavior 5 (1993) 240-256.

    Parameters
    ----------
    game : MultiChoiceGame
    weights : sequence or Mapping
        ``(w_1, ..., w_M)`` with ``M >= max m_i`` (see :func:`level_weights`); exact numbers or
        positive symbols.

    Returns
    -------
    dict
        ``(player, level) -> value`` for ``level = 1..m_i``, in player order.

    Examples
    --------
    >>> g = MultiChoiceGame(["a", "b"], [2, 2], {(1, 2): 1, (2, 2): 1, (2, 1): 1}, default=0)
    >>> hsiao_raghavan(g, [1, 2])
    {('a', 1): 1/3, ('a', 2): 1/6, ('b', 1): 1/3, ('b', 2): 1/6}
    >>> hsiao_raghavan(g, [1, 1])
    {('a', 1): 1/2, ('a', 2): 0, ('b', 1): 1/2, ('b', 2): 0}
    >>> hsiao_raghavan(g, [1, 2, 3]) == hsiao_raghavan(g, {1: 1, 2: 2})
    True
    """
    _require(game, "hsiao_raghavan")
    w = level_weights(weights, max(game.levels, default=0))

    def share(x, k, j):
        if x[k] != j:
            return 0
        return w[j - 1] / sp.Add(*(w[l - 1] for l in x if l))

    return _distribute(game, share)


def derks_peters(game):
    """The multi-choice value of Derks and Peters (1993) (the "extended Shapley value" of Klijn, Slikker
    and Zarzuelo).

    Definition (the form implemented): Derks and Peters value a game with restricted coalitions by the
    Shapley value of the TU game on the player-levels ``(i, j)`` in which a set ``T`` of player-levels is
    worth ``v(rho(T))``, ``rho(T)_i = max{l : (i, 1), ..., (i, l) in T}`` (a level counts only with all
    levels below it).  In ``u_x`` that TU game is the unanimity game of the ``||x|| = sum_k x_k``
    player-levels ``(k, l)``, ``l <= x_k``, so each of them gets ``1/||x||``:

    ``phi[(i, j)] = sum_{x : x_i >= j} d(x) / ||x||``.

    References: J. Derks and H. Peters, "A Shapley value for games with restricted coalitions",
    International Journal of Game Theory 21 (1993) 351-360; F. Klijn, M. Slikker and J. Zarzuelo,
    "Characterizations of a multi-choice value", International Journal of Game Theory 28 (1999) 521-532.

    Examples
    --------
    >>> g = MultiChoiceGame(["a", "b"], [2, 2], {(1, 2): 1, (2, 2): 1, (2, 1): 1}, default=0)
    >>> derks_peters(g)
    {('a', 1): 5/12, ('a', 2): 1/12, ('b', 1): 5/12, ('b', 2): 1/12}
    >>> derks_peters(MultiChoiceGame(["a", "b"], [2, 1], {(2, 1): 3}, default=0))
    {('a', 1): 1, ('a', 2): 1, ('b', 1): 1}
    """
    _require(game, "derks_peters")

    def share(x, k, j):
        return sp.Rational(1, sum(x)) if x[k] >= j else 0

    return _distribute(game, share)


def _poly_mul(a, b):
    """Product of two polynomials given as coefficient lists (lowest degree first)."""
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def _bernstein(r, top):
    """Coefficients of ``t^r (1 - t)^(top - r)``."""
    return [Fraction(0)] * r + [Fraction((-1) ** k * binomial(top - r, k)) for k in range(top - r + 1)]


def _beta_density(level, top):
    """Density of the ``level``-th smallest of ``top`` independent uniform(0, 1) times (coefficients)."""
    c = Fraction(factorial(top), factorial(level - 1) * factorial(top - level))
    return [c * a for a in _bernstein(level - 1, top - 1)]


def _beta_cdf(level, top):
    """P(the ``level``-th smallest of ``top`` uniform(0, 1) times is <= t): at least ``level`` of them are."""
    out = [Fraction(0)] * (top + 1)
    for r in range(level, top + 1):
        for k, a in enumerate(_bernstein(r, top)):
            out[k] += binomial(top, r) * a
    return out


@lru_cache(maxsize=4096)
def _vdn_shares(x, top):
    support = [k for k, level in enumerate(x) if level]
    shares = {}
    for i in support:
        poly = _beta_density(x[i], top[i])
        for k in support:
            if k != i:
                poly = _poly_mul(poly, _beta_cdf(x[k], top[k]))
        shares[i] = sp.Rational(sum(c / (d + 1) for d, c in enumerate(poly)))  # integral over [0, 1]
    return shares


def vdn_unanimity_shares(x, top):
    """The van den Nouweland et al. value of the unanimity game ``u_x`` for top levels ``top``: player ``i``
    in ``S(x)`` gets ``P((i, x_i) is the last of the player-levels (k, x_k) to arrive)`` at level ``x_i``.

    In a uniformly random admissible ordering, give player ``k``'s levels the sorted times of ``m_k``
    independent uniform(0, 1) draws; ``(k, x_k)`` arrives at the ``x_k``-th smallest, a Beta(x_k, m_k - x_k + 1)
    time ``T_k``, independently across players, so the share of ``i`` is
    ``integral_0^1 f_i(t) prod_{k in S(x), k != i} F_k(t) dt`` (an exact rational: a polynomial integral,
    computed in Fractions).

    Examples
    --------
    >>> vdn_unanimity_shares((1, 1), (1, 1))      # Shapley: 1/2 each
    {0: 1/2, 1: 1/2}
    >>> vdn_unanimity_shares((1, 1), (2, 1))      # player 0's first level tends to come early
    {0: 1/3, 1: 2/3}
    """
    return dict(_vdn_shares(tuple(x), tuple(top)))


def van_den_nouweland(game):
    """The multi-choice Shapley value of van den Nouweland, Potters, Tijs and Zarzuelo (1995): the average
    marginal contribution of each player-level over the orderings of player-levels.

    Definition: an *admissible ordering* lists every player-level ``(i, j)``, ``1 <= j <= m_i``, once,
    with ``(i, j)`` after ``(i, j - 1)``; walking along it raises one player one level at a time from
    ``0`` to ``m``, and ``(i, j)`` receives ``v(after) - v(before)``.  The value averages this over the
    ``(sum m_i)! / prod m_i!`` admissible orderings
    (:func:`symgame.multichoice.orders.van_den_nouweland_by_orders` does exactly that).  The form
    implemented is a closed form through the dividends: in ``u_x`` the level vector reaches ``x`` when
    the last of the player-levels ``(k, x_k)``, ``k in S(x)``, arrives, so

    ``phi[(i, j)] = sum_{x : x_i = j} d(x) p_i(x)``,
    ``p_i(x) = integral_0^1 f_{x_i, m_i}(t) prod_{k in S(x) \\ i} F_{x_k, m_k}(t) dt``

    with ``f_{l, m}``, ``F_{l, m}`` the density and distribution function of the ``l``-th smallest of ``m``
    uniform(0, 1) times (:func:`vdn_unanimity_shares`).  Unlike the Hsiao-Raghavan shares, ``p_i(x)``
    depends on the top levels ``m`` too, not only on ``x``.

    Reference: A. van den Nouweland, J. Potters, S. Tijs and J. M. Zarzuelo, "Cores and related solution
    concepts for multi-choice games", Zeitschrift für Operations Research (Mathematical Methods of
    Operations Research) 41 (1995) 289-311.

    Examples
    --------
    >>> g = MultiChoiceGame(["a", "b"], [2, 2], {(1, 2): 1, (2, 2): 1, (2, 1): 1}, default=0)
    >>> van_den_nouweland(g)
    {('a', 1): 1/6, ('a', 2): 1/3, ('b', 1): 1/6, ('b', 2): 1/3}
    >>> van_den_nouweland(MultiChoiceGame.from_function(["a", "b"], [2, 1], lambda x: x[0] * x[1]))
    {('a', 1): 1/3, ('a', 2): 2/3, ('b', 1): 1}
    """
    _require(game, "van_den_nouweland")
    top = game.levels
    cache = {}

    def share(x, k, j):
        if x[k] != j:
            return 0
        if x not in cache:
            cache[x] = vdn_unanimity_shares(x, top)
        return cache[x][k]

    return _distribute(game, share)


def cumulative(phi):
    """``(i, j) -> sum_{l <= j} phi[(i, l)]``: the payoff of ``i`` playing at level ``j``.

    Examples
    --------
    >>> cumulative({("a", 1): 1, ("a", 2): 2, ("b", 1): 5})
    {('a', 1): 1, ('a', 2): 3, ('b', 1): 5}
    """
    out, running = {}, {}
    for (p, j) in phi:
        running[p] = running.get(p, 0) + phi[(p, j)]
        out[(p, j)] = running[p]
    return out


def player_totals(phi):
    """``i -> sum_j phi[(i, j)]``: what each player gets at its top level.

    Examples
    --------
    >>> player_totals({("a", 1): 1, ("a", 2): 2, ("b", 1): 5})
    {'a': 3, 'b': 5}
    """
    out = {}
    for (p, _j), value in phi.items():
        out[p] = out.get(p, 0) + value
    return {p: sp.sympify(v) for p, v in out.items()}


#: The closed-form values that need no parameter, by name (Hsiao-Raghavan needs weights).
VALUES = {"derks_peters": derks_peters, "van_den_nouweland": van_den_nouweland}
