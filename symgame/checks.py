"""The registry of checks that ``proofs/`` defines and ``symgame prove`` runs.

A *check* decides one statement of STATEMENTS.md by computation and returns
a :class:`~symgame.verdicts.Verdict`.  It also declares the verdict it is
*expected* to reach; :func:`run_checks` compares the two, never substituting
one for the other.

Examples
--------
>>> from symgame.verdicts import Verdict
>>> registry = Registry()
>>> @registry.check("demo.true", statement="1 + 1 == 2", claim="arithmetic works",
...                 expected="PROVED (all n)")
... def _demo(profile):
...     return Verdict.proved_for_all({"computed": 1 + 1})
>>> [r.ok for r in registry.run(["demo.true"])]
[True]
>>> registry.run(["nope"])
Traceback (most recent call last):
...
symgame.errors.UnknownCheckError: no check named 'nope'; known checks: demo.true
"""

import importlib
import time
import traceback
from dataclasses import dataclass, field
from importlib.metadata import distributions

from .errors import InvalidSearchError, InvalidVerdictError, UnknownCheckError
from .progress import task
from .verdicts import Verdict, parse_expected

__all__ = ["Profile", "PROFILES", "Check", "Search", "CheckResult", "Registry", "REGISTRY", "check", "load_proofs",
           "PROOF_ENTRY_POINTS", "proof_modules"]

#: The entry-point group through which a package supplies check modules: each entry point loads to
#: an iterable of module names (this project's ``pyproject.toml`` points it at ``proofs:CHECK_MODULES``).
#: The library names no consumer; whoever is installed registers itself here.
PROOF_ENTRY_POINTS = "symgame.proofs"


@dataclass(frozen=True)
class Profile:
    """How hard the checks work: search budget and the largest sizes proved exactly.

    Attributes
    ----------
    name : str
    max_examples : int
        Instances per Hypothesis search.
    max_n : int
        Largest number of players for ``PROVED (n <= N)`` checks on generic games.
    seed : int
        Seed of every search (deterministic).
    """

    name: str
    max_examples: int
    max_n: int
    seed: int = 0


PROFILES = {
    "quick": Profile("quick", max_examples=150, max_n=6),
    "thorough": Profile("thorough", max_examples=2000, max_n=8),
}


@dataclass(frozen=True)
class Check:
    """One statement, how it is decided, and the verdict it is expected to reach."""

    name: str
    statement: str
    claim: str
    expected: str
    func: object = field(repr=False, compare=False)
    code: str = ""
    module: str = ""
    remedy: str = ""
    depends: tuple = ()

    def run(self, profile=PROFILES["quick"], dependencies=()):
        """Run the check and return a :class:`CheckResult` (errors become ``UNDECIDED``).

        ``dependencies`` are the results of the checks named in :attr:`depends` (already run).
        """
        start = time.perf_counter()
        error = None
        try:
            with task(self.name):
                verdict = self.func(profile)
            if not isinstance(verdict, Verdict):
                raise InvalidVerdictError(f"check {self.name} returned {type(verdict).__name__}, not a Verdict")
        except Exception as exc:  # a crashing check is reported, never counted as a pass
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            verdict = Verdict.undecided("error", {"error": error, "traceback": traceback.format_exc()})
        return CheckResult(self, verdict, time.perf_counter() - start, error, tuple(dependencies))


