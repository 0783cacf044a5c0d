"""Exact structural properties of TU games: additivity, monotonicity, convexity, ...

Every function takes a :class:`~symgame.game.Game` and decides a property
exactly.  Two paths:

* **rational games** (every value a rational number, including games built
  from NumPy integer or float arrays) are checked on the integer numerators of
  :meth:`Game.rational_table` with vectorised NumPy comparisons; signs and
  equalities do not depend on the (positive) common denominator;
* **symbolic games** compare exact :class:`~symgame.linear.LinearForm`
  differences and ask SymPy's assumptions (``is_zero``, ``is_nonnegative``)
  about each one.

The ``is_*`` predicates are **three-valued** (DESIGN.md, rule 5): they return
``True`` or ``False`` when decided and ``None`` when some symbolic condition
is undecided by SymPy's assumptions and none is definitely violated.  ``None``
means "not decided by checking each condition separately"; it is never
turned into ``False``.  Rational games always get ``True`` or ``False``.
The list-valued :func:`null_players` and :func:`symmetric_pairs` list only
what is *definitely* null / interchangeable; use :func:`is_null_player` and
:func:`is_symmetric_pair` to see undecided cases.

Costs (``n`` players, rational path; every step a NumPy pass):

=========================  ======================  =====================================
function                   conditions checked      characterisation
=========================  ======================  =====================================
:func:`is_additive`        ``2^n``                 ``v(S) = sum_{i in S} v({i})``
:func:`is_monotone`        ``n 2^(n-1)``           ``v(S ∪ i) >= v(S)``
:func:`is_convex`          ``C(n,2) 2^(n-2)``      ``v(S+i+j) - v(S+i) - v(S+j) + v(S) >= 0``
:func:`is_submodular`      ``C(n,2) 2^(n-2)``      the same difference ``<= 0``
:func:`is_superadditive`   ``3^n``                 ``v(S ∪ T) >= v(S) + v(T)``, ``S ∩ T = ∅``
:func:`null_players`       ``n 2^(n-1)``           ``v(S ∪ i) = v(S)``
:func:`symmetric_pairs`    ``C(n,2) 2^(n-2)``      ``v(S ∪ i) = v(S ∪ j)``, ``i, j ∉ S``
=========================  ======================  =====================================

The local (pairwise) condition characterises supermodularity
``v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)`` (Shapley 1971, "Cores of convex
games"; Topkis 1978).  Superadditivity has no such local characterisation, so
it enumerates the ``3^n`` ordered pairs of disjoint coalitions and is limited
to :data:`MAX_SUPERADDITIVE_PLAYERS` players (rational) and
:data:`MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS` (symbolic).  Symbolic checks of
the other properties are limited to :data:`MAX_SYMBOLIC_PROPERTY_PLAYERS`.

Examples
--------
>>> import sympy as sp
>>> from symgame.game import Game
>>> glove = Game.glove(["L"], ["R1", "R2"])
>>> is_monotone(glove), is_convex(glove), is_superadditive(glove)
(True, False, True)
>>> symmetric_pairs(glove)
[('R1', 'R2')]
>>> x = sp.Symbol("x", positive=True)
>>> is_monotone(Game.additive({"a": x, "b": 2 * x}))
True
>>> print(is_monotone(Game.generic(2)))
None
>>> is_convex({"a": 1})
Traceback (most recent call last):
...
symgame.errors.InvalidGameError: is_convex expects a symgame.Game, got dict
"""

import itertools

import numpy as np

from .errors import GameTooLargeError
from .guards import require_game
from .linear import LinearForm

__all__ = [
    "is_additive",
    "is_monotone",
    "is_superadditive",
    "is_convex",
    "is_submodular",
    "null_players",
    "is_null_player",
    "symmetric_pairs",
    "is_symmetric_pair",
    "MAX_SUPERADDITIVE_PLAYERS",
    "MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS",
    "MAX_SYMBOLIC_PROPERTY_PLAYERS",
]

#: Largest rational game for :func:`is_superadditive` (it checks 3^n pairs of coalitions).
MAX_SUPERADDITIVE_PLAYERS = 16
#: Largest symbolic game for :func:`is_superadditive` (3^n SymPy sign queries).
MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS = 10
#: Largest symbolic game for the other property checks (up to C(n,2) 2^(n-2) SymPy sign queries).
MAX_SYMBOLIC_PROPERTY_PLAYERS = 12

