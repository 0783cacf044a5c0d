"""Exact conversion of user input to SymPy expressions.

A float is converted to the rational number it *is* (its binary value), never
rounded to a "nice" decimal; NaN and infinities are rejected.

Examples
--------
>>> from symgame.exact import to_expr
>>> to_expr(0.5), to_expr("3/4"), to_expr(2)
(1/2, 3/4, 2)
>>> to_expr(float("nan"))
Traceback (most recent call last):
...
symgame.errors.InvalidValueError: value nan is not finite; expected a finite number or SymPy expression
"""

import math
import numbers
from fractions import Fraction

import numpy as np
import sympy as sp

from .errors import InvalidValueError

__all__ = ["to_expr", "to_fraction", "is_rational_expr", "exact_str"]


def to_expr(value, *, what="value"):
    """Convert ``value`` to a SymPy expression exactly.

    Parameters
    ----------
    value : int, float, Fraction, str, numpy scalar or sympy.Expr
        Floats convert to their exact binary rational; strings are parsed
        by :func:`sympy.sympify` with rationals kept exact (``"0.1"`` is 1/10).
    what : str
        Name used in error messages.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    InvalidValueError
        For NaN, infinities, booleans, or anything that is not a number or expression.

    Examples
    --------
    >>> to_expr(0.1)
    3602879701896397/36028797018963968
    >>> to_expr("0.1")
    1/10
    """
    if isinstance(value, sp.Expr):
        expr = value
    elif isinstance(value, (bool, np.bool_)):
        raise InvalidValueError(f"{what} {value!r} is a boolean; expected a number or SymPy expression")
    elif isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    elif isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    elif isinstance(value, (float, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            raise InvalidValueError(f"{what} {f!r} is not finite; expected a finite number or SymPy expression")
        p, q = f.as_integer_ratio()
        return sp.Rational(p, q)
    elif isinstance(value, str):
        try:
            expr = sp.sympify(value, rational=True)
        except (sp.SympifyError, SyntaxError, TypeError) as exc:
            raise InvalidValueError(f"{what} {value!r} cannot be parsed as a SymPy expression") from exc
    elif isinstance(value, numbers.Number):
        raise InvalidValueError(f"{what} {value!r} of type {type(value).__name__} is not a real number or expression")
    else:
        raise InvalidValueError(
            f"{what} {value!r} of type {type(value).__name__} is not a number or SymPy expression"
        )
    if not isinstance(expr, sp.Expr):
        raise InvalidValueError(f"{what} {value!r} is not a SymPy expression (got {type(expr).__name__})")
    if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise InvalidValueError(f"{what} {value!r} is not finite; expected a finite number or SymPy expression")
    if expr.has(sp.Float):  # the exact binary value, at the Float's own precision
        expr = expr.xreplace({f: sp.Rational(f) for f in expr.atoms(sp.Float)})
    if expr.is_real is False:
        raise InvalidValueError(f"{what} {value!r} is not real; TU-game values are real numbers")
    return expr


def to_fraction(value):
    """Return ``value`` as a :class:`fractions.Fraction` when it is a rational number, else ``None``.

    Examples
    --------
    >>> to_fraction(sp.Rational(3, 4)), to_fraction(sp.Symbol("x"))
    (Fraction(3, 4), None)
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return None


def is_rational_expr(value):
    """True when ``value`` is a SymPy rational number (no symbols).

    Examples
    --------
    >>> is_rational_expr(sp.Rational(1, 3)), is_rational_expr(sp.sqrt(2))
    (True, False)
    """
    return isinstance(value, sp.Rational)


def exact_str(value):
    """A string that :func:`to_expr` parses back to exactly ``value``.

    Examples
    --------
    >>> exact_str(sp.Rational(27, 500)), exact_str(6 * sp.Symbol("x"))
    ('27/500', '6*x')
    """
    if isinstance(value, Fraction):
        return str(value)
    return sp.sstr(to_expr(value), order="none")