@dataclass(frozen=True)
class CheckResult:
    """A check's computed verdict, time taken, and whether it equals the expected verdict.

    ``dependencies`` holds the results of the statements this one rests on (``Check.depends``); a
    verdict is only ok when each of them is.
    """

    check: Check
    verdict: Verdict
    seconds: float
    error: str = None
    dependencies: tuple = ()

    def __repr__(self):
        """One line (the verdict's certificate is in ``.verdict.render()``).

        Examples
        --------
        >>> from symgame.checks import load_proofs
        >>> load_proofs().run(["S0.d"])[0]  # doctest: +ELLIPSIS
        <CheckResult S0.d: PROVED (all x), expected PROVED, ok, ... s>
        """
        mark = "ok" if self.ok else ("error" if self.error else "MISMATCH")
        return f"<CheckResult {self.check.name}: {self.verdict}, expected {self.check.expected}, {mark}, " \
               f"{self.seconds:.1f} s>"

    @property
    def ok(self):
        """True when the computed verdict is the expected one and every dependency is ok."""
        return (self.error is None and self.verdict.matches(self.check.expected)
                and all(d.ok for d in self.dependencies))

    @property
    def failed_dependencies(self):
        """Names of the dependencies whose verdicts are not ok."""
        return [d.check.name for d in self.dependencies if not d.ok]

    @property
    def instances(self):
        """How many instances the verdict rests on, as text: the searched instances (``"3 (hit)"``),
        the count the certificate gives, or ``"-"``."""
        if self.verdict.instances is not None:
            skipped = self.verdict.skipped
            return f"{self.verdict.instances}" + (f" ({skipped} skipped)" if skipped else "")
        cert = self.verdict.certificate if isinstance(self.verdict.certificate, dict) else {}
        search = cert.get("search")
        if search is not None:
            found = search.found if hasattr(search, "found") else search.get("found")
            examples = search.examples if hasattr(search, "examples") else search.get("examples")
            return f"{examples}" + (" (hit)" if found else "")
        if "instances" in cert:
            return str(cert["instances"])
        return "-"

    def to_dict(self):
        """The JSON record of ``symgame prove --json``."""
        v = self.verdict.to_dict()
        return {
            "name": self.check.name,
            "statement": self.check.statement,
            "claim": self.check.claim,
            "code": self.check.code,
            "expected": self.check.expected,
            "verdict": v["verdict"],
            "strength": v["strength"],
            "instances": self.instances,
            "ok": self.ok,
            "depends_on": {d.check.name: {"verdict": str(d.verdict), "ok": d.ok} for d in self.dependencies},
            "seconds": round(self.seconds, 3),
            "summary": v["summary"],
            "certificate": v["certificate"],
        }


@dataclass(frozen=True)
class Search:
    """A named counterexample search that ``symgame search NAME`` runs.

    Attributes
    ----------
    name : str
    statement : str
        The claim searched against, in words.
    strategy : callable
        ``strategy() -> SearchStrategy`` (built lazily).
    claim : callable
        ``claim(instance) -> bool``; a counterexample makes it ``False``.
    show : callable
        ``show(instance) -> str``: the instance as text that can be pasted back into Python.
    document : callable, optional
        ``document(instance) -> dict``: a JSON document other commands read (e.g. a game file).
    runner : callable, optional
        ``runner(max_examples=, seed=, progress=) -> SearchResult``: a search of its own (e.g. one
        that goes on to smaller sizes after a hit); default :func:`~symgame.search.find_counterexample`
        on ``strategy()``.
    """

    name: str
    statement: str
    strategy: object = field(repr=False)
    claim: object = field(repr=False)
    show: object = field(repr=False, default=repr)
    document: object = field(repr=False, default=None)
    runner: object = field(repr=False, default=None)

    def run(self, *, max_examples, seed, progress=None):
        """Run the search and return a :class:`~symgame.search.SearchResult`."""
        if self.runner is not None:
            return self.runner(max_examples=max_examples, seed=seed, progress=progress)
        from .search import find_counterexample

        return find_counterexample(self.strategy(), self.claim, max_examples=max_examples, seed=seed,
                                   progress=progress)


def _rerun_as_script(old, new):
    """True when a proofs module run as ``python -m proofs.x`` registers again under its real name
    (the same code, once as ``__main__`` and once as ``proofs.x``): the later registration wins."""
    modules = {getattr(old, "__module__", None), getattr(new, "__module__", None)}
    return "__main__" in modules and getattr(old, "__qualname__", None) == getattr(new, "__qualname__", None)


