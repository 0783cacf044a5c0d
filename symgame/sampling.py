"""Sampling estimates of the Shapley value for any game: permutations, antithetic, stratified, KernelSHAP.

For games too large to enumerate (``2^n`` coalitions) — a model masking game past ~20 tokens, a
re-optimised flow game past 16 nodes, any :class:`~symgame.payoffs.Payoff` — these estimators
evaluate only the coalitions they sample.  Each returns a :class:`SamplingEstimate`: the estimate,
its standard error, a confidence interval, how many samples and payoff evaluations it used, and
the seed.  Everything is seeded (``numpy.random.default_rng(seed)``): the same call gives the same
estimate, bit for bit.

Every estimate is the **exact** mean of exact samples (payoffs are converted to Fractions, floats
exactly), so an estimator that guarantees efficiency — ``sum_i phi_i = v(N) - v(∅)`` — satisfies it
exactly: ``permutation``, ``antithetic`` and ``kernel``.  The standard errors and interval ends are
floats, and the interval is the normal approximation ``estimate ± z·stderr``: an estimate, never a
proof.  Its coverage is measured against exact Shapley values in ``benchmarks/sampling_coverage.py``.

Methods (the ``method=`` of :func:`estimate_shapley`, :data:`METHODS`):

``permutation``
    Random orders of the players; a player's sample is its marginal contribution when it joins.
    ``samples`` orders, ``n`` payoff evaluations each (Castro, Gómez & Tejada 2009).
``antithetic``
    Like ``permutation``, but each random order is paired with its reverse and the pair's mean is
    one sample (negatively correlated halves).  ``samples`` orders in ``samples / 2`` pairs.
``stratified``
    Stratified by position: for every player ``i`` and coalition size ``k`` the marginal
    contribution to ``samples`` uniform random coalitions of size ``k`` without ``i``; the
    Shapley value is the mean over the ``n`` strata (Maleki et al. 2013).  Sizes ``0`` and ``n-1``
    have one coalition and are evaluated exactly.  Not efficient.
``kernel``
    KernelSHAP in its unbiased form (Covert & Lee 2021): coalitions drawn from the Shapley kernel,
    the exact constrained least-squares solution with the known ``E[z zᵀ]``, which makes every
    sample an efficient vector; ``paired`` draws each coalition with its complement.

Examples
--------
>>> from symgame import Game, shapley
>>> g = Game.from_function(["a", "b", "c"], lambda S: len(S) ** 2)
>>> est = estimate_shapley(g, method="permutation", samples=50, seed=1)
>>> est.estimates                            # the exact Shapley value is 3 for each player
{'a': Fraction(66, 25), 'b': Fraction(71, 25), 'c': Fraction(88, 25)}
>>> sum(est.estimates.values()) == g[g.players]                 # efficient, exactly
True
>>> est.covers(shapley(g))                      # a 95% interval misses about one time in 20
{'a': True, 'b': True, 'c': False}
>>> estimate_shapley(g, method="bootstrap")
Traceback (most recent call last):
...
symgame.errors.InvalidEstimatorError: unknown sampling method 'bootstrap'; expected one of 'permutation', 'antithetic', 'stratified', 'kernel'
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .errors import InvalidEstimatorError
from .guards import check_int
from .jsonio import to_jsonable
from .payoffs import as_payoff
from .progress import Progress
from .results import TupleResult

__all__ = [
    "SamplingEstimate",
    "METHODS",
    "estimate_shapley",
    "permutation_shapley",
    "stratified_shapley",
    "kernel_shapley",
    "shapley_kernel_moments",
]

#: The estimators of :func:`estimate_shapley`.
METHODS = ("permutation", "antithetic", "stratified", "kernel")


@dataclass(frozen=True)
class SamplingEstimate(TupleResult):
    """A sampled Shapley estimate of every player.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    players : tuple
    estimates : dict
        Player -> ``Fraction``, the exact mean of the exact samples.
    stderr : dict
        Player -> float, the standard error of the estimate.
    low, high : dict
        Player -> float, the ends of the ``confidence`` interval ``estimate ± z·stderr``.
    confidence : float
    samples : int
        Samples drawn (orders, coalitions per stratum, or kernel coalitions; see the method).
    seed : int
    evaluations : int
        Distinct payoff evaluations this call added (cached coalitions are not re-evaluated).
    """

    method: str
    players: tuple
    estimates: dict
    stderr: dict
    low: dict
    high: dict
    confidence: float
    samples: int
    seed: int
    evaluations: int

    def interval(self, player):
        """``(low, high)`` of ``player``."""
        return self.low[player], self.high[player]

    def covers(self, values):
        """Player -> whether ``values[player]`` (e.g. the exact Shapley value) lies in its interval.

        Comparisons are exact (a SymPy or Fraction value against the float ends).
        """
        out = {}
        for p in self.players:
            x = Fraction(str(values[p])) if not isinstance(values[p], (int, float, Fraction)) else values[p]
            out[p] = self.low[p] <= x <= self.high[p]
        return out

    def to_json(self):
        """A JSON-ready dict (estimates exact as strings, errors and intervals as floats)."""
        return {
            "method": self.method,
            "players": to_jsonable(list(self.players)),
            "estimates": to_jsonable({p: self.estimates[p] for p in self.players}),
            "estimates_float": to_jsonable({p: float(self.estimates[p]) for p in self.players}),
            "stderr": to_jsonable(self.stderr),
            "low": to_jsonable(self.low),
            "high": to_jsonable(self.high),
            "confidence": self.confidence,
            "samples": self.samples,
            "seed": self.seed,
            "evaluations": self.evaluations,
        }


def _z(confidence):
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise InvalidEstimatorError(f"confidence must be a number strictly between 0 and 1, got {confidence!r}")
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence / 2))


def _seed(seed):
    return check_int(seed, "seed", low=0, error=InvalidEstimatorError)


def _result(method, payoff, samples_by_player, confidence, samples, seed, evaluations, *, estimates=None,
            variances=None):
    """Estimate = exact mean of each player's samples (or ``estimates``); stderr from the float samples."""
    z = _z(confidence)
    est, se, low, high = {}, {}, {}, {}
    for k, p in enumerate(payoff.players):
        if estimates is None:
            xs = samples_by_player[k]
            mean = sum(xs, Fraction(0)) / len(xs)
            arr = np.array([float(x) for x in xs])
            s = float(arr.std(ddof=1) / math.sqrt(len(arr))) if len(arr) > 1 else 0.0
        else:
            mean, s = estimates[k], math.sqrt(variances[k])
        est[p], se[p] = mean, s
        low[p], high[p] = float(mean) - z * s, float(mean) + z * s
    return SamplingEstimate(method, payoff.players, est, se, low, high, float(confidence), samples, seed, evaluations)


