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

``UNDECIDED`` is reported when a symbolic condition could not be decided or an
optional dependency is missing; it never matches an expected verdict.

Strength is part of an expected verdict: ``"PROVED (n <= 5)"`` needs a proof
for every size up to at least 5 (a ``PROVED (all n)`` also satisfies it);
``"CHECKED (k >= 200)"`` needs at least 200 distinct *decided* instances, and a
bare ``"CHECKED"`` means :data:`MIN_CHECKED` of them.  A ``CHECKED`` verdict
that skipped any instance (the claim did not apply, e.g. the code raised)
satisfies no expectation: a skipped instance is a failure of the check.

Examples
--------
>>> v = Verdict.proved_up_to(8, {"sizes": [1, 2]})
>>> str(v), v.matches("PROVED (n <= 5)"), v.matches("PROVED (n <= 9)"), v.matches("PROVED (all n)")
('PROVED (n <= 8)', True, False, False)
>>> Verdict.checked(250, {}).matches("CHECKED (k >= 200)"), Verdict.checked(150, {}).matches("CHECKED")
(True, False)
>>> str(Verdict.checked(250, {}, skipped=3)), Verdict.checked(250, {}, skipped=3).matches("CHECKED (k >= 200)")
('CHECKED (250 instances, 3 skipped)', False)
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
from typing import NamedTuple

from .errors import InvalidVerdictError
from .jsonio import to_jsonable

__all__ = ["Kind", "Verdict", "Verdicts", "Expected", "MIN_CHECKED", "jsonable", "parse_expected", "missing_dependency"]

