"""Render check results as a text table, JSON and Markdown (the end of the data flow).

Examples
--------
>>> from symgame.checks import Registry
>>> from symgame.verdicts import Verdict
>>> reg = Registry()
>>> @reg.check("demo", statement="s", claim="c", expected="REFUTED")
... def _d(profile):
...     return Verdict.refuted({"witness": 1}, "found one")
>>> print(text_table(reg.run()))  # doctest: +ELLIPSIS
statement  paper's claim  expected  verdict  strength        instances  time  ok
demo       c              REFUTED   REFUTED  counterexample  -          ...s   yes
>>> text_table([1])
Traceback (most recent call last):
...
symgame.errors.InvalidVerdictError: text_table expects CheckResult objects, got int
"""

import json

from .checks import CheckResult
from .errors import InvalidVerdictError

__all__ = ["text_table", "json_report", "markdown_report", "instances", "find_provenance", "provenance_lines"]


def _require_results(results, func):
    for r in results:
        if not isinstance(r, CheckResult):
            raise InvalidVerdictError(f"{func} expects CheckResult objects, got {type(r).__name__}")


def text_table(results, kernel=None):
    """A plain-text table: statement, paper's claim, expected, verdict, strength, instances, time, ok.

    ``kernel`` (statement name -> text, from the Coq layer of ``symgame prove``) adds a ``kernel``
    column; a statement it does not name shows ``-``.

    Examples
    --------
    >>> from symgame.checks import load_proofs
    >>> print(text_table(load_proofs().run(["S0.d"])).splitlines()[1].split()[:2])
    ['S0.d', 'Alice']
    """
    _require_results(results, "text_table")
    header = ("statement", "paper's claim", "expected", "verdict", "strength", "instances", "time", "ok")
    rows = [header + (("kernel",) if kernel is not None else ())]
    for r in results:
        claim = r.check.claim if len(r.check.claim) <= 34 else r.check.claim[:33] + "…"
        rows.append((
            r.check.name,
            claim,
            r.check.expected,
            r.verdict.kind.value,
            r.verdict.strength,
            instances(r),
            f"{r.seconds:.1f}s",
            "yes" if r.ok else "NO",
        ) + ((kernel.get(r.check.name, "-"),) if kernel is not None else ()))
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def instances(result):
    """How many instances a verdict rests on: searched instances, or sizes proved exactly, as text
    (:attr:`CheckResult.instances <symgame.checks.CheckResult.instances>`).

    Examples
    --------
    >>> from symgame.checks import load_proofs
    >>> instances(load_proofs().run(["G.general"])[0])
    '3 (hit)'
    """
    _require_results([result], "instances")
    return result.instances


def json_report(results, kernel=None, **kwargs):
    """The JSON report: a list of objects with ``name``, ``statement``, ``expected``, ``verdict``, ... .

    ``kernel`` (statement name -> record of the Coq layer) adds a ``kernel`` entry to the records it names.

    Examples
    --------
    >>> from symgame.checks import load_proofs
    >>> record = json.loads(json_report(load_proofs().run(["S0.d"])))[0]
    >>> record["name"], record["verdict"], record["certificate"]["talk"]
    ('S0.d', 'PROVED', {'Alice': '6*x', 'Bob': '4*x'})
    >>> json_report(["S0.d"])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidVerdictError: json_report expects CheckResult objects, got str
    """
    _require_results(results, "json_report")
    records = []
    for r in results:
        d = r.to_dict()
        if kernel and r.check.name in kernel:
            d["kernel"] = kernel[r.check.name]
        records.append(d)
    return json.dumps(records, indent=kwargs.pop("indent", 1), **kwargs)


