"""The OR-Tools max-flow engine: Google OR-Tools' compiled push-relabel (``SimpleMaxFlow``) on ``int64``.

Exact by integer scaling: the caller scales rational capacities to integers with one common
denominator (:mod:`symgame.flows.engines`).  While the scaled capacities sum to at most
:data:`INT64_SAFE` (so no flow, excess or capacity sum inside the solver can leave ``int64``) the
network goes to OR-Tools; otherwise, or when OR-Tools reports anything but an optimal flow, the
big-integer Dinic (:func:`~symgame.flows.dinic.dinic`) runs instead, so the answer is exact at any size.

:class:`OrToolsSolver` keeps one solver object whose arc capacities are updated in place (the
re-optimised game ``v*`` visits all coalitions with it, :mod:`symgame.flows.games`).

Examples
--------
>>> ortools_max_flow(3, [0, 1, 0], [1, 2, 2], [2, 1, 2], 0, 2)
(3, [1, 1, 2])
>>> ortools_max_flow(3, [0, 1], [1, 2], [2**70, 2**70], 0, 2)  # beyond int64: the big-integer path
(1180591620717411303424, [1180591620717411303424, 1180591620717411303424])
"""

import functools

import numpy as np

from ..errors import InvalidFlowError
from .dinic import dinic

__all__ = ["ortools_available", "INT64_SAFE", "fits_int64", "ortools_max_flow", "OrToolsSolver"]

#: Largest sum of scaled capacities handed to OR-Tools (``int64`` holds up to ``2**63 - 1``).
INT64_SAFE = 2**62


def fits_int64(capacities):
    """Whether non-negative integer ``capacities`` sum to at most :data:`INT64_SAFE` (checked exactly).

    Examples
    --------
    >>> fits_int64([2**61, 2**61]), fits_int64([2**61, 2**61, 1]), fits_int64(np.array([3, 4]))
    (True, False, True)
    """
    if isinstance(capacities, np.ndarray) and capacities.dtype.kind in "iu":
        if not len(capacities):
            return True
        # a float sum far from the bound decides; near it, the exact Python sum does
        approx = float(capacities.sum(dtype=np.float64))
        if approx < INT64_SAFE / 2:
            return True
        capacities = capacities.tolist()
    return sum(int(c) for c in capacities) <= INT64_SAFE


@functools.lru_cache(maxsize=None)
def ortools_available():
    """Whether OR-Tools (the ``[fast]`` extra) can be imported; ``"auto"`` uses it only then.

    Examples
    --------
    >>> isinstance(ortools_available(), bool)
    True
    """
    try:
        _max_flow_module()
    except InvalidFlowError:
        return False
    return True


def _max_flow_module():
    try:
        from ortools.graph.python import max_flow
    except ImportError as exc:  # pragma: no cover - ortools is in the [fast] extra CI installs
        raise InvalidFlowError(
            "engine 'ortools' needs OR-Tools (pip install 'symgame[fast]' or pip install ortools); "
            "use engine='dinic' or 'scipy'"
        ) from exc
    return max_flow


class OrToolsSolver:
    """One OR-Tools ``SimpleMaxFlow`` over fixed arcs whose capacities change in place.

    Parameters
    ----------
    num_nodes : int
    tails, heads : sequence of int
    capacities : sequence of int
        Non-negative integers; the caller makes sure they fit (:func:`fits_int64`), and every later
        :meth:`set_capacities` must keep the sum within :data:`INT64_SAFE` (lowering capacities
        always does).

    Examples
    --------
    >>> solver = OrToolsSolver(3, [0, 1, 0], [1, 2, 2], [2, 1, 2])
    >>> solver.value(0, 2)
    3
    >>> solver.set_capacities([2], [0]); solver.value(0, 2), solver.flows()
    (1, [1, 1, 0])
    """

    __slots__ = ("solver", "arcs", "num_nodes", "status_ok")

    def __init__(self, num_nodes, tails, heads, capacities):
        max_flow = _max_flow_module()
        self.num_nodes = int(num_nodes)
        self.solver = max_flow.SimpleMaxFlow()
        self.status_ok = max_flow.SimpleMaxFlow.OPTIMAL
        t = np.asarray(tails, dtype=np.int64)
        h = np.asarray(heads, dtype=np.int64)
        c = np.asarray(capacities, dtype=np.int64)
        if self.num_nodes and (len(t) == 0 or max(int(t.max()), int(h.max())) < self.num_nodes - 1):
            # OR-Tools sizes its graph from the arcs: one zero arc makes every node exist
            self.solver.add_arc_with_capacity(self.num_nodes - 1, self.num_nodes - 1, 0)
        self.arcs = self.solver.add_arcs_with_capacity(t, h, c) if len(t) else np.zeros(0, dtype=np.int32)

    def set_capacities(self, arcs, capacities):
        """Set the capacity of arc indices ``arcs`` (positions in the arcs given at construction)."""
        self.solver.set_arcs_capacity(self.arcs[np.asarray(arcs, dtype=np.int64)],
                                      np.asarray(capacities, dtype=np.int64))

    def value(self, source, sink):
        """The maximum-flow value from ``source`` to ``sink`` with the current capacities (a Python int).

        Raises
        ------
        InvalidFlowError
            OR-Tools reports no optimal flow (``POSSIBLE_OVERFLOW`` or bad input).
        """
        status = self.solver.solve(int(source), int(sink))
        if status != self.status_ok:
            raise InvalidFlowError(f"OR-Tools max flow returned {status}; expected an optimal flow")
        return int(self.solver.optimal_flow())

    def flows(self):
        """The flow on every arc of the last :meth:`value` call, in arc order (Python ints)."""
        return self.solver.flows(self.arcs).tolist() if len(self.arcs) else []

    def flow_array(self):
        """The flow on every arc of the last :meth:`value` call as an ``int64`` array."""
        return np.asarray(self.solver.flows(self.arcs), dtype=np.int64) if len(self.arcs) else np.zeros(0, np.int64)


def ortools_max_flow(num_nodes, tails, heads, capacities, source, sink):
    """Exact maximum flow of an integer network by OR-Tools ``SimpleMaxFlow`` (big integers: Dinic).

    Follows the integer-engine protocol of :mod:`symgame.flows.engines`.  OR-Tools runs while the
    capacities sum to at most :data:`INT64_SAFE`; beyond that, or if OR-Tools does not report an
    optimal flow, :func:`~symgame.flows.dinic.dinic` gives the exact answer on Python integers.

    Examples
    --------
    >>> ortools_max_flow(4, [0, 0, 1, 2], [1, 2, 3, 3], [1, 1, 1, 1], 0, 3)
    (2, [1, 1, 1, 1])
    >>> ortools_max_flow(2, [], [], [], 0, 1)
    (0, [])
    """
    caps = capacities if isinstance(capacities, np.ndarray) else [int(c) for c in capacities]
    if len(caps) == 0:
        return 0, []
    if not fits_int64(caps):
        return dinic(num_nodes, tails, heads, [int(c) for c in caps], source, sink)
    solver = OrToolsSolver(num_nodes, tails, heads, caps)
    try:
        value = solver.value(source, sink)
    except InvalidFlowError:  # pragma: no cover - within INT64_SAFE OR-Tools cannot overflow
        return dinic(num_nodes, tails, heads, [int(c) for c in caps], source, sink)
    return value, solver.flows()
