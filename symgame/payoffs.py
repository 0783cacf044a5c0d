"""Payoff callables: ``v`` on bitmasks of a fixed player list, exact, cached, evaluated in batches.

A :class:`Payoff` is what the sampling estimators of :mod:`symgame.sampling` (and the Dask runner of
:mod:`symgame.distributed`) call instead of a full ``2^n`` table: it evaluates only the coalitions
asked for, converts every value exactly (a float is the rational number it is), remembers what it
has evaluated and counts the evaluations.  It comes from

* a :class:`~symgame.game.Game` (:meth:`Payoff.from_game`; reads the game's exact table),
* a Python function on coalitions (:meth:`Payoff.from_function`, the twin of
  :meth:`Game.from_function <symgame.game.Game.from_function>` without the ``2^n`` calls),
* a function on a *list* of bitmasks (``Payoff(players, batch=...)``), for payoffs that are cheaper
  in batches: a model's forward passes (:func:`symgame.models.masking.masking_payoff`) or maximum
  flows (:func:`symgame.flows.games.reoptimised_payoff`).

Examples
--------
>>> v = Payoff.from_function(["a", "b", "c"], lambda S: len(S) ** 2 / 4)
>>> v(0b011), v.values([0b111, 0b011]), v.evaluations
(Fraction(1, 1), [Fraction(9, 4), Fraction(1, 1)], 2)
>>> sorted(v.coalition(0b101))
['a', 'c']
>>> Payoff.from_function(["a"], lambda S: float("nan"))(1)
Traceback (most recent call last):
...
symgame.errors.InvalidValueError: payoff of {a} nan is not finite; expected a finite number or SymPy expression
"""

from collections.abc import Iterable
from fractions import Fraction

import numpy as np

from .errors import InvalidGameError, InvalidValueError, NotExactError
from .exact import to_expr, to_fraction
from .game import Game

__all__ = ["Payoff", "as_payoff", "exact_value", "MAX_PAYOFF_PLAYERS"]

#: Largest number of players a payoff may have (masks are Python ints; 62 keeps them int64-sized for NumPy).
MAX_PAYOFF_PLAYERS = 62


def _players(players):
    if isinstance(players, (str, bytes)) or not isinstance(players, Iterable):
        raise InvalidGameError(f"players must be an iterable of hashable labels, got {players!r}")
    players = tuple(players)
    try:
        distinct = len(set(players)) == len(players)
    except TypeError as exc:
        raise InvalidGameError(f"players must be hashable labels, got {players!r}") from exc
    if not distinct:
        raise InvalidGameError(f"players {players!r} repeat a player")
    if not players:
        raise InvalidGameError("a payoff needs at least one player")
    if len(players) > MAX_PAYOFF_PLAYERS:
        raise InvalidGameError(f"a payoff may have at most {MAX_PAYOFF_PLAYERS} players, got {len(players)}")
    return players


def exact_value(value, what="value"):
    """``value`` as a :class:`~fractions.Fraction` (floats exactly); symbols raise :class:`NotExactError`.

    Examples
    --------
    >>> exact_value(0.25), exact_value("1/3"), exact_value(2)
    (Fraction(1, 4), Fraction(1, 3), Fraction(2, 1))
    >>> exact_value("x", what="payoff of {a}")
    Traceback (most recent call last):
    ...
    symgame.errors.NotExactError: payoff of {a} is x, not a number; sampling estimators need numeric payoffs (substitute the symbols first)
    """
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return Fraction(value)
    frac = to_fraction(value)
    if frac is not None:
        return frac
    expr = to_expr(value, what=what)
    frac = to_fraction(expr)
    if frac is None:
        if expr.free_symbols:
            raise NotExactError(f"{what} is {expr}, not a number; sampling estimators need numeric payoffs "
                                f"(substitute the symbols first)")
        raise NotExactError(f"{what} is {expr}, not a rational number; sampling estimators need rational or "
                            f"float payoffs")
    return frac


