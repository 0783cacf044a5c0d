"""Statement documents: the Markdown files that say, in words, what each check decides.

A statement document (this project's is ``proofs/STATEMENTS.md``) has one section per check,
headed ``### `NAME` `` and holding an ``- **Expected:** `VERDICT` `` line.  A package that
registers checks also registers its document with :meth:`symgame.checks.Registry.document`;
``symgame prove --describe NAME`` prints the sections and a test keeps the document and the
registry in step.

Examples
--------
>>> text = '''# Doc
... ### `A.x`
... - **Expected:** `PROVED (all n)`
... - **Statement:** something holds.
... ## B family
... ### `B.y`
... - **Expected:** `REFUTED`
... '''
>>> sections = parse_statements(text)
>>> list(sections), sections["A.x"].expected
(['A.x', 'B.y'], 'PROVED (all n)')
>>> print(sections["A.x"].text)
### `A.x`
- **Expected:** `PROVED (all n)`
- **Statement:** something holds.
>>> parse_statements("### `A.x`\\n### `A.x`\\n")
Traceback (most recent call last):
...
symgame.errors.StatementDocumentError: statement document <text>: section 'A.x' appears twice (lines 1 and 2)
"""

import re
from dataclasses import dataclass

from .errors import StatementDocumentError

__all__ = ["StatementSection", "parse_statements", "read_statements"]

_HEADING = re.compile(r"^###\s+`([^`]+)`\s*$")
_EXPECTED = re.compile(r"^-\s+\*\*Expected:\*\*\s+`([^`]+)`")


@dataclass(frozen=True)
class StatementSection:
    """One statement's section of a statement document.

    Attributes
    ----------
    name : str
        The check name of the heading.
    expected : str or None
        The verdict of the ``Expected`` line (None when the section has none).
    text : str
        The section's Markdown, heading included, trailing blank lines removed.
    source : str
        Where it was read from (a path, or ``"<text>"``).
    line : int
        The heading's line number (1-based).
    """

    name: str
    expected: str
    text: str
    source: str = "<text>"
    line: int = 0


def parse_statements(text, source="<text>"):
    """The sections of a statement document, by check name, in document order.

    A section runs from its ``### `NAME` `` heading to the next heading of level 1-3 or the next
    HTML comment (``<!--`` at the start of a line).

    Parameters
    ----------
    text : str
        The Markdown document.
    source : str
        Its name for messages.

    Returns
    -------
    dict[str, StatementSection]

    Raises
    ------
    StatementDocumentError
        A name heads two sections.

    Examples
    --------
    >>> parse_statements("intro only")
    {}
    """
    lines = text.splitlines()
    sections = {}
    starts = [(k, m.group(1)) for k, line in enumerate(lines) if (m := _HEADING.match(line))]
    bounds = [k for k, line in enumerate(lines) if re.match(r"^(#{1,3}\s|<!--)", line)] + [len(lines)]
    for k, name in starts:
        end = min(b for b in bounds if b > k)
        body = lines[k:end]
        while body and not body[-1].strip():
            body.pop()
        expected = next((m.group(1) for line in body if (m := _EXPECTED.match(line))), None)
        if name in sections:
            raise StatementDocumentError(
                f"statement document {source}: section {name!r} appears twice "
                f"(lines {sections[name].line} and {k + 1})")
        sections[name] = StatementSection(name, expected, "\n".join(body), source, k + 1)
    return sections


def read_statements(path):
    """Read and parse the statement document at ``path`` (see :func:`parse_statements`).

    Raises
    ------
    StatementDocumentError
        The file cannot be read as UTF-8 text, or a name heads two sections.

    Examples
    --------
    >>> read_statements("no/such/STATEMENTS.md")
    Traceback (most recent call last):
    ...
    symgame.errors.StatementDocumentError: cannot read statement document 'no/such/STATEMENTS.md': No such file or directory
    """
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StatementDocumentError(f"cannot read statement document {str(path)!r}: {reason}") from None
    return parse_statements(text, source=str(path))
