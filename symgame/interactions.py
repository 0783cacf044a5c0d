"""Interaction indices of groups of players: the Shapley interaction index and the Shapley-Taylor index, exact.

Two players (or a larger group) *interact* when their joint contribution is not the sum of
their separate ones.  Two classical indices measure it, both exact and symbolic here (shapiq
computes them in float64 only):

* the **Shapley interaction index** of Grabisch and Roubens (1999), for any group ``S``::

      I(S) = sum_{K ⊆ N \\ S} (n-s-k)! k! / (n-s+1)! * Δ_S v(K)
           = sum_{R ⊇ S} d(R) / (|R| - |S| + 1)

  (``I({i}) = phi_i``; ``I({i, j})`` is the pair interaction);

* the **Shapley-Taylor interaction index** of order ``k`` (Sundararajan, Dhamdhere and Agarwal
  2020), for the groups of size ``1..k``::

      I^k(S) = Δ_S v(∅) = d(S)                                                    (|S| < k)
      I^k(S) = (k/n) sum_{T ⊆ N \\ S} Δ_S v(T) / C(n-1, |T|) = sum_{R ⊇ S} d(R) / C(|R|, k)   (|S| = k)

  whose values over all groups of size ``<= k`` sum to ``v(N)`` (efficiency).

Here ``Δ_S v(K) = sum_{L ⊆ S} (-1)^{|S|-|L|} v(K ∪ L)`` is the discrete derivative and
``d(R)`` the Harsanyi dividend (Möbius transform).  The public functions use the dividend form
(one Möbius transform, :func:`symgame.transforms.mobius`, in integers or on exact linear forms); the
``*_by_derivatives`` functions compute the same numbers from the discrete-derivative
definitions, reading the game only through ``game[coalition]`` and sharing no code with the
dividend path, so each is a check on the other.

A merged group and its members (the G statements): when a group ``T`` acts as one player
(the quotient game :meth:`symgame.Game.merge`), its Shapley value differs from the sum of its
members' values by the dividends of coalitions that meet ``T`` in at least two members *and*
hold a player outside ``T`` (:func:`merge_gap`); and the merged value is a sum of Shapley
interactions of the sub-groups of ``T``, each in a restricted game
(:func:`quotient_value_by_interactions`).  ``symgame prove G.interaction`` proves both.

References
----------
M. Grabisch and M. Roubens, "An axiomatic approach to the concept of interaction among
players in cooperative games", Int. J. Game Theory 28 (1999) 547-565.
M. Sundararajan, K. Dhamdhere and A. Agarwal, "The Shapley Taylor Interaction Index",
ICML 2020.

Examples
--------
The cookie game: Alice alone bakes 5x, Bob 3x, together 10x.  Their pair interaction is the
surplus 2x of baking together:

>>> import sympy as sp
>>> from symgame.game import Game
>>> x = sp.Symbol("x", positive=True)
>>> cookies = Game.from_dict(["Alice", "Bob"], {("Alice",): 5*x, ("Bob",): 3*x, ("Alice", "Bob"): 10*x})
>>> shapley_interaction(cookies, ["Alice", "Bob"])
2*x
>>> shapley_taylor(cookies, 2)
{('Alice',): 5*x, ('Bob',): 3*x, ('Alice', 'Bob'): 2*x}
>>> shapley_interaction(cookies, ["Alice"])  # a single player's index is its Shapley value
6*x
"""

import itertools
from fractions import Fraction
from math import comb, factorial

import numpy as np
import sympy as sp

from .errors import InvalidGameError, UnknownPlayerError
from .guards import check_int, require_game
from .linear import LinearForm
from .transforms import mobius

__all__ = [
    "interaction_weight",
    "taylor_weight",
    "shapley_interaction",
    "shapley_interactions",
    "shapley_taylor",
    "shapley_interaction_by_derivatives",
    "shapley_interactions_by_derivatives",
    "shapley_taylor_by_derivatives",
    "merge_gap_weight",
    "merge_gap",
    "quotient_value_by_interactions",
]