#: Distinct decided instances a bare expected ``"CHECKED"`` requires.
MIN_CHECKED = 200


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
    def checked(cls, instances, certificate, summary="", *, skipped=0):
        """``CHECKED (k instances)``: no counterexample among ``instances`` distinct, decided exact instances.

        ``skipped`` counts the instances on which the claim could not be decided (they are named in the
        strength, ``"k instances, s skipped"``, and make the verdict satisfy no expectation).
        """
        strength = f"{instances} instances" + (f", {skipped} skipped" if skipped else "")
        return cls(Kind.CHECKED, strength, certificate, summary)

    @classmethod
    def refuted(cls, certificate, summary=""):
        """``REFUTED``: the certificate holds one explicit exact counterexample."""
        return cls(Kind.REFUTED, "counterexample", certificate, summary)

    @classmethod
    def undecided(cls, reason, certificate=None, summary=""):
        """``UNDECIDED``: the computation could not decide (e.g. a symbolic sign is unknown)."""
        return cls(Kind.UNDECIDED, reason, certificate or {}, summary)

    @classmethod
    def missing(cls, extra, detail=""):
        """``UNDECIDED`` because the optional extra ``extra`` is not installed (see :func:`missing_dependency`).

        Examples
        --------
        >>> v = Verdict.missing("transformers")
        >>> str(v), v.strength, missing_dependency(v)
        ('UNDECIDED', "missing optional extra 'transformers'", 'transformers')
        """
        return cls(Kind.UNDECIDED, f"missing optional extra {extra!r}", {"missing_dependency": extra,
                                                                        "detail": detail},
                   f'not decided: install the extra (pip install "symgame[{extra}]") {detail}'.strip())

    # -------------------------------------------------------------- strength
    @property
    def instances(self):
        """Distinct decided instances of a ``CHECKED`` verdict (``None`` otherwise)."""
        m = _CHECKED_STRENGTH.match(self.strength) if self.kind is Kind.CHECKED else None
        return int(m.group(1)) if m else None

    @property
    def skipped(self):
        """Instances a ``CHECKED`` verdict could not decide (0 when none, ``None`` for other kinds)."""
        m = _CHECKED_STRENGTH.match(self.strength) if self.kind is Kind.CHECKED else None
        return int(m.group(2) or 0) if m else None

    @property
    def bound(self):
        """``N`` of a ``PROVED (n <= N)`` verdict, ``inf`` for ``PROVED (all n)``, else ``None``."""
        if self.kind is not Kind.PROVED:
            return None
        if self.strength == "all n":
            return float("inf")
        m = _BOUND.match(self.strength)
        return int(m.group(1)) if m else None

    # -------------------------------------------------------------- queries
    def __str__(self):
        if self.kind in (Kind.PROVED, Kind.CHECKED):
            return f"{self.kind.value} ({self.strength})"
        return self.kind.value

    def __repr__(self):
        """One line: the verdict, its summary (cut at 80 characters) and the certificate's keys;
        :meth:`render` gives everything.

        Examples
        --------
        >>> Verdict.refuted({"game": "g", "phi": [1, 2]}, "phi != LOO on a 2-player game")
        <Verdict REFUTED: phi != LOO on a 2-player game; certificate: game, phi>
        """
        text = str(self) if self.kind is not Kind.UNDECIDED else f"UNDECIDED ({self.strength})"
        summary = self.summary if len(self.summary) <= 80 else self.summary[:79] + "…"
        keys = list(self.certificate) if isinstance(self.certificate, Mapping) else []
        shown = ", ".join(map(str, keys[:6])) + (f", … ({len(keys)} keys)" if len(keys) > 6 else "")
        return (f"<Verdict {text}" + (f": {summary}" if summary else "")
                + (f"; certificate: {shown}" if keys else "") + ">")

    def render(self, *, width=None):
        """The whole verdict as text: verdict, summary and the certificate as indented JSON (exact
        numbers as strings).  ``width`` cuts the certificate to that many characters.

        Examples
        --------
        >>> print(Verdict.proved_up_to(3, {"sizes": [1, 2, 3]}, "checked per size").render())
        PROVED (n <= 3)
        checked per size
        certificate:
        {
         "sizes": [
          1,
          2,
          3
         ]
        }
        """
        cert = json.dumps(jsonable(self.certificate), indent=1, ensure_ascii=False)
        if width is not None and len(cert) > width:
            cert = cert[:width] + " …"
        head = str(self) if self.kind is not Kind.UNDECIDED else f"UNDECIDED ({self.strength})"
        return "\n".join([head] + ([self.summary] if self.summary else []) + ["certificate:", cert])

    def matches(self, expected):
        """Whether this verdict is the ``expected`` one (see :func:`parse_expected`).

        Examples
        --------
        >>> Verdict.checked(10, {}).matches("CHECKED (k >= 10)"), Verdict.checked(10, {}).matches("CHECKED")
        (True, False)
        """
        want = parse_expected(expected)
        if self.kind != want.kind:
            return False
        if want.kind is Kind.PROVED:
            if want.scope == "all n":
                return self.strength == "all n"
            if want.scope == "bounded":
                return self.bound is not None and self.bound >= want.minimum
            return True
        if want.kind is Kind.CHECKED:
            return self.instances is not None and self.skipped == 0 and self.instances >= want.minimum
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


class Verdicts(dict):
    """A dict of named verdicts (axiom -> :class:`Verdict`) whose repr is one short line per verdict
    and whose :meth:`render` prints each in full.

    Examples
    --------
    >>> vs = Verdicts(efficiency=Verdict.proved_for_all({"steps": [1]}), symmetry=Verdict.refuted({"game": "g"}))
    >>> vs
    Verdicts(efficiency=PROVED (all n), symmetry=REFUTED)
    >>> vs["symmetry"].kind is Kind.REFUTED, isinstance(vs, dict)
    (True, True)
    >>> print(vs.render(width=40).splitlines()[0])
    efficiency: PROVED (all n)
    """

    def __repr__(self):
        return "Verdicts(" + ", ".join(f"{k}={v}" for k, v in self.items()) + ")"

    def render(self, *, width=None):
        """Every verdict in full (:meth:`Verdict.render`), each under its name."""
        parts = []
        for name, verdict in self.items():
            text = verdict.render(width=width) if isinstance(verdict, Verdict) else repr(verdict)
            first, _, rest = text.partition("\n")
            parts.append(f"{name}: {first}" + (f"\n{rest}" if rest else ""))
        return "\n\n".join(parts)


