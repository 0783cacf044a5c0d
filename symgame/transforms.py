"""Fast subset transforms over tables indexed by bitmask (internal numeric kernels).

The Möbius transform turns a game's table ``v`` into its Harsanyi dividends
``d(T) = sum_{S ⊆ T} (-1)^{|T|-|S|} v(S)``; the zeta transform is its inverse
``v(T) = sum_{S ⊆ T} d(S)``.  Both cost O(n 2^n) additions, done as n
vectorised NumPy passes (Yates' method).  With ``int64`` or ``object`` arrays
the arithmetic is exact; with ``float64`` it is the named float path.

Examples
--------
>>> import numpy as np
>>> v = np.array([0, 1, 2, 4])
>>> mobius(v)
array([0, 1, 2, 1])
>>> zeta(mobius(v))
array([0, 1, 2, 4])
"""

import numpy as np

from .errors import InvalidGameError

__all__ = ["mobius", "zeta", "popcounts", "sum_over_members", "per_size_member_sums"]


def _n_of(table):
    n = len(table).bit_length() - 1
    if 1 << n != len(table):
        raise InvalidGameError(f"table length {len(table)} is not a power of two 2^n (one entry per coalition)")
    return n


def mobius(table):
    """Möbius transform (dividends) of a bitmask-indexed table; returns a new array.

    Examples
    --------
    >>> mobius(np.array([0.0, 1.0, 1.0, 1.0]))
    array([ 0.,  1.,  1., -1.])
    """
    a = np.array(table, copy=True)
    n = _n_of(a)
    for i in range(n):
        view = a.reshape(-1, 2, 1 << i)
        view[:, 1, :] -= view[:, 0, :]
    return a


def zeta(table):
    """Zeta transform (sum over subsets) of a bitmask-indexed table; the inverse of :func:`mobius`.

    Examples
    --------
    >>> zeta(np.array([0, 1, 1, -1]))
    array([0, 1, 1, 1])
    """
    a = np.array(table, copy=True)
    n = _n_of(a)
    for i in range(n):
        view = a.reshape(-1, 2, 1 << i)
        view[:, 1, :] += view[:, 0, :]
    return a


def popcounts(n):
    """``popcounts(n)[mask]`` = number of set bits of ``mask``, for all ``mask < 2^n``.

    Examples
    --------
    >>> popcounts(3)
    array([0, 1, 1, 2, 1, 2, 2, 3], dtype=int8)
    """
    pc = np.zeros(1 << n, dtype=np.int8)
    for i in range(n):
        view = pc.reshape(-1, 2, 1 << i)
        view[:, 1, :] += 1
    return pc


def sum_over_members(table):
    """For each player ``i``, the sum of ``table[T]`` over all ``T`` containing ``i``.

    Examples
    --------
    >>> sum_over_members(np.array([0, 1, 2, 4]))
    [5, 6]
    """
    n = _n_of(table)
    return [table.reshape(-1, 2, 1 << i)[:, 1, :].sum().item() for i in range(n)]


def per_size_member_sums(table):
    """``out[i][k]`` = sum of ``table[T]`` over ``T ∋ i`` with ``|T| = k`` (exact for int/object arrays).

    Examples
    --------
    >>> per_size_member_sums(np.array([0, 1, 2, 4]))
    [[0, 1, 4], [0, 2, 4]]
    """
    n = _n_of(table)
    pc = popcounts(n)
    order = np.argsort(pc, kind="stable")
    sorted_table = table[order]
    counts = np.bincount(pc, minlength=n + 1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = []
    for i in range(n):
        member = ((order >> i) & 1).astype(bool)
        masked = np.where(member, sorted_table, 0) if table.dtype != object else sorted_table * member
        sums = np.add.reduceat(masked, starts)
        out.append([int(s) if table.dtype.kind in "iuO" else s for s in sums])
    return out