def interaction_weight(size, group_size):
    """Weight ``1 / (|R| - |S| + 1)`` of the dividend ``d(R)`` in the Shapley interaction ``I(S)``, ``S ⊆ R``.

    Examples
    --------
    >>> interaction_weight(3, 2), interaction_weight(2, 2)
    (Fraction(1, 2), Fraction(1, 1))
    """
    return Fraction(1, size - group_size + 1)


def taylor_weight(size, order):
    """Weight ``1 / C(|R|, k)`` of the dividend ``d(R)``, ``|R| >= k``, in the order-``k`` Shapley-Taylor index of a size-``k`` group.

    Examples
    --------
    >>> taylor_weight(3, 2), taylor_weight(2, 2)
    (Fraction(1, 3), Fraction(1, 1))
    """
    return Fraction(1, comb(size, order))


# ---------------------------------------------------------------------- arguments
def _group_mask(game, group, what="group"):
    """The bitmask of a non-empty group of distinct players of ``game``."""
    if isinstance(group, (str, bytes)) or not hasattr(group, "__iter__"):
        raise InvalidGameError(f"{what} {group!r} is not a collection of players; write one player as [{group!r}]")
    members = list(group)
    if not members:
        raise InvalidGameError(f"{what} must name at least one player")
    mask = 0
    for p in members:
        try:
            k = game.players.index(p)
        except ValueError:
            raise UnknownPlayerError(f"{what} names {p!r}, which is not a player of this game "
                                     f"(players: {list(game.players)!r})") from None
        if mask >> k & 1:
            raise InvalidGameError(f"{what} names player {p!r} twice")
        mask |= 1 << k
    return mask


def _check_order(game, order, func):
    return check_int(order, "order", low=1, high=max(1, game.n), error=InvalidGameError,
                     message=f"{func}: order must be an integer in 1..{max(1, game.n)} (the number of players), "
                             "got {value!r}")


def _tuple(game, mask):
    """The players of ``mask`` as a tuple in the game's order (a key that prints the same in every run)."""
    return tuple(p for k, p in enumerate(game.players) if mask >> k & 1)


def _masks_of_size(n, size):
    for combo in itertools.combinations(range(n), size):
        yield sum(1 << k for k in combo)


def _submasks_of_size(mask, size):
    bits = [k for k in range(mask.bit_length()) if mask >> k & 1]
    for combo in itertools.combinations(bits, size):
        yield sum(1 << k for k in combo)


# ---------------------------------------------------------------------- dividend (Möbius) path
def _dividend_forms(game):
    """Bitmask -> non-zero dividend as a :class:`LinearForm`: one Möbius transform
    (:func:`symgame.transforms.mobius`) in integers for rational games, on linear forms otherwise."""
    table = game.rational_table()
    if table is not None:
        nums, den = table
        d = mobius(nums).tolist()
        return {m: LinearForm({sp.S.One: Fraction(int(x), int(den))}) for m, x in enumerate(d) if m and x}
    forms = np.empty(1 << game.n, dtype=object)
    for m in range(1 << game.n):
        forms[m] = LinearForm.from_expr(game.value_at(m))
    forms = mobius(forms)
    return {m: f for m, f in enumerate(forms.tolist()) if m and not f.is_zero}


def _interaction_form(game, forms, s_mask):
    """``I(S)`` as a :class:`LinearForm` from the dividend forms."""
    s = s_mask.bit_count()
    total = LinearForm()
    for r_mask, form in forms.items():
        if r_mask & s_mask == s_mask:
            total = total + form * interaction_weight(r_mask.bit_count(), s)
    return total


def _spread(game, forms, size, weight):
    """For every group ``S`` of ``size`` players: ``sum_{R ⊇ S} weight(|R|) d(R)`` (groups with no dividend give 0)."""
    acc = {m: LinearForm() for m in _masks_of_size(game.n, size)}
    for r_mask, form in forms.items():
        r = r_mask.bit_count()
        if r < size:
            continue
        term = form * weight(r)
        for s_mask in _submasks_of_size(r_mask, size):
            acc[s_mask] = acc[s_mask] + term
    return {_tuple(game, m): f.as_expr() for m, f in acc.items()}