class Registry:
    """A named collection of checks (and counterexample searches), in registration order.

    Examples
    --------
    >>> reg = Registry()
    >>> _ = reg.check("A.x", statement="s", claim="c", expected="CHECKED")(lambda p: Verdict.checked(1, {}))
    >>> [str(r.verdict) for r in reg.run(["A"])]
    ['CHECKED (1 instances)']
    """

    def __init__(self):
        self._checks = {}
        self._searches = {}
        self.notes = []
        self.documents = []
        self.coq_developments = []

    def search(self, name, *, statement, strategy, claim, show=repr, document=None, runner=None):
        """Register a counterexample search for ``symgame search NAME``."""
        existing = self._searches.get(name)
        if existing is not None and not _rerun_as_script(existing.claim, claim):
            raise InvalidVerdictError(f"search {name!r} is registered twice")
        self._searches[name] = Search(name, statement, strategy, claim, show, document, runner)

    def searches(self):
        """Names of the registered searches."""
        return list(self._searches)

    def get_search(self, name):
        """The search called ``name``.

        A family name (``"P2.exists"`` when only ``P2.exists.*`` had searches) names its searches; a
        check without a search says why it has none and how it is decided; any other name lists the
        searches.

        Examples
        --------
        >>> reg = Registry()
        >>> _ = reg.check("A.x", statement="s", claim="c", expected="PROVED (all n)")(
        ...     lambda p: Verdict.proved_for_all({}))
        >>> reg.get_search("A.x")
        Traceback (most recent call last):
        ...
        symgame.errors.InvalidSearchError: A.x has no search: its verdict (expected PROVED (all n)) comes from a derivation, not from sampled instances, so there is no counterexample to hunt for; 'symgame prove A.x' decides it and 'symgame prove --describe A.x' says how
        """
        if name in self._searches:
            return self._searches[name]
        family = [n for n in self._searches if n.startswith(f"{name}.")]
        if family:
            raise InvalidSearchError(f"{name!r} is a family; search one of its statements: {', '.join(family)}")
        if name in self._checks:
            raise InvalidSearchError(self.no_search_reason(name))
        raise UnknownCheckError(
            f"no search named {name!r}; known searches: {', '.join(self._searches) or '(none)'}"
        )

    def no_search_reason(self, name):
        """Why the check ``name`` has no ``symgame search``, from how its verdict is reached."""
        c = self.get(name)
        kind = expected_kind(c.expected).value
        why = {
            "PROVED": "comes from a derivation, not from sampled instances, so there is no counterexample to "
                      "hunt for",
            "REFUTED": "rests on a counterexample that is constructed, not searched for",
            "CHECKED": "is checked on fixed instances, not on a family that can be sampled",
        }[kind]
        how = (getattr(c.func, "__doc__", None) or "").strip().split("\n")[0].strip().rstrip(".")
        return (f"{name} has no search: its verdict (expected {c.expected}) {why}"
                + (f" ({how})" if how else "")
                + f"; 'symgame prove {name}' decides it and 'symgame prove --describe {name}' says how")

    def without_search(self):
        """Names of the checks that have no search of their own (no search of that name)."""
        return [n for n in self._checks if n not in self._searches]

    def check(self, name, *, statement, claim, expected, code="", remedy="", depends=()):
        """Decorator registering ``func(profile) -> Verdict`` as the check ``name``.

        ``remedy`` says, in words, what the paper's wording needs to become true (for the report).
        ``depends`` names the checks whose statements this one's certificate uses: they run first
        (also when not selected) and this verdict is only ok when theirs are.
        """
        parse_expected(expected)  # validate now, not when the check runs
        depends = tuple(depends)

        def register(func):
            existing = self._checks.get(name)
            if existing is not None and not _rerun_as_script(existing.func, func):
                raise InvalidVerdictError(f"check {name!r} is registered twice")
            self._checks[name] = Check(name, statement, claim, expected, func, code, func.__module__, remedy,
                                       depends)
            return func

        return register

    def names(self):
        """Names of the registered checks, in order."""
        return list(self._checks)

    def get(self, name):
        """The check called ``name``; a family prefix such as ``"P3"`` is not accepted here."""
        try:
            return self._checks[name]
        except KeyError:
            raise UnknownCheckError(
                f"no check named {name!r}; known checks: {', '.join(self._checks) or '(none)'}"
            ) from None

    def select(self, names=None):
        """Checks matching ``names``: exact names or family prefixes (``"P2"`` selects ``P2.*``)."""
        if not names:
            return list(self._checks.values())
        chosen = []
        for name in names:
            hits = [c for n, c in self._checks.items() if n == name or n.startswith(name + ".")]
            if not hits:
                self.get(name)  # raises with the list of known names
            chosen += [c for c in hits if c not in chosen]
        return chosen

    def document(self, path):
        """Register a statement document (Markdown, see :mod:`symgame.statements`) that describes
        the checks in words; ``symgame prove --describe`` reads it.  Registering a path twice is a no-op."""
        path = str(path)
        if path not in self.documents:
            self.documents.append(path)

    def coq_development(self, path):
        """Register a Coq development (a directory with ``THEOREMS.txt``, see :mod:`symgame.coq`) whose
        theorems machine-check some of the statements; ``symgame prove`` compiles it and shows the
        kernel column.  Registering a path twice is a no-op.

        Examples
        --------
        >>> reg = Registry()
        >>> reg.coq_development("some/dir"); reg.coq_development("some/dir")
        >>> reg.coq_developments
        ['some/dir']
        """
        path = str(path)
        if path not in self.coq_developments:
            self.coq_developments.append(path)

    def describe(self, names=None):
        """The statement-document sections of the checks ``names`` selects (as :meth:`select`).

        Returns a list of ``(check, section)`` pairs; ``section`` is a
        :class:`~symgame.statements.StatementSection`, or None when no registered document has one.

        Examples
        --------
        >>> import os, tempfile
        >>> reg = Registry()
        >>> _ = reg.check("A.x", statement="s", claim="c", expected="CHECKED")(lambda p: Verdict.checked(1, {}))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     path = os.path.join(d, "STATEMENTS.md")
        ...     with open(path, "w", encoding="utf-8") as fh:
        ...         _ = fh.write("### `A.x`\\n- **Expected:** `CHECKED`\\n")
        ...     reg.document(path)
        ...     [(c.name, s.expected) for c, s in reg.describe(["A"])]
        [('A.x', 'CHECKED')]
        """
        from .statements import read_statements

        sections = {}
        for path in self.documents:
            for name, section in read_statements(path).items():
                sections.setdefault(name, section)
        return [(c, sections.get(c.name)) for c in self.select(names)]

    def run(self, names=None, profile="quick", progress=None):
        """Run the selected checks; ``progress(check, result)`` is called after each.

        A dependency (``Check.depends``) runs once, before the checks that use it, also when it is
        not selected; only the selected checks' results are returned.

        Examples
        --------
        >>> reg = Registry()
        >>> _ = reg.check("A", statement="s", claim="c", expected="REFUTED")(lambda p: Verdict.checked(1, {}))
        >>> _ = reg.check("B", statement="s", claim="c", expected="PROVED", depends=["A"])(
        ...     lambda p: Verdict.proved_for_all({}))
        >>> [(r.check.name, r.ok, r.failed_dependencies) for r in reg.run(["B"])]
        [('B', False, ['A'])]
        """
        prof = PROFILES[profile] if isinstance(profile, str) else profile
        done = {}

        def run_one(c, stack=()):
            if c.name in done:
                return done[c.name]
            if c.name in stack:
                raise InvalidVerdictError(f"checks depend on each other in a cycle: {' -> '.join(stack + (c.name,))}")
            deps = [run_one(self.get(d), stack + (c.name,)) for d in c.depends]
            result = done[c.name] = c.run(prof, deps)
            return result

        results = []
        for c in self.select(names):
            result = run_one(c)
            if progress is not None:
                progress(c, result)
            results.append(result)
        return results


