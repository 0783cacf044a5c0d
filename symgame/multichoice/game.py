"""Multi-choice games: players with activity levels ``0..m_i`` and a payoff on level vectors.

A multi-choice game (Hsiao and Raghavan 1993; van den Nouweland, Potters, Tijs and Zarzuelo 1995)
has players ``N``, for each player ``i`` a number of levels ``m_i >= 1`` (level 0 is "absent",
level ``m_i`` is "fully present"), and a payoff ``v`` on the level vectors
``x = (x_1, ..., x_n)``, ``0 <= x_i <= m_i``, with ``v(0, ..., 0) = 0``.  An ordinary TU game
is the case ``m_i = 1`` (a coalition is the set of players at level 1).

Values are SymPy expressions (integers, ``Rational``, symbols), converted exactly by
:func:`symgame.exact.to_expr`, as in :class:`symgame.game.Game`.  A game is immutable and hashable.

Examples
--------
>>> g = MultiChoiceGame(["a", "b"], [2, 1], {(1, 0): 1, (2, 0): 3, (0, 1): 2, (1, 1): 4, (2, 1): 7})
>>> g[(2, 1)], g[{"a": 1}], g.levels
(7, 1, (2, 1))
>>> MultiChoiceGame(["a"], [1], {(0,): 1, (1,): 2})
Traceback (most recent call last):
...
symgame.errors.InvalidGameError: v(0, ..., 0) must be 0, got 1
"""

import itertools
import json
import keyword
import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from math import prod

import sympy as sp

from ..errors import GameFormatError, GameTooLargeError, InvalidGameError, UnknownPlayerError
from ..exact import check_value_text, exact_str, loads_json, to_expr
from ..game import Game
from ..jsonio import write_text_atomic

__all__ = ["MultiChoiceGame", "MAX_LEVEL_VECTORS", "MAX_LEVELS", "FORMAT", "VERSION"]

#: Largest number of level vectors ``prod(m_i + 1)`` a stored multi-choice game may have.
MAX_LEVEL_VECTORS = 1 << 16
#: Largest number of levels ``m_i`` of one player.
MAX_LEVELS = 64
#: The JSON format name and version of a multi-choice game file (docs/formats.md).
FORMAT = "symgame-multichoice"
VERSION = 1


def _check_players_levels(players, levels):
    if isinstance(players, (str, bytes)) or not isinstance(players, Iterable):
        raise InvalidGameError(f"players must be an iterable of hashable labels, got {players!r}")
    players = tuple(players)
    seen, texts = set(), {}
    for p in players:
        try:
            hash(p)
        except TypeError:
            raise InvalidGameError(f"player {p!r} is not hashable; players must be hashable labels") from None
        if p in seen:
            raise InvalidGameError(f"duplicate player {p!r} in players {players!r}")
        seen.add(p)
        other = texts.setdefault(str(p), p)
        if other is not p:
            raise InvalidGameError(f"players {other!r} and {p!r} are different labels that print the same "
                                   f"({str(p)!r}); rename one")
    if isinstance(levels, Mapping):
        missing = [p for p in players if p not in levels]
        if missing or len(levels) != len(players):
            raise InvalidGameError(f"levels must give m_i for exactly the players {players!r}, got {dict(levels)!r}")
        levels = [levels[p] for p in players]
    if isinstance(levels, (str, bytes)) or not isinstance(levels, Iterable):
        raise InvalidGameError(f"levels must be a list of integers m_i >= 1 (one per player), got {levels!r}")
    levels = tuple(levels)
    if len(levels) != len(players):
        raise InvalidGameError(f"{len(players)} players need {len(players)} level counts, got {len(levels)}: "
                               f"{levels!r}")
    for p, m in zip(players, levels):
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= MAX_LEVELS:
            raise InvalidGameError(f"player {p!r} has {m!r} levels; the number of levels m_i must be an integer "
                                   f"between 1 and {MAX_LEVELS}")
    size = prod(m + 1 for m in levels)
    if size > MAX_LEVEL_VECTORS:
        raise GameTooLargeError(f"levels {levels!r} give {size} level vectors; the limit for a stored multi-choice "
                                f"game is {MAX_LEVEL_VECTORS}")
    return players, tuple(int(m) for m in levels)


