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
import contextlib
import io
import json
import keyword
import math
import numbers
import re
import sys
import tokenize
from fractions import Fraction

import numpy as np
import sympy as sp

from .errors import InvalidValueError, SymgameError

__all__ = ["to_expr", "to_fraction", "to_rational", "is_rational_expr", "exact_str", "check_value_text",
           "check_number_size", "parse_number", "loads_json", "MAX_TEXT_EXPONENT", "MAX_VALUE_DIGITS",
           "MAX_JSON_DEPTH"]

#: Largest numeric exponent a value string may use (bigger ones would make parsing hang).
MAX_TEXT_EXPONENT = 4096

#: Largest number of decimal digits of a number given as input (a literal in a value string or a
#: JSON file, the numerator or denominator of a value, or a number a value string's powers and
#: products can build).  Below Python's 4,300-digit limit on integer/string conversion, so every
#: accepted value can be printed, saved and read back; a bigger number (``1e10000000000``,
#: ``((9**4096)**4096)**4096``) is refused before anything is computed.
MAX_VALUE_DIGITS = 4000

#: Deepest nesting of arrays/objects a JSON input file may have (a game file needs 3 levels, an
#: attention file 5); deeper documents are refused before parsing (``[[[[...`` 100,000 deep would
#: otherwise end in ``RecursionError``).
MAX_JSON_DEPTH = 64

_MAX_VALUE_BITS = math.floor(MAX_VALUE_DIGITS * math.log2(10))
_LOG2_10 = math.log2(10)


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
        _check_int_size(int(value), what)
        return sp.Integer(int(value))
    elif isinstance(value, Fraction):
        _check_int_size(value.numerator, what)
        _check_int_size(value.denominator, what)
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
        check_number_size(expr, what=what)
        expr = expr.xreplace({f: sp.Rational(f) for f in expr.atoms(sp.Float)})
    check_number_size(expr, what=what)
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
    with _unlimited_int_digits():  # a computed result may pass Python's 4,300-digit str limit
        if isinstance(value, Fraction):
            return str(value)
        expr = value if isinstance(value, sp.Expr) else to_expr(value)
        return sp.sstr(expr, order="none")


@contextlib.contextmanager
def _unlimited_int_digits():
    """Lift Python's limit on int -> str conversion while *writing* exact results (inputs are bounded
    by :data:`MAX_VALUE_DIGITS` instead; the limit guards parsing, which symgame bounds itself)."""
    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    if old:
        sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        if old:
            sys.set_int_max_str_digits(old)


def _digits_message(what, shown, digits):
    """``"<what> [<shown>] needs about N digits; ..."``; ``shown`` is quoted text or None."""
    if isinstance(shown, str):
        shown = repr(shown) if len(shown) <= 60 else f"{shown[:40]!r}... ({len(shown)} characters)"
    return (f"{what}{' ' + shown if shown else ''} needs about {digits} digits; numbers are "
            f"limited to {MAX_VALUE_DIGITS} digits (symgame.exact.MAX_VALUE_DIGITS)")


def _check_int_size(k, what, error=InvalidValueError):
    if k.bit_length() > _MAX_VALUE_BITS:
        raise error(_digits_message(what, None, int(k.bit_length() / _LOG2_10) + 1))


def check_number_size(expr, *, what="value", error=InvalidValueError):
    """Refuse an expression holding a number (numerator, denominator, or a Float's exact binary value)
    of more than :data:`MAX_VALUE_DIGITS` digits.

    Examples
    --------
    >>> check_number_size(sp.Integer(10) ** 50)
    >>> check_number_size(sp.Integer(10) ** 5000, what="value of {a}")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: value of {a} needs about 5001 digits; numbers are limited to 4000 digits (symgame.exact.MAX_VALUE_DIGITS)
    """
    if not isinstance(expr, sp.Basic):
        return
    for atom in expr.atoms(sp.Number):
        if isinstance(atom, sp.Rational):
            bits = max(int(atom.p).bit_length(), int(atom.q).bit_length())
        elif isinstance(atom, sp.Float):
            _sign, man, exp, bc = atom._mpf_ if len(atom._mpf_) == 4 else (0, 0, 0, 0)
            bits = bc + abs(exp)
        else:
            continue
        if bits > _MAX_VALUE_BITS:
            raise error(_digits_message(what, None, int(bits / _LOG2_10) + 1))


