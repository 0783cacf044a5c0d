"""Run many independent pieces of work on Dask (``dask.distributed``), or in this process, with the same results.

The ``[dask]`` extra (``pip install 'symgame[dask]'``) provides Dask; without it only the serial
path runs and asking for a cluster raises :class:`~symgame.errors.MissingDependencyError`.

* :func:`cluster_client` — a ``dask.distributed.Client`` on a new ``LocalCluster`` (``workers``
  processes, or threads with ``processes=False``), or on the scheduler at ``scheduler`` (a real
  cluster: ``tcp://host:8786``).
* :func:`run_tasks` — ``func(item)`` for every item, serially or as Dask tasks; results stream back
  to ``on_result(index, result)`` in the calling process as they finish (so files are written where
  the command runs, even when the workers are other machines), with progress and an estimate of the
  time left; a task whose worker fails is retried ``retries`` times.
* :func:`dask_payoff` — a :class:`~symgame.payoffs.Payoff` whose coalitions are evaluated on the
  cluster in chunks (hundreds of coalitions per task), for the sampling estimators of
  :mod:`symgame.sampling` when one payoff evaluation is expensive (a model's forward pass).

Work functions must be importable top-level functions (or anything ``cloudpickle`` can send) and
deterministic; then the distributed result equals the serial one exactly (the tests check it on
a real ``LocalCluster``).

Examples
--------
>>> got = {}
>>> run_tasks(abs, [-3, 4, -5], on_result=got.__setitem__)  # doctest: +ELLIPSIS
RunSummary(done=3, failed={}, seconds=..., workers=0)
>>> got
{0: 3, 1: 4, 2: 5}
"""

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import DistributedError, MissingDependencyError, SymgameError
from .guards import check_int
from .payoffs import Payoff
from .progress import Progress
from .results import TupleResult

__all__ = ["cluster_client", "run_tasks", "dask_payoff", "RunSummary", "require_dask", "TaskError"]


def require_dask(what="a Dask run"):
    """``dask.distributed`` (the module), or :class:`MissingDependencyError` naming the extra.

    Examples
    --------
    >>> require_dask().__name__
    'distributed'
    """
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - the extra is installed in CI
        raise MissingDependencyError(
            f"{what} needs dask.distributed: pip install 'symgame[dask]' (or run serially: --serial / workers=0)"
        ) from exc
    return distributed


@dataclass(frozen=True)
class TaskError:
    """An item whose work raised a :class:`~symgame.errors.SymgameError` (bad input; not retried)."""

    error: str
    message: str


@dataclass(frozen=True)
class RunSummary(TupleResult):
    """How a :func:`run_tasks` run went: items done, failures (index -> message), wall seconds, workers (0 = serial)."""

    done: int
    failed: dict
    seconds: float
    workers: int


