"""Public Hypothesis strategies: games and attention tensors with exact values.

Every strategy is a plural noun, takes keyword-only bounds, and validates its
arguments when it is *built* (not when it draws), raising
:class:`~symgame.errors.InvalidStrategyError`.  Drawn games are
:class:`~symgame.game.Game` objects whose players are ``0, 1, ..., n-1`` (bit
``k`` of a bitmask <=> player ``k``) and whose values are exact: SymPy
integers, ``Rational``\\ s or linear combinations of symbols.

Shrinking goes to small games first (the number of players is drawn first
and shrinks to ``min_players``), then to small values (values shrink towards
0, or towards the bound nearest 0; symbolic coefficients towards 0).

Strategies
----------
:func:`games`
    Arbitrary games (integer, rational or symbolic values).
:func:`monotone_games`
    Monotone games, every monotone game with values in range reachable.
:func:`nonnegative_dividend_games`
    Games with non-negative Harsanyi dividends (hence monotone and convex).
:func:`additive_games`
    Additive games ``v(S) = sum_{i in S} w_i``.
:func:`symbolic_games`
    Values are linear combinations of a few symbols with integer coefficients.
:func:`attention_tensors`
    Row-stochastic attention tensors with exact rational (or exact dyadic float) entries.

Examples
--------
>>> from hypothesis import find, settings
>>> from symgame.properties import is_superadditive
>>> quick = settings(database=None, max_examples=200)
>>> g = find(games(min_players=2, max_players=3), lambda g: is_superadditive(g) is False, settings=quick)
>>> g.n, g[{0, 1}] < g[{0}] + g[{1}]
(2, True)
>>> games(max_players=20)
Traceback (most recent call last):
...
symgame.errors.InvalidStrategyError: max_players must be at most 8 (a dense game table has 2^n values), got 20
"""

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from .errors import InvalidStrategyError
from .exact import to_expr, to_fraction
from .game import Game
from .values import from_dividends

__all__ = [
    "games",
    "monotone_games",
    "nonnegative_dividend_games",
    "additive_games",
    "symbolic_games",
    "attention_tensors",
    "MAX_STRATEGY_PLAYERS",
    "MAX_ATTENTION_LAYERS",
    "MAX_ATTENTION_TOKENS",
    "MAX_ATTENTION_HEADS",
]

#: Largest number of players a game strategy draws (a dense table has 2^n values).
MAX_STRATEGY_PLAYERS = 8
#: Largest number of layers :func:`attention_tensors` draws.
MAX_ATTENTION_LAYERS = 6
#: Largest number of tokens :func:`attention_tensors` draws.
MAX_ATTENTION_TOKENS = 8
#: Largest number of heads :func:`attention_tensors` draws.
MAX_ATTENTION_HEADS = 4

_VALUE_KINDS = ("integers", "rationals", "symbolic")
_DYADIC = 1 << 16  # denominator of the exact float attention entries


# ---------------------------------------------------------------------- validation
def _check_int(name, value, *, minimum=None, maximum=None, why=""):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidStrategyError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise InvalidStrategyError(f"{name} must be at least {minimum}{why}, got {value}")
    if maximum is not None and value > maximum:
        raise InvalidStrategyError(f"{name} must be at most {maximum}{why}, got {value}")
    return value


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidStrategyError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_range(lo_name, lo, hi_name, hi):
    if lo > hi:
        raise InvalidStrategyError(f"{lo_name}={lo} must not exceed {hi_name}={hi}")


def _check_players(min_players, max_players):
    lo = _check_int("min_players", min_players, minimum=0)
    hi = _check_int("max_players", max_players, minimum=0, maximum=MAX_STRATEGY_PLAYERS,
                    why=" (a dense game table has 2^n values)")
    _check_range("min_players", lo, "max_players", hi)
    return lo, hi


def _check_kind(values, allowed=_VALUE_KINDS):
    if not isinstance(values, str) or values not in allowed:
        raise InvalidStrategyError(f"values must be one of {', '.join(map(repr, allowed))}, got {values!r}")
    return values


def _check_bound(name, value, kind):
    """A value bound: an integer for integer/symbolic values, an exact rational for rationals."""
    if kind in ("integers", "symbolic"):
        return _check_int(name, value, why="")
    if isinstance(value, (bool, np.bool_)):
        raise InvalidStrategyError(f"{name} must be an exact rational number, got {value!r}")
    if isinstance(value, (int, np.integer, Fraction)):
        return Fraction(value)
    if isinstance(value, sp.Rational):
        return to_fraction(value)
    raise InvalidStrategyError(
        f"{name} must be an exact rational number (int, Fraction or sympy.Rational), got {value!r}"
    )


