"""TU games as immutable, hashable values.

A transferable-utility (TU) game is a set of players ``N`` and a
characteristic function ``v: 2^N -> R`` with ``v(∅) = 0``.  In symgame the
values are SymPy expressions (integers, ``Rational``, symbols, expressions);
coalitions are ``frozenset``\\ s in the public API.  Internally a game stores a
table indexed by bitmask (bit ``k`` set <=> ``players[k]`` is in the
coalition); that table never leaves the module except through converters.

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> cookies = Game.from_dict(["Alice", "Bob"],
...                          {("Alice",): 5*x, ("Bob",): 3*x, ("Alice", "Bob"): 10*x})
>>> cookies[{"Alice", "Bob"}]
10*x
>>> cookies.n, cookies.players
(2, ('Alice', 'Bob'))
>>> Game.from_dict([1, 2], {(1,): 1, (2,): 1, (1, 2): 2, (): 1})
Traceback (most recent call last):
...
symgame.errors.InvalidGameError: v(∅) must be 0, got 1
"""

import itertools
import json
import keyword
import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from math import lcm

import numpy as np
import sympy as sp

from .errors import (
    FloatRangeError,
    GameFormatError,
    GameTooLargeError,
    InvalidGameError,
    InvalidValueError,
    NotExactError,
    UnknownPlayerError,
)
from .exact import MAX_TEXT_EXPONENT, check_value_text, exact_str, loads_json, to_expr
from .jsonio import write_text_atomic

__all__ = ["Game", "MAX_PLAYERS", "MAX_SYMBOLIC_PLAYERS"]

#: Largest number of players for which a game table (2^n entries) may be built.
MAX_PLAYERS = 24
#: Largest number of players for symbolic (SymPy-expression) tables.
MAX_SYMBOLIC_PLAYERS = 18

_FORMAT = "symgame-game"
_VERSION = 1


def _check_players(players):
    if isinstance(players, (str, bytes)) or not isinstance(players, Iterable):
        raise InvalidGameError(f"players must be an iterable of hashable labels, got {players!r}")
    players = tuple(players)
    seen = set()
    for p in players:
        try:
            hash(p)
        except TypeError as exc:
            raise InvalidGameError(f"player {p!r} is not hashable; players must be hashable labels") from exc
        if p in seen:
            raise InvalidGameError(f"duplicate player {p!r} in players {players!r}")
        seen.add(p)
    texts = {}
    for p in players:
        other = texts.setdefault(str(p), p)
        if other is not p:
            raise InvalidGameError(
                f"players {other!r} and {p!r} are different labels that print the same ({str(p)!r}); tables, "
                f"game files and JSON output name players by text, so rename one")
    if len(players) > MAX_PLAYERS:
        raise GameTooLargeError(
            f"a game with {len(players)} players has 2^{len(players)} coalitions; the limit for a "
            f"stored game is {MAX_PLAYERS} players. Define the payoff as a function and use a "
            f"sampling estimate instead"
        )
    return players


def _coalition_items(coalition, what="coalition"):
    if isinstance(coalition, (str, bytes)) or not isinstance(coalition, Iterable):
        raise InvalidGameError(
            f"{what} {coalition!r} is not a collection of players; write a one-player coalition as "
            f"({coalition!r},) or {{{coalition!r}}}"
        )
    return list(coalition)


