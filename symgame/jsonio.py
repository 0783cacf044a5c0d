"""JSON and files: exact values to JSON-ready data, and atomic writes (temp file + ``os.replace``) for every file symgame writes.

:func:`to_jsonable` is the one conversion of results and certificates to JSON data (numbers stay
exact as strings); :func:`write_text_atomic` / :func:`write_json_atomic` / :func:`atomic_path` are
the only way the package writes a file, so a reader never sees half a report and an interrupted
run leaves the old file in place.

Examples
--------
>>> import json, pathlib, tempfile
>>> import sympy as sp
>>> path = pathlib.Path(tempfile.mkdtemp()) / "phi.json"
>>> write_json_atomic(path, {"phi": {frozenset({1, 2}): sp.Rational(1, 3)}})
>>> json.loads(path.read_text())
{'phi': {'[1, 2]': '1/3'}}
>>> write_text_atomic(pathlib.Path(tempfile.mkdtemp()) / "no" / "such" / "dir.txt", "x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symgame.errors.FileWriteError: cannot write '.../no/such/dir.txt': there is no directory '.../no/such'
"""

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from enum import Enum
from fractions import Fraction

import numpy as np
import sympy as sp

from .errors import FileWriteError
from .results import TupleResult

__all__ = ["to_jsonable", "json_key", "dumps", "atomic_path", "write_text_atomic", "write_json_atomic"]


def to_jsonable(obj, *, number=None, key=None, sort_sets="repr"):
    """Convert results and certificates to JSON-ready data, keeping numbers exact as strings.

    SymPy expressions and fractions become strings (``"27/500"``, ``"6*x"``), sets become sorted
    lists, objects with ``to_json`` (a :class:`~symgame.game.Game`) their JSON document, objects with
    ``to_dict`` their dict, NumPy arrays nested lists, enums their value.

    Parameters
    ----------
    obj : object
    number : callable, optional
        ``number(x) -> str`` for a Fraction or SymPy value (default: ``str`` / ``sp.sstr``); floats stay floats.
    key : callable, optional
        ``key(k) -> str`` for dict keys (default :func:`json_key`).
    sort_sets : {"repr", "text"}
        Order set members by the ``repr`` of the members, or by the text of their converted form.

    Examples
    --------
    >>> to_jsonable({"phi": {frozenset({1, 2}): sp.Rational(1, 3)}, "ok": True})
    {'phi': {'[1, 2]': '1/3'}, 'ok': True}
    >>> to_jsonable([Fraction(1, 2), 0.5], number=lambda x: f"<{x}>")
    ['<1/2>', 0.5]
    """
    def again(x):
        return to_jsonable(x, number=number, key=key, sort_sets=sort_sets)

    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, np.bool_):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj)
    if isinstance(obj, Fraction):
        return str(obj) if number is None else number(obj)
    if isinstance(obj, sp.Basic):
        return sp.sstr(obj) if number is None else number(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, np.ndarray):
        return [again(x) for x in obj.tolist()]
    if hasattr(obj, "to_json") and not isinstance(obj, Mapping):
        return obj.to_json()
    if isinstance(obj, Mapping):
        to_key = json_key if key is None else key
        return {to_key(k): again(v) for k, v in obj.items()}
    if isinstance(obj, (frozenset, set)):
        if sort_sets == "text":
            return sorted((again(x) for x in obj), key=str)
        return [again(x) for x in sorted(obj, key=repr)]
    if isinstance(obj, (list, tuple, TupleResult)):
        return [again(x) for x in obj]
    if hasattr(obj, "to_dict"):
        return again(obj.to_dict())
    return repr(obj)


def json_key(k):
    """A dict key as JSON text: strings as they are, coalitions (sets, tuples) as JSON lists.

    Examples
    --------
    >>> json_key("a"), json_key(frozenset({2, 1})), json_key(sp.Rational(1, 2))
    ('a', '[1, 2]', '1/2')
    """
    if isinstance(k, str):
        return k
    if isinstance(k, (frozenset, set, list, tuple)):
        return json.dumps(to_jsonable(k))
    return str(to_jsonable(k))


def dumps(obj, **kwargs):
    """``json.dumps(to_jsonable(obj))``, indent 1 unless given.

    Examples
    --------
    >>> print(dumps({"v": sp.Rational(2, 3)}, indent=None))
    {"v": "2/3"}
    """
    kwargs.setdefault("indent", 1)
    return json.dumps(to_jsonable(obj), **kwargs)


@contextlib.contextmanager
def atomic_path(path):
    """A temporary path next to ``path`` (same directory and suffix); moved onto ``path`` by
    :func:`os.replace` when the block succeeds, removed when it fails.

    The new file gets the permissions a plain ``open(path, "w")`` would give it (the umask's), or
    those of the file it replaces.  A path that cannot be written (empty, a directory, in a missing
    directory, not writable) raises :class:`~symgame.errors.FileWriteError` (also an ``OSError``)
    naming it, before anything is written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "plot.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("drawn")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('drawn', ['plot.txt'])
    """
    from pathlib import Path

    text = os.fspath(path)
    if not str(text).strip():
        raise FileWriteError("cannot write a file at an empty path")
    path = Path(text)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise FileWriteError(f"cannot write {str(path)!r}: it is a directory")
    if not directory.is_dir():
        raise FileWriteError(f"cannot write {str(path)!r}: there is no directory {str(directory)!r}")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=path.suffix or ".tmp")
    except OSError as exc:
        raise FileWriteError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp)
    try:
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(path, text, *, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically: a temp file in the same directory, then ``os.replace``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "report.md"
    >>> write_text_atomic(p, "# report\\n"); p.read_text()
    '# report\\n'
    """
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding=encoding) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())


def write_json_atomic(path, obj, *, indent=1):
    """Write ``obj`` (through :func:`to_jsonable`) as JSON with a final newline, atomically.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "v.json"
    >>> write_json_atomic(p, [Fraction(1, 3)]); p.read_text()
    '[\\n "1/3"\\n]\\n'
    """
    write_text_atomic(path, json.dumps(to_jsonable(obj), indent=indent) + "\n")
