"""Exact linear forms: the representation behind symbolic values and identities.

A Shapley value (or Banzhaf value, leave-one-out value, ...) of a game whose
coalition values are symbolic is a *linear form* in those values.  Comparing
two such forms coefficient by coefficient is exact linear algebra and needs no
``simplify``; it is what lets symbolic proofs reach larger games (DESIGN.md,
rule 4).

A :class:`LinearForm` maps *atoms* (SymPy expressions that are not sums and
carry no rational factor, such as ``v_{1,2}``, ``x``, ``Min(a, b)`` or ``1``)
to non-zero :class:`fractions.Fraction` coefficients.

Examples
--------
>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> f = LinearForm.from_expr(3*x + y/2)
>>> g = LinearForm.from_expr(x - y/2)
>>> (f + g).as_expr()
4*x
>>> (f - f).is_zero
True
"""

from fractions import Fraction

import sympy as sp

from .exact import to_expr, to_fraction, to_rational

__all__ = ["LinearForm"]


def _split_term(term):
    """Split a non-sum term into (Fraction coefficient, atom)."""
    coeff, rest = term.as_coeff_Mul()
    if isinstance(coeff, sp.Float):  # pragma: no cover - to_expr removes floats first
        coeff = to_expr(float(coeff))
    return to_fraction(coeff), rest


def _has_sum_factor(atom):
    """Whether ``atom`` is a product or power with a sum inside (``x*(y + 1)``, ``(y + 1)**2``, ``x*(y + 1)**2``)."""
    if atom.is_Pow:
        return atom.base.is_Add
    return atom.is_Mul and any(f.is_Add or f.is_Pow and f.base.is_Add for f in atom.args)


def _canonical(atom):
    """``(atom', coefficient)`` pairs whose sum is ``atom``, each ``atom'`` a canonical atom.

    Symbols and products without a rational factor or sum inside are already
    canonical (the common, fast case); anything else (``2*x``, ``x + y``,
    ``x*(y + 1)``, a number) is split with :meth:`LinearForm.from_expr`.
    """
    if isinstance(atom, sp.Symbol) or atom is sp.S.One:
        return ((atom, 1),)
    if isinstance(atom, sp.Expr) and not atom.is_Add and not atom.is_Number and not _has_sum_factor(atom):
        coeff, _ = atom.as_coeff_Mul()
        if coeff is sp.S.One:
            return ((atom, 1),)
    return tuple(LinearForm.from_expr(atom)._terms.items())


def _rational(c):
    return to_rational(c)


def _term(c, atom):
    """``c * atom`` in SymPy's canonical form, built without re-flattening when it is safe."""
    if c == 1:
        return atom
    coeff = _rational(c)
    if atom.is_Symbol:
        return sp.Mul._from_args((coeff, atom), True)
    return coeff * atom


def _addsort_terms(terms):
    """Order distinct, coefficient-split terms as :class:`sympy.Add` does (its canonical order)."""
    from sympy.core.add import _addsort

    terms = list(terms)
    _addsort(terms)
    return terms