class Game:
    """An immutable, hashable TU game ``(N, v)`` with exact values.

    Parameters
    ----------
    players : iterable of hashable
        The players, in a fixed order (the order is used for display and for
        the bitmask layout of :meth:`to_vector`; it does not affect equality).
    values : Mapping[coalition, value]
        Value of every non-empty coalition.  A coalition is any collection of
        players (``frozenset``, tuple, list, set).  ``v(∅)`` may be omitted and
        must be 0 if given.  Values are converted with
        :func:`symgame.exact.to_expr` (floats exactly, strings parsed).

    Raises
    ------
    InvalidGameError
        Duplicate players, a missing coalition, or ``v(∅)`` definitely non-zero.
    UnknownPlayerError
        A coalition names a player not in ``players``.
    InvalidValueError
        A value that is not a finite real number or expression.

    Notes
    -----
    Construction validates once and costs O(2^n).  Numeric tables given as
    NumPy arrays to :meth:`from_vector` are kept as arrays (exact values of the
    stored numbers) so that large numeric games stay cheap.

    Examples
    --------
    >>> g = Game(["a", "b"], {("a",): 1, ("b",): 2, ("a", "b"): 4})
    >>> g[()] , g[["a", "b"]]
    (0, 4)
    >>> g == Game(["b", "a"], {frozenset(["a"]): 1, frozenset(["b"]): 2, frozenset(["a", "b"]): 4})
    True
    >>> Game(["a", "a"], {})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: duplicate player 'a' in players ('a', 'a')
    """

    __slots__ = ("_players", "_index", "_table", "_cache")

    def __init__(self, players, values):
        players = _check_players(players)
        if not isinstance(values, Mapping):
            raise InvalidGameError(f"values must be a mapping from coalitions to values, got {type(values).__name__}")
        index = {p: k for k, p in enumerate(players)}
        n = len(players)
        if n > MAX_SYMBOLIC_PLAYERS:
            raise GameTooLargeError(
                f"a game of {n} players given as a mapping has 2^{n} SymPy values; the limit is "
                f"{MAX_SYMBOLIC_PLAYERS}. Pass a NumPy array to Game.from_vector for large numeric games"
            )
        table = [None] * (1 << n)
        for coalition, value in values.items():
            mask = _mask_of(index, coalition)
            if table[mask] is not None:
                raise InvalidGameError(f"coalition {sorted(map(repr, coalition))} is given twice")
            table[mask] = to_expr(value, what=f"value of coalition {_fmt(players, mask)}")
        if table[0] is None:
            table[0] = sp.S.Zero
        missing = [m for m in range(1, 1 << n) if table[m] is None]
        if missing:
            shown = ", ".join(_fmt(players, m) for m in missing[:4])
            more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
            raise InvalidGameError(
                f"values is missing {len(missing)} coalition(s): {shown}{more}; give every non-empty "
                f"coalition, or use Game.from_dict(..., default=0)"
            )
        self._init(players, tuple(table))

    # ------------------------------------------------------------------ construction
    def _init(self, players, table):
        self._players = players
        self._index = {p: k for k, p in enumerate(players)}
        self._table = table
        self._cache = {}
        first = table[0]
        if isinstance(table, np.ndarray):
            if first != 0:
                raise InvalidGameError(f"v(∅) must be 0, got {to_expr(first)}")
        elif first.is_zero is False:
            raise InvalidGameError(f"v(∅) must be 0, got {first}")
        elif first.is_zero is None:
            # an undecided v(∅) would make value rules disagree (some read v(∅), some assume 0)
            raise InvalidGameError(
                f"v(∅) must be 0, got {first}, which is not provably 0; give 0 or substitute its symbols")
        return self

    @classmethod
    def _raw(cls, players, table):
        obj = cls.__new__(cls)
        return obj._init(tuple(players), table)

    @classmethod
    def from_dict(cls, players, values, *, default=None):
        """Build a game from a coalition -> value mapping.

        Parameters
        ----------
        players : iterable of hashable
        values : Mapping
            Keys are collections of players (tuples, frozensets, ...).
        default : value, optional
            Value of every non-empty coalition missing from ``values``.
            Without it a missing coalition is an error.

        Examples
        --------
        >>> Game.from_dict([1, 2, 3], {(1, 2, 3): 1}, default=0)[{1, 2}]
        0
        >>> Game.from_dict([1, 2], {(3,): 1})
        Traceback (most recent call last):
        ...
        symgame.errors.UnknownPlayerError: coalition (3,) contains 3, which is not a player of this game (players: (1, 2))
        """
        if default is None:
            return cls(players, values)
        players = _check_players(players)
        full = {frozenset(c): default for c in _all_coalitions(players) if c}
        index = {p: k for k, p in enumerate(players)}
        for c, v in values.items():
            _mask_of(index, c)  # validate players with a clear message
            full[frozenset(_coalition_items(c))] = v
        return cls(players, full)

    @classmethod
    def from_function(cls, players, payoff):
        """Build a game by calling ``payoff(coalition)`` on every coalition (a ``frozenset``).

        ``payoff(frozenset())`` is called too and must return 0.

        Examples
        --------
        >>> Game.from_function(["a", "b", "c"], lambda S: len(S) ** 2)[{"a", "b"}]
        4
        """
        players = _check_players(players)
        if len(players) > MAX_SYMBOLIC_PLAYERS:
            raise GameTooLargeError(
                f"from_function calls payoff 2^{len(players)} times and stores SymPy values; the limit is "
                f"{MAX_SYMBOLIC_PLAYERS} players. Evaluate into a NumPy array and use Game.from_vector, or "
                f"estimate without the table: symgame.sampling.estimate_shapley(payoff, players=...)"
            )
        n = len(players)
        table = []
        for mask in range(1 << n):
            coalition = frozenset(players[k] for k in range(n) if mask >> k & 1)
            table.append(to_expr(payoff(coalition), what=f"payoff of {_fmt(players, mask)}"))
        return cls._raw(players, tuple(table))

    @classmethod
    def from_vector(cls, vector, players=None):
        """Build a game from a table indexed by bitmask.

        Entry ``vector[mask]`` is ``v(S)`` for ``S = {players[k] : bit k of mask is set}``.

        Parameters
        ----------
        vector : sequence or numpy.ndarray of length 2^n
            A NumPy integer or float array is kept as an array (cheap for
            large numeric games, exact values of the stored numbers).
        players : iterable, optional
            Defaults to ``0, 1, ..., n-1``.

        Examples
        --------
        >>> import numpy as np
        >>> g = Game.from_vector(np.array([0.0, 1.0, 2.0, 3.5]))
        >>> g.players, g[{0, 1}]
        ((0, 1), 7/2)
        >>> Game.from_vector([0, 1, 2])
        Traceback (most recent call last):
        ...
        symgame.errors.InvalidGameError: vector has length 3; expected a power of two 2^n (one entry per coalition)
        """
        length = len(vector)
        n = length.bit_length() - 1
        if length < 1 or 1 << n != length:
            raise InvalidGameError(
                f"vector has length {length}; expected a power of two 2^n (one entry per coalition)"
            )
        players = _check_players(range(n) if players is None else players)
        if len(players) != n:
            raise InvalidGameError(f"vector of length {length} needs {n} players, got {len(players)}")
        fits = not (isinstance(vector, np.ndarray) and vector.dtype.kind == "u" and vector.size
                    and int(vector.max()) > np.iinfo(np.int64).max)  # else int64 would wrap around
        if isinstance(vector, np.ndarray) and vector.dtype.kind in "iuf" and fits:
            if vector.ndim != 1:
                raise InvalidGameError(f"vector must be one-dimensional, got shape {vector.shape}")
            if vector.dtype.kind == "f":
                arr = np.array(vector, dtype=np.float64)
                if not np.all(np.isfinite(arr)):
                    bad = int(np.flatnonzero(~np.isfinite(arr))[0])
                    raise InvalidValueError(
                        f"value of coalition {_fmt(players, bad)} is {arr[bad]!r}; expected a finite number"
                    )
            else:
                arr = np.array(vector, dtype=np.int64)
            arr.setflags(write=False)
            return cls._raw(players, arr)
        if n > MAX_SYMBOLIC_PLAYERS:
            raise GameTooLargeError(
                f"a table of {length} SymPy values exceeds the limit of {MAX_SYMBOLIC_PLAYERS} players; "
                f"pass a NumPy float or integer array instead"
            )
        table = tuple(to_expr(v, what=f"value of coalition {_fmt(players, m)}") for m, v in enumerate(vector))
        return cls._raw(players, table)

    @classmethod
    def from_rational_table(cls, numerators, denominator, players=None):
        """Build an exact game from integer numerators over one denominator: ``v(S) = numerators[mask] / denominator``.

        The inverse of :meth:`rational_table` (whose result it caches), for producers that already
        hold exact integers, such as the re-optimised flow game (scaled maximum-flow values).

        Parameters
        ----------
        numerators : sequence of int or numpy integer array of length 2^n
        denominator : int
            Positive.
        players : iterable, optional

        Examples
        --------
        >>> g = Game.from_rational_table([0, 3, 2, 6], 6)
        >>> g[{0}], g[{0, 1}], g.rational_table()
        (1/2, 1, (array([0, 3, 2, 6]), 6))
        >>> Game.from_rational_table([0, 1], 0)
        Traceback (most recent call last):
        ...
        symgame.errors.InvalidGameError: denominator must be a positive int, got 0
        """
        if isinstance(denominator, bool) or not isinstance(denominator, (int, np.integer)) or denominator <= 0:
            raise InvalidGameError(f"denominator must be a positive int, got {denominator!r}")
        den = int(denominator)
        nums = numerators.tolist() if isinstance(numerators, np.ndarray) else list(numerators)
        if any(isinstance(x, bool) or not isinstance(x, (int, np.integer)) for x in nums):
            raise InvalidGameError("numerators must be integers")
        nums = [int(x) for x in nums]
        length = len(nums)
        n = length.bit_length() - 1
        if length < 1 or 1 << n != length:
            raise InvalidGameError(
                f"numerators has length {length}; expected a power of two 2^n (one entry per coalition)")
        players = _check_players(range(n) if players is None else players)
        if len(players) != n:
            raise InvalidGameError(f"numerators of length {length} need {n} players, got {len(players)}")
        game = cls._raw(players, tuple(sp.Rational(x, den) for x in nums))
        game._cache["rational"] = (_int_array(nums, n), den)
        return game

    @classmethod
    def generic(cls, players, *, name="v"):
        """The fully generic game: one real symbol ``v_{S}`` per non-empty coalition.

        Parameters
        ----------
        players : int or iterable
            An int ``n`` means players ``1..n``.
        name : str
            Prefix of the symbols.

        Examples
        --------
        >>> Game.generic(2)[{1, 2}]
        v_{1,2}
        """
        if isinstance(players, (int, np.integer)) and not isinstance(players, bool):
            if players < 0:
                raise InvalidGameError(f"number of players must be non-negative, got {players}")
            players = range(1, int(players) + 1)
        players = _check_players(players)
        n = len(players)
        if n > MAX_SYMBOLIC_PLAYERS:
            raise GameTooLargeError(
                f"the generic game on {n} players has 2^{n} symbols; the limit is {MAX_SYMBOLIC_PLAYERS}"
            )
        table = [sp.S.Zero]
        for mask in range(1, 1 << n):
            label = ",".join(str(players[k]) for k in range(n) if mask >> k & 1)
            table.append(sp.Symbol(f"{name}_{{{label}}}", real=True))
        return cls._raw(players, tuple(table))

    @classmethod
    def additive(cls, weights):
        """The additive game ``v(S) = sum_{i in S} w_i``.

        Examples
        --------
        >>> Game.additive({"a": 1, "b": 2})[{"a", "b"}]
        3
        """
        if not isinstance(weights, Mapping):
            raise InvalidGameError(f"weights must be a mapping player -> value, got {type(weights).__name__}")
        w = {p: to_expr(x, what=f"weight of {p!r}") for p, x in weights.items()}
        return cls.from_function(list(w), lambda S: sp.Add(*[w[p] for p in S]))

    @classmethod
    def unanimity(cls, players, carrier, scale=1):
        """The unanimity game ``u_T(S) = scale`` if ``T ⊆ S`` else 0 (``T`` non-empty).

        Examples
        --------
        >>> u = Game.unanimity(["a", "b", "c"], ["a", "b"])
        >>> u[{"a", "b"}], u[{"a", "c"}]
        (1, 0)
        """
        players = _check_players(players)
        T = frozenset(_coalition_items(carrier, "carrier"))
        if not T:
            raise InvalidGameError("carrier of a unanimity game must be non-empty")
        _mask_of({p: k for k, p in enumerate(players)}, T)
        scale = to_expr(scale, what="scale")
        return cls.from_function(players, lambda S: scale if T <= S else 0)

    @classmethod
    def glove(cls, left, right):
        """The glove game: ``v(S) = min(|S ∩ L|, |S ∩ R|)`` (pairs of gloves).

        Examples
        --------
        >>> Game.glove(["L1"], ["R1", "R2"])[{"L1", "R2"}]
        1
        """
        left, right = tuple(left), tuple(right)
        if set(left) & set(right):
            raise InvalidGameError(f"a player cannot own both gloves: {sorted(set(left) & set(right), key=repr)}")
        L, R = set(left), set(right)
        return cls.from_function(left + right, lambda S: min(len(S & L), len(S & R)))

    @classmethod
    def weighted_voting(cls, weights, quota):
        """The weighted majority game ``v(S) = 1`` iff ``sum_{i in S} w_i >= quota``.

        Examples
        --------
        >>> g = Game.weighted_voting({"a": 3, "b": 2, "c": 1}, 4)
        >>> g[{"a", "c"}], g[{"b", "c"}]
        (1, 0)
        """
        if not isinstance(weights, Mapping):
            raise InvalidGameError(f"weights must be a mapping player -> weight, got {type(weights).__name__}")
        w = {p: to_expr(x, what=f"weight of {p!r}") for p, x in weights.items()}
        q = to_expr(quota, what="quota")
        if not all(x.is_Rational for x in w.values()) or not q.is_Rational:
            raise NotExactError("weighted_voting needs rational weights and quota to decide each coalition")
        return cls.from_function(list(w), lambda S: 1 if sum((w[p] for p in S), sp.S.Zero) >= q else 0)

    @classmethod
    def majority(cls, players):
        """Simple majority: ``v(S) = 1`` iff ``|S| > n/2``.

        Examples
        --------
        >>> Game.majority(["a", "b", "c"])[{"a", "b"}]
        1
        """
        players = _check_players(players)
        return cls.weighted_voting({p: 1 for p in players}, len(players) // 2 + 1)

    @classmethod
    def airport(cls, costs):
        """The airport (cost) game ``c(S) = max_{i in S} cost_i`` (Littlechild & Owen 1973).

        Examples
        --------
        >>> Game.airport({"small": 1, "big": 3})[{"small", "big"}]
        3
        """
        if not isinstance(costs, Mapping):
            raise InvalidGameError(f"costs must be a mapping player -> cost, got {type(costs).__name__}")
        c = {p: to_expr(x, what=f"cost of {p!r}") for p, x in costs.items()}
        return cls.from_function(list(c), lambda S: sp.Max(*[c[p] for p in S]) if S else 0)

    # ------------------------------------------------------------------ access
    @property
    def players(self):
        """The players, as a tuple in the game's order."""
        return self._players

    @property
    def n(self):
        """The number of players."""
        return len(self._players)

    @property
    def grand_coalition(self):
        """``frozenset(players)``."""
        return frozenset(self._players)

    def __len__(self):
        return len(self._players)

    def mask(self, coalition):
        """Bitmask of ``coalition`` (bit ``k`` <=> ``players[k]``); raises for unknown players.

        Examples
        --------
        >>> Game.generic(["a", "b"]).mask({"b"})
        2
        """
        return _mask_of(self._index, coalition)

    def coalition(self, mask):
        """The ``frozenset`` of players whose bits are set in ``mask``."""
        if not 0 <= mask < 1 << self.n:
            raise InvalidGameError(f"mask {mask} out of range for {self.n} players")
        return frozenset(self._players[k] for k in range(self.n) if mask >> k & 1)

    def __getitem__(self, coalition):
        return self.value_at(self.mask(coalition))

    def value(self, coalition):
        """``v(coalition)`` as a SymPy expression (same as ``game[coalition]``)."""
        return self[coalition]

    def value_at(self, mask):
        """``v`` of the coalition with bitmask ``mask`` (bit ``k`` <=> ``players[k]``), as a SymPy expression.

        The bitmask twin of ``game[coalition]`` for code that walks coalitions by mask (values,
        properties, derivations); no check beyond the table's own indexing.

        Examples
        --------
        >>> Game.additive({"a": 1, "b": 2}).value_at(0b10)
        2
        """
        t = self._table
        if isinstance(t, np.ndarray):
            return to_expr(t[mask].item())
        return t[mask]

    _expr = value_at

    def exprs(self):
        """All values as a tuple of SymPy expressions, indexed by bitmask.

        Examples
        --------
        >>> Game.additive({"a": 1, "b": 2}).exprs()
        (0, 1, 2, 3)
        """
        if "exprs" not in self._cache:
            t = self._table
            if isinstance(t, np.ndarray):
                if self.n > MAX_SYMBOLIC_PLAYERS:
                    raise GameTooLargeError(
                        f"converting 2^{self.n} values to SymPy exceeds the limit of {MAX_SYMBOLIC_PLAYERS} "
                        f"players; use the array paths (to_vector, shapley_float, shapley)"
                    )
                self._cache["exprs"] = tuple(to_expr(x) for x in t.tolist())
            else:
                self._cache["exprs"] = t
        return self._cache["exprs"]

    def items(self):
        """Iterate over ``(coalition, value)`` pairs, coalitions as ``frozenset``\\ s, by bitmask."""
        for mask, value in enumerate(self.exprs()):
            yield self.coalition(mask), value

    def coalitions(self):
        """Iterate over all coalitions (``frozenset``\\ s), by bitmask."""
        for mask in range(1 << self.n):
            yield self.coalition(mask)

    def to_dict(self):
        """``{frozenset: value}`` for every coalition, including the empty one."""
        return dict(self.items())

    def to_vector(self):
        """The values indexed by bitmask: a NumPy array for array-backed games, else a tuple of expressions."""
        t = self._table
        return t.copy() if isinstance(t, np.ndarray) else t

    @property
    def is_symbolic(self):
        """True when some value contains a free symbol."""
        if isinstance(self._table, np.ndarray):
            return False
        return any(not v.is_Number for v in self._table)

    @property
    def free_symbols(self):
        """The set of SymPy symbols appearing in the values."""
        if isinstance(self._table, np.ndarray):
            return set()
        out = set()
        for v in self._table:
            out |= v.free_symbols
        return out

    # ------------------------------------------------------------------ numeric views
    def rational_table(self):
        """Exact integer numerators and a common denominator, or ``None`` if some value is not rational.

        Returns
        -------
        (numpy.ndarray, int) or None
            ``numerators[mask] / denominator == v(S)``.  The array has dtype
            ``int64`` when that cannot overflow in O(4^n |v|) sums, else ``object``
            (Python integers).

        Examples
        --------
        >>> Game.from_vector([0, "1/2", "1/3", 1]).rational_table()
        (array([0, 3, 2, 6]), 6)
        """
        if "rational" in self._cache:
            return self._cache["rational"]
        t = self._table
        result = None
        if isinstance(t, np.ndarray):
            result = _rational_array(t, self.n)
            if result is not None:  # vectorised: bound and float split in NumPy, no Python loop
                self._cache["rational"] = result
                return result
            if t.dtype.kind == "f":
                ratios = [x.as_integer_ratio() for x in t.tolist()]
                den = 1
                for _, q in ratios:
                    den = max(den, q)  # all denominators are powers of two
                nums = [p * (den // q) for p, q in ratios]
            else:
                den, nums = 1, t.tolist()
            result = (_int_array(nums, self.n), den)
        elif all(isinstance(v, sp.Rational) for v in t):
            den = lcm(*[int(v.q) for v in t]) if t else 1
            nums = [int(v.p) * (den // int(v.q)) for v in t]
            result = (_int_array(nums, self.n), den)
        self._cache["rational"] = result
        return result

    def float_table(self):
        """The values as a float64 array indexed by bitmask (rounded; for the named float paths only).

        Raises
        ------
        NotExactError
            If some value has free symbols.

        Examples
        --------
        >>> Game.from_vector([0, "1/2", "1/4", 1]).float_table()
        array([0.  , 0.5 , 0.25, 1.  ])
        """
        t = self._table
        if not isinstance(t, np.ndarray) and self.free_symbols:
            raise NotExactError(
                f"the game has free symbols {sorted(map(str, self.free_symbols))}; substitute numbers "
                f"(game.subs(...)) before using a float path"
            )
        try:
            with np.errstate(over="ignore"):
                table = t.astype(np.float64) if isinstance(t, np.ndarray) else np.array([float(v) for v in t],
                                                                                         dtype=np.float64)
        except OverflowError:
            table = None
        if table is None or not np.isfinite(table).all():
            bad = next(m for m in range(len(t)) if not _float_finite(t[m]))
            raise FloatRangeError(
                f"the value of coalition {_fmt(self._players, bad)} is outside the float64 range (|v| <= "
                f"1.8e308); use the exact path (shapley, banzhaf) instead of a float path")
        return table

    # ------------------------------------------------------------------ operations
    def _aligned(self, other, op):
        if not isinstance(other, Game):
            raise InvalidGameError(f"cannot {op} a Game and a {type(other).__name__}")
        if set(other._players) != set(self._players):
            raise InvalidGameError(
                f"cannot {op} games on different players: {self._players!r} and {other._players!r}"
            )
        if other._players == self._players:
            return other.exprs()
        return tuple(other._expr(other.mask(self.coalition(m))) for m in range(1 << self.n))

    def __add__(self, other):
        if not isinstance(other, Game):
            return NotImplemented
        b = self._aligned(other, "add")
        return Game._raw(self._players, tuple(x + y for x, y in zip(self.exprs(), b)))

    def __sub__(self, other):
        if not isinstance(other, Game):
            return NotImplemented
        b = self._aligned(other, "subtract")
        return Game._raw(self._players, tuple(x - y for x, y in zip(self.exprs(), b)))

    def __neg__(self):
        return Game._raw(self._players, tuple(-x for x in self.exprs()))

    def __mul__(self, scalar):
        if isinstance(scalar, Game):
            return NotImplemented
        a = to_expr(scalar, what="scalar")
        return Game._raw(self._players, tuple(a * x for x in self.exprs()))

    __rmul__ = __mul__

    def restrict(self, players):
        """The subgame on ``players`` (a subset): ``v|_T(S) = v(S)`` for ``S ⊆ T``.

        Examples
        --------
        >>> Game.generic(3).restrict([1, 3])[{1, 3}]
        v_{1,3}
        """
        keep = [p for p in _coalition_items(players, "players")]
        _mask_of(self._index, keep)
        keep_set = set(keep)
        order = tuple(p for p in self._players if p in keep_set)
        return Game._raw(order, tuple(self.value_at(self.mask(c)) for c in _coalitions_by_mask(order)))

    subgame = restrict

    def relabel(self, mapping):
        """Rename players with ``mapping`` (a dict or a callable); unmapped players keep their label.

        Examples
        --------
        >>> Game.generic(2).relabel({1: "a"}).players
        ('a', 2)
        """
        f = mapping if callable(mapping) else (lambda p: mapping.get(p, p))
        if isinstance(mapping, Mapping):
            unknown = [p for p in mapping if p not in self._index]
            if unknown:
                raise UnknownPlayerError(f"relabel mapping names {unknown[0]!r}, which is not a player of this game")
        new = _check_players([f(p) for p in self._players])
        return Game._raw(new, self._table)

    def merge(self, group, label=None):
        """The quotient game in which ``group`` acts as one player ``label``.

        ``v'(S') = v(S)`` where ``S`` replaces ``label`` by all members of ``group``.
        The merged player takes the position of the group's first member.

        Examples
        --------
        >>> g = Game.generic(3).merge([1, 2], "12")
        >>> g.players, g[{"12"}]
        (('12', 3), v_{1,2})
        """
        members = _coalition_items(group, "group")
        gmask = _mask_of(self._index, members)
        if not members:
            raise InvalidGameError("group to merge must be non-empty")
        if label is None:
            label = tuple(p for p in self._players if p in set(members))
        if label in self._index and label not in set(members):
            raise InvalidGameError(f"label {label!r} is already another player's name")
        new_players, first = [], True
        for p in self._players:
            if gmask >> self._index[p] & 1:
                if first:
                    new_players.append(label)
                    first = False
            else:
                new_players.append(p)
        new_players = _check_players(new_players)
        table = []
        for c in _coalitions_by_mask(new_players):
            m = 0
            for p in c:
                m |= gmask if p == label else 1 << self._index[p]
            table.append(self.value_at(m))
        return Game._raw(new_players, tuple(table))

    def subs(self, *args, **kwargs):
        """Substitute symbols in every value (arguments as :meth:`sympy.Expr.subs`).

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> Game.additive({"a": x, "b": 2 * x}).subs(x, 3)[{"a", "b"}]
        9
        """
        table = tuple(to_expr(v.subs(*args, **kwargs)) for v in self.exprs())
        return Game._raw(self._players, table)

    def map_values(self, func):
        """Apply ``func`` to every value (e.g. ``sympy.simplify``) and return the new game."""
        return Game._raw(self._players, tuple(to_expr(func(v)) for v in self.exprs()))

    # ------------------------------------------------------------------ identity
    def __eq__(self, other):
        if not isinstance(other, Game):
            return NotImplemented
        if set(self._players) != set(other._players):
            return False
        both_arrays = isinstance(self._table, np.ndarray) and isinstance(other._table, np.ndarray)
        if both_arrays and self._players == other._players:
            return _tables_equal(self, other)
        return all(a == b for a, b in zip(self.exprs(), self._aligned(other, "compare")))

    def __hash__(self):
        if "hash" not in self._cache:
            small = frozenset(
                (frozenset(self.coalition(m)), self.value_at(m)) for m in [0] + [1 << k for k in range(self.n)]
            )
            self._cache["hash"] = hash((frozenset(self._players), small))
        return self._cache["hash"]

    def __repr__(self):
        shown = []
        for mask in range(1, min(1 << self.n, 9)):
            shown.append(f"{_fmt(self._players, mask)}: {self.value_at(mask)}")
        more = ", ..." if (1 << self.n) > 9 else ""
        return f"Game(players={self._players!r}, values={{{', '.join(shown)}{more}}})"

    def table(self):
        """A plain-text table of all coalitions and values.

        Examples
        --------
        >>> print(Game.additive({"a": 1, "b": 2}).table())
        coalition  value
        {}         0
        {a}        1
        {b}        2
        {a, b}     3
        """
        rows = [(_fmt(self._players, m, plain=True), str(v)) for m, v in enumerate(self.exprs())]
        width = max(len("coalition"), *(len(r[0]) for r in rows))
        lines = [f"{'coalition':<{width}}  value"]
        lines += [f"{c:<{width}}  {v}" for c, v in rows]
        return "\n".join(lines)

    def to_python(self):
        """Python source that rebuilds this game (for pasting a counterexample back).

        Examples
        --------
        >>> print(Game.additive({"a": 1, "b": 2}).to_python())
        Game.from_dict(['a', 'b'], {('a',): 1, ('b',): 2, ('a', 'b'): 3})
        """
        entries = []
        for mask in range(1, 1 << self.n):
            key = tuple(self._players[k] for k in range(self.n) if mask >> k & 1)
            value = exact_str(self.value_at(mask))
            entries.append(f"{key!r}: {value if _is_plain_number(value) else repr(value)}")
        return f"Game.from_dict({list(self._players)!r}, {{{', '.join(entries)}}})"

    # ------------------------------------------------------------------ JSON
    def to_json(self):
        """The game as a JSON-ready dict (see :meth:`from_json` for the format).

        Examples
        --------
        >>> import sympy as sp
        >>> d = Game.additive({"a": sp.Rational(1, 3)}).to_json()
        >>> d["values"]
        [{'coalition': ['a'], 'value': '1/3'}]
        """
        for p in self._players:
            if not isinstance(p, (str, int)) or isinstance(p, bool):
                raise GameFormatError(f"player {p!r} cannot be written to JSON; players must be str or int")
        symbols = {}
        for s in sorted(self.free_symbols, key=str):
            if str(s) in symbols:
                raise GameFormatError(f"two different symbols are both named {str(s)!r}; rename one")
            symbols[str(s)] = dict(getattr(s, "_assumptions_orig", {}) or {})
        values = []
        for mask in range(1, 1 << self.n):
            values.append({
                "coalition": [self._players[k] for k in range(self.n) if mask >> k & 1],
                "value": exact_str(self.value_at(mask)),
            })
        return {"format": _FORMAT, "version": _VERSION, "players": list(self._players),
                "symbols": symbols, "values": values}

    @classmethod
    def from_json(cls, document):
        """Read a game from a JSON document (a dict or a JSON string).

        The format::

            {"format": "symgame-game", "version": 1,
             "players": ["Alice", "Bob"],
             "symbols": {"x": {"positive": true}},          # optional: assumptions
             "values": [{"coalition": ["Alice"], "value": "5*x"}, ...]}

        Values are strings parsed exactly by SymPy (``"27/500"``, ``"6*x"``) or
        JSON integers.  Every non-empty coalition must appear once.

        Examples
        --------
        >>> g = Game.from_json('{"format": "symgame-game", "version": 1, "players": ["a"],'
        ...                    ' "values": [{"coalition": ["a"], "value": "2/3"}]}')
        >>> g[{"a"}]
        2/3
        >>> Game.from_json('{"players": ["a"]}')
        Traceback (most recent call last):
        ...
        symgame.errors.GameFormatError: game JSON lacks the key 'values'; see Game.from_json for the format
        """
        if isinstance(document, (str, bytes)):
            document = loads_json(document, what="game file", error=GameFormatError)
        if not isinstance(document, Mapping):
            raise GameFormatError(f"game JSON must be an object, got {type(document).__name__}")
        for key in ("players", "values"):
            if key not in document:
                raise GameFormatError(f"game JSON lacks the key {key!r}; see Game.from_json for the format")
        if document.get("format", _FORMAT) != _FORMAT:
            raise GameFormatError(f"game JSON has format {document.get('format')!r}; expected {_FORMAT!r}")
        if document.get("version", _VERSION) != _VERSION:
            raise GameFormatError(f"game JSON has version {document.get('version')!r}; this symgame reads version "
                                  f"{_VERSION} (docs/formats.md)")
        symbols = document.get("symbols") or {}
        if not isinstance(symbols, Mapping):
            raise GameFormatError(f"'symbols' must map symbol names to assumptions, got {type(symbols).__name__}")
        local, aliases = {}, {}
        for k, (name, assumptions) in enumerate(symbols.items()):
            if not isinstance(assumptions, Mapping) or not all(isinstance(a, bool) for a in assumptions.values()):
                raise GameFormatError(
                    f"bad assumptions for symbol {name!r}: {assumptions!r}; expected e.g. {{\"positive\": true}}"
                )
            try:
                symbol = sp.Symbol(name, **assumptions)
            except (TypeError, ValueError) as exc:
                raise GameFormatError(f"bad assumptions for symbol {name!r}: {assumptions!r}") from exc
            if name.isidentifier() and not keyword.iskeyword(name):
                local[name] = symbol
            else:  # e.g. "v_{1,2}" or "lambda": parsed through a placeholder identifier
                aliases[name] = f"_symgame_symbol_{k}"
                local[aliases[name]] = symbol
        rename = _name_replacer(aliases)
        if not isinstance(document["values"], (list, tuple)):
            raise GameFormatError(f"'values' must be a list of {{coalition, value}} entries, got "
                                  f"{type(document['values']).__name__}")
        values = {}
        for entry in document["values"]:
            if not isinstance(entry, Mapping) or "coalition" not in entry or "value" not in entry:
                raise GameFormatError(f"each entry of 'values' needs 'coalition' and 'value', got {entry!r}")
            raw = entry["value"]
            if isinstance(raw, str):
                _check_value_text(raw, rename(raw), local)
                try:
                    value = sp.sympify(rename(raw), locals=local, rational=True)
                except (sp.SympifyError, SyntaxError, TypeError) as exc:
                    raise GameFormatError(f"value {raw!r} cannot be parsed") from exc
            elif isinstance(raw, (int, Fraction)) and not isinstance(raw, bool):
                value = to_expr(raw, what=f"value {raw!r}")  # a JSON number: read exactly as the decimal it is
            elif isinstance(raw, float):
                value = to_expr(raw, what=f"value {raw!r}")
            else:
                raise GameFormatError(
                    f"value {raw!r} must be a string (e.g. \"27/500\", \"6*x\") or a JSON number, got {type(raw).__name__}"
                )
            key = frozenset(_json_labels(entry["coalition"], "coalition"))
            if key in values:
                raise GameFormatError(f"coalition {sorted(key, key=repr)} appears twice")
            values[key] = value
        return cls(_json_labels(document["players"], "'players'"), values)

    def save(self, path):
        """Write the game to ``path`` as JSON (see :meth:`from_json`), atomically (temp file + ``os.replace``)."""
        write_text_atomic(path, json.dumps(self.to_json(), indent=1) + "\n")

    @classmethod
    def load(cls, path):
        """Read a game written by :meth:`save`."""
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise GameFormatError(f"cannot read game file {str(path)!r}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise GameFormatError(
                f"game file {str(path)!r} is not UTF-8 text; a game file is JSON (see Game.from_json)"
            ) from exc
        document = loads_json(text, what=f"game file {str(path)!r}", error=GameFormatError)
        if not isinstance(document, Mapping):
            raise GameFormatError(f"game file {str(path)!r} must hold a JSON object, got {type(document).__name__}")
        return cls.from_json(document)


# ---------------------------------------------------------------------- helpers
def _name_replacer(aliases):
    """A function replacing whole occurrences of the symbol names in ``aliases`` by their aliases."""
    if not aliases:
        return lambda text: text
    names = sorted(aliases, key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_])")
    return lambda text: pattern.sub(lambda m: aliases[m.group(0)], text)


#: Largest numeric exponent a game file may use (bigger ones would make parsing hang).
MAX_FILE_EXPONENT = MAX_TEXT_EXPONENT


def _check_value_text(raw, text, names):
    """Reject value strings that are not plain arithmetic, so that parsing a game file never runs code
    or hangs (see :func:`symgame.exact.check_value_text`)."""
    check_value_text(raw, text=text, names=names, error=GameFormatError, where="a game file")


def _json_labels(labels, what):
    """Player labels read from a game file: a list of strings and integers (JSON has no other hashable labels)."""
    if not isinstance(labels, (list, tuple)):
        raise GameFormatError(f"{what} must be a list of player labels (strings or integers), got {labels!r}")
    for p in labels:
        if isinstance(p, bool) or not isinstance(p, (str, int)):
            raise GameFormatError(
                f"{what} contains {p!r} ({type(p).__name__}); a player label in a game file is a string or an integer")
    return list(labels)


def _mask_of(index, coalition):
    mask = 0
    for p in _coalition_items(coalition):
        try:
            k = index[p]
        except (KeyError, TypeError):
            raise UnknownPlayerError(
                f"coalition {tuple(coalition)!r} contains {p!r}, which is not a player of this game "
                f"(players: {tuple(index)!r})"
            ) from None
        mask |= 1 << k
    return mask


def _fmt(players, mask, plain=False):
    names = [str(players[k]) if plain else repr(players[k]) for k in range(len(players)) if mask >> k & 1]
    return "{" + ", ".join(names) + "}"


def _all_coalitions(players):
    for r in range(len(players) + 1):
        for c in itertools.combinations(players, r):
            yield c


def _coalitions_by_mask(players):
    n = len(players)
    for mask in range(1 << n):
        yield [players[k] for k in range(n) if mask >> k & 1]


def _int64_bound_ok(bound, n):
    return bound * (4 ** n) * (n + 1) < 2 ** 62


def _rational_array(t, n):
    """``(int64 numerators, denominator)`` of a NumPy integer or float table computed in NumPy, or ``None``
    when the numerators would not fit the int64 bound of :func:`_int_array` (the Python path decides then).

    A float ``x`` is ``M * 2**e`` with an integer ``M`` of at most 53 bits (``np.frexp``); the common
    denominator is the largest ``2**k`` among the reduced ``M / 2**k``, exactly as ``float.as_integer_ratio``.

    Examples
    --------
    >>> _rational_array(np.array([0.0, 0.5, -0.75, 3.0]), 2)
    (array([ 0,  2, -3, 12]), 4)
    >>> _rational_array(np.array([0, 7, -2**58, 1]), 2) is None
    True
    """
    if not t.size:
        return None
    if t.dtype.kind in "iu":
        hi, lo = int(t.max()), int(t.min())
        if _int64_bound_ok(max(abs(hi), abs(lo)), n):
            return np.array(t, dtype=np.int64), 1
        return None
    mant, expo = np.frexp(t)
    M = (mant * 2.0 ** 53).astype(np.int64)  # exact: |mant| < 1 has 53 significant bits
    e = expo.astype(np.int64) - 53
    nz = M != 0
    if not nz.any():
        return np.zeros(t.shape, dtype=np.int64), 1
    low = np.abs(M[nz]) & -np.abs(M[nz])  # lowest set bit: a power of two, exact as a float
    tz = np.rint(np.log2(low.astype(np.float64))).astype(np.int64)
    k = int(max(0, (-(e[nz] + tz)).max()))  # reduced x = (M >> tz) / 2**(-(e + tz))
    shift = e[nz] + k  # numerator = M * 2**shift; shift >= -tz, so a right shift drops only zeros
    top = int((np.log2(np.abs(M[nz]).astype(np.float64)) + shift).max())
    if top > 61 or not _int64_bound_ok(2 ** (top + 1), n):
        return None
    nums = np.zeros(t.shape, dtype=np.int64)
    Mz = M[nz]
    nums[nz] = np.where(shift >= 0, Mz << np.maximum(shift, 0), Mz >> np.maximum(-shift, 0))
    return nums, 2 ** k


def _int_array(nums, n):
    bound = max((abs(x) for x in nums), default=0)
    if bound * (4 ** n) * (n + 1) < 2 ** 62:
        return np.array(nums, dtype=np.int64)
    return np.array(nums, dtype=object)


def _float_finite(x):
    try:
        return bool(np.isfinite(float(x)))
    except OverflowError:
        return False


def _is_plain_number(text):
    return text.lstrip("-").isdigit()


def _tables_equal(a, b):
    ra, rb = a.rational_table(), b.rational_table()
    na, da = ra
    nb, db = rb
    return all(int(x) * db == int(y) * da for x, y in zip(na.tolist(), nb.tolist()))