def _check_nonnegative_bound(max_value, kind, why):
    if _check_bound("max_value", max_value, kind) < 0:
        raise InvalidStrategyError(f"max_value must be at least 0 ({why}), got {max_value}")


def _check_symbols(symbols, assumptions):
    if isinstance(symbols, (str, sp.Symbol)) or not isinstance(symbols, (list, tuple)):
        raise InvalidStrategyError(f"symbols must be a list or tuple of names or sympy Symbols, got {symbols!r}")
    if not symbols:
        raise InvalidStrategyError("symbols must name at least one symbol, got an empty sequence")
    if assumptions is None:
        assumptions = {"real": True}
    if not isinstance(assumptions, dict):
        raise InvalidStrategyError(f"assumptions must be a dict such as {{'positive': True}}, got {assumptions!r}")
    out = []
    for s in symbols:
        if isinstance(s, sp.Symbol):
            out.append(s)
        elif isinstance(s, str) and s:
            try:
                out.append(sp.Symbol(s, **assumptions))
            except (TypeError, ValueError) as exc:
                raise InvalidStrategyError(f"bad assumptions {assumptions!r} for symbol {s!r}: {exc}") from None
        else:
            raise InvalidStrategyError(f"each symbol must be a non-empty name or a sympy Symbol, got {s!r}")
        if out[-1].is_real is False:
            raise InvalidStrategyError(f"symbol {out[-1]!r} is not real; TU-game values are real")
    if len(set(out)) != len(out):
        raise InvalidStrategyError(f"symbols must be distinct, got {symbols!r}")
    return tuple(out)


# ---------------------------------------------------------------------- value elements
def _linear_combinations(symbols, lo, hi, constant=True):
    """Integer combinations ``c_0 + sum_k c_k s_k``; shrink to 0."""
    atoms = ((sp.S.One,) if constant else ()) + tuple(symbols)
    coefficient = st.integers(lo, hi)
    return st.tuples(*[coefficient] * len(atoms)).map(
        lambda cs: sp.Add(*[sp.Integer(c) * a for c, a in zip(cs, atoms)])
    )


@st.composite
def _rationals(draw, lo, hi, max_denominator):
    """Exact rationals ``p/q`` in ``[lo, hi]`` with ``q <= max_denominator``; shrink to ``q = 1``, ``p`` to 0."""
    q = draw(st.integers(1, max_denominator))
    p_lo, p_hi = math.ceil(lo * q), math.floor(hi * q)
    if p_lo > p_hi:  # no multiple of 1/q in range (possible only for fractional bounds)
        return sp.Rational(lo.numerator, lo.denominator)
    return sp.Rational(draw(st.integers(p_lo, p_hi)), q)


def _elements(kind, lo, hi, max_denominator, symbols):
    if kind == "integers":
        return st.integers(lo, hi).map(sp.Integer)
    if kind == "rationals":
        return _rationals(Fraction(lo), Fraction(hi), max_denominator)
    return _linear_combinations(symbols, lo, hi)


@st.composite
def _dense_games(draw, min_players, max_players, element):
    n = draw(st.integers(min_players, max_players))
    size = (1 << n) - 1
    values = draw(st.lists(element, min_size=size, max_size=size))
    return Game.from_vector([sp.S.Zero, *values])


def _check_value_args(values, min_value, max_value, max_denominator, symbols, assumptions, allowed=_VALUE_KINDS):
    kind = _check_kind(values, allowed)
    lo = _check_bound("min_value", min_value, kind)
    hi = _check_bound("max_value", max_value, kind)
    _check_range("min_value", lo, "max_value", hi)
    md = _check_int("max_denominator", max_denominator, minimum=1)
    syms = _check_symbols(symbols, assumptions) if kind == "symbolic" else ()
    return kind, lo, hi, md, syms


