"""Tests for symgame.exact: exact conversion of user input."""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame.errors import InvalidValueError, SymgameError
from symgame.exact import exact_str, is_rational_expr, to_expr, to_fraction

x = sp.Symbol("x", positive=True)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_convert_to_the_rational_they_are(f):
    r = to_expr(f)
    assert isinstance(r, sp.Rational)
    assert Fraction(int(r.p), int(r.q)) == Fraction(f)  # Fraction(float) is exact
    assert to_expr(np.float64(f)) == r


@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_numpy_float32_is_exact(f):
    assert to_expr(np.float32(f)) == sp.Rational(*float(np.float32(f)).as_integer_ratio())


@given(st.integers(), st.fractions())
def test_integers_and_fractions(i, q):
    assert to_expr(i) == i and isinstance(to_expr(i), sp.Integer)
    assert to_expr(q) == sp.Rational(q.numerator, q.denominator)
    assert to_fraction(to_expr(q)) == q and to_fraction(i) == i


def test_numpy_integers_and_strings():
    assert to_expr(np.int8(-3)) == -3 and to_expr(np.uint64(2 ** 63)) == 2 ** 63
    assert to_expr("0.1") == sp.Rational(1, 10)  # a decimal string is the decimal it says
    assert to_expr("1e-3") == sp.Rational(1, 1000) and to_expr(" 2 ") == 2
    assert to_expr("2*y + 1/3") == 2 * sp.Symbol("y") + sp.Rational(1, 3)
    assert to_expr(sp.sqrt(2)) == sp.sqrt(2) and to_expr(sp.pi) == sp.pi


def test_sympy_floats_are_exact_at_their_own_precision():
    assert to_expr(sp.Float(0.1)) == sp.Rational(3602879701896397, 36028797018963968)
    precise = sp.Float("0.1", 50)
    assert to_expr(precise) == sp.Rational(precise) and to_expr(precise) != to_expr(0.1)
    assert to_expr(sp.Float(0.5) * x) == x / 2


@pytest.mark.parametrize("bad, message", [
    (math.nan, "value nan is not finite"),
    (math.inf, "value inf is not finite"),
    (np.float64("-inf"), "value -inf is not finite"),
    ("nan", "is not finite"),
    ("zoo", "is not finite"),
    (sp.oo, "is not finite"),
    (x + sp.oo, "is not finite"),
    (True, "is a boolean"),
    (np.bool_(True), "is a boolean"),
    (1j, "of type complex is not a real number"),
    (sp.I, "is not real"),
    ("sqrt(-1)", "is not real"),
    ([1], "of type list is not a number"),
    (None, "of type NoneType is not a number"),
    (sp.true, "of type BooleanTrue is not a number"),
    ("", "cannot be parsed"),
    ("x +", "cannot be parsed"),
    ("True", "is not a SymPy expression \\(got bool\\)"),
    ("(1, 2)", "is not a SymPy expression"),
])
def test_bad_values_are_rejected(bad, message):
    with pytest.raises(InvalidValueError, match=message) as info:
        to_expr(bad)
    assert isinstance(info.value, SymgameError) and isinstance(info.value, TypeError)


def test_error_messages_name_the_argument():
    with pytest.raises(InvalidValueError, match="^weight of 'a' nan is not finite"):
        to_expr(math.nan, what="weight of 'a'")


def test_to_fraction_only_for_exact_rationals():
    assert to_fraction(sp.Rational(3, 4)) == Fraction(3, 4) and to_fraction(np.int64(2)) == 2
    assert to_fraction(Fraction(1, 3)) == Fraction(1, 3)
    for not_rational in (True, 0.5, x, sp.sqrt(2), sp.Float(0.5), "1/2"):
        assert to_fraction(not_rational) is None
    assert is_rational_expr(sp.Rational(1, 3)) and is_rational_expr(sp.Integer(2))
    assert not is_rational_expr(sp.sqrt(2)) and not is_rational_expr(Fraction(1, 3))


@given(st.one_of(st.fractions(), st.floats(allow_nan=False, allow_infinity=False),
                 st.tuples(st.integers(-5, 5), st.integers(-5, 5)).map(lambda t: t[0] * x + t[1] * sp.sqrt(2))))
def test_exact_str_round_trips(value):
    text = exact_str(value)
    assert isinstance(text, str)
    assert to_expr(text).subs(sp.Symbol("x"), x) == to_expr(value)


def test_value_strings_never_run_code(tmp_path, monkeypatch):
    """A string from a file (attention JSON, game file) goes through sympify, which evaluates Python."""
    monkeypatch.chdir(tmp_path)
    for text in ("__import__('pathlib').Path('marker').touch()", "x.__class__", "open('marker', 'w')"):
        with pytest.raises(InvalidValueError, match="contains") as info:
            to_expr(text, what="attention[0][0][0]")
        assert str(info.value).startswith(f"attention[0][0][0] {text!r} contains")
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize("text", ["10**10**10", "2**(10**10)", "(1/2)**5000"])
def test_value_strings_with_huge_powers_are_refused_not_hung(text):
    with pytest.raises(InvalidValueError, match="numeric exponents in a value string"):
        to_expr(text)


def test_value_strings_with_sympy_functions_still_parse():
    assert to_expr("2**-3 + Max(x, 1) + sqrt(2)") == sp.Rational(1, 8) + sp.Max(sp.Symbol("x"), 1) + sp.sqrt(2)
    assert to_expr(" 27/500 ") == sp.Rational(27, 500)


@pytest.mark.parametrize("text", ["factorial(10**9)", "fibonacci(10**9)", "prime(10**9)"])
def test_unbounded_sympy_functions_are_refused(text):
    with pytest.raises(InvalidValueError, match="bounded SymPy functions"):
        to_expr(text)
