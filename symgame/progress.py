"""Progress of long work: done/total, rate and an estimate of the time left, on stderr or to a callable.

``progress=`` arguments across symgame take ``False`` (silent), ``True`` (a line on stderr, or a
``tqdm`` bar when tqdm is installed) or a callable ``progress(done, total)``.

Work deep inside a call (a counterexample search inside a check of ``symgame prove``) reports
through :func:`step` to whatever :func:`reporting` installed around it, without a ``progress=``
argument threaded through every layer; :class:`LiveLine` is the reporter ``symgame prove`` installs
on a terminal (one line on stderr, rewritten in place, with an estimate of the time left).

Examples
--------
>>> seen = []
>>> p = Progress(4, lambda done, total: seen.append((done, total)), "items")
>>> p.update(1); p.update(3); p.close()
>>> seen
[(1, 4), (4, 4)]
>>> Progress(3, False, "items").eta() is None
True
>>> steps = []
>>> with reporting(lambda task, what, done, total: steps.append((task, what, done, total))):
...     with task("P9.demo"):
...         step("instances", 1, 10)
>>> steps
[('P9.demo', 'instances', 1, 10)]
>>> step("instances", 2, 10)  # nobody listening: a no-op
"""

import contextlib
import contextvars
import sys
import time

__all__ = ["Progress", "format_seconds", "reporting", "task", "step", "LiveLine", "LIVE_LINE_EVERY", "INTERRUPT"]

_REPORTER = contextvars.ContextVar("symgame_progress_reporter", default=None)
_TASK = contextvars.ContextVar("symgame_progress_task", default=None)


@contextlib.contextmanager
def reporting(reporter):
    """Within the block, :func:`step` calls ``reporter(task, what, done, total)``.

    ``reporter=None`` silences the steps of the block (e.g. a nested computation).
    """
    token = _REPORTER.set(reporter)
    try:
        yield reporter
    finally:
        _REPORTER.reset(token)


@contextlib.contextmanager
def task(name):
    """Name the work of the block (a check's name); :func:`step` passes it to the reporter."""
    token = _TASK.set(name)
    try:
        yield
    finally:
        _TASK.reset(token)


#: Set by the command line's Ctrl-C handler: :func:`step` raises ``KeyboardInterrupt`` while it is,
#: so an interrupt a library swallowed (one raised inside a gc callback is only printed) still stops
#: the work at its next step.  The command line clears it when it returns.
INTERRUPT = {"pending": False}


def step(what, done, total=None):
    """Report ``done`` units of ``what`` out of ``total`` (``None``: open-ended) to the reporter of
    the enclosing :func:`reporting` block; a no-op outside one.  Cheap enough to call per instance.

    Raises ``KeyboardInterrupt`` when a Ctrl-C is pending (see :data:`INTERRUPT`)."""
    if INTERRUPT["pending"]:
        raise KeyboardInterrupt
    reporter = _REPORTER.get()
    if reporter is not None:
        reporter(_TASK.get(), what, done, total)


def format_seconds(seconds):
    """A short human reading of a duration.

    Examples
    --------
    >>> format_seconds(4.2), format_seconds(600), format_seconds(7300)
    ('4.2 s', '10 min', '2.0 h')
    """
    s = float(seconds)
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


class Progress:
    """Counts work done out of ``total`` and reports it with an estimate of the time left.

    Parameters
    ----------
    total : int
        Units of work (items, coalitions, permutations).
    enabled : bool or callable
        ``True``: write to stderr (tqdm when installed); a callable: ``enabled(done, total)`` after
        each update; ``False``: silent.
    desc : str
        What is counted, for the line on stderr.
    """

    def __init__(self, total, enabled, desc, *, stream=None):
        self.total, self.done, self.desc = int(total), 0, desc
        self.callback = enabled if callable(enabled) else None
        self.enabled = bool(enabled) and self.total > 0
        self.stream = sys.stderr if stream is None else stream
        self.start = time.monotonic()
        self.bar = None
        if self.enabled and self.callback is None:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=self.total, desc=desc, file=self.stream, leave=False)

    def eta(self):
        """Seconds left at the rate so far (``None`` before the first unit is done)."""
        if not self.done:
            return None
        elapsed = time.monotonic() - self.start
        return elapsed / self.done * max(self.total - self.done, 0)

    def update(self, k=1):
        """Record ``k`` more units done and report."""
        self.done += k
        if not self.enabled:
            return
        if self.callback is not None:
            self.callback(self.done, self.total)
        elif self.bar is not None:
            self.bar.update(k)
        else:
            eta = self.eta()
            left = "" if eta is None else f", about {format_seconds(eta)} left"
            self.stream.write(f"\r{self.desc}: {self.done}/{self.total}{left}   ")
            self.stream.flush()

    def close(self):
        """Finish the line or bar."""
        if not self.enabled or self.callback is not None:
            return
        if self.bar is not None:
            self.bar.close()
        else:
            self.stream.write("\n")
            self.stream.flush()


#: Seconds between two rewrites of a :class:`LiveLine` (``every=None``); 0 rewrites on every step.
LIVE_LINE_EVERY = 0.2


class LiveLine:
    """A reporter for :func:`reporting`: one line on ``stream``, rewritten in place at most
    ``every`` seconds: ``task: what done/total, elapsed, about T left``.

    The estimate is the rate of the current ``what`` so far (a new ``what``, or ``done`` going
    back, starts a new count).  :meth:`clear` blanks the line before other output.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> line = LiveLine(out, every=0)
    >>> line("P9.demo", "instances", 1, 10); line("P9.demo", "instances", 5, 10)
    >>> "P9.demo: 5/10 instances" in out.getvalue() and "left" in out.getvalue()
    True
    >>> line.clear(); out.getvalue().endswith("\\r")
    True
    """

    def __init__(self, stream=None, *, every=None, width=79):
        self.stream = sys.stderr if stream is None else stream
        self.every = LIVE_LINE_EVERY if every is None else every
        self.width = width
        self.key = None
        self.started = self.last = None
        self.shown = False
        self.task_start = {}

    def __call__(self, task_name, what, done, total=None):
        now = time.monotonic()
        self.task_start.setdefault(task_name, now)
        if self.key != (task_name, what) or self.done_before is None or done < self.done_before:
            self.key, self.started, self.start_done = (task_name, what), now, done
        self.done_before = done
        if self.last is not None and now - self.last < self.every and not (total and done >= total):
            return  # throttled; the last unit of a count is always shown
        self.last = now
        count = f"{done}/{total}" if total else f"{done}"
        text = f"  {task_name or 'working'}: {count} {what}, {format_seconds(now - self.task_start[task_name])}"
        rate_done = done - self.start_done
        if total and rate_done > 0:
            left = (now - self.started) / rate_done * max(total - done, 0)
            text += f", about {format_seconds(left)} left"
        self.stream.write("\r" + text[:self.width].ljust(self.width))
        self.stream.flush()
        self.shown = True

    done_before = None

    def clear(self):
        """Blank the line (before a finished check's result line is printed)."""
        if self.shown:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.shown = False
        self.last = None