@contextmanager
def cluster_client(scheduler=None, *, workers=None, processes=True, threads_per_worker=1, timeout=10):
    """A ``dask.distributed.Client``: on the scheduler at ``scheduler``, else on a new ``LocalCluster``.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); the cluster is not closed afterwards.
    workers : int, optional
        Workers of the ``LocalCluster`` (default: Dask's choice, one per core).
    processes : bool
        Worker processes (parallel Python) or threads in this process (quick to start; tests).
    threads_per_worker : int
    timeout : float
        Seconds to wait for the scheduler.

    Raises
    ------
    DistributedError
        No scheduler answers at ``scheduler`` within ``timeout``.
    """
    distributed = require_dask()
    if workers is not None:
        workers = check_int(workers, "workers", low=1, error=DistributedError)
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise DistributedError(f"no Dask scheduler answered at {scheduler!r} within {timeout} s: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                                       processes=processes, dashboard_address=":0",
                                       silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _guarded(func, item):
    """``func(item)``, with a SymgameError returned as a :class:`TaskError` (bad input is not retried)."""
    try:
        return func(item)
    except SymgameError as exc:
        return TaskError(type(exc).__name__, str(exc))


def run_tasks(func, items, *, client=None, retries=2, progress=False, on_result=None, desc="items"):
    """``func(item)`` for every item — serially (``client=None``) or as Dask tasks on ``client``.

    Parameters
    ----------
    func : callable
        Top-level, deterministic function of one item.
    items : sequence
    client : dask.distributed.Client, optional
        From :func:`cluster_client`; ``None`` runs in this process, in order.
    retries : int
        Extra attempts for a task whose worker failed (an exception other than a SymgameError).
    progress : bool or callable
        Items done, with an estimate of the time left (:mod:`symgame.progress`).
    on_result : callable, optional
        ``on_result(index, result)`` in this process as each item finishes (completion order on a
        cluster).  Items whose work raised a SymgameError are reported in ``failed`` instead.

    Returns
    -------
    RunSummary

    Raises
    ------
    DistributedError
        A task still failed after its retries (the message names the item).
    """
    items = list(items)
    retries = check_int(retries, "retries", low=0, error=DistributedError)
    bar = Progress(len(items), progress, desc)
    failed, done, start = {}, 0, time.monotonic()

    def deliver(k, result):
        nonlocal done
        if isinstance(result, TaskError):
            failed[k] = f"{result.error}: {result.message}"
        else:
            done += 1
            if on_result is not None:
                on_result(k, result)
        bar.update(1)

    try:
        if client is None:
            for k, item in enumerate(items):
                deliver(k, _guarded(func, item))
            return RunSummary(done, failed, time.monotonic() - start, 0)
        distributed = require_dask()
        futures = [client.submit(_guarded, func, item, retries=retries, pure=False) for item in items]
        index = {f.key: k for k, f in enumerate(futures)}
        for future in distributed.as_completed(futures):
            k = index[future.key]
            try:
                result = future.result()
            except Exception as exc:  # the task failed on every attempt
                for f in futures:
                    f.cancel()
                raise DistributedError(f"item {k} failed after {retries} retries: {type(exc).__name__}: {exc}") from exc
            deliver(k, result)
            future.release()
        workers = len(client.scheduler_info().get("workers", {}))
        return RunSummary(done, failed, time.monotonic() - start, workers)
    finally:
        bar.close()


def _evaluate_chunk(payoff_batch, masks):
    return list(payoff_batch(masks))


def dask_payoff(payoff, client, *, chunk=256, retries=2):
    """``payoff`` with its evaluations run on ``client`` in chunks of ``chunk`` coalitions (one task each).

    The values are the payoff's own (exact), so an estimate from :mod:`symgame.sampling` is the same
    as with ``payoff`` itself; only where the coalitions are evaluated changes.

    Examples
    --------
    >>> from symgame.payoffs import Payoff
    >>> dask_payoff(Payoff.from_function([1], len), client=None)
    Traceback (most recent call last):
    ...
    symgame.errors.DistributedError: dask_payoff needs a dask.distributed.Client (see cluster_client), got None
    """
    if client is None or not hasattr(client, "map"):
        raise DistributedError(f"dask_payoff needs a dask.distributed.Client (see cluster_client), got {client!r}")
    chunk = check_int(chunk, "chunk", low=1, error=DistributedError)
    inner = payoff.batch_function if isinstance(payoff, Payoff) else None
    if inner is None:
        raise DistributedError(f"dask_payoff needs a symgame.payoffs.Payoff, got {type(payoff).__name__}")
    remote = client.scatter(inner, broadcast=True, hash=False)  # a fresh key: no race with a released twin

    def batch(masks):
        parts = [masks[a:a + chunk] for a in range(0, len(masks), chunk)]
        futures = [client.submit(_evaluate_chunk, remote, part, retries=retries, pure=False) for part in parts]
        out = []
        for values in client.gather(futures):
            out += values
        return out

    return Payoff(payoff.players, batch, name=payoff.name)