# ---------------------------------------------------------------------- games
def games(*, min_players=1, max_players=4, values="integers", min_value=-10, max_value=10,
          max_denominator=10, symbols=("x", "y"), assumptions=None):
    """Strategy for arbitrary TU games with exact values.

    Parameters
    ----------
    min_players, max_players : int
        Bounds on the number of players ``n`` (players are ``0..n-1``);
        ``max_players`` is at most :data:`MAX_STRATEGY_PLAYERS`.
    values : {"integers", "rationals", "symbolic"}
        Integers in ``[min_value, max_value]``; fractions in that range with
        denominators up to ``max_denominator``; or linear combinations
        ``c_0 + sum_k c_k s_k`` of ``symbols`` with integer coefficients in
        ``[min_value, max_value]``.
    min_value, max_value : int or Fraction
        Value bounds (integers except for ``values="rationals"``).
    max_denominator : int
        Largest denominator of rational values.
    symbols : sequence of str or sympy.Symbol
        Symbols of symbolic values (names get ``assumptions``, default real).
    assumptions : dict, optional
        SymPy assumptions for symbols given by name; default ``{"real": True}``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Game]

    Raises
    ------
    InvalidStrategyError
        At build time, for a bad argument.

    Examples
    --------
    >>> from hypothesis import find, settings
    >>> find(games(values="rationals"), lambda g: g.n >= 2, settings=settings(database=None)).n
    2
    >>> games(values="reals")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidStrategyError: values must be one of 'integers', 'rationals', 'symbolic', got 'reals'
    """
    lo_n, hi_n = _check_players(min_players, max_players)
    kind, lo, hi, md, syms = _check_value_args(values, min_value, max_value, max_denominator, symbols, assumptions)
    return _dense_games(lo_n, hi_n, _elements(kind, lo, hi, md, syms))


@st.composite
def _monotone(draw, min_players, max_players, element, cap):
    n = draw(st.integers(min_players, max_players))
    size = (1 << n) - 1
    increments = draw(st.lists(element, min_size=size, max_size=size))
    table = [sp.S.Zero] * (1 << n)
    for mask in range(1, 1 << n):
        below = max(table[mask & ~(1 << k)] for k in range(n) if mask >> k & 1)
        table[mask] = sp.Min(cap, below + increments[mask - 1])
    return Game.from_vector(table)


def monotone_games(*, min_players=1, max_players=4, values="integers", max_value=10, max_denominator=10):
    """Strategy for monotone games (``S ⊆ T`` implies ``v(S) <= v(T)``) with values in ``[0, max_value]``.

    Each coalition gets a non-negative increment ``m(S)`` over its best
    one-smaller subcoalition: ``v(S) = min(max_value, max_{i in S} v(S \\ i) + m(S))``.
    Every monotone game with values in ``[0, max_value]`` is reachable, and
    shrinking goes to the zero game.

    Parameters
    ----------
    min_players, max_players : int
    values : {"integers", "rationals"}
    max_value : int or Fraction
        Non-negative upper bound of the values.
    max_denominator : int

    Examples
    --------
    >>> from hypothesis import find, settings
    >>> from symgame.properties import is_convex
    >>> g = find(monotone_games(), lambda g: is_convex(g) is False, settings=settings(database=None))
    >>> g.n
    2
    >>> monotone_games(max_value=-1)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidStrategyError: max_value must be at least 0 (monotone games have v(S) >= v(∅) = 0), got -1
    """
    lo_n, hi_n = _check_players(min_players, max_players)
    kind = _check_kind(values, ("integers", "rationals"))
    _check_nonnegative_bound(max_value, kind, "monotone games have v(S) >= v(∅) = 0")
    kind, lo, hi, md, _ = _check_value_args(values, 0, max_value, max_denominator, (), None,
                                            allowed=("integers", "rationals"))
    return _monotone(lo_n, hi_n, _elements(kind, lo, hi, md, ()), to_expr(hi))


@st.composite
def _from_dividends(draw, min_players, max_players, element):
    n = draw(st.integers(min_players, max_players))
    size = (1 << n) - 1
    dividends = draw(st.lists(element, min_size=size, max_size=size))
    players = tuple(range(n))
    by_coalition = {}
    for mask in range(1, 1 << n):
        members = tuple(k for k in range(n) if mask >> k & 1)
        d = dividends[mask - 1]
        if callable(d):  # symbolic: a coefficient waiting for its coalition's symbol
            d = d(members)
        by_coalition[members] = d
    return from_dividends(players, by_coalition)


def _symbolic_dividend(c):
    def build(members):
        if not c:
            return sp.S.Zero
        label = ",".join(map(str, members))
        return sp.Integer(c) * sp.Symbol(f"d_{{{label}}}", nonnegative=True)

    return build