class LinearForm:
    """An immutable exact linear combination ``sum_k c_k * atom_k``.

    Parameters
    ----------
    terms : Mapping[sympy.Expr, Fraction or int], optional
        Atom -> coefficient.  Zero coefficients are dropped; a key that is
        not a canonical atom (``2*x``, ``x + y``, a number) is split into
        canonical atoms, so equal expressions give equal forms.

    Notes
    -----
    Building from an expression expands products of sums term by term, so
    ``2*(a + b)`` and ``2*a + 2*b`` give the same form.  Cost is linear in the
    number of terms.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b")
    >>> LinearForm.from_expr(2*(a + b)) == LinearForm.from_expr(2*a + 2*b)
    True
    >>> LinearForm.from_expr(sp.Rational(1, 3)).constant
    Fraction(1, 3)
    """

    __slots__ = ("_terms", "_hash")

    def __init__(self, terms=None):
        clean = {}
        if terms:
            for atom, c in terms.items():
                c = Fraction(c)
                if c:
                    for a, x in _canonical(atom):
                        clean[a] = clean.get(a, 0) + c * x
        self._terms = {a: c for a, c in clean.items() if c}
        self._hash = None

    @classmethod
    def _from_clean(cls, terms):
        obj = cls.__new__(cls)
        obj._terms = terms
        obj._hash = None
        return obj

    @classmethod
    def from_expr(cls, expr):
        """Linear form of a SymPy expression (or number), exactly.

        Examples
        --------
        >>> import sympy as sp
        >>> LinearForm.from_expr(sp.Symbol("x") * 5).terms
        {x: Fraction(5, 1)}
        """
        expr = to_expr(expr)
        acc = {}
        for term in sp.Add.make_args(expr):
            c, atom = _split_term(term)
            if _has_sum_factor(atom):
                expanded = sp.expand(atom)
                if expanded != atom:
                    for sub in sp.Add.make_args(expanded):
                        c2, atom2 = _split_term(sub)
                        acc[atom2] = acc.get(atom2, 0) + c * c2
                    continue
            acc[atom] = acc.get(atom, 0) + c
        return cls._from_clean({a: c for a, c in acc.items() if c})

    @property
    def terms(self):
        """A copy of the atom -> coefficient dictionary."""
        return dict(self._terms)

    def items(self):
        """``(atom, coefficient)`` pairs without copying (read-only use; :meth:`terms` copies).

        Examples
        --------
        >>> sorted(LinearForm.from_expr(2 * sp.Symbol("x") + 1).items(), key=str)
        [(1, Fraction(1, 1)), (x, Fraction(2, 1))]
        """
        return self._terms.items()

    @property
    def constant(self):
        """The coefficient of the atom ``1``."""
        return self._terms.get(sp.S.One, Fraction(0))

    @property
    def is_zero(self):
        """True when every coefficient is zero (exact)."""
        return not self._terms

    def coefficient(self, atom):
        """Coefficient of ``atom`` (zero if absent)."""
        return self._terms.get(atom, Fraction(0))

    def as_expr(self):
        """The SymPy expression of this form.

        Examples
        --------
        >>> import sympy as sp
        >>> LinearForm({sp.Symbol("a"): Fraction(1, 2)}).as_expr()
        a/2
        """
        if not self._terms:
            return sp.S.Zero
        constant = self._terms.get(sp.S.One)
        others = [_term(c, a) for a, c in self._terms.items() if a is not sp.S.One]
        if len(others) < 2 or not all(t.is_commutative for t in others):
            return sp.Add(*others, *([_rational(constant)] if constant else []))
        ordered = _addsort_terms(others)
        if constant:
            ordered.insert(0, _rational(constant))
        return sp.Add._from_args(ordered)

    def __add__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        acc = dict(self._terms)
        for a, c in other._terms.items():
            s = acc.get(a, 0) + c
            if s:
                acc[a] = s
            else:
                acc.pop(a, None)
        return LinearForm._from_clean(acc)

    __radd__ = __add__

    def __neg__(self):
        return LinearForm._from_clean({a: -c for a, c in self._terms.items()})

    def __sub__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, scalar):
        if isinstance(scalar, sp.Rational):
            scalar = to_fraction(scalar)
        if not isinstance(scalar, (int, Fraction)):
            return NotImplemented
        if not scalar:
            return LinearForm._from_clean({})
        return LinearForm._from_clean({a: c * scalar for a, c in self._terms.items()})

    __rmul__ = __mul__

    def __eq__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return self._terms == other._terms

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(frozenset(self._terms.items()))
        return self._hash

    def __repr__(self):
        return f"LinearForm({self.as_expr()})"


def _coerce(other):
    if isinstance(other, LinearForm):
        return other
    if isinstance(other, (int, Fraction, sp.Expr, float)):
        return LinearForm.from_expr(other)
    return NotImplemented