_DECIMAL = re.compile(r"^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")


def parse_number(text, *, what="number", error=InvalidValueError):
    """A decimal number literal (``"12"``, ``"-0.25"``, ``"1e-3"``, ``"3/4"``) as the exact
    :class:`~fractions.Fraction` it denotes, with its size bounded first.

    This is how symgame reads numbers from text and JSON files (JSON number literals included):
    ``"0.1"`` is exactly 1/10, and a literal whose value would need more than
    :data:`MAX_VALUE_DIGITS` digits (``"1e10000000000"``, a 5,000-digit integer) is refused
    before any big number is built.

    Raises
    ------
    error (default InvalidValueError)
        Not a decimal literal, or too large.

    Examples
    --------
    >>> parse_number("0.1"), parse_number("-12e-2"), parse_number("3/4")
    (Fraction(1, 10), Fraction(-3, 25), Fraction(3, 4))
    >>> parse_number("1e10000000000", what="attention[0][0][1]")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: attention[0][0][1] '1e10000000000' needs about 10000000001 digits; numbers are limited to 4000 digits (symgame.exact.MAX_VALUE_DIGITS)
    """
    t = text.strip().replace("_", "") if isinstance(text, str) else text
    if not isinstance(t, str):
        raise error(f"{what} {text!r} is not a number literal")
    if t.count("/") == 1:
        num, den = t.split("/")
        q = parse_number(den, what=what, error=error)
        if q == 0:
            raise error(f"{what} {text!r} divides by zero")
        return parse_number(num, what=what, error=error) / q
    m = _DECIMAL.match(t)
    if not m or not (m.group(2) or m.group(3)):
        raise error(f"{what} {text!r} is not a decimal number literal")
    sign, whole, frac, exp = m.group(1), m.group(2) or "", m.group(3) or "", m.group(4)
    if len(exp or "") > 12:
        digits = 10 ** 12
    else:
        e = int(exp) if exp else 0
        digits = max(len(whole.lstrip("0")) + max(e, 0), len(frac) - min(e, 0), 1)
    if digits > MAX_VALUE_DIGITS:
        raise error(_digits_message(what, text, digits))
    value = Fraction(int(whole or "0", 10) * 10 ** len(frac) + int(frac or "0", 10), 10 ** len(frac))
    e = int(exp) if exp else 0
    value = value * 10 ** e if e >= 0 else value / 10 ** -e
    return -value if sign == "-" else value


def _json_depth(text):
    """The deepest nesting of ``[``/``{`` in a JSON text, strings skipped (linear, vectorised)."""
    stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    codes = np.frombuffer(stripped.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not codes.size:
        return 0
    step = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(step).max(initial=0))