# Ternary enumeration of disjoint pairs: the low players are expanded into index arrays of
# length 3^_TERNARY_BLOCK, the remaining players are looped over in Python.
_TERNARY_BLOCK = 11


# ---------------------------------------------------------------------- plumbing


def _numerators(game, terms):
    """Integer numerators of a rational game, as int64 when sums of ``terms`` values cannot overflow.

    Returns ``None`` for a game with a non-rational value.  The common
    denominator is positive, so signs and equalities of integer combinations
    of the numerators are those of the values.
    """
    table = game.rational_table()
    if table is None:
        return None
    nums, _ = table
    if nums.dtype == object:
        bound = max((abs(int(x)) for x in nums.tolist()), default=0)
        if bound * terms < 2 ** 62:
            return np.array(nums.tolist(), dtype=np.int64)
        return nums
    bound = int(np.abs(nums).max()) if len(nums) else 0
    if bound * terms >= 2 ** 62:  # pragma: no cover - rational_table keeps int64 far below this
        return np.array(nums.tolist(), dtype=object)
    return nums


def _symbolic_limit(game, func, limit):
    if game.n > limit:
        raise GameTooLargeError(
            f"{func} on a symbolic game of {game.n} players asks SymPy about every condition; the limit "
            f"is {limit} players. Substitute numbers (game.subs(...)) to use the vectorised rational path"
        )


class _Forms:
    """Linear forms of the values of a symbolic game, built on demand."""

    def __init__(self, game):
        self.game = game
        self.cache = {}

    def __getitem__(self, mask):
        form = self.cache.get(mask)
        if form is None:
            form = self.cache[mask] = LinearForm.from_expr(self.game.value_at(mask))
        return form


_INF = None  # an unbounded end of a range


def _symbol_ranges():
    """Assumption sets of a Symbol whose range is exactly an interval -> (inf, inf attained, sup, sup attained)."""
    import sympy as sp

    shapes = {
        "real": (_INF, False, _INF, False),
        "positive": (0, False, _INF, False),
        "nonnegative": (0, True, _INF, False),
        "negative": (_INF, False, 0, False),
        "nonpositive": (_INF, False, 0, True),
    }
    return {frozenset(sp.Symbol("t", **{k: True}).assumptions0.items()): r for k, r in shapes.items()}


_RANGES = {}


def _range_of_sum(form):
    """Exact range ``(inf, attained, sup, attained)`` of a linear form in independent real symbols.

    Returns ``None`` unless every atom is a Symbol whose assumptions make its
    range exactly one of the intervals R, (0, oo), [0, oo), (-oo, 0), (-oo, 0]
    (then the terms vary independently and the range of the sum is the sum of
    the ranges).  Other atoms are left to SymPy.
    """
    if not _RANGES:
        _RANGES.update(_symbol_ranges())
    lo, lo_at, hi, hi_at = form.constant, True, form.constant, True
    for atom, c in form.items():
        if atom == 1:
            continue
        if not atom.is_Symbol:
            return None
        shape = _RANGES.get(frozenset(atom.assumptions0.items()))
        if shape is None:
            return None
        a, a_at, b, b_at = shape
        if c < 0:
            a, a_at, b, b_at = (None if b is None else c * b), b_at, (None if a is None else c * a), a_at
        else:
            a, b = (None if a is None else c * a), (None if b is None else c * b)
        lo = None if lo is None or a is None else lo + a
        hi = None if hi is None or b is None else hi + b
        lo_at, hi_at = lo_at and a_at, hi_at and b_at
    return lo, lo_at, hi, hi_at


def _decide_by_range(rng, relation):
    lo, lo_at, hi, hi_at = rng
    above = lo is not None and (lo > 0 or lo == 0 and not lo_at)  # every value > 0
    below = hi is not None and (hi < 0 or hi == 0 and not hi_at)  # every value < 0
    if relation == "==":
        return False if above or below else None  # the form is not constant: zero somewhere, not everywhere
    if relation == ">=":
        return True if lo is not None and lo >= 0 else (False if below else None)
    return True if hi is not None and hi <= 0 else (False if above else None)


