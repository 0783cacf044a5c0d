"""Tests for symgame.linear: exact linear forms and their canonical SymPy expressions."""

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame.errors import InvalidValueError
from symgame.linear import LinearForm

x, y, z = sp.symbols("x y z", real=True)
p = sp.Symbol("p", positive=True)
u = sp.Symbol("u")  # no assumptions
v12 = sp.Symbol("v_{1,2}", real=True)
ATOMS = [x, y, z, p, u, v12, x * y, x ** 2, sp.Max(x, y), sp.Min(p, 1), sp.sqrt(2), sp.sqrt(3) * x, sp.exp(p),
         sp.Abs(u), 1 / (p + 1), sp.S.One]

coefficients = st.fractions(min_value=-5, max_value=5, max_denominator=7)
term_lists = st.lists(st.tuples(st.sampled_from(ATOMS), coefficients), max_size=8)


def expected_expr(terms):
    return sp.Add(*[sp.Rational(c.numerator, c.denominator) * a for a, c in terms])


def form_of(terms):
    acc = {}
    for a, c in terms:
        acc[a] = acc.get(a, 0) + c
    return LinearForm(acc)


@given(term_lists)
def test_as_expr_is_identical_to_sympy_add(terms):
    """The fast canonical construction must give SymPy's own Add: same ==, same hash, same args."""
    built = form_of(terms).as_expr()
    reference = expected_expr(terms)
    assert built == reference
    assert hash(built) == hash(reference)
    assert built.args == reference.args
    assert sp.srepr(built) == sp.srepr(reference)


@given(term_lists)
def test_from_expr_inverts_as_expr(terms):
    f = form_of(terms)
    assert LinearForm.from_expr(f.as_expr()) == f
    assert LinearForm.from_expr(expected_expr(terms)) == f


@given(term_lists, term_lists, st.integers(-3, 3), coefficients)
def test_arithmetic_matches_sympy(a_terms, b_terms, k, q):
    a, b = form_of(a_terms), form_of(b_terms)
    scaled = lambda terms, s: [(t, c * s) for t, c in terms]  # noqa: E731
    assert (a + b).as_expr() == expected_expr(a_terms + b_terms)
    assert (a - b).as_expr() == expected_expr(a_terms + scaled(b_terms, -1))
    assert (-a).as_expr() == expected_expr(scaled(a_terms, -1))
    assert (k * a).as_expr() == expected_expr(scaled(a_terms, k))
    assert (a * q).as_expr() == expected_expr(scaled(a_terms, q))
    assert a * q == a * sp.Rational(q.numerator, q.denominator)
    assert (a - a).is_zero and (a * 0).is_zero
    assert (a + b == b + a) and hash(a + b) == hash(b + a)


def test_products_of_sums_are_expanded():
    assert LinearForm.from_expr(2 * (x + y)) == LinearForm.from_expr(2 * x + 2 * y)
    assert LinearForm.from_expr((x + 1) ** 2) == LinearForm.from_expr(x ** 2 + 2 * x + 1)
    assert LinearForm.from_expr(x * (y + 1) ** 2 / 2) == LinearForm.from_expr(sp.expand(x * (y + 1) ** 2 / 2))
    assert LinearForm.from_expr(1 / (x + 1)).terms == {1 / (x + 1): 1}  # not a polynomial: kept as an atom


def test_constructor_canonicalises_keys():
    assert LinearForm({2 * x: 1}) == LinearForm({x: 2})
    assert LinearForm({x + y: 2, z: 1}) == LinearForm.from_expr(2 * x + 2 * y + z)
    assert LinearForm({x + y: 2, z: 1}).as_expr() == 2 * x + 2 * y + z
    assert LinearForm({sp.Integer(3): Fraction(1, 2)}).constant == Fraction(3, 2)
    assert LinearForm({x: 1, y: 0}).terms == {x: 1}
    assert LinearForm({x: sp.Rational(1, 2)}).coefficient(x) == Fraction(1, 2)
    with pytest.raises(InvalidValueError, match="None of type NoneType is not a number"):
        LinearForm({None: 1})


def test_accessors_and_equality_with_expressions():
    f = LinearForm.from_expr(3 * x - y / 2 + 4)
    assert f.terms == {x: 3, y: Fraction(-1, 2), sp.S.One: 4}
    assert f.constant == 4 and f.coefficient(z) == 0 and f.coefficient(x) == 3
    f.terms[x] = 100  # a copy
    assert f.coefficient(x) == 3
    assert f == 3 * x - y / 2 + 4 and f != 3 * x
    assert LinearForm() == 0 and LinearForm().is_zero and LinearForm().as_expr() == 0
    assert LinearForm.from_expr(Fraction(1, 3)).constant == Fraction(1, 3)
    assert LinearForm.from_expr(0.5).constant == Fraction(1, 2)
    assert (f == "3*x") is False
    assert repr(LinearForm.from_expr(x / 2)) == "LinearForm(x/2)"
    assert (1 - LinearForm.from_expr(x)).as_expr() == 1 - x
    assert (LinearForm.from_expr(x) + 1).as_expr() == x + 1


def test_unsupported_operands():
    f = LinearForm.from_expr(x)
    with pytest.raises(TypeError):
        f * x  # not linear
    with pytest.raises(TypeError):
        f * 0.5  # floats are not exact scalars
    with pytest.raises(TypeError):
        f + "x"


@pytest.mark.parametrize("bad, message", [(float("nan"), "is not finite"), (sp.oo, "is not finite"),
                                          ([1], "is not a number"), (sp.I, "is not real")])
def test_from_expr_rejects_bad_values(bad, message):
    with pytest.raises(InvalidValueError, match=message):
        LinearForm.from_expr(bad)
