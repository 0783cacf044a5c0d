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
``"auto"`` (default)
    :func:`auto_max_flow`: ``"dinic"`` below :data:`SCIPY_MIN_EDGES` arcs (where SciPy's per-call
    overhead dominates) or when the integers do not fit ``int32``, ``"scipy"`` otherwise; chosen on
    measurement (``benchmarks/bench_attention.py``).

Examples
--------
>>> get_engine("dinic")(2, [0], [1], [5], 0, 1)
(5, [5])
>>> sorted(ENGINES)
['dinic', 'networkx', 'scipy']
>>> get_engine("fast")
Traceback (most recent call last):
...
symgame.errors.InvalidFlowError: engine 'fast' is not one of 'auto', 'dinic', 'networkx', 'scipy' or a callable engine(num_nodes, tails, heads, capacities, source, sink)
"""

import numpy as np

from ..errors import InvalidFlowError
from .dinic import dinic
from .inputs import INT32_SAFE
from .networkx import networkx_max_flow
from .scipy import scipy_max_flow

__all__ = ["ENGINES", "SCIPY_MIN_EDGES", "get_engine", "choose_engine", "auto_max_flow"]

#: Below this many arcs ``engine="auto"`` uses pure-Python Dinic (SciPy's call overhead dominates).
SCIPY_MIN_EDGES = 600

#: The registered integer engines by name (see the module notes for the protocol).
ENGINES = {
    "dinic": dinic,
    "scipy": scipy_max_flow,
    "networkx": networkx_max_flow,
}


def choose_engine(num_arcs, flow_bound):
    """The engine name ``"auto"`` picks for ``num_arcs`` arcs whose scaled flow bound is ``flow_bound``.

    Examples
    --------
    >>> choose_engine(10, 5), choose_engine(1000, 5), choose_engine(1000, 2**40)
    ('dinic', 'scipy', 'dinic')
    """
    return "scipy" if flow_bound <= INT32_SAFE and num_arcs >= SCIPY_MIN_EDGES else "dinic"


def auto_max_flow(num_nodes, tails, heads, capacities, source, sink):
    """The ``"auto"`` engine: :func:`choose_engine` on the arc count and flow bound, then that engine.

    Examples
    --------
    >>> auto_max_flow(3, [0, 1], [1, 2], [3, 2], 0, 2)
    (2, [2, 2])
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
    symgame.errors.InvalidFlowError: engine 3 is not one of 'auto', 'dinic', 'networkx', 'scipy' or a callable engine(num_nodes, tails, heads, capacities, source, sink)
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
