"""The one result style: frozen dataclasses that still unpack and index like the tuples they replaced.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Pair(TupleResult):
...     low: int
...     high: int
>>> p = Pair(1, 3)
>>> low, high = p
>>> p.high, p[0], len(p), tuple(p)
(3, 1, 2, (1, 3))
>>> p[2]
Traceback (most recent call last):
...
IndexError: tuple index out of range
"""

from dataclasses import fields

__all__ = ["TupleResult"]


class TupleResult:
    """Mixin for dataclass results: iteration, ``len`` and indexing over the fields in order.

    Results used to be namedtuples; code that unpacks them (``value, flow = ...``), indexes them or
    writes them to JSON (as a list) keeps working, and the attributes are documented fields.
    """

    __slots__ = ()

    def __iter__(self):
        return iter(tuple(getattr(self, f.name) for f in fields(self)))

    def __len__(self):
        return len(fields(self))

    def __getitem__(self, index):
        return tuple(self)[index]