#: The registry ``proofs/`` registers into and ``symgame prove`` runs.
REGISTRY = Registry()
check = REGISTRY.check


def proof_modules(group=PROOF_ENTRY_POINTS):
    """The check modules the installed packages declare under the entry-point group ``group``.

    Each entry point loads to an iterable of importable module names; they are returned in entry
    point order, without repeats (the value is imported the ordinary way, so a source tree on
    ``PYTHONPATH`` supplies its own ``proofs`` package).  The command line passes this list to :func:`load_proofs`.

    Raises
    ------
    UnknownCheckError
        No installed package declares the group (symgame is not installed with its metadata, e.g. run
        from a bare source tree): reinstall with ``pip install -e .``.

    Examples
    --------
    >>> "proofs.groups" in proof_modules()
    True
    >>> proof_modules("symgame.no-such-group")
    Traceback (most recent call last):
    ...
    symgame.errors.UnknownCheckError: no package declares check modules under the entry-point group 'symgame.no-such-group'; install the project (pip install -e .) so its pyproject.toml entry points are visible
    """
    names = []
    # every distribution, not importlib's de-duplicated view: a stale egg-info of the same project
    # earlier on sys.path (a source checkout on PYTHONPATH) must not hide the installed entry points
    eps = [ep for dist in distributions() for ep in dist.entry_points if ep.group == group]
    for ep in eps:
        for name in ep.load():
            if name not in names:
                names.append(name)
    if not names:
        raise UnknownCheckError(
            f"no package declares check modules under the entry-point group {group!r}; install the project "
            f"(pip install -e .) so its pyproject.toml entry points are visible"
        )
    return names


def load_proofs(modules=None):
    """Import check modules so their checks register; returns :data:`REGISTRY`.

    ``modules`` defaults to :func:`proof_modules` (the installed entry points).

    Examples
    --------
    >>> "P3.literal" in load_proofs().names()
    True

    ``REGISTRY.notes`` collects messages from families that registered no check
    (e.g. the real-model checks when the ``transformers`` extra is missing).
    """
    for name in proof_modules() if modules is None else modules:
        importlib.import_module(name)
    return REGISTRY


def expected_kind(expected):
    """The :class:`~symgame.verdicts.Kind` of an expected-verdict string.

    Examples
    --------
    >>> expected_kind("PROVED (n <= N)").value
    'PROVED'
    """
    return parse_expected(expected)[0]


__all__ += ["expected_kind"]
