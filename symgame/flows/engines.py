"""The max-flow engine table: look an engine up by name, or pass a callable following the protocol.

An *integer engine* is a callable

    ``engine(num_nodes, tails, heads, capacities, source, sink) -> (value, arc_flows)``

on nodes ``0..num_nodes-1``; arc ``k`` goes ``tails[k] -> heads[k]`` with non-negative integer
capacity ``capacities[k]`` (sequences or int64 NumPy arrays; the caller has already scaled exact
rational capacities to integers with one common denominator).  It returns the exact integer
maximum-flow ``value`` and one integer flow per arc, in arc order, forming a maximum flow; it does
not mutate its inputs, and parallel arcs are allowed.

Every function of :mod:`symgame.flows` that runs exact max flows takes ``engine=``: ``"auto"``, a
name in :data:`ENGINES`, or such a callable.

``"dinic"``
    :func:`~symgame.flows.dinic.dinic`: pure Python over Python integers (no size limit), O(V^2 E).
``"scipy"``
    :func:`~symgame.flows.scipy.scipy_max_flow`: SciPy's compiled Dinic; only while the scaled
    capacities and the flow bound are at most ``2**30`` (SciPy stores ``int32``).
``"networkx"``
    :func:`~symgame.flows.networkx.networkx_max_flow`: networkx's preflow-push, exact on integers.
``"ortools"``
    :func:`~symgame.flows.ortools.ortools_max_flow`: Google OR-Tools' compiled push-relabel
    (``SimpleMaxFlow``) on ``int64`` while the scaled capacities sum to at most ``2**62``; beyond
    that (or on any status but optimal) the big-integer ``"dinic"``, so it is exact at any size.
``"auto"`` (default)
    :func:`auto_max_flow`: ``"dinic"`` below :data:`ORTOOLS_MIN_EDGES` arcs (where the call into
    OR-Tools costs more than the whole pure-Python flow) or when the flow bound is above ``2**62``,
    ``"ortools"`` otherwise.  Chosen on measurement (``python benchmarks/bench_attention.py
    --engines``, exact rational attention networks, 2-core machine): OR-Tools was 3-6x faster than
    Dinic and 4-20x faster than SciPy from about 20 arcs up to 49,000 arcs; below about 10 arcs the
    engines tie at tens of microseconds.

Examples
--------
>>> get_engine("dinic")(2, [0], [1], [5], 0, 1)
(5, [5])
>>> sorted(ENGINES)
['dinic', 'networkx', 'ortools', 'scipy']
>>> get_engine("fast")
Traceback (most recent call last):
...
symgame.errors.InvalidFlowError: engine 'fast' is not one of 'auto', 'dinic', 'networkx', 'ortools', 'scipy' or a callable engine(num_nodes, tails, heads, capacities, source, sink)
"""

import numpy as np

from ..errors import InvalidFlowError
from .dinic import dinic
from .networkx import networkx_max_flow
from .ortools import INT64_SAFE, ortools_available, ortools_max_flow
from .scipy import scipy_max_flow

__all__ = ["ENGINES", "SCIPY_MIN_EDGES", "ORTOOLS_MIN_EDGES", "get_engine", "choose_engine", "auto_max_flow"]

#: Below this many arcs ``engine="auto"`` uses pure-Python Dinic (the call into OR-Tools dominates).
ORTOOLS_MIN_EDGES = 16

#: Kept for callers of the earlier rule (SciPy was ``"auto"``'s choice from this many arcs); unused by ``"auto"``.
SCIPY_MIN_EDGES = 600

#: The registered integer engines by name (see the module notes for the protocol).
ENGINES = {
    "dinic": dinic,
    "scipy": scipy_max_flow,
    "networkx": networkx_max_flow,
    "ortools": ortools_max_flow,
}


def choose_engine(num_arcs, flow_bound):
    """The engine name ``"auto"`` picks for ``num_arcs`` arcs whose scaled flow bound is ``flow_bound``
    (``"dinic"`` whenever OR-Tools is not installed).

    Examples
    --------
    >>> choose_engine(10, 5), choose_engine(1000, 5), choose_engine(1000, 2**40), choose_engine(1000, 2**70)
    ('dinic', 'ortools', 'ortools', 'dinic')
    """
    fits = flow_bound <= INT64_SAFE and num_arcs >= ORTOOLS_MIN_EDGES
    return "ortools" if fits and ortools_available() else "dinic"


def auto_max_flow(num_nodes, tails, heads, capacities, source, sink):
    """The ``"auto"`` engine: :func:`choose_engine` on the arc count and flow bound, then that engine.

    Examples
    --------
    >>> auto_max_flow(3, [0, 1], [1, 2], [3, 2], 0, 2)
    (2, [2, 2])
    >>> auto_max_flow(2, [0] * 20, [1] * 20, [2**70] * 20, 0, 1)[0] == 20 * 2**70  # big integers: Dinic
    True
    """
    caps = [int(c) for c in capacities]
    if not caps:
        return 0, []
    tails_a, heads_a = np.asarray(tails), np.asarray(heads)
    out_s = sum(c for c, u in zip(caps, tails_a.tolist()) if u == source)
    in_t = sum(c for c, v in zip(caps, heads_a.tolist()) if v == sink)
    bound = max(max(caps), min(out_s, in_t))
    return ENGINES[choose_engine(len(caps), bound)](num_nodes, tails, heads, caps, source, sink)


def get_engine(engine="auto", *, what="engine"):
    """The integer engine for ``engine``: ``"auto"``, a registered name, or a callable (returned as is).

    ``what`` names the keyword in the error message (``"method"`` for the old spelling).

    Raises
    ------
    InvalidFlowError
        An unknown name, or neither a name nor a callable.

    Examples
    --------
    >>> get_engine("scipy") is ENGINES["scipy"], get_engine(dinic) is dinic
    (True, True)
    >>> get_engine(3)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: engine 3 is not one of 'auto', 'dinic', 'networkx', 'ortools', 'scipy' or a callable engine(num_nodes, tails, heads, capacities, source, sink)
    """
    if engine == "auto":
        return auto_max_flow
    if isinstance(engine, str) and engine in ENGINES:
        return ENGINES[engine]
    if callable(engine) and not isinstance(engine, str):
        return engine
    names = ", ".join(repr(n) for n in ["auto", *sorted(ENGINES)])
    raise InvalidFlowError(
        f"{what} {engine!r} is not one of {names} or a callable engine(num_nodes, tails, heads, capacities, "
        f"source, sink)"
    )
