"""Solution concepts of TU games as free functions returning exact data.

Every function takes a :class:`~symgame.game.Game` and returns a plain
``dict`` player -> SymPy expression (exact), except the functions whose name
ends in ``_float``, which are the named float64 paths for large numeric games.

Which exact path runs:

* a game whose values are all rational numbers goes through integer
  arithmetic on NumPy arrays (Möbius transform, O(n 2^n));
* a game with symbolic values goes through exact linear forms over the
  atoms of its values (:class:`~symgame.linear.LinearForm`), building SymPy
  expressions only at the end.

Examples
--------
>>> import sympy as sp
>>> from symgame.game import Game
>>> x = sp.Symbol("x", positive=True)
>>> cookies = Game.from_dict(["Alice", "Bob"],
...                          {("Alice",): 5*x, ("Bob",): 3*x, ("Alice", "Bob"): 10*x})
>>> shapley(cookies)
{'Alice': 6*x, 'Bob': 4*x}
>>> leave_one_out(cookies)
{'Alice': 7*x, 'Bob': 5*x}
"""

import math
from fractions import Fraction
from itertools import permutations
from math import factorial, lcm

import numpy as np
import sympy as sp

from .errors import FloatRangeError, GameTooLargeError, InvalidGameError
from .game import Game, MAX_SYMBOLIC_PLAYERS
from .guards import require_game
from .linear import LinearForm
from .transforms import mobius, per_size_member_sums, popcounts, zeta

__all__ = [
    "shapley_weight",
    "shapley",
    "shapley_forms",
    "shapley_permutations",
    "shapley_float",
    "banzhaf",
    "banzhaf_float",
    "leave_one_out",
    "dividends",
    "from_dividends",
    "owen",
    "linear_value",
    "MAX_PERMUTATION_PLAYERS",
]

#: Largest game for :func:`shapley_permutations` (it enumerates n! orders).
MAX_PERMUTATION_PLAYERS = 9




def _rational(num, den):
    return sp.Rational(int(num), int(den))


def _form_of(game, mask, cache):
    form = cache.get(mask)
    if form is None:
        form = cache[mask] = LinearForm.from_expr(game.value_at(mask))
    return form