def loads_json(text, *, what="JSON document", error=InvalidValueError, max_depth=MAX_JSON_DEPTH):
    """Parse a JSON input file with every number exact and bounded, and its nesting bounded.

    Number literals become :class:`~fractions.Fraction` (non-integers, read as the decimal they
    denote: ``0.1`` is 1/10) or ``int`` (integers), both through :func:`parse_number`, so a literal
    such as ``1e1000000000`` or a 5,000-digit integer is refused with a message instead of hanging
    or raising ``ValueError``; ``NaN`` and ``Infinity`` are refused; nesting deeper than
    ``max_depth`` is refused before parsing.

    Parameters
    ----------
    text : str or bytes
    what : str
        The document's name in messages (e.g. ``"game file 'g.json'"``).
    error : type
        The :class:`~symgame.errors.SymgameError` subclass raised.
    max_depth : int

    Examples
    --------
    >>> loads_json('{"v": [0.1, 2, "x"]}')
    {'v': [Fraction(1, 10), 2, 'x']}
    >>> loads_json("[" * 100 + "]" * 100, what="game file 'g.json'")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: game file 'g.json' nests arrays/objects 100 deep; the limit is 64 (symgame.exact.MAX_JSON_DEPTH)
    >>> loads_json('[NaN]')
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: JSON document contains NaN; numbers must be finite
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(f"{what} is not UTF-8 text: {exc}") from None
    depth = _json_depth(text)
    if depth > max_depth:
        raise error(f"{what} nests arrays/objects {depth} deep; the limit is {max_depth} (symgame.exact.MAX_JSON_DEPTH)")

    def number(literal):
        return parse_number(literal, what=f"{what}: number", error=error)

    def integer(literal):
        value = number(literal)
        return int(value)

    def constant(name):
        raise error(f"{what} contains {name}; numbers must be finite")

    try:
        return json.loads(text, parse_float=number, parse_int=integer, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise error(f"{what} is not valid JSON: {exc}") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise error(f"{what} nests too deep to parse") from None


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
    if len(text) > MAX_TEXT_LENGTH:
        raise error(f"{what} is a string of {len(text)} characters; a value string is limited to "
                    f"{MAX_TEXT_LENGTH} (symgame.exact.MAX_TEXT_LENGTH)")
    for tok in tokens:
        if tok.type == tokenize.NUMBER:
            _check_literal(tok.string, raw, what, error)
            continue
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
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
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        shown = raw if len(raw) <= 60 else raw[:40] + "..."
        raise error(f"{what} {shown!r} cannot be parsed: {reason}") from exc
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
    bits = _size_bound(tree)
    if bits > _MAX_VALUE_BITS:
        shown = raw if len(raw) <= 60 else raw[:40] + "..."
        raise error(f"{what} {shown!r} builds a number of up to about {int(bits / _LOG2_10) + 1} digits "
                    f"(powers and products of its numbers); numbers are limited to {MAX_VALUE_DIGITS} "
                    f"digits (symgame.exact.MAX_VALUE_DIGITS)")


#: Longest value string accepted (a value is a formula, not a data file).
MAX_TEXT_LENGTH = 100_000


def _check_literal(literal, raw, what, error):
    """Refuse a number token whose value needs more than MAX_VALUE_DIGITS digits (before SymPy builds it)."""
    t = literal.replace("_", "").lower()
    shown = raw if len(raw) <= 60 else raw[:40] + "..."
    if t.endswith("j"):
        return  # imaginary: refused later as not real
    if t.startswith(("0x", "0o", "0b")):
        digits = int((len(t) - 2) * {"x": 1.21, "o": 0.91, "b": 0.31}[t[1]]) + 1
        if digits > MAX_VALUE_DIGITS:
            raise error(f"{what} {shown!r}: " + _digits_message("the literal", t, digits))
        return
    try:
        parse_number(t, what="the literal", error=error)
    except SymgameError as exc:
        raise error(f"{what} {shown!r}: {exc}") from None


def _size_bound(tree):
    """An upper bound, in bits, of the numerators/denominators an unevaluated value expression can
    build (iterative post-order: no recursion limit).  Symbols and constants count as small numbers."""
    if not isinstance(tree, sp.Basic):
        return 0
    sizes = {}
    stack = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if node in sizes:
            continue
        if not done and node.args:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in sizes)
            continue
        if isinstance(node, sp.Rational):
            size = (math.log2(max(abs(int(node.p)), 1)), math.log2(int(node.q)))
        elif isinstance(node, sp.Float):
            _s, _m, exp, bc = node._mpf_ if len(node._mpf_) == 4 else (0, 0, 0, 0)
            size = (bc + max(exp, 0), max(-exp, 0))
        elif not node.args:
            size = (1.0, 0.0)
        else:
            kids = [sizes[a] for a in node.args]
            if isinstance(node, sp.Pow) and isinstance(node.exp, sp.Rational):
                n, d = sizes[node.base]
                k = abs(int(node.exp.p)) / int(node.exp.q)
                size = (n * max(k, 1), d * max(k, 1)) if node.exp >= 0 else (d * max(k, 1), n * max(k, 1))
            elif isinstance(node, sp.Add):
                den = sum(d for _, d in kids)
                size = (max(n + den - d for n, d in kids) + math.log2(len(kids)) + 1, den)
            else:  # products, functions, relations: at most the product of their parts
                size = (sum(n for n, _ in kids), sum(d for _, d in kids))
        sizes[node] = size
    return max(sizes[tree])