def _sign_ok(form, relation):
    """Decide ``form relation 0`` for relation in {">=", "<=", "=="}: True, False or None.

    True: holds for every admissible value of the symbols; False: fails for
    every admissible value; None: neither is established.
    """
    if form.is_zero:
        return True
    rng = _range_of_sum(form)
    if rng is not None:
        return _decide_by_range(rng, relation)
    expr = form.as_expr()
    if relation == "==":
        zero = expr.is_zero
        return None if zero is None else bool(zero)
    result = expr.is_nonnegative if relation == ">=" else expr.is_nonpositive
    return None if result is None else bool(result)


def _all_conditions(forms_iter, relation):
    """Three-valued conjunction of ``form relation 0`` over an iterable of linear forms."""
    undecided = False
    for form in forms_iter:
        ok = _sign_ok(form, relation)
        if ok is False:
            return False
        if ok is None:
            undecided = True
    return None if undecided else True


def _pair_view(a, n, i, j):
    """View of a bitmask table with axes (high, bit j, middle, bit i, low), for i < j."""
    return a.reshape(1 << (n - j - 1), 2, 1 << (j - i - 1), 2, 1 << i)


def _pairs(n):
    return itertools.combinations(range(n), 2)


def _masks_without(n, excluded):
    """All masks over n bits with the bits in ``excluded`` clear."""
    free = [k for k in range(n) if k not in excluded]
    for bits in range(1 << len(free)):
        m = 0
        for t, k in enumerate(free):
            if bits >> t & 1:
                m |= 1 << k
        yield m


def _player_index(game, player, func, what="player"):
    try:
        return game.players.index(player)
    except ValueError:
        from .errors import UnknownPlayerError

        raise UnknownPlayerError(
            f"{func}: {what} {player!r} is not a player of this game (players: {game.players!r})"
        ) from None


# ---------------------------------------------------------------------- additivity
def is_additive(game):
    """Whether ``v(S) = sum_{i in S} v({i})`` for every coalition ``S``.

    Equivalently every Harsanyi dividend of a coalition of size >= 2 is zero.

    Parameters
    ----------
    game : Game

    Returns
    -------
    bool or None
        ``None`` when some symbolic equality is undecided and none is false.

    Notes
    -----
    O(n 2^n) vectorised on rational games.

    Examples
    --------
    >>> from symgame.game import Game
    >>> is_additive(Game.additive({"a": 1, "b": 5})), is_additive(Game.majority([1, 2, 3]))
    (True, False)
    >>> is_additive(Game.generic(1)), is_additive(Game.generic(2)) is None
    (True, True)
    >>> is_additive(None)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: is_additive expects a symgame.Game, got NoneType
    """
    require_game(game, "is_additive")
    n = game.n
    nums = _numerators(game, n + 1)
    if nums is not None:
        additive = np.zeros_like(nums)
        for i in range(n):
            additive.reshape(-1, 2, 1 << i)[:, 1, :] += nums[1 << i]
        return bool(np.array_equal(additive, nums))
    _symbolic_limit(game, "is_additive", MAX_SYMBOLIC_PROPERTY_PLAYERS)
    forms = _Forms(game)

    def differences():
        for mask in range(1, 1 << n):
            if mask & (mask - 1):  # at least two players
                total = LinearForm()
                for k in range(n):
                    if mask >> k & 1:
                        total = total + forms[1 << k]
                yield forms[mask] - total

    return _all_conditions(differences(), "==")


# ---------------------------------------------------------------------- marginal conditions
def _marginals_rational(nums, n, i):
    view = nums.reshape(-1, 2, 1 << i)
    return view[:, 1, :] - view[:, 0, :]


def _marginal_forms(game, forms, i):
    bit = 1 << game.n
    for mask in range(bit):
        if not mask >> i & 1:
            yield forms[mask | 1 << i] - forms[mask]