def _short(obj, limit=600):
    text = json.dumps(obj, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + " …"


_PROVENANCE = (("computed_from_code", "Computed from the code"), ("checked_on_instances", "Checked on instances"),
               ("argued", "Argued (structural steps)"))


def find_provenance(certificate):
    """The ``provenance`` record of a certificate (``computed_from_code``, ``checked_on_instances``, ``argued``:
    lists of steps), searched at the top level and one level down; ``None`` when it has none.

    Examples
    --------
    >>> find_provenance({"all_n": {"provenance": {"argued": ["x"]}}})
    {'argued': ['x']}
    >>> find_provenance({"witness": 1}) is None
    True
    """
    if not isinstance(certificate, dict):
        return None
    if isinstance(certificate.get("provenance"), dict):
        return certificate["provenance"]
    for value in certificate.values():
        if isinstance(value, dict) and isinstance(value.get("provenance"), dict):
            return value["provenance"]
    return None


def provenance_lines(certificate):
    """Markdown lines saying which steps of a proof were computed from the code, which checked on instances and
    which argued (empty when the certificate records no provenance).

    Examples
    --------
    >>> provenance_lines({"provenance": {"computed_from_code": ["phi(u_T) = 1/t"], "argued": []}})
    ['*Steps.*', '', '- Computed from the code: phi(u_T) = 1/t', '- Argued (structural steps): none', '']
    """
    prov = find_provenance(certificate)
    if not prov:
        return []
    lines = ["*Steps.*", ""]
    for key, title in _PROVENANCE:
        if key in prov:
            items = prov[key]
            lines.append(f"- {title}: " + ("; ".join(map(str, items)) if items else "none"))
    return lines + [""]


def markdown_report(results, *, profile="quick", notes=(), documents=None, path=None, kernel=None):
    """A Markdown summary of every verdict and its certificate (``proofs/REPORT.md``).

    Parameters
    ----------
    results : list of CheckResult
    profile : str
    notes : iterable of str
    documents : list of str, optional
        The statement documents (``Registry.documents``); the report links each, relative to
        ``path`` (where the report is written), so the links work wherever it is saved.
        Default: the registry's documents.
    path : str, optional
        Where the report will be written (default ``proofs/REPORT.md``).
    kernel : dict, optional
        Statement name -> text of the Coq layer (the ``kernel`` column of ``symgame prove``); when
        given, the table gets a ``kernel`` column (``-`` for statements it does not name).

    Examples
    --------
    >>> from symgame.checks import load_proofs
    >>> md = markdown_report(load_proofs().run(["P3.literal"]))
    >>> "| kernel |" in md
    False
    >>> "| P3.literal |" in markdown_report(load_proofs().run(["P3.literal"]), kernel={"P3.literal": "x"})
    True
    >>> "| ok | kernel |" in markdown_report([], kernel={})
    True
    >>> "| P3.literal |" in md and "What the paper's wording needs to become true" in md
    True
    >>> "(STATEMENTS.md)" in markdown_report([], documents=["/r/proofs/STATEMENTS.md"], path="/r/proofs/REPORT.md")
    True
    >>> "(../r/proofs/STATEMENTS.md)" in markdown_report([], documents=["/r/proofs/STATEMENTS.md"], path="/x/REPORT.md")
    True
    """
    import os

    if results:
        _require_results(results, "markdown_report")
    if documents is None:
        from .checks import REGISTRY

        documents = REGISTRY.documents
    target = path if path is not None else "proofs/REPORT.md"
    here = os.path.dirname(os.path.abspath(target))
    links = ", ".join(f"[`{os.path.basename(d)}`]({os.path.relpath(os.path.abspath(d), here)})"
                      for d in documents) or "`proofs/STATEMENTS.md`"
    lines = [
        "# symgame — verdicts on the propositions",
        "",
        f"Generated by `symgame prove --profile {profile} --markdown {target}`. Every verdict below was",
        "computed; none is typed in. Expected verdicts are claims the computation had to confirm.",
        "What each statement says, the paper's wording, its hypotheses and what its certificate contains:",
        f"{links} (`symgame prove --describe NAME`).",
        "",
        "| statement | paper's claim | expected | verdict | strength | time | ok |"
        + (" kernel |" if kernel is not None else ""),
        "|---|---|---|---|---|---|---|" + ("---|" if kernel is not None else ""),
    ]
    for r in results:
        lines.append(
            f"| {r.check.name} | {r.check.claim} | {r.check.expected} | {r.verdict.kind.value} | "
            f"{r.verdict.strength} | {r.seconds:.1f} s | {'yes' if r.ok else '**NO**'} |"
            + (f" {kernel.get(r.check.name, '-')} |" if kernel is not None else "")
        )
    for note in notes:
        lines += ["", f"> {note}"]
    remedies = [r for r in results if r.check.remedy]
    if remedies:
        lines += ["", "## What the paper's wording needs to become true", ""]
        for r in remedies:
            lines.append(f"- **{r.check.name}** ({r.verdict.kind.value}): {r.check.remedy}")
    proved = [(r, find_provenance(r.to_dict()["certificate"])) for r in results]
    proved = [(r, p) for r, p in proved if p]
    if proved:
        lines += ["", "## What each proof takes from the code", "",
                  "| statement | computed from the code | checked on instances | argued |", "|---|---|---|---|"]
        for r, p in proved:
            cells = [str(len(p.get(key, []))) for key, _title in _PROVENANCE]
            lines.append(f"| {r.check.name} | " + " | ".join(cells) + " |")
        lines += ["", "(number of steps of each kind; the steps are listed under each statement below)"]
    lines += ["", "## Details", ""]
    for r in results:
        d = r.to_dict()
        lines += [
            f"### {r.check.name} — {d['verdict']} ({d['strength']})",
            "",
            f"*Statement.* {r.check.statement}",
            "",
        ]
        if r.check.code:
            lines += ["```python", r.check.code, "```", ""]
        if d["summary"]:
            lines += [f"*Result.* {d['summary']}", ""]
        lines += provenance_lines(d["certificate"])
        lines += ["*Certificate.*", "", "```json", _short(d["certificate"], 1500), "```", ""]
    return "\n".join(lines)
