"""Progress of long work: done/total, rate and an estimate of the time left, on stderr or to a callable.

``progress=`` arguments across symgame take ``False`` (silent), ``True`` (a line on stderr, or a
``tqdm`` bar when tqdm is installed) or a callable ``progress(done, total)``.

Examples
--------
>>> seen = []
>>> p = Progress(4, lambda done, total: seen.append((done, total)), "items")
>>> p.update(1); p.update(3); p.close()
>>> seen
[(1, 4), (4, 4)]
>>> Progress(3, False, "items").eta() is None
True
"""

import sys
import time

__all__ = ["Progress", "format_seconds"]


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
