"""Verdicts and certificates shared by the axiom checkers and ``proofs/``.

A :class:`Verdict` records what a computation established about a statement
(proofs/STATEMENTS.md, "Verdicts, strength and certificates"), strongest first:

============  ===================  ==============================================
kind          strength             certificate
============  ===================  ==============================================
``PROVED``    ``"all n"``          a symbolic derivation (``n`` a SymPy symbol)
``PROVED``    ``"n <= N"``         the identity checked exactly for each size
``CHECKED``   ``"k instances"``    strategy, seed, sizes, number of instances
``REFUTED``   ``"counterexample"`` one explicit exact instance, re-verified
============  ===================  ==============================================

``UNDECIDED`` is reported when a symbolic condition could not be decided; it
never matches an expected verdict.

Examples
--------
>>> v = Verdict.proved_up_to(8, {"sizes": [1, 2]})
>>> str(v), v.matches("PROVED (n <= N)"), v.matches("PROVED (all n)")
('PROVED (n <= 8)', True, False)
>>> Verdict.refuted({"game": "..."}).to_dict()["verdict"]
'REFUTED'
>>> Verdict("MAYBE", "x", {})
Traceback (most recent call last):
...
symgame.errors.InvalidVerdictError: verdict kind must be one of PROVED, CHECKED, REFUTED, UNDECIDED; got 'MAYBE'
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from .errors import InvalidVerdictError
from .jsonio import to_jsonable

__all__ = ["Kind", "Verdict", "jsonable", "parse_expected"]


class Kind(str, Enum):
    """The kind of a verdict."""

    PROVED = "PROVED"
    CHECKED = "CHECKED"
    REFUTED = "REFUTED"
    UNDECIDED = "UNDECIDED"

    def __str__(self):
        return self.value


@dataclass(frozen=True)
class Verdict:
    """The computed outcome of deciding a statement, with its certificate.

    Parameters
    ----------
    kind : Kind or str
        ``PROVED``, ``CHECKED``, ``REFUTED`` or ``UNDECIDED``.
    strength : str
        ``"all n"``, ``"n <= N"``, ``"k instances"``, ``"counterexample"`` or a reason.
    certificate : Mapping
        What a reader needs to re-check the verdict; converted with :func:`jsonable`.
    summary : str
        One line in words.

    Examples
    --------
    >>> v = Verdict.checked(300, {"seed": 0}, "no counterexample")
    >>> str(v), v.matches("CHECKED"), v.to_dict()["strength"]
    ('CHECKED (300 instances)', True, '300 instances')
    >>> Verdict("PROBABLY", "", {})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidVerdictError: verdict kind must be one of PROVED, CHECKED, REFUTED, UNDECIDED; got 'PROBABLY'
    """

    kind: Kind
    strength: str
    certificate: Mapping = field(default_factory=dict)
    summary: str = ""

    def __post_init__(self):
        try:
            kind = Kind(str(self.kind))
        except ValueError:
            raise InvalidVerdictError(
                f"verdict kind must be one of {', '.join(k.value for k in Kind)}; got {self.kind!r}"
            ) from None
        object.__setattr__(self, "kind", kind)

    # -------------------------------------------------------------- constructors
    @classmethod
    def proved_for_all(cls, certificate, summary=""):
        """``PROVED (all n)``: a derivation valid for every size."""
        return cls(Kind.PROVED, "all n", certificate, summary)

    @classmethod
    def proved_up_to(cls, bound, certificate, summary=""):
        """``PROVED (n <= bound)``: checked exactly, fully symbolically, for each size up to ``bound``."""
        return cls(Kind.PROVED, f"n <= {bound}", certificate, summary)

    @classmethod
    def checked(cls, instances, certificate, summary=""):
        """``CHECKED (k instances)``: no counterexample among ``instances`` exact instances."""
        return cls(Kind.CHECKED, f"{instances} instances", certificate, summary)

    @classmethod
    def refuted(cls, certificate, summary=""):
        """``REFUTED``: the certificate holds one explicit exact counterexample."""
        return cls(Kind.REFUTED, "counterexample", certificate, summary)

    @classmethod
    def undecided(cls, reason, certificate=None, summary=""):
        """``UNDECIDED``: the computation could not decide (e.g. a symbolic sign is unknown)."""
        return cls(Kind.UNDECIDED, reason, certificate or {}, summary)

    # -------------------------------------------------------------- queries
    def __str__(self):
        if self.kind in (Kind.PROVED, Kind.CHECKED):
            return f"{self.kind.value} ({self.strength})"
        return self.kind.value

    def matches(self, expected):
        """Whether this verdict is the ``expected`` one (see :func:`parse_expected`).

        Examples
        --------
        >>> Verdict.checked(10, {}).matches("CHECKED")
        True
        """
        kind, scope = parse_expected(expected)
        if self.kind != kind:
            return False
        if kind is Kind.PROVED and scope is not None:
            return (self.strength == "all n") == (scope == "all n")
        return True

    def to_dict(self):
        """A JSON-ready dict: ``verdict``, ``strength``, ``certificate``, ``summary``."""
        return {
            "verdict": self.kind.value,
            "strength": self.strength,
            "summary": self.summary,
            "certificate": jsonable(self.certificate),
        }

    def to_json(self, **kwargs):
        """The verdict as a JSON string."""
        return json.dumps(self.to_dict(), **kwargs)


_EXPECTED = re.compile(r"^\s*(PROVED|CHECKED|REFUTED)\s*(?:\((.*)\))?\s*$")


def parse_expected(expected):
    """Parse an expected verdict such as ``"PROVED (all n)"``, ``"PROVED (n <= N)"`` or ``"REFUTED"``.

    Returns
    -------
    (Kind, str or None)
        The kind and, for ``PROVED``, ``"all n"`` or ``"bounded"``.

    Examples
    --------
    >>> parse_expected("PROVED (n <= N)")
    (<Kind.PROVED: 'PROVED'>, 'bounded')
    >>> parse_expected("probably")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidVerdictError: expected verdict 'probably' is not one of 'PROVED (all n)', 'PROVED (n <= N)', 'CHECKED', 'REFUTED'
    """
    m = _EXPECTED.match(str(expected))
    if not m:
        raise InvalidVerdictError(
            f"expected verdict {expected!r} is not one of 'PROVED (all n)', 'PROVED (n <= N)', 'CHECKED', 'REFUTED'"
        )
    kind = Kind(m.group(1))
    scope = None
    if kind is Kind.PROVED and m.group(2):
        scope = "all n" if m.group(2).strip() == "all n" else "bounded"
    return kind, scope


#: Certificates to JSON-ready data: :func:`symgame.jsonio.to_jsonable` (kept under its old name).
jsonable = to_jsonable