class MultiChoiceGame:
    """An immutable, hashable multi-choice game ``(N, m, v)`` with exact values.

    Parameters
    ----------
    players : iterable of hashable
        The players, in a fixed order (the order of the entries of a level vector).
    levels : sequence of int or Mapping[player, int]
        ``m_i >= 1`` for each player: player ``i`` acts at a level ``0..m_i``.
    values : Mapping[level vector, value]
        ``v(x)`` for every level vector ``x != 0``; a key is a tuple of levels in player order, or a
        mapping player -> level (players left out are at level 0).  ``v(0, ..., 0)`` may be omitted
        and must be 0 if given.  Values are converted with :func:`symgame.exact.to_expr`.
    default : value, optional
        Value of every level vector missing from ``values`` (without it a missing vector is an error).

    Raises
    ------
    InvalidGameError
        Duplicate players, a bad number of levels, a level out of range, a missing level vector,
        ``v(0) != 0``.
    UnknownPlayerError
        A level mapping names a player the game does not have.
    GameTooLargeError
        More than :data:`MAX_LEVEL_VECTORS` level vectors.
    InvalidValueError
        A value that is not a finite real number or expression.

    Examples
    --------
    >>> g = MultiChoiceGame(["a", "b"], {"a": 2, "b": 1}, {(2, 1): 1}, default=0)
    >>> g[(2, 1)], g[(1, 1)], len(g.level_vectors())
    (1, 0, 6)
    >>> MultiChoiceGame(["a"], [2], {(3,): 1})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: level vector (3,) has level 3 for player 'a', whose levels are 0..2
    """

    __slots__ = ("_players", "_levels", "_index", "_vectors", "_position", "_table", "_hash")

    def __init__(self, players, levels, values, *, default=None):
        players, levels = _check_players_levels(players, levels)
        if not isinstance(values, Mapping):
            raise InvalidGameError(f"values must be a mapping from level vectors to values, got "
                                   f"{type(values).__name__}")
        self._setup(players, levels)
        table = [None] * len(self._vectors)
        for key, value in values.items():
            x = self.vector(key)
            k = self._position[x]
            if table[k] is not None:
                raise InvalidGameError(f"level vector {x!r} is given twice")
            table[k] = to_expr(value, what=f"value of level vector {x!r}")
        if table[0] is None:
            table[0] = sp.S.Zero
        if default is not None:
            fill = to_expr(default, what="default value")
            table = [fill if t is None else t for t in table]
        missing = [self._vectors[k] for k, t in enumerate(table) if t is None]
        if missing:
            shown = ", ".join(map(repr, missing[:4])) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
            raise InvalidGameError(f"values is missing {len(missing)} level vector(s): {shown}; give every level "
                                   f"vector, or pass default=0")
        self._finish(tuple(table))

    # ------------------------------------------------------------------ construction
    def _setup(self, players, levels):
        vectors = tuple(itertools.product(*(range(m + 1) for m in levels)))
        for name, value in (("_players", players), ("_levels", levels), ("_index", {p: k for k, p in enumerate(players)}),
                            ("_vectors", vectors), ("_position", {x: k for k, x in enumerate(vectors)}),
                            ("_hash", None)):
            object.__setattr__(self, name, value)

    def _finish(self, table):
        first = table[0]
        if first.is_zero is not True:
            raise InvalidGameError(f"v(0, ..., 0) must be 0, got {first}"
                                   + ("" if first.is_zero is False else ", which is not provably 0"))
        object.__setattr__(self, "_table", table)
        return self

    def __setattr__(self, name, value):
        raise AttributeError(f"a MultiChoiceGame is immutable; cannot set {name!r}")

    @classmethod
    def _raw(cls, players, levels, table):
        obj = cls.__new__(cls)
        obj._setup(tuple(players), tuple(levels))
        return obj._finish(tuple(table))

    @classmethod
    def from_table(cls, players, levels, table):
        """Build a game from its values listed in the order of :meth:`level_vectors` (lexicographic,
        the first player's level changing slowest), ``v(0)`` first.

        Examples
        --------
        >>> MultiChoiceGame.from_table(["a"], [2], [0, 1, 3])[(2,)]
        3
        >>> MultiChoiceGame.from_table(["a"], [2], [0, 1])
        Traceback (most recent call last):
        ...
        symgame.errors.InvalidGameError: a table for levels (2,) needs 3 values (one per level vector), got 2
        """
        players, levels = _check_players_levels(players, levels)
        if isinstance(table, (str, bytes, Mapping)) or not isinstance(table, Iterable):
            raise InvalidGameError(f"table must be a list of values, got {type(table).__name__}")
        table = list(table)
        size = prod(m + 1 for m in levels)
        if len(table) != size:
            raise InvalidGameError(f"a table for levels {levels!r} needs {size} values (one per level vector), "
                                   f"got {len(table)}")
        vectors = itertools.product(*(range(m + 1) for m in levels))
        exprs = [to_expr(v, what=f"value of level vector {x!r}") for x, v in zip(vectors, table)]
        return cls._raw(players, levels, exprs)

    @classmethod
    def from_function(cls, players, levels, payoff):
        """Build a game by calling ``payoff(x)`` on every level vector ``x`` (a tuple in player order).

        ``payoff((0, ..., 0))`` is called too and must return 0.

        Examples
        --------
        >>> g = MultiChoiceGame.from_function(["a", "b"], [2, 2], lambda x: x[0] * x[1])
        >>> g[(2, 1)], g[(2, 2)]
        (2, 4)
        """
        players, levels = _check_players_levels(players, levels)
        vectors = itertools.product(*(range(m + 1) for m in levels))
        return cls._raw(players, levels, [to_expr(payoff(x), what=f"payoff of level vector {x!r}") for x in vectors])

    @classmethod
    def from_game(cls, game):
        """The multi-choice game with every ``m_i = 1`` of a TU :class:`~symgame.game.Game`:
        ``v(x) = game[{i : x_i = 1}]``.

        Examples
        --------
        >>> tu = Game.from_dict(["a", "b"], {("a",): 1, ("b",): 2, ("a", "b"): 4})
        >>> MultiChoiceGame.from_game(tu)[(1, 1)], MultiChoiceGame.from_game(tu).to_game() == tu
        (4, True)
        """
        if not isinstance(game, Game):
            raise InvalidGameError(f"from_game expects a symgame.Game, got {type(game).__name__}")
        players = game.players
        levels = (1,) * len(players)
        vectors = itertools.product(*(range(2) for _ in players))
        table = [game[frozenset(p for p, l in zip(players, x) if l)] for x in vectors]
        return cls._raw(players, levels, table)

    @classmethod
    def generic(cls, players, levels, *, name="v"):
        """The fully generic game: one real symbol per non-zero level vector.

        ``players`` may be an int ``n`` (players ``1..n``); ``levels`` an int (the same ``m`` for all).
        The symbol of ``x`` is ``v_{p:l,...}`` listing the players at a level ``l >= 1``.

        Examples
        --------
        >>> g = MultiChoiceGame.generic(2, 2)
        >>> g[(2, 1)], len(g.free_symbols)
        (v_{1:2,2:1}, 8)
        """
        if isinstance(players, int) and not isinstance(players, bool):
            if players < 0:
                raise InvalidGameError(f"number of players must be non-negative, got {players}")
            players = range(1, players + 1)
        players = tuple(players) if isinstance(players, Iterable) and not isinstance(players, (str, bytes)) \
            else players
        if isinstance(levels, int) and not isinstance(levels, bool) and isinstance(players, tuple):
            levels = (levels,) * len(players)
        players, levels = _check_players_levels(players, levels)
        table = [sp.S.Zero]
        for x in list(itertools.product(*(range(m + 1) for m in levels)))[1:]:
            label = ",".join(f"{p}:{l}" for p, l in zip(players, x) if l)
            table.append(sp.Symbol(f"{name}_{{{label}}}", real=True))
        return cls._raw(players, levels, table)

    # ------------------------------------------------------------------ access
    @property
    def players(self):
        """The players, in level-vector order."""
        return self._players

    @property
    def levels(self):
        """``(m_1, ..., m_n)``: the top level of each player."""
        return self._levels

    @property
    def n(self):
        """The number of players."""
        return len(self._players)

    @property
    def top(self):
        """The level vector ``(m_1, ..., m_n)`` of every player fully present."""
        return self._levels

    def level_count(self, player):
        """``m_i`` of ``player``."""
        return self._levels[self._player_index(player)]

    def _player_index(self, player):
        try:
            return self._index[player]
        except (KeyError, TypeError):
            raise UnknownPlayerError(f"{player!r} is not a player of this game (players: {self._players!r})") \
                from None

    def vector(self, key):
        """The level vector (a tuple in player order) of ``key``: a tuple/list of levels or a mapping
        player -> level (players left out at level 0).

        Examples
        --------
        >>> g = MultiChoiceGame.generic(["a", "b"], [2, 1])
        >>> g.vector({"b": 1}), g.vector([2, 0])
        ((0, 1), (2, 0))
        >>> g.vector({"c": 1})
        Traceback (most recent call last):
        ...
        symgame.errors.UnknownPlayerError: level vector {'c': 1} names 'c', which is not a player of this game (players: ('a', 'b'))
        """
        if isinstance(key, Mapping):
            x = [0] * self.n
            for p, level in key.items():
                try:
                    k = self._index[p]
                except (KeyError, TypeError):
                    raise UnknownPlayerError(f"level vector {dict(key)!r} names {p!r}, which is not a player of "
                                             f"this game (players: {self._players!r})") from None
                x[k] = level
        elif isinstance(key, (tuple, list)):
            x = list(key)
            if len(x) != self.n:
                raise InvalidGameError(f"level vector {tuple(key)!r} has {len(x)} entries; this game has {self.n} "
                                       f"players {self._players!r}")
        else:
            raise InvalidGameError(f"a level vector is a tuple of levels or a mapping player -> level, got {key!r}")
        for p, level, m in zip(self._players, x, self._levels):
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= m:
                raise InvalidGameError(f"level vector {tuple(x)!r} has level {level!r} for player {p!r}, whose "
                                       f"levels are 0..{m}")
        return tuple(int(level) for level in x)

    def __getitem__(self, key):
        return self._table[self._position[self.vector(key)]]

    def value(self, key):
        """``v(x)`` (same as ``game[x]``)."""
        return self[key]

    def level_vectors(self):
        """Every level vector, lexicographically (the first player's level changing slowest)."""
        return self._vectors

    def exprs(self):
        """The values in the order of :meth:`level_vectors`."""
        return self._table

    def items(self):
        """``(level vector, value)`` pairs in the order of :meth:`level_vectors`."""
        return zip(self._vectors, self._table)

    def to_dict(self):
        """``{level vector: value}`` for every level vector."""
        return dict(self.items())

    def __len__(self):
        return len(self._vectors)

    @property
    def is_symbolic(self):
        """Whether some value is not a rational number."""
        return any(not v.is_Rational for v in self._table)

    @property
    def free_symbols(self):
        """The SymPy symbols the values contain."""
        return set().union(*(v.free_symbols for v in self._table))

    def to_game(self):
        """The TU game of a game whose every ``m_i = 1`` (the inverse of :meth:`from_game`).

        Examples
        --------
        >>> MultiChoiceGame.generic(["a", "b"], [2, 1]).to_game()
        Traceback (most recent call last):
        ...
        symgame.errors.InvalidGameError: to_game needs every m_i = 1, got levels (2, 1)
        """
        if any(m != 1 for m in self._levels):
            raise InvalidGameError(f"to_game needs every m_i = 1, got levels {self._levels!r}")
        return Game.from_dict(self._players, {frozenset(p for p, l in zip(self._players, x) if l): v
                                              for x, v in self.items()})

    # ------------------------------------------------------------------ algebra
    def _aligned(self, other, op):
        if not isinstance(other, MultiChoiceGame):
            raise InvalidGameError(f"cannot {op} a MultiChoiceGame and {type(other).__name__}")
        if other._players != self._players or other._levels != self._levels:
            raise InvalidGameError(f"cannot {op} games on different players/levels: {self._players!r} "
                                   f"{self._levels!r} and {other._players!r} {other._levels!r}")
        return other._table

    def __add__(self, other):
        table = self._aligned(other, "add")
        return MultiChoiceGame._raw(self._players, self._levels, [a + b for a, b in zip(self._table, table)])

    def __sub__(self, other):
        table = self._aligned(other, "subtract")
        return MultiChoiceGame._raw(self._players, self._levels, [a - b for a, b in zip(self._table, table)])

    def __neg__(self):
        return MultiChoiceGame._raw(self._players, self._levels, [-a for a in self._table])

    def __mul__(self, scalar):
        c = to_expr(scalar, what="scalar")
        return MultiChoiceGame._raw(self._players, self._levels, [c * a for a in self._table])

    __rmul__ = __mul__

    def subs(self, *args, **kwargs):
        """Substitute into every value (``sympy`` ``subs``) and return the new game."""
        return self.map_values(lambda v: v.subs(*args, **kwargs))

    def map_values(self, func):
        """Apply ``func`` to every value and return the new game (``v(0)`` must stay 0)."""
        return MultiChoiceGame._raw(self._players, self._levels,
                                    [to_expr(func(v), what="mapped value") for v in self._table])

    def swap(self, i, j):
        """The game with players ``i`` and ``j`` exchanging their levels (``m_i = m_j`` needed):
        ``w(x) = v(x with x_i and x_j swapped)``.

        Examples
        --------
        >>> g = MultiChoiceGame.generic(["a", "b"], [1, 1])
        >>> g.swap("a", "b")[(1, 0)]
        v_{b:1}
        """
        a, b = self._player_index(i), self._player_index(j)
        if self._levels[a] != self._levels[b]:
            raise InvalidGameError(f"players {i!r} and {j!r} have different numbers of levels "
                                   f"({self._levels[a]} and {self._levels[b]}); they cannot be swapped")

        def swapped(x):
            y = list(x)
            y[a], y[b] = y[b], y[a]
            return tuple(y)

        return MultiChoiceGame._raw(self._players, self._levels,
                                    [self._table[self._position[swapped(x)]] for x in self._vectors])

    # ------------------------------------------------------------------ identity
    def __eq__(self, other):
        if not isinstance(other, MultiChoiceGame):
            return NotImplemented
        if self._players != other._players or self._levels != other._levels:
            return False
        return all(a == b for a, b in zip(self._table, other._table))

    def __hash__(self):
        if self._hash is None:
            object.__setattr__(self, "_hash", hash((self._players, self._levels, self._table)))
        return self._hash

    def __repr__(self):
        shown = ", ".join(f"{x}: {v}" for x, v in list(self.items())[1:7])
        more = ", ..." if len(self._vectors) > 7 else ""
        return f"MultiChoiceGame(players={self._players!r}, levels={self._levels!r}, values={{{shown}{more}}})"

    def table(self):
        """A plain-text table of every level vector and its value.

        Examples
        --------
        >>> print(MultiChoiceGame.from_table(["a", "b"], [2, 1], [0, 1, 1, 3, 2, 5]).table())
        a  b  value
        0  0  0
        0  1  1
        1  0  1
        1  1  3
        2  0  2
        2  1  5
        """
        head = [str(p) for p in self._players]
        widths = [max(len(h), 2) for h in head]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  value"]
        for x, v in self.items():
            lines.append("  ".join(str(l).ljust(w) for l, w in zip(x, widths)) + f"  {v}")
        return "\n".join(line.rstrip() for line in lines)

    # ------------------------------------------------------------------ JSON
    def to_json(self):
        """The game as a JSON-ready dict in the format ``symgame-multichoice`` version 1 (docs/formats.md).

        Examples
        --------
        >>> d = MultiChoiceGame.from_table(["a"], [2], [0, "1/3", 1]).to_json()
        >>> d["format"], d["levels"], d["values"][0]
        ('symgame-multichoice', [2], {'levels': [1], 'value': '1/3'})
        """
        for p in self._players:
            if not isinstance(p, (str, int)) or isinstance(p, bool):
                raise GameFormatError(f"player {p!r} cannot be written to JSON; players must be str or int")
        symbols = {}
        for s in sorted(self.free_symbols, key=str):
            if str(s) in symbols:
                raise GameFormatError(f"two different symbols are both named {str(s)!r}; rename one")
            symbols[str(s)] = dict(getattr(s, "_assumptions_orig", {}) or {})
        values = [{"levels": list(x), "value": exact_str(v)} for x, v in list(self.items())[1:]]
        return {"format": FORMAT, "version": VERSION, "players": list(self._players), "levels": list(self._levels),
                "symbols": symbols, "values": values}

    @classmethod
    def from_json(cls, document):
        """Read a game from a JSON document (a dict or JSON text) in the format ``symgame-multichoice``::

            {"format": "symgame-multichoice", "version": 1,
             "players": ["a", "b"], "levels": [2, 1],
             "symbols": {"x": {"positive": true}},               # optional
             "values": [{"levels": [1, 0], "value": "x"}, ...]}    # every non-zero level vector once

        Examples
        --------
        >>> g = MultiChoiceGame.from_json('{"format": "symgame-multichoice", "version": 1, "players": ["a"],'
        ...                               ' "levels": [1], "values": [{"levels": [1], "value": "2/3"}]}')
        >>> g[(1,)]
        2/3
        >>> MultiChoiceGame.from_json('{"format": "symgame-game", "players": ["a"], "levels": [1], "values": []}')
        Traceback (most recent call last):
        ...
        symgame.errors.GameFormatError: multi-choice game JSON has format 'symgame-game'; expected 'symgame-multichoice'
        """
        if isinstance(document, (str, bytes)):
            document = loads_json(document, what="multi-choice game file", error=GameFormatError)
        if not isinstance(document, Mapping):
            raise GameFormatError(f"multi-choice game JSON must be an object, got {type(document).__name__}")
        for key in ("players", "levels", "values"):
            if key not in document:
                raise GameFormatError(f"multi-choice game JSON lacks the key {key!r}; see docs/formats.md")
        if document.get("format", FORMAT) != FORMAT:
            raise GameFormatError(f"multi-choice game JSON has format {document.get('format')!r}; expected {FORMAT!r}")
        if document.get("version", VERSION) != VERSION:
            raise GameFormatError(f"multi-choice game JSON has version {document.get('version')!r}; this symgame "
                                  f"reads version {VERSION} (docs/formats.md)")
        players = document["players"]
        if not isinstance(players, list) or any(isinstance(p, bool) or not isinstance(p, (str, int)) for p in players):
            raise GameFormatError(f"'players' must be a list of labels (strings or integers), got {players!r}")
        levels = document["levels"]
        if not isinstance(levels, list):
            raise GameFormatError(f"'levels' must be a list of integers m_i >= 1, got {levels!r}")
        symbols = document.get("symbols") or {}
        if not isinstance(symbols, Mapping):
            raise GameFormatError(f"'symbols' must map symbol names to assumptions, got {type(symbols).__name__}")
        local, aliases = {}, {}
        for k, (name, assumptions) in enumerate(symbols.items()):
            if not isinstance(name, str) or not name or not isinstance(assumptions, Mapping) \
                    or not all(isinstance(a, bool) for a in assumptions.values()):
                raise GameFormatError(f"bad assumptions for symbol {name!r}: {assumptions!r}; expected e.g. "
                                      f"{{\"positive\": true}}")
            try:
                symbol = sp.Symbol(name, **assumptions)
            except (TypeError, ValueError):
                raise GameFormatError(f"bad assumptions for symbol {name!r}: {assumptions!r}") from None
            if name.isidentifier() and not keyword.iskeyword(name):
                local[name] = symbol
            else:  # e.g. "v_{a:1,b:2}": parsed through a placeholder identifier
                aliases[name] = f"_symgame_symbol_{k}"
                local[aliases[name]] = symbol
        rename = _replacer(aliases)
        entries = document["values"]
        if not isinstance(entries, list):
            raise GameFormatError(f"'values' must be a list of {{levels, value}} entries, got {type(entries).__name__}")
        values = {}
        for entry in entries:
            if not isinstance(entry, Mapping) or "levels" not in entry or "value" not in entry:
                raise GameFormatError(f"each entry of 'values' needs 'levels' and 'value', got {entry!r}")
            x = entry["levels"]
            if not isinstance(x, list) or any(isinstance(l, bool) or not isinstance(l, int) for l in x):
                raise GameFormatError(f"'levels' of an entry must be a list of integers, got {x!r}")
            raw = entry["value"]
            if isinstance(raw, str):
                check_value_text(raw, text=rename(raw), names=local, error=GameFormatError,
                                 where="a multi-choice game file")
                try:
                    value = sp.sympify(rename(raw), locals=local, rational=True)
                except (sp.SympifyError, SyntaxError, TypeError):
                    raise GameFormatError(f"value {raw!r} cannot be parsed") from None
            elif isinstance(raw, (int, float, Fraction)) and not isinstance(raw, bool):
                value = raw
            else:
                raise GameFormatError(f"value {raw!r} must be a string (e.g. \"27/500\", \"6*x\") or a JSON number, "
                                      f"got {type(raw).__name__}")
            if tuple(x) in values:
                raise GameFormatError(f"level vector {x!r} appears twice")
            values[tuple(x)] = value
        try:
            return cls(players, levels, values)
        except (InvalidGameError, GameTooLargeError) as exc:
            raise GameFormatError(f"multi-choice game JSON: {exc}") from None

    def save(self, path):
        """Write the game to ``path`` as JSON (see :meth:`from_json`), atomically (temp file + ``os.replace``)."""
        write_text_atomic(path, json.dumps(self.to_json(), indent=1) + "\n")

    @classmethod
    def load(cls, path):
        """Read a game written by :meth:`save`; an unreadable file is a :class:`~symgame.errors.GameFormatError`.

        Examples
        --------
        >>> MultiChoiceGame.load("no/such/file.json")
        Traceback (most recent call last):
        ...
        symgame.errors.GameFormatError: cannot read multi-choice game file 'no/such/file.json': No such file or directory
        """
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise GameFormatError(f"cannot read multi-choice game file {str(path)!r}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise GameFormatError(f"multi-choice game file {str(path)!r} is not UTF-8 text") from None
        return cls.from_json(loads_json(text, what=f"multi-choice game file {str(path)!r}", error=GameFormatError))


def _replacer(aliases):
    """A function replacing whole occurrences of the symbol names in ``aliases`` by their aliases."""
    if not aliases:
        return lambda text: text
    names = sorted(aliases, key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_])")
    return lambda text: pattern.sub(lambda m: aliases[m.group(0)], text)
