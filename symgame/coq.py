"""The Coq layer: find ``coqc``, compile a Coq development cached by file hash, audit it, report per statement.

A *development* is a directory of ``.v`` files (this project's is ``proofs/coq``, logical path
``Symgame``) with a ``THEOREMS.txt`` that maps statement names to theorems::

    S0.a   Shapley.v   shapley_efficiency
    S0.a   Shapley.v   shapley_null
    P2.exists  -  needs the max-flow min-cut theorem, not formalised yet

(several lines may name one statement: it is machine-checked when every theorem is; ``-`` and a
reason list a statement that is *not* machine-checked.)  :func:`check_development` compiles the
files in dependency order into a cache directory keyed by the hashes of the files and of
``coqc --version`` (written atomically: built in a temporary directory, then renamed), greps the
sources for ``Admitted``/``admit``/``Axiom``/``Parameter``/``Conjecture``, and runs ``Print
Assumptions`` on every listed theorem, accepting only "Closed under the global context" or axioms
of Coq's standard library (:data:`STDLIB_AXIOMS`).  The verdict of each statement is a
:class:`KernelResult`.

Examples
--------
>>> parse_theorems("S0.a Shapley.v shapley_efficiency\\nP2.exists - max-flow min-cut not formalised\\n")
{'S0.a': [('Shapley.v', 'shapley_efficiency')], 'P2.exists': 'max-flow min-cut not formalised'}
>>> find_admits_in_text("Lemma x : True. Proof. (* admit *) exact I. Qed.", "A.v")
[]
>>> find_admits_in_text("Lemma x : False.\\nAdmitted.", "A.v")
[('A.v', 2, 'Admitted')]
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CoqError, CoqNotFoundError
from .jsonio import write_json_atomic, write_text_atomic

__all__ = ["COQ_INSTALL_HINT", "COQ_WARNINGS", "LOGICAL_PATH", "STDLIB_AXIOMS", "MACHINE_CHECKED", "NOT_PROVED",
           "FAILED", "KernelResult", "KernelReport", "find_coqc", "coq_version", "cache_root", "parse_theorems",
           "read_theorems", "strip_comments", "find_admits_in_text", "find_admits", "source_files",
           "compile_development", "coqc_command", "run_coq_file", "print_assumptions", "parse_assumptions",
           "check_development"]

#: How to install the Coq layer on Debian/Ubuntu (the packages CI installs).
COQ_INSTALL_HINT = "apt-get install -y coq libcoq-mathcomp-ssreflect libcoq-mathcomp-algebra"

#: Warnings Debian's MathComp 1.15 triggers on every file; silenced so the output stays readable.
COQ_WARNINGS = "-notation-overridden,-ambiguous-paths,-notation-incompatible-format"

#: The logical path the development is compiled under (``From Symgame Require Import Shapley``).
LOGICAL_PATH = "Symgame"

#: Axioms of Coq's standard library that ``Print Assumptions`` may list (by their last name part).
STDLIB_AXIOMS = frozenset({
    "functional_extensionality_dep", "proof_irrelevance", "propositional_extensionality", "classic",
    "constructive_indefinite_description", "Extensionality_Ensembles", "eq_rect_eq", "JMeq_eq",
})

MACHINE_CHECKED = "machine-checked (Coq)"
NOT_PROVED = "not in Coq"
FAILED = "FAILED (Coq)"

_ADMIT_WORDS = ("Admitted", "admit", "give_up", "Axiom", "Axioms", "Parameter", "Parameters", "Conjecture")
_ADMIT_RE = re.compile(r"(?<![\w.'])(" + "|".join(_ADMIT_WORDS) + r")(?![\w'])")
_THEOREM_RE = r"(?m)^\s*(?:Local\s+)?(?:Theorem|Lemma|Corollary|Proposition|Fact|Remark)\s+{name}(?![\w'])"
_REQUIRE_RE = re.compile(r"From\s+" + LOGICAL_PATH + r"\s+Require\s+(?:Import\s+|Export\s+)?([^.]+)\."
                         r"|Require\s+(?:Import\s+|Export\s+)?((?:" + LOGICAL_PATH + r"\.\w+\s*)+)\.")


@dataclass(frozen=True)
class KernelResult:
    """What the Coq kernel says about one statement.

    Attributes
    ----------
    statement : str
        The statement name (``S0.a``).
    status : str
        :data:`MACHINE_CHECKED`, :data:`NOT_PROVED` (listed with a reason) or :data:`FAILED`.
    theorems : tuple
        ``(file, theorem)`` pairs the statement rests on.
    reason : str
        Why it is not machine-checked or why it failed ("" when checked).
    assumptions : dict
        Theorem -> the standard-library axioms ``Print Assumptions`` listed (empty when closed).
    """

    statement: str
    status: str
    theorems: tuple = ()
    reason: str = ""
    assumptions: dict = field(default_factory=dict)

    @property
    def ok(self):
        """False only when the Coq layer failed (a statement listed as not proved is not a failure)."""
        return self.status != FAILED

    def to_dict(self):
        """JSON-ready record."""
        return {"status": self.status, "theorems": [f"{f}:{t}" for f, t in self.theorems], "reason": self.reason,
                "assumptions": {k: list(v) for k, v in self.assumptions.items()}}


@dataclass
class KernelReport:
    """The Coq layer's verdicts on one development.

    Attributes
    ----------
    root : str
        The development directory.
    results : dict
        Statement name -> :class:`KernelResult`.
    coqc : str
        The ``coqc`` used and its version.
    build : str
        The cache directory holding the compiled development.
    cached : bool
        True when the compiled development came from the cache.
    seconds : float
    error : str
        A failure of the whole development (compilation, admitted step), or "".
    """

    root: str
    results: dict
    coqc: str = ""
    build: str = ""
    cached: bool = False
    seconds: float = 0.0
    error: str = ""

    @property
    def ok(self):
        """True when no statement failed and the development compiled without an admitted step."""
        return not self.error and all(r.ok for r in self.results.values())

    def column(self, name):
        """The text of the kernel column of ``symgame prove`` for statement ``name`` (``"-"`` when not listed)."""
        r = self.results.get(name)
        return "-" if r is None else r.status

    def to_dict(self):
        """JSON-ready record of the whole report."""
        return {"root": self.root, "coqc": self.coqc, "build": self.build, "cached": self.cached,
                "seconds": round(self.seconds, 3), "error": self.error, "ok": self.ok,
                "statements": {k: r.to_dict() for k, r in self.results.items()}}


def find_coqc(coqc=None):
    """The path of ``coqc`` (``coqc`` argument, ``$SYMGAME_COQC``, or the one on ``PATH``).

    Raises
    ------
    CoqNotFoundError
        No ``coqc``; the message says how to install it.

    Examples
    --------
    >>> find_coqc("/no/such/coqc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symgame.errors.CoqNotFoundError: coqc not found (/no/such/coqc); the Coq layer was not run. Install it with: apt-get install -y coq ...
    """
    wanted = coqc or os.environ.get("SYMGAME_COQC") or "coqc"
    path = shutil.which(wanted)
    if path is None:
        raise CoqNotFoundError(f"coqc not found ({wanted}); the Coq layer was not run. Install it with: "
                               f"{COQ_INSTALL_HINT}")
    return path


def coq_version(coqc=None):
    """The first line of ``coqc --version`` (e.g. ``The Coq Proof Assistant, version 8.16.1``)."""
    out = subprocess.run([find_coqc(coqc), "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else "unknown coqc"


def cache_root():
    """Where compiled developments are kept: ``$SYMGAME_COQ_CACHE`` or ``~/.cache/symgame/coq``.

    Examples
    --------
    >>> str(cache_root()).endswith("coq")
    True
    """
    env = os.environ.get("SYMGAME_COQ_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "symgame" / "coq"


def parse_theorems(text, source="THEOREMS.txt"):
    """Statement name -> list of ``(file, theorem)``, or the reason (a str) it is not machine-checked.

    Lines are ``NAME FILE.v THEOREM`` or ``NAME - REASON``; ``#`` starts a comment.

    Raises
    ------
    CoqError
        A malformed line, or a statement both proved and listed as not proved.

    Examples
    --------
    >>> parse_theorems("S0.a Shapley.v\\n")
    Traceback (most recent call last):
    ...
    symgame.errors.CoqError: THEOREMS.txt line 1: expected 'NAME FILE.v THEOREM' or 'NAME - REASON', got 'S0.a Shapley.v'
    """
    table = {}
    for k, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] == "-":
            if isinstance(table.get(parts[0]), list):
                raise CoqError(f"{source} line {k}: {parts[0]} is listed both as proved and as not proved")
            table[parts[0]] = parts[2]
        elif len(parts) == 3 and parts[1].endswith(".v") and re.fullmatch(r"[\w.']+", parts[2]):
            if isinstance(table.get(parts[0]), str):
                raise CoqError(f"{source} line {k}: {parts[0]} is listed both as proved and as not proved")
            table.setdefault(parts[0], []).append((parts[1], parts[2]))
        else:
            raise CoqError(f"{source} line {k}: expected 'NAME FILE.v THEOREM' or 'NAME - REASON', got {line!r}")
    return table


def read_theorems(root):
    """:func:`parse_theorems` of ``root/THEOREMS.txt``.

    Raises
    ------
    CoqError
        The file is missing or malformed.
    """
    path = Path(root) / "THEOREMS.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CoqError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_theorems(text, source=str(path))


def strip_comments(text):
    """``text`` with Coq comments ``(* ... *)`` (nested) and string literals blanked, newlines kept.

    Examples
    --------
    >>> strip_comments('a (* b (* c *) d *) e "f"')
    'a                   e    '
    """
    out, depth, k, n = [], 0, 0, len(text)
    in_string = False
    while k < n:
        two = text[k:k + 2]
        ch = text[k]
        if in_string:
            out.append("\n" if ch == "\n" else " ")
            if ch == '"':
                in_string = False
            k += 1
        elif two == "(*":
            depth += 1
            out.append("  ")
            k += 2
        elif two == "*)" and depth:
            depth -= 1
            out.append("  ")
            k += 2
        elif depth:
            out.append("\n" if ch == "\n" else " ")
            k += 1
        elif ch == '"':
            in_string = True
            out.append(" ")
            k += 1
        else:
            out.append(ch)
            k += 1
    return "".join(out)


def find_admits_in_text(text, name):
    """``(file, line, word)`` for every ``Admitted``, ``admit``, ``give_up``, ``Axiom``, ``Parameter`` or
    ``Conjecture`` outside comments and strings."""
    clean = strip_comments(text)
    return [(name, clean.count("\n", 0, m.start()) + 1, m.group(1)) for m in _ADMIT_RE.finditer(clean)]


def find_admits(root):
    """:func:`find_admits_in_text` over every ``.v`` file of the development ``root``."""
    found = []
    for path in sorted(Path(root).glob("*.v")):
        found += find_admits_in_text(path.read_text(encoding="utf-8"), path.name)
    return found


def _requires(text):
    names = []
    for m in _REQUIRE_RE.finditer(strip_comments(text)):
        if m.group(1):
            names += m.group(1).split()
        else:
            names += [w.split(".", 1)[1] for w in m.group(2).split()]
    return names


def source_files(root):
    """The development's ``.v`` files in dependency order (each after the files it requires).

    The files are those ``_CoqProject`` lists, else every ``.v`` file of ``root``; the order
    follows ``From Symgame Require Import X`` / ``Require Import Symgame.X`` lines.

    Raises
    ------
    CoqError
        No ``.v`` file, a required file that does not exist, or a cycle.
    """
    root = Path(root)
    project = root / "_CoqProject"
    names = []
    if project.is_file():
        for token in project.read_text(encoding="utf-8").split():
            if token.endswith(".v"):
                names.append(Path(token).name)
    if not names:
        names = sorted(p.name for p in root.glob("*.v"))
    if not names:
        raise CoqError(f"no .v file in the Coq development {root}")
    deps = {}
    for name in names:
        path = root / name
        if not path.is_file():
            raise CoqError(f"{project} lists {name}, which does not exist in {root}")
        deps[name] = [f"{d}.v" for d in _requires(path.read_text(encoding="utf-8"))]
        missing = [d for d in deps[name] if d not in names]
        if missing:
            raise CoqError(f"{name} requires {', '.join(missing)}, which is not part of the development {root}")
    order, state = [], {}

    def visit(name, stack):
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            raise CoqError(f"the Coq files require each other in a cycle: {' -> '.join(stack + [name])}")
        state[name] = "active"
        for d in deps[name]:
            visit(d, stack + [name])
        state[name] = "done"
        order.append(name)

    for name in names:
        visit(name, [])
    return order


def coqc_command(coqc, build, path):
    """The ``coqc`` command line compiling ``path`` with the development in ``build`` on the load path."""
    return [coqc, "-q", "-w", COQ_WARNINGS, "-Q", str(build), LOGICAL_PATH, str(path)]


def _digest(root, files, version):
    h = hashlib.sha256()
    h.update(version.encode())
    h.update(COQ_WARNINGS.encode())
    for name in files:
        h.update(name.encode() + b"\0")
        h.update((Path(root) / name).read_bytes() + b"\0")
    return h.hexdigest()[:24]


def _tail(text, lines=25):
    return "\n".join(text.strip().splitlines()[-lines:])


def compile_development(root, *, coqc=None, cache=None, timeout=900):
    """Compile the development ``root`` (in dependency order) into the cache; returns ``(build dir, cached)``.

    The build directory is named by the hash of the files and of ``coqc --version``; it is built
    in a temporary directory and renamed into place, so a reader never sees half a build.

    Raises
    ------
    CoqNotFoundError
        No ``coqc``.
    CoqError
        A file does not compile (the message names it and quotes coqc's error).
    """
    coqc = find_coqc(coqc)
    files = source_files(root)
    version = coq_version(coqc)
    base = Path(cache) if cache is not None else cache_root()
    final = base / f"{LOGICAL_PATH}-{_digest(root, files, version)}"
    if (final / "BUILD_OK").is_file():
        return final, True
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=base))
    try:
        for name in files:
            shutil.copyfile(Path(root) / name, work / name)
        for name in files:
            try:
                out = subprocess.run(coqc_command(coqc, work, work / name), capture_output=True, text=True,
                                     cwd=work, timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                raise CoqError(f"coqc did not finish {name} of {root} within {timeout} s") from None
            if out.returncode != 0:
                raise CoqError(f"{name} of {root} does not compile (coqc exit {out.returncode}):\n"
                               + _tail(out.stdout + "\n" + out.stderr))
        write_text_atomic(work / "BUILD_OK", version + "\n" + "\n".join(files) + "\n")
        try:
            os.replace(work, final)
        except OSError:  # another process finished the same build first
            if not (final / "BUILD_OK").is_file():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return final, False


def run_coq_file(text, *, build=None, coqc=None, name="Check.v", timeout=900, directory=None):
    """Compile the Coq text ``text`` (with the compiled development ``build`` on the load path).

    Returns ``(returncode, stdout + stderr)``; the file is written to ``directory`` (default: a
    fresh temporary directory, removed afterwards).
    """
    coqc = find_coqc(coqc)
    tmp = None
    if directory is None:
        tmp = tempfile.mkdtemp(prefix="symgame-coq-")
        directory = tmp
    try:
        path = Path(directory) / name
        write_text_atomic(path, text)  # a caller's directory keeps no half-written file
        cmd = coqc_command(coqc, build, path) if build is not None else [coqc, "-q", "-w", COQ_WARNINGS, str(path)]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=directory, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return 124, f"coqc did not finish {name} within {timeout} s"
        return out.returncode, out.stdout + out.stderr
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def parse_assumptions(text):
    """The axiom names of one ``Print Assumptions`` output; ``[]`` for "Closed under the global context".

    Raises
    ------
    CoqError
        The text is neither form.

    Examples
    --------
    >>> parse_assumptions("Closed under the global context")
    []
    >>> parse_assumptions("Axioms:\\nclassic : forall P : Prop, P \\\\/ ~ P\\nfoo : nat\\n   -> nat")
    ['classic', 'foo']
    """
    text = text.strip()
    if text == "Closed under the global context":
        return []
    lines = text.splitlines()
    if not lines or not re.match(r"^(Axioms|Section Variables|Opaque constants|Transparent constants):", lines[0]):
        raise CoqError(f"unexpected Print Assumptions output: {text[:300]!r}")
    names = []
    for line in lines[1:]:
        m = re.match(r"^([\w.']+)\s*:", line)
        if m and not line.startswith(" "):
            names.append(m.group(1))
    return names


def print_assumptions(build, theorems, *, coqc=None):
    """``Print Assumptions`` of each ``(file, theorem)`` in the compiled development ``build``.

    Returns theorem -> list of axiom names (empty when closed under the global context).

    Raises
    ------
    CoqError
        coqc failed (e.g. a theorem does not exist) or printed something unexpected.
    """
    modules = sorted({Path(f).stem for f, _ in theorems})
    lines = [f"From {LOGICAL_PATH} Require {' '.join(modules)}."] if modules else []
    for f, t in theorems:
        lines += [f'Goal True. idtac "@@@ {t}". exact I. Qed.', f"Print Assumptions {Path(f).stem}.{t}."]
    code, out = run_coq_file("\n".join(lines) + "\n", build=build, coqc=coqc, name="Assumptions.v")
    if code != 0:
        raise CoqError("Print Assumptions failed:\n" + _tail(out))
    found = {}
    chunks = re.split(r"^@@@ ", out, flags=re.M)
    for chunk in chunks[1:]:
        head, _, body = chunk.partition("\n")
        found[head.strip()] = parse_assumptions(body)
    missing = [t for _, t in theorems if t not in found]
    if missing:
        raise CoqError(f"no Print Assumptions output for {', '.join(missing)}:\n" + _tail(out))
    return found


def check_development(root, statements=None, *, coqc=None, cache=None):
    """Compile and audit the development ``root``; the :class:`KernelReport` of the statements of ``THEOREMS.txt``.

    ``statements`` restricts the report to those names (default: every listed statement).  A
    failure of the whole development (a file that does not compile, an admitted step, an axiom
    outside :data:`STDLIB_AXIOMS`) makes each affected statement :data:`FAILED` with the reason;
    it does not raise.

    Raises
    ------
    CoqNotFoundError
        No ``coqc`` (the layer cannot run; the message says how to install it).
    CoqError
        ``THEOREMS.txt`` is missing or malformed.
    """
    start = time.perf_counter()
    root = Path(root)
    table = read_theorems(root)
    wanted = {k: v for k, v in table.items() if statements is None or k in set(statements)}
    coqc = find_coqc(coqc)
    version = coq_version(coqc)
    results = {}
    report = KernelReport(str(root), results, coqc=f"{coqc} ({version})")

    def fail_all(reason):
        report.error = reason
        for name, entry in wanted.items():
            if isinstance(entry, str):
                results[name] = KernelResult(name, NOT_PROVED, (), entry)
            else:
                results[name] = KernelResult(name, FAILED, tuple(entry), reason)
        report.seconds = time.perf_counter() - start
        return report

    admits = find_admits(root)
    if admits:
        return fail_all("admitted steps or axioms in the development: "
                        + ", ".join(f"{f}:{line} {w}" for f, line, w in admits))
    try:
        files = source_files(root)
        build, cached = compile_development(root, coqc=coqc, cache=cache)
    except CoqNotFoundError:
        raise
    except CoqError as exc:
        return fail_all(str(exc))
    report.build, report.cached = str(build), cached
    proved = [(n, e) for n, e in wanted.items() if isinstance(e, list)]
    present, absent = [], {}
    for name, entry in proved:
        for f, t in entry:
            if f not in files:
                absent[(f, t)] = f"{f} is not a file of the development"
            elif not re.search(_THEOREM_RE.format(name=re.escape(t)),
                               strip_comments((root / f).read_text(encoding="utf-8"))):
                absent[(f, t)] = f"no theorem {t} in {f}"
            elif (f, t) not in present:
                present.append((f, t))
    assumptions = {}
    if present:
        cache_file = Path(build) / ("assumptions-" + hashlib.sha256(
            json.dumps(present).encode()).hexdigest()[:16] + ".json")
        if cache_file.is_file():
            assumptions = json.loads(cache_file.read_text(encoding="utf-8"))
        else:
            try:
                assumptions = print_assumptions(build, present, coqc=coqc)
            except CoqError as exc:
                return fail_all(str(exc))
            write_json_atomic(cache_file, assumptions)
    for name, entry in wanted.items():
        if isinstance(entry, str):
            results[name] = KernelResult(name, NOT_PROVED, (), entry)
            continue
        problems = [absent[ft] for ft in entry if ft in absent]
        axioms = {t: assumptions.get(t, []) for f, t in entry if (f, t) not in absent}
        own = {Path(f).stem for f in files} | {LOGICAL_PATH}
        foreign = [f"{t} rests on the axiom {a}" for t, names in axioms.items() for a in names
                   if a.rsplit(".", 1)[-1] not in STDLIB_AXIOMS or a.split(".")[0] in own]
        if problems or foreign:
            results[name] = KernelResult(name, FAILED, tuple(entry), "; ".join(problems + foreign), axioms)
        else:
            results[name] = KernelResult(name, MACHINE_CHECKED, tuple(entry), "",
                                         {t: a for t, a in axioms.items() if a})
    report.seconds = time.perf_counter() - start
    return report