def nonnegative_dividend_games(*, min_players=1, max_players=4, values="integers", max_value=10, max_denominator=10):
    """Strategy for games whose Harsanyi dividends are all non-negative (built with :func:`~symgame.values.from_dividends`).

    Such games are monotone and convex (the positive cone of unanimity games).

    Parameters
    ----------
    min_players, max_players : int
    values : {"integers", "rationals", "symbolic"}
        Dividends in ``[0, max_value]``; with ``"symbolic"`` each dividend is
        ``c * d_{T}`` for a symbol ``d_{T}`` with ``nonnegative=True`` and an
        integer ``0 <= c <= max_value``.
    max_value : int or Fraction
    max_denominator : int

    Examples
    --------
    >>> from hypothesis import find, settings
    >>> from symgame.properties import is_convex
    >>> g = find(nonnegative_dividend_games(values="symbolic"), lambda g: g.is_symbolic,
    ...          settings=settings(database=None))
    >>> g.n, is_convex(g)
    (1, True)
    >>> nonnegative_dividend_games(max_value="10")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidStrategyError: max_value must be an integer, got '10'
    """
    lo_n, hi_n = _check_players(min_players, max_players)
    _check_nonnegative_bound(max_value, _check_kind(values), "the dividends are drawn from [0, max_value]")
    kind, lo, hi, md, _ = _check_value_args(values, 0, max_value, max_denominator, ("d",), None)
    if kind == "symbolic":
        element = st.integers(lo, hi).map(_symbolic_dividend)
    else:
        element = _elements(kind, lo, hi, md, ())
    return _from_dividends(lo_n, hi_n, element)


@st.composite
def _additive(draw, min_players, max_players, element):
    n = draw(st.integers(min_players, max_players))
    weights = draw(st.lists(element, min_size=n, max_size=n))
    return Game.additive(dict(enumerate(weights))) if n else Game([], {})


def additive_games(*, min_players=1, max_players=4, values="integers", min_value=-10, max_value=10,
                   max_denominator=10, symbols=("x", "y"), assumptions=None):
    """Strategy for additive games ``v(S) = sum_{i in S} w_i`` (arguments as :func:`games`, for the weights).

    Examples
    --------
    >>> from hypothesis import find, settings
    >>> from symgame.properties import is_additive
    >>> g = find(additive_games(values="symbolic"), lambda g: g.is_symbolic, settings=settings(database=None))
    >>> g.n, is_additive(g)
    (1, True)
    >>> additive_games(min_players=3, max_players=2)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidStrategyError: min_players=3 must not exceed max_players=2
    """
    lo_n, hi_n = _check_players(min_players, max_players)
    kind, lo, hi, md, syms = _check_value_args(values, min_value, max_value, max_denominator, symbols, assumptions)
    return _additive(lo_n, hi_n, _elements(kind, lo, hi, md, syms))


def symbolic_games(*, min_players=1, max_players=3, symbols=("x", "y"), assumptions=None,
                   min_coefficient=-3, max_coefficient=3, constant=True):
    """Strategy for games whose values are linear combinations of a few symbols.

    ``v(S) = c_0(S) + sum_k c_k(S) s_k`` with integer coefficients in
    ``[min_coefficient, max_coefficient]`` (``c_0`` only when ``constant``).

    Parameters
    ----------
    min_players, max_players : int
    symbols : sequence of str or sympy.Symbol
        Names get ``assumptions`` (default ``{"real": True}``).
    assumptions : dict, optional
    min_coefficient, max_coefficient : int
    constant : bool
        Whether values get a constant term.

    Examples
    --------
    >>> from hypothesis import find, settings
    >>> g = find(symbolic_games(symbols=["t"], assumptions={"positive": True}), lambda g: g.is_symbolic,
    ...          settings=settings(database=None))
    >>> g.n, g.free_symbols
    (1, {t})
    >>> symbolic_games(symbols="xy")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidStrategyError: symbols must be a list or tuple of names or sympy Symbols, got 'xy'
    """
    lo_n, hi_n = _check_players(min_players, max_players)
    syms = _check_symbols(symbols, assumptions)
    lo = _check_int("min_coefficient", min_coefficient)
    hi = _check_int("max_coefficient", max_coefficient)
    _check_range("min_coefficient", lo, "max_coefficient", hi)
    constant = _check_bool("constant", constant)
    return _dense_games(lo_n, hi_n, _linear_combinations(syms, lo, hi, constant))