def is_monotone(game):
    """Whether ``S ⊆ T`` implies ``v(S) <= v(T)``.

    Checked through the equivalent local condition ``v(S ∪ {i}) >= v(S)`` for
    every ``i ∉ S`` (a chain of one-player steps joins ``S`` to ``T``).

    Returns
    -------
    bool or None
        ``None`` when some symbolic condition is undecided and none is false.

    Notes
    -----
    ``n 2^(n-1)`` comparisons, vectorised on rational games.

    Examples
    --------
    >>> import sympy as sp
    >>> from symgame.game import Game
    >>> is_monotone(Game.glove(["L"], ["R"])), is_monotone(Game.additive({"a": 1, "b": -1}))
    (True, False)
    >>> x = sp.Symbol("x", negative=True)
    >>> is_monotone(Game.additive({"a": x}))
    False
    >>> is_monotone([0, 1])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: is_monotone expects a symgame.Game, got list
    """
    require_game(game, "is_monotone")
    n = game.n
    nums = _numerators(game, 2)
    if nums is not None:
        return all(bool((_marginals_rational(nums, n, i) >= 0).all()) for i in range(n))
    _symbolic_limit(game, "is_monotone", MAX_SYMBOLIC_PROPERTY_PLAYERS)
    forms = _Forms(game)
    return _all_conditions(itertools.chain.from_iterable(_marginal_forms(game, forms, i) for i in range(n)), ">=")


def is_null_player(game, player):
    """Whether ``player`` is a null player: ``v(S ∪ {i}) = v(S)`` for every ``S``.

    Returns
    -------
    bool or None
        ``None`` when some symbolic equality is undecided and none is false.

    Examples
    --------
    >>> from symgame.game import Game
    >>> g = Game.unanimity(["a", "b", "c"], ["a", "b"])
    >>> is_null_player(g, "c"), is_null_player(g, "a")
    (True, False)
    >>> is_null_player(g, "z")
    Traceback (most recent call last):
    ...
    symgame.errors.UnknownPlayerError: is_null_player: player 'z' is not a player of this game (players: ('a', 'b', 'c'))
    """
    require_game(game, "is_null_player")
    i = _player_index(game, player, "is_null_player")
    nums = _numerators(game, 2)
    if nums is not None:
        return not bool(_marginals_rational(nums, game.n, i).any())
    _symbolic_limit(game, "is_null_player", MAX_SYMBOLIC_PROPERTY_PLAYERS)
    return _all_conditions(_marginal_forms(game, _Forms(game), i), "==")


def null_players(game):
    """The players that are definitely null (``v(S ∪ {i}) = v(S)`` for every ``S``), in game order.

    A player whose nullness is undecided (symbolic values) is not listed;
    ask :func:`is_null_player` for the three-valued answer.

    Notes
    -----
    ``n 2^(n-1)`` comparisons, vectorised on rational games.

    Examples
    --------
    >>> from symgame.game import Game
    >>> null_players(Game.unanimity([1, 2, 3, 4], [2, 3]))
    [1, 4]
    >>> null_players(Game.generic(2))
    []
    >>> null_players("game")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: null_players expects a symgame.Game, got str
    """
    require_game(game, "null_players")
    nums = _numerators(game, 2)
    if nums is not None:
        return [p for i, p in enumerate(game.players) if not _marginals_rational(nums, game.n, i).any()]
    _symbolic_limit(game, "null_players", MAX_SYMBOLIC_PROPERTY_PLAYERS)
    forms = _Forms(game)
    return [p for i, p in enumerate(game.players) if _all_conditions(_marginal_forms(game, forms, i), "==") is True]


# ---------------------------------------------------------------------- pairwise conditions
def _second_differences_rational(nums, n, i, j):
    v = _pair_view(nums, n, i, j)
    return v[:, 1, :, 1, :] - v[:, 1, :, 0, :] - v[:, 0, :, 1, :] + v[:, 0, :, 0, :]


def _second_difference_forms(game, forms):
    n = game.n
    for i, j in _pairs(n):
        bi, bj = 1 << i, 1 << j
        for s in _masks_without(n, (i, j)):
            yield forms[s | bi | bj] - forms[s | bi] - forms[s | bj] + forms[s]


def _supermodular(game, func, relation):
    require_game(game, func)
    n = game.n
    nums = _numerators(game, 4)
    if nums is not None:
        for i, j in _pairs(n):
            d = _second_differences_rational(nums, n, i, j)
            if not bool((d >= 0).all() if relation == ">=" else (d <= 0).all()):
                return False
        return True
    _symbolic_limit(game, func, MAX_SYMBOLIC_PROPERTY_PLAYERS)
    return _all_conditions(_second_difference_forms(game, _Forms(game)), relation)