class Payoff:
    """``v(mask)`` for a fixed list of players: exact values, a cache, batch evaluation, a call counter.

    Parameters
    ----------
    players : iterable of hashable
        Bit ``k`` of a mask is ``players[k]``.
    batch : callable
        ``batch(masks) -> sequence of numbers``, one value per mask in ``masks`` (a list of ints).
    name : str, optional
        For messages and reports.

    Notes
    -----
    ``v(∅)`` need not be 0: the estimators use differences ``v(S ∪ i) - v(S)`` and ``v(N) - v(∅)``.
    The cache keeps every evaluated value (one Fraction per distinct mask asked for).
    """

    def __init__(self, players, batch, *, name="payoff"):
        players = _players(players)
        if not callable(batch):
            raise InvalidGameError(f"batch must be callable (masks -> values), got {type(batch).__name__}")
        self.players = players
        self.n = len(players)
        self.name = name
        self._batch = batch
        self._cache = {}
        self.evaluations = 0

    @classmethod
    def from_function(cls, players, payoff, *, name="payoff"):
        """A payoff calling ``payoff(coalition)`` (a ``frozenset`` of players) once per mask asked for."""
        if not callable(payoff):
            raise InvalidGameError(f"payoff must be callable (coalition -> value), got {type(payoff).__name__}")
        players = _players(players)

        def batch(masks):
            return [payoff(frozenset(p for k, p in enumerate(players) if m >> k & 1)) for m in masks]

        return cls(players, batch, name=name)

    @classmethod
    def from_game(cls, game):
        """The payoff of a numeric :class:`~symgame.game.Game` (its exact table; no new evaluations).

        Examples
        --------
        >>> Payoff.from_game(Game.from_vector([0, "1/2", "1/3", 1]))(2)
        Fraction(1, 3)
        """
        if not isinstance(game, Game):
            raise InvalidGameError(f"from_game expects a symgame.Game, got {type(game).__name__}")
        rt = game.rational_table()
        if rt is None:
            bad = sorted(map(str, game.free_symbols))
            raise NotExactError(f"the game has values that are not rational numbers (free symbols {bad}); "
                                f"substitute numbers (game.subs(...)) before sampling")
        nums, den = rt

        def batch(masks):
            return [Fraction(int(nums[m]), den) for m in masks]

        return cls(game.players, batch, name="game")

    def coalition(self, mask):
        """The ``frozenset`` of players of ``mask``."""
        return frozenset(p for k, p in enumerate(self.players) if mask >> k & 1)

    @property
    def batch_function(self):
        """The underlying ``batch(masks) -> values`` (uncached; what :func:`symgame.distributed.dask_payoff` ships)."""
        return self._batch

    @property
    def full(self):
        """The mask of the grand coalition."""
        return (1 << self.n) - 1

    def __call__(self, mask):
        return self.values([mask])[0]

    def values(self, masks):
        """Exact values of ``masks`` (a list of ints), evaluating only the ones not in the cache, in one batch."""
        masks = [int(m) for m in masks]
        todo = sorted({m for m in masks if m not in self._cache})
        if todo:
            if todo[0] < 0 or todo[-1] > self.full:
                bad = todo[0] if todo[0] < 0 else todo[-1]
                raise InvalidGameError(f"mask {bad} out of range for {self.n} players")
            got = list(self._batch(todo))
            if len(got) != len(todo):
                raise InvalidValueError(f"{self.name} returned {len(got)} values for {len(todo)} coalitions")
            for m, value in zip(todo, got):
                self._cache[m] = exact_value(value, what=f"{self.name} of {self._fmt(m)}")
            self.evaluations += len(todo)
        return [self._cache[m] for m in masks]

    def _fmt(self, mask):
        return "{" + ", ".join(str(p) for k, p in enumerate(self.players) if mask >> k & 1) + "}"

    def __repr__(self):
        return f"Payoff({self.name}, {self.n} players, {self.evaluations} evaluations)"


def as_payoff(game, players=None):
    """A :class:`Payoff` from a ``Game``, a ``Payoff`` (returned as is) or a function on coalitions with ``players``.

    Examples
    --------
    >>> as_payoff(lambda S: len(S), players=[1, 2]).values([3])
    [Fraction(2, 1)]
    >>> as_payoff(lambda S: len(S))
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: a payoff function needs players=[...] (the players of its coalitions)
    >>> as_payoff(np.zeros(4))
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: expected a symgame.Game, a Payoff or a function on coalitions, got ndarray
    """
    if isinstance(game, Payoff):
        if players is not None and tuple(players) != game.players:
            raise InvalidGameError(f"players {tuple(players)!r} differ from the payoff's players {game.players!r}")
        return game
    if isinstance(game, Game):
        if players is not None and tuple(players) != game.players:
            raise InvalidGameError(f"players {tuple(players)!r} differ from the game's players {game.players!r}")
        return Payoff.from_game(game)
    if callable(game) and not isinstance(game, (np.ndarray, type)):
        if players is None:
            raise InvalidGameError("a payoff function needs players=[...] (the players of its coalitions)")
        return Payoff.from_function(players, game)
    raise InvalidGameError(f"expected a symgame.Game, a Payoff or a function on coalitions, got {type(game).__name__}")