def shapley_interaction(game, group):
    """Shapley interaction index ``I(S) = sum_{R ⊇ S} d(R) / (|R| - |S| + 1)`` of one group (Grabisch and Roubens 1999).

    Parameters
    ----------
    game : Game
    group : iterable of players
        A non-empty group ``S``; ``I({i})`` is the Shapley value of ``i``, ``I({i, j})`` the
        pair interaction (positive: complements, negative: substitutes).

    Returns
    -------
    sympy.Expr
        Exact (rational, or symbolic in the game's symbols).

    Raises
    ------
    InvalidGameError
        The group is empty or repeats a player.
    UnknownPlayerError
        The group names a player the game does not have.

    Examples
    --------
    >>> from symgame.game import Game
    >>> shapley_interaction(Game.glove(["L"], ["R1", "R2"]), ["R1", "R2"])  # two right gloves: substitutes
    -1/2
    >>> shapley_interaction(Game.generic(2), [1, 2])
    v_{1,2} - v_{1} - v_{2}
    >>> shapley_interaction(Game.generic(2), [])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: group must name at least one player
    """
    require_game(game, "shapley_interaction")
    s_mask = _group_mask(game, group)
    return _interaction_form(game, _dividend_forms(game), s_mask).as_expr()


def shapley_interactions(game, order=2):
    """Shapley interaction index of every group of ``order`` players (default: every pair).

    Returns
    -------
    dict
        Group (a tuple of players in the game's order) -> exact value, groups in lexicographic order.

    Examples
    --------
    >>> from symgame.game import Game
    >>> shapley_interactions(Game.majority(["a", "b", "c"]))
    {('a', 'b'): 0, ('a', 'c'): 0, ('b', 'c'): 0}
    >>> shapley_interactions(Game.unanimity(["a", "b", "c"], ["a", "b"]))[("a", "b")]
    1
    """
    require_game(game, "shapley_interactions")
    order = _check_order(game, order, "shapley_interactions")
    return _spread(game, _dividend_forms(game), order, lambda r: interaction_weight(r, order))


def shapley_taylor(game, order=2):
    """Shapley-Taylor interaction index of order ``k`` (Sundararajan, Dhamdhere and Agarwal 2020), every group of size ``1..k``.

    ``I^k(S) = d(S)`` for ``|S| < k`` and ``I^k(S) = sum_{R ⊇ S} d(R) / C(|R|, k)`` for
    ``|S| = k``: every dividend ``d(R)`` with ``|R| >= k`` is shared equally among the
    ``C(|R|, k)`` size-``k`` groups inside ``R``.  The values sum to ``v(N)`` (efficiency);
    order 1 is the Shapley value.

    Parameters
    ----------
    game : Game
    order : int
        ``k`` in ``1..n``.

    Returns
    -------
    dict
        Group (a tuple of players in the game's order) -> exact value, by group size, then lexicographically.

    Examples
    --------
    >>> from symgame.game import Game
    >>> g = Game.majority(["a", "b", "c"])
    >>> sti = shapley_taylor(g, 2)
    >>> sti[("a",)], sti[("a", "b")], sum(sti.values()) == g[g.players]
    (0, 1/3, True)
    >>> shapley_taylor(g, 4)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: shapley_taylor: order must be an integer in 1..3 (the number of players), got 4
    """
    require_game(game, "shapley_taylor")
    order = _check_order(game, order, "shapley_taylor")
    forms = _dividend_forms(game)
    out = {}
    for size in range(1, order):
        for m in _masks_of_size(game.n, size):
            out[_tuple(game, m)] = forms.get(m, LinearForm()).as_expr()
    out.update(_spread(game, forms, order, lambda r: taylor_weight(r, order)))
    return out


