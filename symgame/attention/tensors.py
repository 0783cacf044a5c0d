"""Attention tensors: validate and convert weights (arrays, lists, SymPy, dicts, files) to one :class:`Attention` stack."""

import os
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import InvalidAttentionError, InvalidValueError, NotExactError
from ..exact import loads_json, parse_number, to_expr, to_fraction, to_rational
from ..guards import check_int

__all__ = ["Attention", "ROW_SUM_TOLERANCE", "ATTENTION_FORMAT", "ATTENTION_VERSION", "as_attention", "load_attention", "check_output", "check_layer",
           "check_source", "exact_value", "public_value"]

#: The format name and version an attention JSON document may declare (docs/formats.md).
ATTENTION_FORMAT = "symgame-attention"
ATTENTION_VERSION = 1

#: Largest ``|row sum - 1|`` accepted when *validating* float input (never used to decide a claim).
ROW_SUM_TOLERANCE = 1e-5


class Attention:
    """A validated stack of ``L`` attention matrices of size ``n x n``.

    Build it with :func:`as_attention`.  ``kind`` is ``"rational"`` (entries
    are :class:`~fractions.Fraction`), ``"symbolic"`` (SymPy expressions) or
    ``"float"`` (a read-only float64 array).

    Examples
    --------
    >>> a = as_attention([[[1, 0], ["1/4", "3/4"]]])
    >>> a.L, a.n, a.kind, a.entry(1, 1, 0)
    (1, 2, 'rational', Fraction(1, 4))
    """

    __slots__ = ("kind", "L", "n", "tokens", "residual", "_data")

    def __init__(self, kind, data, tokens=None, residual=False):
        self.kind = kind
        self._data = data
        if kind == "float":
            self.L, self.n = int(data.shape[0]), int(data.shape[1])
        else:
            self.L, self.n = len(data), len(data[0])
        self.tokens = None if tokens is None else tuple(tokens)
        self.residual = residual

    @property
    def data(self):
        """The entries: a read-only float64 array ``(L, n, n)`` (float kind) or nested tuples ``[l][i][j]``."""
        return self._data

    @property
    def exact(self):
        """True for rational or symbolic entries."""
        return self.kind != "float"

    def entry(self, layer, i, j):
        """``A^layer[i, j]`` (layers numbered ``1..L``)."""
        if self.kind == "float":
            return float(self._data[layer - 1, i, j])
        return self._data[layer - 1][i][j]

    def matrix(self, layer):
        """``A^layer`` (``1..L``) as a SymPy ``Matrix`` (exact kinds) or a NumPy array (float)."""
        if self.kind == "float":
            return self._data[layer - 1].copy()
        return sp.Matrix([[exact_value(x) for x in row] for row in self._data[layer - 1]])

    def array(self):
        """All layers as a float64 array ``(L, n, n)`` (rounded for exact kinds; for float paths only)."""
        if self.kind == "float":
            return self._data.copy()
        if self.kind == "symbolic":
            raise NotExactError("symbolic attention has no float array; substitute numbers first")
        return np.array([[[float(x) for x in row] for row in m] for m in self._data], dtype=np.float64)

    def label(self, i):
        """Token ``i``'s label (its text when tokens are known, else ``str(i)``)."""
        return self.tokens[i] if self.tokens is not None else str(i)

    def with_residual(self):
        """Residual mixing ``0.5 A + 0.5 I`` with row renormalisation (Abnar & Zuidema 2020)."""
        if self.residual:
            raise InvalidAttentionError("attention is already residual-mixed; residual=True was applied twice")
        n = self.n
        if self.kind == "float":
            mixed = 0.5 * self._data + 0.5 * np.eye(n)[None, :, :]
            mixed = mixed / mixed.sum(axis=-1, keepdims=True)
            mixed.setflags(write=False)
            return Attention("float", mixed, self.tokens, True)
        half = Fraction(1, 2) if self.kind == "rational" else sp.Rational(1, 2)
        layers = []
        for m in self._data:
            rows = []
            for i, row in enumerate(m):
                new = [half * x + (half if i == j else 0) for j, x in enumerate(row)]
                total = sum(new, 0 * half)
                if self.kind == "rational":
                    new = [x / total for x in new] if total != 1 else new
                else:
                    if sp.simplify(total - 1) != 0:
                        new = [sp.cancel(x / total) for x in new]
                    new = [sp.expand(x) for x in new]
                rows.append(tuple(new))
            layers.append(tuple(rows))
        return Attention(self.kind, tuple(layers), self.tokens, True)

    def __repr__(self):
        return f"Attention(kind={self.kind!r}, L={self.L}, n={self.n}, residual={self.residual})"