# ---------------------------------------------------------------------- Shapley
def shapley(game):
    """Exact Shapley value ``phi_i = sum_{S ⊆ N \\ i} |S|!(n-|S|-1)!/n! (v(S ∪ i) - v(S))``.

    Parameters
    ----------
    game : Game

    Returns
    -------
    dict
        Player -> SymPy expression, in the game's player order.

    Notes
    -----
    Rational games use the dividend form ``phi_i = sum_{T ∋ i} d(T)/|T|``
    (Shapley 1953; Harsanyi 1963) in integer arithmetic: O(n 2^n).  Symbolic
    games use the subset formula on exact linear forms: O(n 2^n t) for ``t``
    atoms per value.  :func:`shapley_permutations` is an independent check.

    Examples
    --------
    >>> from symgame.game import Game
    >>> shapley(Game.glove(["L"], ["R1", "R2"]))
    {'L': 2/3, 'R1': 1/6, 'R2': 1/6}
    >>> shapley({"a": 1})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: shapley expects a symgame.Game, got dict
    """
    require_game(game, "shapley")
    table = game.rational_table()
    if table is not None:
        nums, den = table
        n = game.n
        if n == 0:
            return {}
        d = mobius(nums)
        big = lcm(*range(1, n + 1))
        out = {}
        if d.dtype == object:
            # Python integers: scale each dividend by big/|T| once, then one sum per player
            sizes = popcounts(n).astype(np.int64)
            sizes[0] = 1
            scaled = d * (big // sizes).astype(object)
            for i, p in enumerate(game.players):
                out[p] = _rational(scaled.reshape(-1, 2, 1 << i)[:, 1, :].sum(), big * den)
            return out
        sums = per_size_member_sums(d)  # int64: per-size sums cannot overflow (see Game.rational_table)
        for i, p in enumerate(game.players):
            total = sum(sums[i][k] * (big // k) for k in range(1, n + 1))
            out[p] = _rational(total, big * den)
        return out
    return {p: f.as_expr() for p, f in shapley_forms(game).items()}


def shapley_forms(game):
    """Shapley value as exact :class:`~symgame.linear.LinearForm` objects (no SymPy sums built).

    This is the fast symbolic path: the generic game on 16 players takes
    about a second.  Call ``.as_expr()`` on a form to get an expression.

    Examples
    --------
    >>> from symgame.game import Game
    >>> forms = shapley_forms(Game.generic(2))
    >>> forms[1].as_expr()
    v_{1,2}/2 + v_{1}/2 - v_{2}/2
    """
    require_game(game, "shapley_forms")
    n = game.n
    weights = [factorial(s) * factorial(n - 1 - s) for s in range(n)]  # times n!
    acc = [dict() for _ in range(n)]
    cache = {}
    for mask in range(1, 1 << n):
        form = _form_of(game, mask, cache)
        if form.is_zero:
            continue
        size = mask.bit_count()
        inside = weights[size - 1]
        outside = -weights[size] if size < n else 0
        for atom, c in form.items():
            c = c.numerator if c.denominator == 1 else c
            cin, cout = c * inside, c * outside
            for i in range(n):
                coeff = cin if mask >> i & 1 else cout
                if coeff:
                    bucket = acc[i]
                    bucket[atom] = bucket.get(atom, 0) + coeff
    scale = Fraction(1, factorial(n)) if n else Fraction(1)
    return {
        p: LinearForm._from_clean({a: Fraction(c) * scale for a, c in acc[i].items() if c})
        for i, p in enumerate(game.players)
    }


def shapley_permutations(game):
    """Shapley value as the average marginal contribution over all ``n!`` orders.

    An independent code path (no subset weights, no dividends) used to
    re-verify :func:`shapley`.  Cost O(n! n); limited to
    ``MAX_PERMUTATION_PLAYERS`` players.

    Examples
    --------
    >>> from symgame.game import Game
    >>> shapley_permutations(Game.glove(["L"], ["R1", "R2"]))
    {'L': 2/3, 'R1': 1/6, 'R2': 1/6}
    >>> shapley_permutations(Game.generic(10))
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: shapley_permutations enumerates 10! orders; the limit is 9 players. Use shapley(), which is O(n 2^n)
    """
    require_game(game, "shapley_permutations")
    n = game.n
    if n > MAX_PERMUTATION_PLAYERS:
        raise GameTooLargeError(
            f"shapley_permutations enumerates {n}! orders; the limit is {MAX_PERMUTATION_PLAYERS} players. "
            f"Use shapley(), which is O(n 2^n)"
        )
    table = game.rational_table()
    if table is not None:
        nums, den = table
        vals = [int(x) for x in nums.tolist()]
        totals = [0] * n
    else:
        vals = game.exprs()
        totals = [sp.S.Zero] * n
        counts = [dict() for _ in range(n)]  # (before, after) masks -> count, to keep sums small
    for order in permutations(range(n)):
        mask = 0
        for i in order:
            new = mask | 1 << i
            if table is not None:
                totals[i] += vals[new] - vals[mask]
            else:
                key = (new, mask)
                counts[i][key] = counts[i].get(key, 0) + 1
            mask = new
    nf = factorial(n)
    if table is not None:
        return {p: _rational(totals[i], nf * den) for i, p in enumerate(game.players)}
    out = {}
    for i, p in enumerate(game.players):
        expr = sp.Add(*[sp.Integer(c) * (vals[a] - vals[b]) for (a, b), c in counts[i].items()])
        out[p] = sp.expand(expr / nf)
    return out


def shapley_float(game):
    """Float64 Shapley value via the fast Möbius transform (the named float path).

    O(n 2^n) vectorised; about 0.1 s for 20 players.  Results are rounded
    floats: use :func:`shapley` when an exact answer is needed.

    Returns
    -------
    dict
        Player -> ``float``.

    Examples
    --------
    >>> import numpy as np
    >>> from symgame.game import Game
    >>> shapley_float(Game.from_vector(np.array([0.0, 5.0, 3.0, 10.0]), players=["A", "B"]))
    {'A': 6.0, 'B': 4.0}
    """
    require_game(game, "shapley_float")
    n = game.n
    table, shift = _scaled_float_table(game)
    d = mobius(table)
    pc = popcounts(n).astype(np.float64)
    pc[0] = 1.0
    w = d / pc
    return _finite_floats({p: float(w.reshape(-1, 2, 1 << i)[:, 1, :].sum()) for i, p in enumerate(game.players)},
                          shift, "shapley_float")


def _scaled_float_table(game):
    """The game's float table times ``2**-shift``, keeping the float paths' sums and differences (up to
    ``2^n`` times the largest value) inside float64; returns ``(table, shift)``.  Scaling by a power of
    two is exact, and tables below ``2**900`` are not scaled at all (``shift == 0``)."""
    table = game.float_table()
    top = float(np.max(np.abs(table))) if table.size else 0.0
    if top <= 2.0 ** 900:
        return table, 0
    shift = math.frexp(top)[1] + 1
    return np.ldexp(table, -shift), shift


def _finite_floats(values, shift, name):
    """Scale a float path's results back by ``2**shift``; a result outside float64 is an error, not ``inf``."""
    out = {}
    for p, x in values.items():
        try:
            y = math.ldexp(x, shift)
        except OverflowError:
            y = math.inf
        if not math.isfinite(y):
            raise FloatRangeError(
                f"{name}: the value of player {p!r} is outside the float64 range (|x| <= 1.8e308); "
                f"use the exact path ({name.replace('_float', '')}) instead")
        out[p] = y
    return out


# ---------------------------------------------------------------------- other values
def banzhaf(game):
    """Exact Banzhaf value ``beta_i = 2^{-(n-1)} sum_{S ⊆ N \\ i} (v(S ∪ i) - v(S))``.

    Examples
    --------
    >>> from symgame.game import Game
    >>> banzhaf(Game.majority(["a", "b", "c"]))
    {'a': 1/2, 'b': 1/2, 'c': 1/2}
    """
    require_game(game, "banzhaf")
    n = game.n
    if n == 0:
        return {}
    table = game.rational_table()
    if table is not None:
        nums, den = table
        out = {}
        for i, p in enumerate(game.players):
            view = nums.reshape(-1, 2, 1 << i)
            total = int(view[:, 1, :].sum()) - int(view[:, 0, :].sum())
            out[p] = _rational(total, den * 2 ** (n - 1))
        return out
    coeff = Fraction(1, 2 ** (n - 1))
    return linear_value(game, lambda i, mask: coeff if mask >> i & 1 else -coeff)


def banzhaf_float(game):
    """Float64 Banzhaf value (the named float path), O(n 2^n).

    Examples
    --------
    >>> import numpy as np
    >>> from symgame.game import Game
    >>> banzhaf_float(Game.from_vector(np.array([0.0, 1.0, 1.0, 1.0])))
    {0: 0.5, 1: 0.5}
    """
    require_game(game, "banzhaf_float")
    v, shift = _scaled_float_table(game)
    n = game.n
    scale = 2.0 ** (n - 1) if n else 1.0
    return _finite_floats({
        p: float((v.reshape(-1, 2, 1 << i)[:, 1, :] - v.reshape(-1, 2, 1 << i)[:, 0, :]).sum() / scale)
        for i, p in enumerate(game.players)
    }, shift, "banzhaf_float")


def leave_one_out(game):
    """Leave-one-out values ``LOO_i = v(N) - v(N \\ {i})``.

    Examples
    --------
    >>> from symgame.game import Game
    >>> leave_one_out(Game.glove(["L"], ["R1", "R2"]))
    {'L': 1, 'R1': 0, 'R2': 0}
    """
    require_game(game, "leave_one_out")
    full = (1 << game.n) - 1
    return {p: sp.expand(game.value_at(full) - game.value_at(full & ~(1 << i))) for i, p in enumerate(game.players)}


def dividends(game):
    """Harsanyi dividends ``d(T) = sum_{S ⊆ T} (-1)^{|T|-|S|} v(S)`` of every non-empty coalition.

    Returns
    -------
    dict
        ``frozenset`` -> SymPy expression, by bitmask order.

    Examples
    --------
    >>> from symgame.game import Game
    >>> d = dividends(Game.from_dict(["a", "b"], {("a",): 1, ("b",): 1, ("a", "b"): 3}))
    >>> d[frozenset(["a", "b"])]
    1
    """
    require_game(game, "dividends")
    n = game.n
    table = game.rational_table()
    if table is not None:
        nums, den = table
        d = mobius(nums).tolist()
        return {game.coalition(m): _rational(d[m], den) for m in range(1, 1 << n)}
    if n > MAX_SYMBOLIC_PLAYERS:  # pragma: no cover - Game cannot hold such a symbolic table
        raise GameTooLargeError(f"symbolic dividends are limited to {MAX_SYMBOLIC_PLAYERS} players")
    d = list(game.exprs())
    for i in range(n):
        bit = 1 << i
        for m in range(1 << n):
            if m & bit:
                d[m] = d[m] - d[m ^ bit]
    return {game.coalition(m): sp.expand(d[m]) for m in range(1, 1 << n)}


def from_dividends(players, dividends_by_coalition):
    """The game whose Harsanyi dividends are given: ``v(S) = sum_{T ⊆ S} d(T)``.

    Parameters
    ----------
    players : iterable
    dividends_by_coalition : Mapping
        Coalition -> dividend; missing coalitions have dividend 0.

    Examples
    --------
    >>> g = from_dividends(["a", "b"], {("a", "b"): 1})
    >>> g[{"a", "b"}], g[{"a"}]
    (1, 0)
    """
    from .exact import to_expr

    base = Game.from_dict(players, dict(dividends_by_coalition), default=0)
    table = base.rational_table()
    if table is not None:
        nums, den = table
        sums = zeta(nums).tolist()
        return Game._raw(base.players, tuple(_rational(x, den) for x in sums))
    v = list(base.exprs())
    n = base.n
    for i in range(n):
        bit = 1 << i
        for m in range(1 << n):
            if m & bit:
                v[m] = v[m] + v[m ^ bit]
    return Game._raw(base.players, tuple(to_expr(x) for x in v))


def linear_value(game, coefficient):
    """Evaluate a linear value ``psi_i(v) = sum_S c(i, S) v(S)`` exactly.

    Parameters
    ----------
    game : Game
    coefficient : callable ``(player_index, mask) -> Fraction``
        Coefficient of ``v(S)`` (``S`` given by bitmask) in player ``i``'s value.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from symgame.game import Game
    >>> full = 3
    >>> linear_value(Game.generic(2), lambda i, m: Fraction(1, 2) if m == full else 0)
    {1: v_{1,2}/2, 2: v_{1,2}/2}
    """
    require_game(game, "linear_value")
    n = game.n
    cache = {}
    out = {}
    for i, p in enumerate(game.players):
        acc = LinearForm()
        terms = {}
        for mask in range(1, 1 << n):
            c = Fraction(coefficient(i, mask))
            if c:
                for atom, a in _form_of(game, mask, cache).items():
                    terms[atom] = terms.get(atom, 0) + a * c
        acc = LinearForm._from_clean({a: c for a, c in terms.items() if c})
        out[p] = acc.as_expr()
    return out


def shapley_weight(size, n):
    """The Shapley weight ``s! (n - s - 1)! / n!`` of joining a coalition of ``size`` others among ``n`` players.

    Integers give a :class:`fractions.Fraction`; SymPy expressions (symbolic sizes) give the same
    formula as a SymPy expression, which the all-n derivations (:mod:`symgame.derivations`) sum, so
    that they derive from the weight this module uses rather than from a copy of it.

    Examples
    --------
    >>> shapley_weight(0, 3), shapley_weight(1, 3)
    (Fraction(1, 3), Fraction(1, 6))
    >>> n, s = sp.symbols("n s", integer=True, nonnegative=True)
    >>> shapley_weight(s, n)
    factorial(s)*factorial(n - s - 1)/factorial(n)
    """
    if isinstance(size, sp.Basic) or isinstance(n, sp.Basic):
        return sp.factorial(size) * sp.factorial(n - size - 1) / sp.factorial(n)
    return Fraction(factorial(size) * factorial(n - size - 1), factorial(n))


def _union(masks, bits):
    """The union of the ``masks[j]`` whose bit ``j`` is set in ``bits``."""
    out = 0
    for j, mask in enumerate(masks):
        if bits >> j & 1:
            out |= mask
    return out


def owen(game, partition):
    """Owen value for a partition of the players into groups (a priori unions).

    ``O_i = sum_{R ⊆ M \\ k} sum_{T ⊆ B_k \\ i} r!(m-r-1)!/m! * t!(b-t-1)!/b! * (v(Q_R ∪ T ∪ i) - v(Q_R ∪ T))``
    where player ``i`` is in group ``B_k`` of size ``b``, ``m`` is the number
    of groups and ``Q_R`` is the union of the groups in ``R`` (Owen 1977).

    Parameters
    ----------
    game : Game
    partition : iterable of iterables
        Disjoint groups covering every player.

    Examples
    --------
    >>> from symgame.game import Game
    >>> g = Game.generic(3)
    >>> owen(g, [[1], [2], [3]]) == shapley(g)
    True
    >>> owen(g, [[1, 2]])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: partition must cover every player exactly once; missing [3], repeated []
    """
    require_game(game, "owen")
    groups = [list(b) for b in partition]
    flat = [p for b in groups for p in b]
    missing = [p for p in game.players if p not in flat]
    repeated = sorted({p for p in flat if flat.count(p) > 1}, key=repr)
    if missing or repeated or any(not b for b in groups):
        raise InvalidGameError(
            f"partition must cover every player exactly once; missing {missing!r}, repeated {repeated!r}"
        )
    masks = [game.mask(b) for b in groups]
    m = len(groups)
    coeffs = [dict() for _ in range(game.n)]
    for k, block in enumerate(groups):
        others = [masks[j] for j in range(m) if j != k]
        b = len(block)
        for r_mask in range(1 << (m - 1)):
            q = _union(others, r_mask)
            wr = shapley_weight(r_mask.bit_count(), m)
            for player in block:
                i = game.players.index(player)
                rest = [game.mask([x]) for x in block if x != player]
                for t_mask in range(1 << (b - 1)):
                    tm = _union(rest, t_mask)
                    w = wr * shapley_weight(t_mask.bit_count(), b)
                    before = q | tm
                    after = before | 1 << i
                    coeffs[i][after] = coeffs[i].get(after, 0) + w
                    coeffs[i][before] = coeffs[i].get(before, 0) - w
    return linear_value(game, lambda i, mask: coeffs[i].get(mask, 0))