# ---------------------------------------------------------------------- discrete-derivative path
def _reader(game):
    """``v(coalition)`` through ``game[...]`` only, cached, as SymPy expressions."""
    cache = {}

    def v(coalition):
        key = frozenset(coalition)
        if key not in cache:
            cache[key] = sp.sympify(game[key])
        return cache[key]

    return v


def _derivative(v, group, base):
    """``Δ_S v(K) = sum_{L ⊆ S} (-1)^{|S|-|L|} v(K ∪ L)``."""
    terms = []
    for size in range(len(group) + 1):
        for part in itertools.combinations(group, size):
            sign = -1 if (len(group) - size) % 2 else 1
            terms.append(sign * v(set(base) | set(part)))
    return sp.Add(*terms)


def _group_list(game, group):
    """The group's members in the game's player order (validated like the dividend path)."""
    mask = _group_mask(game, group)
    return [p for k, p in enumerate(game.players) if mask >> k & 1]


def shapley_interaction_by_derivatives(game, group):
    """The Shapley interaction index from its definition ``sum_{K ⊆ N \\ S} (n-s-k)! k!/(n-s+1)! Δ_S v(K)``.

    Independent of :func:`shapley_interaction` (no dividends, no linear forms); enumerates
    ``2^(n-s) 2^s`` values, so it is for checking small games.

    Examples
    --------
    >>> from symgame.game import Game
    >>> shapley_interaction_by_derivatives(Game.glove(["L"], ["R1", "R2"]), ["R1", "R2"])
    -1/2
    """
    require_game(game, "shapley_interaction_by_derivatives")
    members = _group_list(game, group)
    v = _reader(game)
    n, s = game.n, len(members)
    others = [p for p in game.players if p not in members]
    terms = []
    for k in range(len(others) + 1):
        w = sp.Rational(factorial(n - s - k) * factorial(k), factorial(n - s + 1))
        for base in itertools.combinations(others, k):
            terms.append(w * _derivative(v, members, base))
    return sp.expand(sp.Add(*terms))


def shapley_interactions_by_derivatives(game, order=2):
    """:func:`shapley_interactions` from the discrete-derivative definition (see :func:`shapley_interaction_by_derivatives`).

    Examples
    --------
    >>> from symgame.game import Game
    >>> shapley_interactions_by_derivatives(Game.unanimity(["a", "b", "c"], ["a", "b"]))[("a", "b")]
    1
    """
    require_game(game, "shapley_interactions_by_derivatives")
    order = _check_order(game, order, "shapley_interactions_by_derivatives")
    return {tuple(g): shapley_interaction_by_derivatives(game, g)
            for g in itertools.combinations(game.players, order)}


def shapley_taylor_by_derivatives(game, order=2):
    """The Shapley-Taylor index from its definition: ``Δ_S v(∅)`` below order ``k``, ``(k/n) sum_T Δ_S v(T)/C(n-1,|T|)`` at ``k``.

    Independent of :func:`shapley_taylor` (Sundararajan et al. 2020, eq. 3, read literally).

    Examples
    --------
    >>> import sympy as sp
    >>> from symgame.game import Game
    >>> x = sp.Symbol("x", positive=True)
    >>> cookies = Game.from_dict(["Alice", "Bob"], {("Alice",): 5*x, ("Bob",): 3*x, ("Alice", "Bob"): 10*x})
    >>> shapley_taylor_by_derivatives(cookies, 2) == shapley_taylor(cookies, 2)
    True
    """
    require_game(game, "shapley_taylor_by_derivatives")
    order = _check_order(game, order, "shapley_taylor_by_derivatives")
    v = _reader(game)
    n = game.n
    out = {}
    for size in range(1, order):
        for g in itertools.combinations(game.players, size):
            out[tuple(g)] = sp.expand(_derivative(v, list(g), ()))
    for g in itertools.combinations(game.players, order):
        others = [p for p in game.players if p not in g]
        terms = []
        for t in range(len(others) + 1):
            w = sp.Rational(order, n) / comb(n - 1, t)
            for base in itertools.combinations(others, t):
                terms.append(w * _derivative(v, list(g), base))
        out[tuple(g)] = sp.expand(sp.Add(*terms))
    return out


