"""Hypothesis as a counterexample search engine.

:func:`find_counterexample` draws instances from a Hypothesis strategy,
stops at the first one on which a claim fails, and lets Hypothesis *shrink*
it to the smallest failing instance it can find.  The result records the
shrunk instance, the seed, how many instances were tried and how long it took,
so a refutation can be reproduced.

Examples
--------
>>> from hypothesis import strategies as st
>>> result = find_counterexample(st.integers(0, 1000), lambda k: k < 37, seed=0)
>>> result.found, result.instance
(True, 37)
>>> find_counterexample(st.integers(0, 10), lambda k: k >= 0, max_examples=50).found
False
>>> find_counterexample(st.integers(), lambda k: True, max_examples=0)
Traceback (most recent call last):
...
symgame.errors.InvalidSearchError: max_examples must be a positive integer, got 0
"""

import random
import sys
import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample, Unsatisfiable
from hypothesis.strategies import SearchStrategy

from .errors import InvalidSearchError, SymgameError
from .guards import check_int
from .progress import step

__all__ = ["SearchResult", "find_counterexample", "ProgressPrinter"]


@dataclass(frozen=True)
class SearchResult:
    """Outcome of a counterexample search.

    Attributes
    ----------
    found : bool
        Whether some instance violated the claim.
    instance : object
        The shrunk counterexample (``None`` when none was found).
    examples : int
        Instances generated before the first counterexample (all of them when none was found).
    calls : int
        Calls of the claim in total, shrinking included.
    seed : int
        The seed of the search (same seed, same strategy -> same result).
    max_examples : int
    seconds : float
    skipped : int
        Instances on which the claim did not apply (it raised a SymgameError).

    Examples
    --------
    >>> from hypothesis import strategies as st
    >>> r = find_counterexample(st.integers(0, 99), lambda k: k < 50)
    >>> r.to_dict()["instance"], r.to_dict()["found"]
    (50, True)
    """

    found: bool
    instance: object
    examples: int
    calls: int
    seed: int
    max_examples: int
    seconds: float
    skipped: int = 0
    notes: dict = field(default_factory=dict)

    def to_dict(self):
        """A JSON-ready summary (the instance converted by :func:`symgame.verdicts.jsonable`)."""
        from .verdicts import jsonable

        return {
            "found": self.found,
            "instance": jsonable(self.instance),
            "examples": self.examples,
            "calls": self.calls,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "seconds": round(self.seconds, 3),
            "skipped": self.skipped,
        }


class ProgressPrinter:
    """A progress display for long searches: a line on ``stream`` every ``every`` instances.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> p = ProgressPrinter("demo", every=2, stream=out)
    >>> for k in range(1, 5):
    ...     p(k, False)
    >>> print(out.getvalue().strip())
    [demo] 2 instances searched
    [demo] 4 instances searched
    """

    def __init__(self, label, *, every=100, stream=None):
        self.label = label
        self.every = every
        self.stream = stream if stream is not None else sys.stderr

    def __call__(self, examples, shrinking):
        if examples % self.every == 0:
            phase = " (shrinking)" if shrinking else ""
            print(f"[{self.label}] {examples} instances searched{phase}", file=self.stream, flush=True)


def find_counterexample(strategy, claim, *, max_examples=200, seed=0, progress=None, shrink=True):
    """Search ``strategy`` for an instance on which ``claim(instance)`` is false, and shrink it.

    Parameters
    ----------
    strategy : hypothesis.strategies.SearchStrategy
    claim : callable
        ``claim(instance) -> bool``.  Raising a :class:`~symgame.errors.SymgameError`
        marks the instance as not applicable (it is skipped, not a counterexample).
    max_examples : int
        Number of instances to try before concluding none was found.
    seed : int
        Seed of the search; the same seed gives the same result.
    progress : callable, optional
        Called as ``progress(examples_so_far, shrinking)`` after each instance.  Each instance is
        also reported to :func:`symgame.progress.step` (the live line of ``symgame prove``).
    shrink : bool
        Shrink the first counterexample (default) or return it as found.

    Returns
    -------
    SearchResult

    Notes
    -----
    Uses :func:`hypothesis.find` with the database off, so a search is a pure
    function of (strategy, claim, seed, max_examples).

    Examples
    --------
    >>> from symgame.strategies import games
    >>> r = find_counterexample(games(max_players=3), lambda g: g.n < 3, max_examples=100)
    >>> r.found, r.instance.n, r.seed
    (True, 3, 0)
    >>> find_counterexample([1, 2], lambda k: True)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidSearchError: strategy must be a Hypothesis SearchStrategy, got list
    """
    if not isinstance(strategy, SearchStrategy):
        raise InvalidSearchError(f"strategy must be a Hypothesis SearchStrategy, got {type(strategy).__name__}")
    if not callable(claim):
        raise InvalidSearchError(f"claim must be callable, got {type(claim).__name__}")
    check_int(max_examples, "max_examples", low=1, numpy=False, error=InvalidSearchError,
              message="{what} must be a positive integer, got {value!r}")
    state = {"examples": 0, "calls": 0, "first_hit": None, "skipped": 0}

    def violated(instance):
        state["calls"] += 1
        shrinking = state["first_hit"] is not None
        if not shrinking:
            state["examples"] += 1
        if progress is not None:
            progress(state["calls"] if shrinking else state["examples"], shrinking)
        if shrinking:
            step("calls shrinking the counterexample", state["calls"])
        else:
            step("instances searched", state["examples"], max_examples)
        try:
            bad = not claim(instance)
        except SymgameError:
            state["skipped"] += 1
            return False
        if bad and state["first_hit"] is None:
            state["first_hit"] = state["examples"]
        return bad

    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    config = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()
    try:
        instance = find(strategy, violated, settings=config, random=random.Random(seed))
        found = True
    except (NoSuchExample, Unsatisfiable):
        instance, found = None, False
    seconds = time.perf_counter() - start
    examples = state["first_hit"] if found and state["first_hit"] else state["examples"]
    return SearchResult(found, instance, examples, state["calls"], seed, max_examples, seconds, state["skipped"])