# ---------------------------------------------------------------------- attention
def _row(weights, i, exact):
    """Normalise non-negative integer weights to a stochastic row (all-zero -> attend to oneself)."""
    n = len(weights)
    total = sum(weights)
    if total == 0:
        weights, total = [1 if j == i else 0 for j in range(n)], 1
    if exact:
        return [sp.Rational(w, total) for w in weights]
    # dyadic floats: exactly representable, the row sums to exactly 1.0
    q = [w * _DYADIC // total for w in weights]
    q[max(range(n), key=lambda j: weights[j])] += _DYADIC - sum(q)
    return [x / _DYADIC for x in q]


@st.composite
def _attention(draw, min_layers, max_layers, min_tokens, max_tokens, heads, low, max_weight, exact):
    layers = draw(st.integers(min_layers, max_layers))
    n = draw(st.integers(min_tokens, max_tokens))
    shape = (layers, n, n) if heads is None else (layers, heads, n, n)
    rows = int(np.prod(shape[:-1]))
    weights = draw(st.lists(st.integers(low, max_weight), min_size=rows * n, max_size=rows * n))
    flat = [_row(weights[r * n:(r + 1) * n], r % n, exact) for r in range(rows)]
    out = np.empty(shape, dtype=object if exact else np.float64)
    out.reshape(rows, n)[...] = np.array(flat, dtype=object if exact else np.float64).reshape(rows, n)
    return out


def attention_tensors(*, min_layers=1, max_layers=3, min_tokens=2, max_tokens=4, heads=None, sparse=False,
                      exact=True, max_weight=9):
    """Strategy for row-stochastic attention tensors with exact entries.

    The format: a NumPy array of shape ``(L, n, n)``, or ``(L, H, n, n)``
    when ``heads=H`` is given.  ``A[l, i, j]`` (``A[l, h, i, j]``) is the
    attention that token ``i`` of layer ``l + 1`` pays to token ``j`` of
    layer ``l`` (STATEMENTS.md: row ``i`` of ``A^{l+1}``).  Every entry is
    non-negative and every row sums to exactly 1.

    * ``exact=True``: dtype ``object`` with ``sympy.Rational`` entries
      ``w_j / sum(w)`` for integer weights ``w_j <= max_weight``.
    * ``exact=False``: dtype ``float64`` with dyadic entries (multiples of
      ``2^-16``), so each float *is* the rational it shows, converts exactly
      with :func:`symgame.exact.to_expr`, and the row sum is exactly ``1.0``.

    Parameters
    ----------
    min_layers, max_layers : int
        ``1 <= L <= MAX_ATTENTION_LAYERS``.
    min_tokens, max_tokens : int
        ``1 <= n <= MAX_ATTENTION_TOKENS``.
    heads : int, optional
        A fixed number of heads ``H <= MAX_ATTENTION_HEADS``; ``None`` for no head axis.
    sparse : bool
        Allow zero weights (as with masking or pruning).  A row whose drawn
        weights are all zero attends to its own token with weight 1.
        Without ``sparse`` every entry is positive.
    exact : bool
        Rational object array (default) or exact dyadic float64 array.
    max_weight : int
        Largest integer weight before normalisation (1 <= max_weight <= 255).

    Notes
    -----
    Shrinks to one layer, ``min_tokens`` tokens and uniform rows (or, with
    ``sparse``, rows attending to their own token).

    Examples
    --------
    >>> from hypothesis import find, settings
    >>> A = find(attention_tensors(), lambda A: True, settings=settings(database=None))
    >>> A.shape, A[0, 0, 0]
    ((1, 2, 2), 1/2)
    >>> attention_tensors(heads=0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidStrategyError: heads must be at least 1, got 0
    """
    lo_l = _check_int("min_layers", min_layers, minimum=1)
    hi_l = _check_int("max_layers", max_layers, minimum=1, maximum=MAX_ATTENTION_LAYERS)
    _check_range("min_layers", lo_l, "max_layers", hi_l)
    lo_t = _check_int("min_tokens", min_tokens, minimum=1)
    hi_t = _check_int("max_tokens", max_tokens, minimum=1, maximum=MAX_ATTENTION_TOKENS)
    _check_range("min_tokens", lo_t, "max_tokens", hi_t)
    if heads is not None:
        heads = _check_int("heads", heads, minimum=1, maximum=MAX_ATTENTION_HEADS)
    sparse = _check_bool("sparse", sparse)
    exact = _check_bool("exact", exact)
    max_weight = _check_int("max_weight", max_weight, minimum=1, maximum=255)
    return _attention(lo_l, hi_l, lo_t, hi_t, heads, 0 if sparse else 1, max_weight, exact)