# ---------------------------------------------------------------------- merged groups (G statements)
def merge_gap_weight(size, inside):
    """Weight ``1/(r-k+1) - k/r`` of ``d(R)`` (``r = |R|``, ``k = |R ∩ T| >= 1``) in a merged group's gap.

    The merged player of ``T`` gets ``d(R)/(r-k+1)`` (in the quotient game ``R`` becomes a
    coalition of ``r - k + 1`` players), the members together ``k d(R)/r``; the difference is
    ``-(k-1)(r-k)/(r(r-k+1))``: zero when ``k = 1`` or ``R ⊆ T``, negative otherwise.

    Examples
    --------
    >>> merge_gap_weight(3, 2), merge_gap_weight(2, 2), merge_gap_weight(3, 1)
    (Fraction(-1, 6), Fraction(0, 1), Fraction(0, 1))
    """
    return Fraction(1, size - inside + 1) - Fraction(inside, size)


def merge_gap(game, group):
    """``phi_[T](v_[T]) - sum_{i in T} phi_i(v)`` from the dividends: ``sum_R d(R) (1/(r-k+1) - k/r)``, ``k = |R ∩ T|``.

    Only coalitions ``R`` meeting ``T`` in ``k >= 2`` members and holding a player outside
    ``T`` contribute (see :func:`merge_gap_weight`).  ``symgame prove G.interaction`` checks
    it against the quotient game built by :meth:`~symgame.Game.merge`.

    Returns
    -------
    dict
        ``"gap"``: the exact difference; ``"terms"``: coalition (tuple of players) ->
        ``(d(R), weight)`` for every contributing coalition with a non-zero dividend.

    Examples
    --------
    >>> from symgame.game import Game
    >>> g = Game.majority(["a", "b", "c"])  # d = 1 on pairs, -2 on {a, b, c}; merged {a, b}: 1 vs 1/3 + 1/3
    >>> merge_gap(g, ["a", "b"])
    {'gap': 1/3, 'terms': {('a', 'b', 'c'): (-2, Fraction(-1, 6))}}
    """
    require_game(game, "merge_gap")
    t_mask = _group_mask(game, group)
    total = LinearForm()
    terms = {}
    for r_mask, form in _dividend_forms(game).items():
        k = (r_mask & t_mask).bit_count()
        r = r_mask.bit_count()
        if k < 2 or r == k:
            continue
        w = merge_gap_weight(r, k)
        total = total + form * w
        terms[_tuple(game, r_mask)] = (form.as_expr(), w)
    return {"gap": total.as_expr(), "terms": terms}


def quotient_value_by_interactions(game, group):
    """The merged group's Shapley value as interactions: ``sum_{∅ ≠ S ⊆ T} I_{v|(N \\ T) ∪ S}(S)``.

    ``v|P`` is the game restricted to the players ``P`` (:meth:`~symgame.Game.restrict`): each
    sub-group ``S`` of ``T`` contributes its Shapley interaction in the game where the rest
    of ``T`` is absent.  For a pair ``{i, j}`` this is Grabisch and Roubens' recursion
    ``phi_[ij] = phi_i(v|N\\j) + phi_j(v|N\\i) + I_ij(v)``.

    Examples
    --------
    >>> import sympy as sp
    >>> from symgame.game import Game
    >>> g = Game.generic(3)
    >>> sp.expand(quotient_value_by_interactions(g, [1, 2]) - (sp.Rational(1, 2) * (g[{1, 2, 3}] + g[{1, 2}] - g[{3}])))
    0
    """
    require_game(game, "quotient_value_by_interactions")
    members = _group_list(game, group)
    outside = [p for p in game.players if p not in members]
    total = LinearForm()
    for size in range(1, len(members) + 1):
        for sub in itertools.combinations(members, size):
            kept = set(outside) | set(sub)
            restricted = game.restrict([p for p in game.players if p in kept])
            total = total + _interaction_form(restricted, _dividend_forms(restricted), restricted.mask(sub))
    return total.as_expr()