def is_convex(game):
    """Whether the game is convex (supermodular): ``v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)``.

    Decided through the equivalent local condition
    ``v(S ∪ {i, j}) - v(S ∪ {i}) - v(S ∪ {j}) + v(S) >= 0`` for all
    ``i != j`` and ``S`` containing neither (Shapley 1971; Topkis 1978).

    Returns
    -------
    bool or None
        ``None`` when some symbolic condition is undecided and none is false.

    Notes
    -----
    ``C(n, 2) 2^(n-2)`` conditions, vectorised per pair on rational games
    (about a quarter of a second at n = 20).

    Examples
    --------
    >>> from symgame.game import Game
    >>> is_convex(Game.unanimity([1, 2, 3], [1, 2])), is_convex(Game.majority([1, 2, 3]))
    (True, False)
    >>> is_convex(Game.generic(13))
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: is_convex on a symbolic game of 13 players asks SymPy about every condition; the limit is 12 players. Substitute numbers (game.subs(...)) to use the vectorised rational path
    """
    return _supermodular(game, "is_convex", ">=")


def is_submodular(game):
    """Whether the game is submodular: ``v(S ∪ T) + v(S ∩ T) <= v(S) + v(T)``.

    Decided through the local condition
    ``v(S ∪ {i, j}) - v(S ∪ {i}) - v(S ∪ {j}) + v(S) <= 0``; same cost as
    :func:`is_convex`.  Airport (cost) games are submodular.

    Returns
    -------
    bool or None

    Examples
    --------
    >>> from symgame.game import Game
    >>> is_submodular(Game.airport({"a": 1, "b": 2, "c": 4})), is_submodular(Game.unanimity([1, 2], [1, 2]))
    (True, False)
    >>> is_submodular(3)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: is_submodular expects a symgame.Game, got int
    """
    return _supermodular(game, "is_submodular", "<=")


def is_symmetric_pair(game, i, j):
    """Whether players ``i`` and ``j`` are interchangeable: ``v(S ∪ {i}) = v(S ∪ {j})`` for ``S ∌ i, j``.

    A player is symmetric to itself.

    Returns
    -------
    bool or None
        ``None`` when some symbolic equality is undecided and none is false.

    Examples
    --------
    >>> from symgame.game import Game
    >>> g = Game.glove(["L"], ["R1", "R2"])
    >>> is_symmetric_pair(g, "R1", "R2"), is_symmetric_pair(g, "L", "R1")
    (True, False)
    >>> is_symmetric_pair(g, "R1", "R3")
    Traceback (most recent call last):
    ...
    symgame.errors.UnknownPlayerError: is_symmetric_pair: j 'R3' is not a player of this game (players: ('L', 'R1', 'R2'))
    """
    require_game(game, "is_symmetric_pair")
    a = _player_index(game, i, "is_symmetric_pair", "i")
    b = _player_index(game, j, "is_symmetric_pair", "j")
    if a == b:
        return True
    a, b = min(a, b), max(a, b)
    n = game.n
    nums = _numerators(game, 2)
    if nums is not None:
        v = _pair_view(nums, n, a, b)
        return bool(np.array_equal(v[:, 1, :, 0, :], v[:, 0, :, 1, :]))
    _symbolic_limit(game, "is_symmetric_pair", MAX_SYMBOLIC_PROPERTY_PLAYERS)
    forms = _Forms(game)
    diffs = (forms[s | 1 << a] - forms[s | 1 << b] for s in _masks_without(n, (a, b)))
    return _all_conditions(diffs, "==")