def _chunks(total, size):
    start = 0
    while start < total:
        yield start, min(total, start + size)
        start += size


def permutation_shapley(game, players=None, *, samples=200, seed=0, antithetic=False, confidence=0.95,
                        batch_size=256, progress=False):
    """Permutation-sampling estimate of the Shapley value (``antithetic``: orders paired with their reverse).

    Parameters
    ----------
    game : Game, Payoff or callable
        A :class:`~symgame.game.Game`, a :class:`~symgame.payoffs.Payoff`, or a function on
        coalitions (``frozenset``) with ``players``.
    players : iterable, optional
        The players of a payoff function.
    samples : int
        Number of random orders (``>= 2``; even when ``antithetic``).
    seed : int
    antithetic : bool
    confidence : float
        Level of the normal-approximation interval.
    batch_size : int
        About this many coalitions are sent to the payoff in one batch.
    progress : bool or callable
        Report orders done (see :mod:`symgame.progress`).

    Returns
    -------
    SamplingEstimate
        Efficient exactly: the estimates sum to ``v(N) - v(∅)``.

    Examples
    --------
    >>> from symgame import Game
    >>> g = Game.from_dict([1, 2], {(1,): 1, (2,): 0, (1, 2): 3})
    >>> est = permutation_shapley(g, samples=4, seed=0, antithetic=True)
    >>> est.estimates, est.stderr
    ({1: Fraction(2, 1), 2: Fraction(1, 1)}, {1: 0.0, 2: 0.0})
    >>> permutation_shapley(g, samples=3, antithetic=True)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidEstimatorError: antithetic sampling pairs orders with their reverse: samples must be even, got 3
    """
    payoff = as_payoff(game, players)
    samples = check_int(samples, "samples", low=2, error=InvalidEstimatorError)
    seed = _seed(seed)
    batch_size = check_int(batch_size, "batch_size", low=1, error=InvalidEstimatorError)
    _z(confidence)
    if antithetic and samples % 2:
        raise InvalidEstimatorError(
            f"antithetic sampling pairs orders with their reverse: samples must be even, got {samples}")
    n, rng, before = payoff.n, np.random.default_rng(seed), payoff.evaluations
    if antithetic:
        half = [rng.permutation(n) for _ in range(samples // 2)]
        orders = [o for h in half for o in (h, h[::-1])]
    else:
        orders = [rng.permutation(n) for _ in range(samples)]
    marginals = [[] for _ in range(n)]
    bar = Progress(samples, progress, "orders")
    per = max(1, batch_size // max(n, 1))
    empty = payoff(0)
    for a, b in _chunks(samples, per):
        prefixes = []
        for order in orders[a:b]:
            mask = 0
            for i in order:
                mask |= 1 << int(i)
                prefixes.append(mask)
        vals = payoff.values(prefixes)
        pos = 0
        for order in orders[a:b]:
            prev = empty
            for i in order:
                cur = vals[pos]
                marginals[int(i)].append(cur - prev)
                prev, pos = cur, pos + 1
        bar.update(b - a)
    bar.close()
    if antithetic:
        marginals = [[(xs[2 * j] + xs[2 * j + 1]) / 2 for j in range(len(xs) // 2)] for xs in marginals]
    method = "antithetic" if antithetic else "permutation"
    return _result(method, payoff, marginals, confidence, samples, seed, payoff.evaluations - before)


def stratified_shapley(game, players=None, *, samples=20, seed=0, confidence=0.95, batch_size=256, progress=False):
    """Position-stratified estimate: ``samples`` random coalitions per (player, coalition size) stratum.

    ``phi_i = (1/n) sum_k E[v(S ∪ i) - v(S) | |S| = k, i ∉ S]``; the strata of sizes ``0`` and
    ``n - 1`` are one coalition each and are evaluated exactly; the variance is
    ``(1/n^2) sum_k s_k^2 / m_k``.  About ``2 n (n - 2) samples`` payoff evaluations.

    Examples
    --------
    >>> from symgame import Game, shapley
    >>> g = Game.from_dict([1, 2], {(1,): 1, (2,): 0, (1, 2): 3})
    >>> stratified_shapley(g, samples=2).estimates == {1: 2, 2: 1}   # n = 2: both strata exact
    True
    """
    payoff = as_payoff(game, players)
    samples = check_int(samples, "samples", low=2, error=InvalidEstimatorError)
    seed = _seed(seed)
    batch_size = check_int(batch_size, "batch_size", low=1, error=InvalidEstimatorError)
    _z(confidence)
    n, rng, before = payoff.n, np.random.default_rng(seed), payoff.evaluations
    full = payoff.full
    # plan every (player, size) stratum: masks S without i
    plan = []  # (player, size, [masks])
    for i in range(n):
        others = np.array([j for j in range(n) if j != i], dtype=np.int64)
        for k in range(n):
            if k == 0:
                masks = [0]
            elif k == n - 1:
                masks = [full & ~(1 << i)]
            else:
                masks = [int(sum(1 << int(j) for j in rng.choice(others, size=k, replace=False)))
                         for _ in range(samples)]
            plan.append((i, k, masks))
    bar = Progress(len(plan), progress, "strata")
    est, var = [Fraction(0)] * n, [0.0] * n
    per = max(1, batch_size // (2 * samples))
    for a, b in _chunks(len(plan), per):
        wanted = []
        for i, _, masks in plan[a:b]:
            wanted += masks + [m | 1 << i for m in masks]
        payoff.values(wanted)
        for i, _, masks in plan[a:b]:
            xs = [y - x for x, y in zip(payoff.values(masks), payoff.values([m | 1 << i for m in masks]))]
            mean = sum(xs, Fraction(0)) / len(xs)
            est[i] += mean / n
            if len(xs) > 1:
                arr = np.array([float(x) for x in xs])
                var[i] += float(arr.var(ddof=1)) / len(xs) / n ** 2
        bar.update(b - a)
    bar.close()
    return _result("stratified", payoff, None, confidence, samples, seed, payoff.evaluations - before,
                   estimates=est, variances=var)


def shapley_kernel_moments(n):
    """The Shapley kernel's size distribution and ``E[z_i]``, ``E[z_i z_j]`` (``i != j``), exactly.

    Coalition sizes ``s = 1..n-1`` have probability proportional to ``1 / (s (n - s))``; within a
    size every coalition is equally likely.

    Returns
    -------
    (list of Fraction, Fraction, Fraction)
        ``p[s - 1]`` for ``s = 1..n-1``, ``a = E[z_i] = 1/2``, ``c = E[z_i z_j]``.

    Examples
    --------
    >>> shapley_kernel_moments(3)
    ([Fraction(1, 2), Fraction(1, 2)], Fraction(1, 2), Fraction(1, 6))
    """
    n = check_int(n, "n", low=2, error=InvalidEstimatorError)
    w = [Fraction(1, s * (n - s)) for s in range(1, n)]
    total = sum(w)
    p = [x / total for x in w]
    a = sum(ps * Fraction(s, n) for s, ps in enumerate(p, 1))
    c = sum(ps * Fraction(s * (s - 1), n * (n - 1)) for s, ps in enumerate(p, 1))
    return p, a, c


def kernel_shapley(game, players=None, *, samples=200, seed=0, paired=True, confidence=0.95, batch_size=256,
                   progress=False):
    """KernelSHAP, unbiased form: Shapley-kernel coalitions, exact constrained least squares per sample.

    With ``A = E[z zᵀ]`` known exactly (diagonal ``a``, off-diagonal ``c``,
    :func:`shapley_kernel_moments`) the efficiency-constrained weighted least-squares solution is
    linear in ``b = E[z (v(z) - v(∅))]``, so each sampled coalition ``z`` of size ``s`` gives the
    sample ``g_i = (v(z) - v(∅)) (z_i - s/n) / (a - c) + (v(N) - v(∅)) / n`` and the estimate is
    their mean: unbiased, and exactly efficient (every ``g`` sums to ``v(N) - v(∅)``).

    Parameters
    ----------
    samples : int
        Coalitions drawn (``>= 2``; even when ``paired``: ``samples / 2`` coalitions and their complements).
    paired : bool
        Draw each coalition with its complement; the pair's mean is one sample.

    Examples
    --------
    >>> from symgame import Game
    >>> g = Game.additive({"x": 1, "y": 2, "z": 3})
    >>> est = kernel_shapley(g, samples=400, seed=3)
    >>> sum(est.estimates.values()) == 6, est.covers({"x": 1, "y": 2, "z": 3})
    (True, {'x': True, 'y': True, 'z': True})
    """
    payoff = as_payoff(game, players)
    samples = check_int(samples, "samples", low=2, error=InvalidEstimatorError)
    seed = _seed(seed)
    batch_size = check_int(batch_size, "batch_size", low=1, error=InvalidEstimatorError)
    _z(confidence)
    if paired and samples % 2:
        raise InvalidEstimatorError(f"paired sampling draws coalitions with their complements: samples must be "
                                    f"even, got {samples}")
    n, rng, before = payoff.n, np.random.default_rng(seed), payoff.evaluations
    empty, grand = payoff.values([0, payoff.full])
    if n == 1:
        return _result("kernel", payoff, [[grand - empty] * 2], confidence, samples, seed,
                       payoff.evaluations - before)
    p, a, c = shapley_kernel_moments(n)
    draws = samples // 2 if paired else samples
    sizes = rng.choice(np.arange(1, n), size=draws, p=np.array([float(x) for x in p]))
    masks = []
    for s in sizes:
        m = int(sum(1 << int(j) for j in rng.choice(n, size=int(s), replace=False)))
        masks += [m, payoff.full & ~m] if paired else [m]
    scale, share = 1 / (a - c), (grand - empty) / n
    # exact sums for the estimate, floats for the standard error
    with_i, with_size = [Fraction(0)] * n, Fraction(0)
    ys, bits = [], np.zeros((len(masks), n))
    bar = Progress(len(masks), progress, "coalitions")
    for lo, hi in _chunks(len(masks), batch_size):
        for t, (m, value) in enumerate(zip(masks[lo:hi], payoff.values(masks[lo:hi])), lo):
            y = value - empty
            with_size += y * m.bit_count()
            for i in range(n):
                if m >> i & 1:
                    with_i[i] += y
                    bits[t, i] = 1.0
            ys.append(float(y))
        bar.update(hi - lo)
    bar.close()
    count = len(masks)
    est = [share + scale * (with_i[i] - with_size / n) / count for i in range(n)]
    sizes = bits.sum(axis=1, keepdims=True)
    g = np.array(ys)[:, None] * (bits - sizes / n) * float(scale) + float(share)  # one efficient vector per coalition
    if paired:
        g = g.reshape(-1, 2, n).mean(axis=1)
    var = g.var(axis=0, ddof=1) / len(g) if len(g) > 1 else np.zeros(n)
    return _result("kernel", payoff, None, confidence, samples, seed, payoff.evaluations - before,
                   estimates=est, variances=[float(v) for v in var])


def estimate_shapley(game, players=None, *, method="permutation", samples=None, seed=0, confidence=0.95,
                     batch_size=256, progress=False):
    """A sampled Shapley estimate by ``method`` (one of :data:`METHODS`); the default sample sizes are

    ``permutation``/``antithetic``: 200 orders; ``stratified``: 20 coalitions per stratum;
    ``kernel``: 200 coalitions (paired).

    Examples
    --------
    >>> est = estimate_shapley(lambda S: float(len(S) >= 2), players=list("abc"), method="kernel", seed=0)
    >>> {p: round(float(x), 3) for p, x in est.estimates.items()}, est.samples, est.evaluations
    ({'a': 0.218, 'b': 0.368, 'c': 0.413}, 200, 8)
    """
    if method not in METHODS:
        raise InvalidEstimatorError(f"unknown sampling method {method!r}; expected one of "
                                    + ", ".join(repr(m) for m in METHODS))
    kw = dict(seed=seed, confidence=confidence, batch_size=batch_size, progress=progress)
    if method in ("permutation", "antithetic"):
        return permutation_shapley(game, players, samples=200 if samples is None else samples,
                                   antithetic=method == "antithetic", **kw)
    if method == "stratified":
        return stratified_shapley(game, players, samples=20 if samples is None else samples, **kw)
    return kernel_shapley(game, players, samples=200 if samples is None else samples, **kw)
