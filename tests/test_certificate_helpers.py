"""Unit checks of helpers that a certificate trusts and whose mutants a verdict cannot see.

P1.output certifies rank n - 1 with a minor whose numerator and denominator each have
coefficients of one sign (so they keep one sign on the positive orthant).  On the real minors
that test happens to hold, so a helper that always said yes would leave the verdict unchanged;
these cases make such a helper fail.
"""

import sympy as sp

from proofs.attention_weights import _one_sign

__all__ = []

x, y, z = sp.symbols("x y z", positive=True)


def test_one_sign_accepts_polynomials_with_coefficients_of_one_sign():
    assert _one_sign(x * y + 2 * z + 3)
    assert _one_sign(-(x ** 2) - x * y - 1)
    assert _one_sign(sp.Integer(5))


def test_one_sign_refuses_mixed_signs_and_zero():
    assert not _one_sign(x - y)
    assert not _one_sign(x * y - 1)
    assert not _one_sign(x ** 2 - 2 * x * y + y ** 2)  # (x - y)^2 vanishes on the orthant
    assert not _one_sign(sp.Integer(0))