def symmetric_pairs(game):
    """All pairs ``(i, j)`` of definitely interchangeable players, ``i`` before ``j`` in game order.

    Pairs whose symmetry is undecided (symbolic values) are not listed; ask
    :func:`is_symmetric_pair` for the three-valued answer.

    Notes
    -----
    ``C(n, 2) 2^(n-2)`` comparisons, vectorised per pair on rational games.

    Examples
    --------
    >>> from symgame.game import Game
    >>> symmetric_pairs(Game.majority(["a", "b", "c"]))
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    >>> symmetric_pairs(Game.generic(3))
    []
    >>> symmetric_pairs(None)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: symmetric_pairs expects a symgame.Game, got NoneType
    """
    require_game(game, "symmetric_pairs")
    n = game.n
    players = game.players
    nums = _numerators(game, 2)
    if nums is not None:
        out = []
        for a, b in _pairs(n):
            v = _pair_view(nums, n, a, b)
            if np.array_equal(v[:, 1, :, 0, :], v[:, 0, :, 1, :]):
                out.append((players[a], players[b]))
        return out
    _symbolic_limit(game, "symmetric_pairs", MAX_SYMBOLIC_PROPERTY_PLAYERS)
    return [(players[a], players[b]) for a, b in _pairs(n) if is_symmetric_pair(game, players[a], players[b]) is True]


# ---------------------------------------------------------------------- superadditivity
def _ternary_masks(bits):
    """Index arrays (T, U) over all 3^len(bits) ways to put each bit in T, in U or in neither."""
    t = np.zeros(1, dtype=np.int64)
    u = np.zeros(1, dtype=np.int64)
    for b in bits:
        t = np.concatenate([t, t | b, t])
        u = np.concatenate([u, u, u | b])
    return t, u


def is_superadditive(game):
    """Whether ``v(S ∪ T) >= v(S) + v(T)`` for all disjoint coalitions ``S`` and ``T``.

    Returns
    -------
    bool or None
        ``None`` when some symbolic condition is undecided and none is false.

    Raises
    ------
    GameTooLargeError
        Above :data:`MAX_SUPERADDITIVE_PLAYERS` players (rational games) or
        :data:`MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS` players (symbolic games).

    Notes
    -----
    Superadditivity has no local characterisation, so all ``3^n`` ordered
    pairs of disjoint coalitions are checked: vectorised over the low players
    in blocks of ``3^11``, about a second at n = 16.  A convex game is
    superadditive (:func:`is_convex` is O(n^2 2^n) and a sufficient test).

    Examples
    --------
    >>> from symgame.game import Game
    >>> is_superadditive(Game.majority([1, 2, 3])), is_superadditive(Game.additive({1: 1, 2: -3}))
    (True, True)
    >>> is_superadditive(Game.from_dict([1, 2], {(1,): 1, (2,): 1, (1, 2): 1}))
    False
    >>> import numpy as np
    >>> is_superadditive(Game.from_vector(np.zeros(1 << 17, dtype=int)))
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: is_superadditive checks 3^17 pairs of disjoint coalitions; the limit is 16 players. is_convex (O(n^2 2^n)) is a sufficient test for larger games
    """
    require_game(game, "is_superadditive")
    n = game.n
    nums = _numerators(game, 3)
    if nums is not None:
        if n > MAX_SUPERADDITIVE_PLAYERS:
            raise GameTooLargeError(
                f"is_superadditive checks 3^{n} pairs of disjoint coalitions; the limit is "
                f"{MAX_SUPERADDITIVE_PLAYERS} players. is_convex (O(n^2 2^n)) is a sufficient test for larger games"
            )
        low = min(n, _TERNARY_BLOCK)
        t_low, u_low = _ternary_masks([1 << k for k in range(low)])
        for pattern in itertools.product((0, 1, 2), repeat=n - low):
            th = sum(1 << (low + k) for k, s in enumerate(pattern) if s == 1)
            uh = sum(1 << (low + k) for k, s in enumerate(pattern) if s == 2)
            t, u = t_low | th, u_low | uh
            if not bool((nums[t | u] - nums[t] - nums[u] >= 0).all()):
                return False
        return True
    if n > MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS:
        raise GameTooLargeError(
            f"is_superadditive on a symbolic game of {n} players asks SymPy about 3^{n} conditions; the limit "
            f"is {MAX_SYMBOLIC_SUPERADDITIVE_PLAYERS} players. Substitute numbers (game.subs(...)) to use the "
            f"vectorised rational path"
        )
    forms = _Forms(game)
    full = (1 << n) - 1

    def differences():
        for s in range(1, full + 1):
            rest = full & ~s
            t = rest
            while t:  # non-empty submasks of the complement; each unordered pair once (t > s)
                if t > s:
                    yield forms[s | t] - forms[s] - forms[t]
                t = (t - 1) & rest

    return _all_conditions(differences(), ">=")