def exact_value(x):
    """``x`` as a SymPy number when it is a :class:`~fractions.Fraction`, else unchanged.

    Examples
    --------
    >>> exact_value(Fraction(1, 3)), exact_value(sp.Symbol("a"))
    (1/3, a)
    """
    return to_rational(x) if isinstance(x, Fraction) else x


def public_value(x):
    """The value an explanation returns: SymPy for exact kinds, ``float`` for float.

    Examples
    --------
    >>> public_value(Fraction(1, 4)), public_value(np.float64(0.5))
    (1/4, 0.5)
    """
    if isinstance(x, Fraction):
        return to_rational(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    return x


# ---------------------------------------------------------------------- parsing
def _nested_shape(obj, path="attention"):
    if isinstance(obj, sp.MatrixBase):
        return [obj.rows, obj.cols]
    if isinstance(obj, (list, tuple)):
        if not obj:
            raise InvalidAttentionError(f"{path} is empty; expected a non-empty list")
        shapes = [_nested_shape(x, f"{path}[{k}]") for k, x in enumerate(obj)]
        if any(s != shapes[0] for s in shapes):
            k = next(k for k, s in enumerate(shapes) if s != shapes[0])
            raise InvalidAttentionError(
                f"{path} is ragged: {path}[{k}] has shape {tuple(shapes[k])}, {path}[0] has {tuple(shapes[0])}"
            )
        return [len(obj)] + shapes[0]
    return []


def _flatten(obj):
    if isinstance(obj, sp.MatrixBase):
        return [list(obj.row(i)) for i in range(obj.rows)]
    if isinstance(obj, (list, tuple)):
        return [_flatten(x) for x in obj]
    return obj


def _index_iter(shape):
    return np.ndindex(*shape)


def _get(nested, idx):
    for k in idx:
        nested = nested[k]
    return nested


def _fmt_index(idx):
    return "attention" + "".join(f"[{k}]" for k in idx)


def _plain_rational(text):
    t = text.strip()
    return bool(t) and all(c in "0123456789/.-+ " for c in t) and t.count("/") <= 1 and any(c.isdigit() for c in t)


def _exact_entry(x, idx):
    where = _fmt_index(idx)
    value = None
    if isinstance(x, Fraction):
        value = x
    elif isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        value = Fraction(int(x))
    elif isinstance(x, sp.Rational):
        value = to_fraction(x)
    elif isinstance(x, str) and _plain_rational(x):
        # fast path for "253/1000", "0.25", "1" (decimal strings are exact, their size bounded)
        value = parse_number(x, what=where, error=InvalidAttentionError)
    if value is None:
        try:
            expr = to_expr(x, what=where)
        except InvalidValueError as exc:
            raise InvalidAttentionError(f"{exc}") from None
        value = to_fraction(expr) if isinstance(expr, sp.Rational) else expr
    if isinstance(value, Fraction):
        if value < 0:
            raise InvalidAttentionError(f"{where} is {value}; attention weights must be non-negative")
    elif value.is_negative:
        raise InvalidAttentionError(f"{where} is {value}, which is negative; attention weights must be non-negative")
    return value


def as_attention(attention, *, head=None, residual=False, normalised=True, exact=None, tokens=None,
                 tolerance=ROW_SUM_TOLERANCE):
    """Validate and convert attention weights to an :class:`Attention` stack.

    Parameters
    ----------
    attention : array, nested lists, list of SymPy matrices, dict, path or Attention
        Shape ``(L, n, n)`` or ``(L, H, n, n)``.  A dict has the key
        ``"attention"`` and optionally ``"tokens"``.  A path is read with
        :func:`load_attention`.
    head : int, optional
        With a head axis: the head to use; ``None`` averages the heads.
    residual : bool
        Apply residual mixing ``0.5 A + 0.5 I`` and renormalise rows.
    normalised : bool
        Require every row to sum to 1 (exactly for exact input, within
        ``tolerance`` for float input, also when ``exact=True`` converts it).  ``False`` accepts any non-negative
        weights.
    exact : bool, optional
        ``None``: exact unless the input is a float array or contains floats.
        ``True``: convert floats to their exact binary rationals.  ``False``:
        use float64.
    tokens : sequence of str, optional
        Token texts (length ``n``).
    tolerance : float
        Only for validating float input.

    Raises
    ------
    InvalidAttentionError
        Wrong shape, negative, NaN/inf or non-numeric entries, rows not summing to 1.

    Examples
    --------
    >>> as_attention(np.full((2, 4, 3, 3), 1 / 3)).kind
    'float'
    >>> as_attention([[["1/2", "1/2"], [1, 0]]], residual=True).matrix(1)
    Matrix([
    [3/4, 1/4],
    [1/2, 1/2]])
    >>> as_attention([[[1, 0], [0, 1]], [[1, 0]]])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: attention is ragged: attention[1] has shape (1, 2), attention[0] has (2, 2)
    """
    if isinstance(attention, Attention):
        return attention.with_residual() if residual else attention
    if isinstance(attention, (str, os.PathLike)):
        return load_attention(attention, head=head, residual=residual, normalised=normalised, exact=exact,
                              tolerance=tolerance, tokens=tokens)
    attention, nested, shape, is_float, tokens = _read_input(attention, tokens)
    _check_shape(shape, head)
    if is_float is None:
        is_float = any(isinstance(_get(nested, idx), (float, np.floating)) for idx in _index_iter(shape))
    use_float = is_float if exact is None else not exact
    if use_float:
        att = _float_attention(attention, nested, shape, head, normalised, tolerance, tokens)
    else:
        if is_float:  # float input converted exactly: its rows are validated as floats, with the tolerance
            as_attention(attention, head=head, normalised=normalised, exact=False, tolerance=tolerance)
            normalised = False
        att = _exact_attention(nested, shape, head, normalised, tokens)
    return att.with_residual() if residual else att


def _read_input(attention, tokens):
    """The input's parts: ``(attention, nested entries, shape, is_float or None, tokens)``."""
    if isinstance(attention, Mapping):
        if attention.get("format", ATTENTION_FORMAT) != ATTENTION_FORMAT:
            raise InvalidAttentionError(
                f"attention document has format {attention.get('format')!r}; expected {ATTENTION_FORMAT!r}")
        if attention.get("version", ATTENTION_VERSION) != ATTENTION_VERSION:
            raise InvalidAttentionError(
                f"attention document has version {attention.get('version')!r}; this symgame reads version "
                f"{ATTENTION_VERSION} (docs/formats.md)")
        if "attention" not in attention:
            raise InvalidAttentionError("an attention dict needs the key 'attention' (and optionally 'tokens')")
        if tokens is None:
            tokens = attention.get("tokens")
        attention = attention["attention"]
    if isinstance(attention, sp.MatrixBase):
        attention = [attention]
    if isinstance(attention, np.ndarray):
        if attention.dtype.kind == "b":
            raise InvalidAttentionError("attention is a boolean array; expected numbers")
        if attention.dtype.kind not in "iufO":
            raise InvalidAttentionError(f"attention has dtype {attention.dtype}; expected numbers")
        shape = list(attention.shape)
        is_float = attention.dtype.kind == "f"
        nested = attention
    elif isinstance(attention, Sequence) and not isinstance(attention, (str, bytes)):
        shape = _nested_shape(attention)
        nested = _flatten(attention)
        is_float = None
    else:
        raise InvalidAttentionError(
            f"attention of type {type(attention).__name__} is not an array, nested list, dict or file path"
        )
    return attention, nested, shape, is_float, tokens


def _check_shape(shape, head):
    """Raise unless ``shape`` is ``(L, n, n)`` or ``(L, H, n, n)`` with a valid ``head``."""
    if len(shape) not in (3, 4):
        raise InvalidAttentionError(
            f"attention has shape {tuple(shape)}; expected (L, n, n) or (L, H, n, n)"
        )
    if shape[-1] != shape[-2]:
        raise InvalidAttentionError(
            f"attention has shape {tuple(shape)}; the last two axes must be equal (n x n matrices)"
        )
    if 0 in shape:
        raise InvalidAttentionError(f"attention has shape {tuple(shape)}; every axis must be non-empty")
    if len(shape) == 3 and head is not None:
        raise InvalidAttentionError(f"head={head!r} was given but attention of shape {tuple(shape)} has no head axis")
    if len(shape) == 4 and head is not None:
        check_int(head, "head", low=0, high=shape[1] - 1, error=InvalidAttentionError,
                  message="{what} {value!r} is out of range; expected an int in {low}..{high}")


def _float_attention(attention, nested, shape, head, normalised, tolerance, tokens):
    """The float64 :class:`Attention` of checked input."""
    try:
        arr = np.asarray(
            attention if isinstance(attention, np.ndarray) else
            [[[float(_to_float(x)) for x in row] for row in m] for m in _as_3d_lists(nested, shape)],
            dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidAttentionError(f"attention has an entry that is not a number: {exc}") from None
    if len(shape) == 4 and not isinstance(attention, np.ndarray):
        arr = arr.reshape(shape)
    data = _float_layers(arr, head, normalised, tolerance)
    att = Attention("float", data, _check_tokens(tokens, shape[-1]))
    return att


def _exact_attention(nested, shape, head, normalised, tokens):
    """The exact (rational or symbolic) :class:`Attention` of checked input, heads averaged exactly."""
    values = {idx: _exact_entry(_get(nested, idx), idx) for idx in _index_iter(shape)}
    symbolic = any(not isinstance(v, Fraction) for v in values.values())
    kind = "symbolic" if symbolic else "rational"
    if symbolic:
        values = {k: exact_value(v) for k, v in values.items()}
    L, n = shape[0], shape[-1]
    layers = []
    for l in range(L):
        rows = []
        for i in range(n):
            if len(shape) == 3:
                row = [values[(l, i, j)] for j in range(n)]
            elif head is not None:
                row = [values[(l, head, i, j)] for j in range(n)]
            else:
                H = shape[1]
                row = [sum((values[(l, h, i, j)] for h in range(H)), 0 * values[(l, 0, i, j)]) / H
                       for j in range(n)]
                if symbolic:
                    row = [sp.expand(x) for x in row]
            rows.append(tuple(row))
        layers.append(tuple(rows))
    if normalised:
        for l, m in enumerate(layers):
            for i, row in enumerate(m):
                total = sum(row, 0 * row[0])
                off = total - 1
                if (isinstance(off, Fraction) and off != 0) or (
                        not isinstance(off, Fraction) and sp.simplify(off).is_zero is False):
                    raise InvalidAttentionError(
                        f"row {i} of attention[{l}] sums to {total}; expected 1 (pass normalised=False to "
                        f"allow non-negative unnormalised weights)"
                    )
    att = Attention(kind, tuple(layers), _check_tokens(tokens, n))
    return att


def _to_float(x):
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{x!r} is a boolean")
    if isinstance(x, str):
        return float(to_expr(x))
    if isinstance(x, sp.Basic):
        if x.free_symbols:
            raise TypeError(f"{x} is symbolic")
        return float(x)
    return float(x)


def _as_3d_lists(nested, shape):
    if len(shape) == 3:
        return nested
    return [row for m in nested for row in m]  # (L*H, n, n), reshaped by the caller


def _float_layers(arr, head, normalised, tolerance):
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = tuple(int(k) for k in np.argwhere(bad)[0])
        raise InvalidAttentionError(f"{_fmt_index(idx)} is {float(arr[idx])!r}; attention weights must be finite")
    if (arr < 0).any():
        idx = tuple(int(k) for k in np.argwhere(arr < 0)[0])
        raise InvalidAttentionError(f"{_fmt_index(idx)} is {float(arr[idx])!r}; attention weights must be non-negative")
    if arr.ndim == 4:
        arr = arr[:, head] if head is not None else arr.mean(axis=1)
    if normalised:
        sums = arr.sum(axis=-1)
        off = np.abs(sums - 1.0) > tolerance
        if off.any():
            l, i = (int(k) for k in np.argwhere(off)[0])
            raise InvalidAttentionError(
                f"row {i} of attention[{l}] sums to {float(sums[l, i])!r}; expected 1 within {tolerance} (pass "
                f"normalised=False to allow non-negative unnormalised weights)"
            )
    arr = np.array(arr, dtype=np.float64)
    arr.setflags(write=False)
    return arr


def _check_tokens(tokens, n):
    if tokens is None:
        return None
    if isinstance(tokens, np.ndarray):
        tokens = tokens.tolist()
    if isinstance(tokens, (str, bytes)) or not isinstance(tokens, Sequence) or len(tokens) != n:
        raise InvalidAttentionError(f"tokens must be a list of {n} strings (one per token), got {tokens!r}")
    return tuple(str(t) for t in tokens)


def load_attention(path, *, head=None, residual=False, normalised=True, exact=None, tokens=None,
                   tolerance=ROW_SUM_TOLERANCE):
    """Read an attention tensor from a ``.json``, ``.npy`` or ``.npz`` file.

    JSON format: either the nested list itself, or an object::

        {"attention": [[["1", "0"], ["1/2", "1/2"]]],   # (L, n, n) or (L, H, n, n)
         "tokens": ["great", "movie"]}                  # optional

    Entries are JSON integers, JSON decimals (read *exactly* as decimals:
    ``0.1`` is 1/10, not the nearest double) or strings parsed by SymPy
    (``"253/1000"``, or a symbol such as ``"a"``).  ``.npz`` files use the
    array ``attention`` (or their only array) and optionally ``tokens``.
    Keyword options as :func:`as_attention`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text('{"attention": [[[1, 0], [0.5, "1/2"]]], "tokens": ["a", "b"]}')
    >>> a = load_attention(p)
    >>> a.kind, a.tokens, a.entry(1, 1, 0)
    ('rational', ('a', 'b'), Fraction(1, 2))
    >>> load_attention(pathlib.Path(tempfile.mkdtemp()) / "missing.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: cannot read attention file ...missing.json': No such file or directory
    """
    path = os.fspath(path)
    opts = dict(head=head, residual=residual, normalised=normalised, exact=exact, tolerance=tolerance)
    suffix = os.path.splitext(path)[1].lower()
    try:
        if suffix == ".npy":
            return as_attention(np.load(path, allow_pickle=False), tokens=tokens, **opts)
        if suffix == ".npz":
            with np.load(path, allow_pickle=False) as data:
                keys = list(data.keys())
                if "attention" in data:
                    arr = data["attention"]
                elif len([k for k in keys if k != "tokens"]) == 1:
                    arr = data[[k for k in keys if k != "tokens"][0]]
                else:
                    raise InvalidAttentionError(
                        f"npz file {path!r} has arrays {keys}; expected one named 'attention'"
                    )
                if tokens is None and "tokens" in data:
                    tokens = data["tokens"].tolist()
            return as_attention(arr, tokens=tokens, **opts)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise InvalidAttentionError(f"cannot read attention file {path!r}: {exc.strerror}") from None
    except ValueError as exc:
        raise InvalidAttentionError(f"cannot read attention file {path!r}: {exc}") from None
    document = loads_json(text, what=f"attention file {path!r}", error=InvalidAttentionError)
    return as_attention(document, tokens=tokens, **opts)



def check_output(att, output, name="output"):
    """``output`` as a token index of ``att`` (``name`` names the argument in the error).

    Examples
    --------
    >>> check_output(as_attention([[[1, 0], [0, 1]]]), 3)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: output 3 is not a token index; expected an int in 0..1
    """
    if not isinstance(output, (int, np.integer)) or isinstance(output, bool) or not 0 <= output < att.n:
        raise InvalidAttentionError(f"{name} {output!r} is not a token index; expected an int in 0..{att.n - 1}")
    return int(output)


def check_layer(att, layer, low=0):
    """``layer`` as a layer number of ``att`` in ``low..L``.

    Examples
    --------
    >>> check_layer(as_attention([[[1, 0], [0, 1]]]), 1)
    1
    """
    return check_int(layer, "layer", low=low, high=att.L, error=InvalidAttentionError,
                     message="{what} {value!r} is out of range; expected an int in {low}..{high}")


def check_source(att, source):
    """``"all"`` (super-source over all input tokens) or a checked input-token index.

    Examples
    --------
    >>> check_source(as_attention([[[1, 0], [0, 1]]]), "all")
    'all'
    """
    if source == "all":
        return "all"
    return check_output(att, source, "source")

