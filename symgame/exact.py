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

import builtins
import io
import keyword
import math
import numbers
import tokenize
from fractions import Fraction

import numpy as np
import sympy as sp

from .errors import InvalidValueError

__all__ = ["to_expr", "to_fraction", "to_rational", "is_rational_expr", "exact_str", "check_value_text", "MAX_TEXT_EXPONENT"]

#: Largest numeric exponent a value string may use (bigger ones would make parsing hang).
MAX_TEXT_EXPONENT = 4096


def to_expr(value, *, what="value"):
    """Convert ``value`` to a SymPy expression exactly.

    Parameters
    ----------
    value : int, float, Fraction, str, numpy scalar or sympy.Expr
        Floats convert to their exact binary rational; strings are parsed
        by :func:`sympy.sympify` with rationals kept exact (``"0.1"`` is 1/10),
        after :func:`check_value_text` has refused anything but arithmetic
        (strings often come from files, and ``sympify`` evaluates Python).
    what : str
        Name used in error messages.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    InvalidValueError
        For NaN, infinities, booleans, anything that is not a number or
        expression, and strings that are not plain arithmetic.

    Examples
    --------
    >>> to_expr(0.1)
    3602879701896397/36028797018963968
    >>> to_expr("0.1")
    1/10
    >>> to_expr("__import__('os').getcwd()", what="attention[0][0][0]")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: attention[0][0][0] "__import__('os').getcwd()" contains '__import__'; a value may only use numbers, arithmetic and comparison operators, symbols and bounded SymPy functions (Max, Min, sqrt, exp, log, Abs, Piecewise, ...)
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
        check_value_text(value, what=what, brackets=True)
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


def to_rational(value):
    """Return a :class:`fractions.Fraction` or ``int`` as the SymPy ``Rational`` it is; other values unchanged.

    The inverse of :func:`to_fraction` on rationals: the one place exact numbers cross between
    Python's ``Fraction`` (fast exact arithmetic) and SymPy (expressions).

    Examples
    --------
    >>> to_rational(Fraction(3, 4)), to_rational(5), to_rational(sp.Symbol("x"))
    (3/4, 5, x)
    >>> to_fraction(to_rational(Fraction(-7, 3)))
    Fraction(-7, 3)
    """
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return sp.Integer(int(value))
    return value


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


_SAFE_OPS = frozenset(["+", "-", "*", "/", "**", "%", "(", ")", ",", "<", ">", "<=", ">=", "==", "!=", "&", "|", "~"])
#: SymPy names a value string may use: cheap, bounded functions and constants.  Functions whose
#: evaluation can run for unbounded time on a small input (``factorial(10**9)``, ``fibonacci``,
#: ``prime``, ...) are not in the list.
_SAFE_FUNCTIONS = frozenset([
    "sqrt", "root", "cbrt", "real_root", "exp", "log", "Abs", "sign", "Max", "Min", "Piecewise",
    "Rational", "Integer", "Float", "floor", "ceiling", "sin", "cos", "tan", "Heaviside",
    "pi", "E", "S", "oo", "zoo", "nan", "I", "Eq", "Ne", "Lt", "Le", "Gt", "Ge", "And", "Or", "Not",
])


def _is_safe_sympy_name(name):
    return name in _SAFE_FUNCTIONS


def check_value_text(raw, *, text=None, names=(), what="value", error=InvalidValueError, where="a value string",
                     brackets=False):
    """Refuse a value string that is not plain arithmetic, before :func:`sympy.sympify` sees it.

    ``sympify`` evaluates Python, and strings often come from files (game
    files, attention JSON), so parsing one must never run code or hang.  A
    value may use numbers, arithmetic and comparison operators, parentheses
    and commas, ``True``/``False``, the given ``names``, bounded SymPy functions (a fixed list) and
    constants (``Max``, ``sqrt``, ``Piecewise``, ``pi``) and other plain names
    (read as symbols).  Attribute access, strings, brackets and builtins are
    refused, and so is any numeric power whose exponent is not a rational
    with numerator and denominator at most :data:`MAX_TEXT_EXPONENT`
    (``"10**10**10"`` would never finish).

    Parameters
    ----------
    raw : str
        The string as the user wrote it (quoted in messages).
    text : str, optional
        The string actually parsed (``raw`` with symbol names replaced), default ``raw``.
    names : iterable of str or dict
        Names declared by the caller (always allowed; a dict maps them to SymPy objects).
    what : str
        Name of the value in error messages.
    error : type
        The :class:`~symgame.errors.SymgameError` subclass raised.
    where : str
        Where the string came from, for the exponent message.
    brackets : bool
        Also allow ``[`` and ``]`` (harmless without attribute access; the
        caller then rejects the list ``sympify`` returns with its own message).

    Examples
    --------
    >>> check_value_text("2*x + 1/3")
    >>> check_value_text("10**10**10")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: value '10**10**10' raises to the power 10**10; numeric exponents in a value string must be rationals with numerator and denominator at most 4096
    """
    text = (raw if text is None else text).strip()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        raise error(f"{what} {raw!r} cannot be parsed") from exc
    for tok in tokens:
        if tok.type in (tokenize.NUMBER, tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
            continue
        if tok.type == tokenize.OP and (tok.string in _SAFE_OPS or brackets and tok.string in "[]"):
            continue
        if tok.type == tokenize.NAME and (
            tok.string in names
            or tok.string in ("True", "False")
            or _is_safe_sympy_name(tok.string)
            or not (tok.string.startswith("_") or keyword.iskeyword(tok.string) or hasattr(builtins, tok.string)
                    or hasattr(sp, tok.string))
        ):
            continue
        raise error(
            f"{what} {raw!r} contains {tok.string!r}; a value may only use numbers, arithmetic and "
            f"comparison operators, symbols and bounded SymPy functions (Max, Min, sqrt, exp, log, Abs, Piecewise, ...)"
        )
    try:
        tree = sp.parse_expr(text, local_dict=dict(names) if isinstance(names, dict) else {}, evaluate=False)
    except Exception as exc:  # any parse failure is reported as a format error
        raise error(f"{what} {raw!r} cannot be parsed") from exc
    if not isinstance(tree, sp.Basic):
        return
    for node in sp.preorder_traversal(tree):
        if isinstance(node, sp.Pow) and not node.exp.free_symbols:
            e = node.exp
            if not (isinstance(e, sp.Rational) and abs(e.p) <= MAX_TEXT_EXPONENT and e.q <= MAX_TEXT_EXPONENT):
                raise error(
                    f"{what} {raw!r} raises to the power {e}; numeric exponents in {where} must be "
                    f"rationals with numerator and denominator at most {MAX_TEXT_EXPONENT}"
                )
