"""Tests for symgame.transforms: the subset-transform kernels against direct sums."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symgame.errors import InvalidGameError
from symgame.transforms import mobius, per_size_member_sums, popcounts, sum_over_members, zeta

tables = st.integers(0, 5).flatmap(
    lambda n: st.lists(st.integers(-50, 50), min_size=1 << n, max_size=1 << n).map(np.array))


def submasks(mask):
    return [s for s in range(mask + 1) if s & mask == s]


@given(tables)
def test_mobius_is_the_alternating_subset_sum(v):
    d = mobius(v)
    for t in range(len(v)):
        assert d[t] == sum((-1) ** (bin(t).count("1") - bin(s).count("1")) * v[s] for s in submasks(t))


@given(tables)
def test_zeta_is_the_subset_sum_and_inverts_mobius(v):
    z = zeta(v)
    assert all(z[t] == sum(v[s] for s in submasks(t)) for t in range(len(v)))
    assert (zeta(mobius(v)) == v).all() and (mobius(zeta(v)) == v).all()


@given(tables)
def test_transforms_do_not_modify_their_input(v):
    before = v.copy()
    mobius(v)
    zeta(v)
    assert (v == before).all()


@given(tables)
def test_member_sums(v):
    n = len(v).bit_length() - 1
    members = sum_over_members(v)
    by_size = per_size_member_sums(v)
    assert len(members) == n and len(by_size) == n
    for i in range(n):
        assert members[i] == sum(v[t] for t in range(len(v)) if t >> i & 1)
        for k in range(n + 1):
            assert by_size[i][k] == sum(v[t] for t in range(len(v)) if t >> i & 1 and bin(t).count("1") == k)


def test_object_arrays_are_exact():
    big = np.array([0, 10 ** 30, 1, 10 ** 30 + 7], dtype=object)
    assert mobius(big).tolist() == [0, 10 ** 30, 1, 6]
    assert per_size_member_sums(big) == [[0, 10 ** 30, 10 ** 30 + 7], [0, 1, 10 ** 30 + 7]]


def test_popcounts():
    assert popcounts(0).tolist() == [0]
    assert popcounts(4).tolist() == [bin(m).count("1") for m in range(16)]


@pytest.mark.parametrize("func", [mobius, zeta, sum_over_members, per_size_member_sums])
def test_non_power_of_two_tables_are_rejected(func):
    with pytest.raises(InvalidGameError, match="table length 3 is not a power of two"):
        func(np.zeros(3))
