"""Checks of max-flow input shared by every flow module: exact capacities, the two ends, a bounded flow."""

from collections import deque
from fractions import Fraction

import networkx as nx
import numpy as np
import sympy as sp

from ..errors import InvalidFlowError, NotExactError
from ..exact import to_expr, to_fraction

__all__ = ["exact_number", "graph_ends", "check_bounded", "reach", "INT32_SAFE"]

#: Largest scaled capacity / flow bound handed to SciPy's ``int32`` max flow.
INT32_SAFE = 2**30


def exact_number(value, what):
    """``value`` as a Fraction (floats exactly), or raise :class:`NotExactError` for symbols.

    Examples
    --------
    >>> exact_number(0.5, "capacity"), exact_number("1/3", "capacity")
    (Fraction(1, 2), Fraction(1, 3))
    >>> exact_number(float("nan"), "capacity of edge 's' -> 't'")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: capacity of edge 's' -> 't' is nan; expected a finite number
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise InvalidFlowError(f"{what} is {f!r}; expected a finite number")
        return Fraction(f)
    expr = to_expr(value, what=what)
    if isinstance(expr, sp.Rational):
        return to_fraction(expr)
    raise NotExactError(
        f"{what} is {expr}, not a rational number; exact max-flow needs rational capacities "
        f"(use symbolic_max_flow_value for symbolic capacities)"
    )


def graph_ends(graph, source, sink):
    """The checked ``(source, sink)`` of ``graph`` (default: ``graph.graph["source"]`` / ``["sink"]``).

    Examples
    --------
    >>> graph_ends(nx.DiGraph([("s", "t")]), "s", "t")
    ('s', 't')
    >>> graph_ends(nx.DiGraph([("s", "t")]), "s", "u")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: sink 'u' is not a node of the graph
    """
    if not isinstance(graph, nx.DiGraph):
        raise InvalidFlowError(f"graph must be a networkx.DiGraph, got {type(graph).__name__}")
    if source is None:
        source = graph.graph.get("source")
    if sink is None:
        sink = graph.graph.get("sink")
    for name, node in (("source", source), ("sink", sink)):
        if node is None or node not in graph:
            raise InvalidFlowError(f"{name} {node!r} is not a node of the graph")
    if source == sink:
        raise InvalidFlowError(f"source and sink are the same node {source!r}; expected two different nodes")
    return source, sink



def check_bounded(nn, tails, heads, caps, s, t, nodes):
    """Raise :class:`InvalidFlowError` when unbounded arcs (capacity ``None``) join node ``s`` to ``t``.

    Examples
    --------
    >>> check_bounded(3, [0, 1], [1, 2], [None, 1], 0, 2, "sat")
    >>> check_bounded(2, [0], [1], [None], 0, 1, "st")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: the flow from 's' to 't' is unbounded: a path of edges without 'capacity' joins them; expected a finite maximum flow
    """
    adj = [[] for _ in range(nn)]
    for e, c in enumerate(caps):
        if c is None:
            adj[int(tails[e])].append(int(heads[e]))
    if reach(adj, s, t) is None:
        raise InvalidFlowError(
            f"the flow from {nodes[s]!r} to {nodes[t]!r} is unbounded: a path of edges without "
            f"'capacity' joins them; expected a finite maximum flow"
        )


def reach(adj, start, stop):
    """The set of nodes reachable from ``start`` along ``adj[u]`` (breadth first), or ``None`` as soon as
    ``stop`` is reached.

    Examples
    --------
    >>> sorted(reach({0: [1], 1: [0], 2: [0]}, 0, 2)), reach({0: [1], 1: [2], 2: []}, 0, 2)
    ([0, 1], None)
    """
    seen = {start}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for v in adj[u]:
            if v not in seen:
                if v == stop:
                    return None
                seen.add(v)
                queue.append(v)
    return seen