_EXPECTED = re.compile(r"^\s*(PROVED|CHECKED|REFUTED)\s*(?:\((.*)\))?\s*$")
_BOUND = re.compile(r"^\s*n\s*<=\s*(\d+|N)\s*$")
_MIN_K = re.compile(r"^\s*k\s*>=\s*(\d+)\s*$")
_CHECKED_STRENGTH = re.compile(r"^(\d+) instances(?:, (\d+) skipped)?$")
_FORMS = "'PROVED (all n)', 'PROVED (n <= 5)', 'PROVED', 'CHECKED (k >= 200)', 'CHECKED', 'REFUTED'"


class Expected(NamedTuple):
    """A parsed expected verdict: kind, scope (``"all n"``, ``"bounded"`` or ``None``) and minimum strength.

    ``minimum`` is the least ``N`` of ``PROVED (n <= N)`` or the least number of distinct decided
    instances of ``CHECKED`` (``None`` for other forms).
    """

    kind: Kind
    scope: str = None
    minimum: int = None


def parse_expected(expected):
    """Parse an expected verdict such as ``"PROVED (all n)"``, ``"PROVED (n <= 5)"``, ``"CHECKED (k >= 200)"``.

    ``"PROVED (n <= N)"`` (a literal ``N``) asks for any bound; ``"CHECKED"`` and
    ``"CHECKED (k instances)"`` ask for :data:`MIN_CHECKED` instances.

    Returns
    -------
    Expected
        ``(kind, scope, minimum)``.

    Examples
    --------
    >>> parse_expected("PROVED (n <= 5)")
    Expected(kind=<Kind.PROVED: 'PROVED'>, scope='bounded', minimum=5)
    >>> parse_expected("CHECKED").minimum
    200
    >>> parse_expected("probably")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidVerdictError: expected verdict 'probably' is not one of 'PROVED (all n)', 'PROVED (n <= 5)', 'PROVED', 'CHECKED (k >= 200)', 'CHECKED', 'REFUTED'
    """
    m = _EXPECTED.match(str(expected))
    if not m:
        raise InvalidVerdictError(f"expected verdict {expected!r} is not one of {_FORMS}")
    kind = Kind(m.group(1))
    inner = (m.group(2) or "").strip()
    if kind is Kind.PROVED and inner:
        if inner == "all n":
            return Expected(kind, "all n")
        bound = _BOUND.match(inner)
        if bound is None:
            raise InvalidVerdictError(f"expected verdict {expected!r}: the strength of PROVED must be 'all n' "
                                      f"or 'n <= N' with N a number, got {inner!r}")
        return Expected(kind, "bounded", 1 if bound.group(1) == "N" else int(bound.group(1)))
    if kind is Kind.CHECKED:
        if not inner or inner == "k instances":
            return Expected(kind, None, MIN_CHECKED)
        k = _MIN_K.match(inner)
        if k is None:
            raise InvalidVerdictError(f"expected verdict {expected!r}: the strength of CHECKED must be "
                                      f"'k >= K' with K a number, got {inner!r}")
        return Expected(kind, None, int(k.group(1)))
    return Expected(kind)


def missing_dependency(verdict):
    """The optional extra whose absence left ``verdict`` UNDECIDED, or ``None``."""
    if verdict.kind is not Kind.UNDECIDED or not isinstance(verdict.certificate, Mapping):
        return None
    return verdict.certificate.get("missing_dependency")


#: Certificates to JSON-ready data: :func:`symgame.jsonio.to_jsonable` (kept under its old name).
jsonable = to_jsonable
