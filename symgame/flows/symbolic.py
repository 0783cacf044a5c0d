"""The symbolic maximum-flow value: ``Min`` over s-t cuts of symbolic capacity sums."""

from itertools import combinations

import networkx as nx
import sympy as sp

from ..errors import GameTooLargeError, InvalidFlowError
from ..exact import to_expr
from .inputs import graph_ends

__all__ = ["symbolic_max_flow_value", "MAX_SYMBOLIC_CUT_NODES"]

#: Largest number of inner nodes (on some source-sink path) for :func:`symbolic_max_flow_value`.
MAX_SYMBOLIC_CUT_NODES = 16



# ---------------------------------------------------------------------- symbolic
def symbolic_max_flow_value(graph, source=None, sink=None):
    """The maximum-flow value as ``Min`` over s-t cuts of symbolic capacity sums.

    By the max-flow min-cut theorem the value is the minimum cut capacity.
    Only nodes on some source-sink path matter; all ``2^k`` cuts of those
    ``k`` inner nodes are enumerated, and a cut whose edge set contains
    another cut's edge set is dropped (capacities are assumed non-negative).

    Parameters
    ----------
    graph : networkx.DiGraph
        Capacities: numbers or SymPy expressions (assumed non-negative).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    GameTooLargeError
        More than ``MAX_SYMBOLIC_CUT_NODES`` inner nodes.

    Examples
    --------
    >>> a, b, c = sp.symbols("a b c", nonnegative=True)
    >>> G = nx.DiGraph([("s", "m", {"capacity": a}), ("m", "t", {"capacity": b}), ("s", "t", {"capacity": c})])
    >>> symbolic_max_flow_value(G, "s", "t")
    Min(a + c, b + c)
    >>> symbolic_max_flow_value(nx.DiGraph([("s", "t")]), "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: the flow from 's' to 't' is unbounded: every s-t cut contains an edge without 'capacity'
    """
    source, sink = graph_ends(graph, source, sink)
    fwd = nx.descendants(graph, source) | {source}
    bwd = nx.ancestors(graph, sink) | {sink}
    relevant = fwd & bwd
    inner = sorted((u for u in relevant if u not in (source, sink)), key=repr)
    if len(inner) > MAX_SYMBOLIC_CUT_NODES:
        raise GameTooLargeError(
            f"symbolic max flow enumerates 2^{len(inner)} cuts; the limit is {MAX_SYMBOLIC_CUT_NODES} inner "
            f"nodes. Substitute numbers and use max_flow"
        )
    edges = [(u, v, d.get("capacity")) for u, v, d in graph.edges(data=True)
             if u in relevant and v in relevant and u != v]
    cuts = set()
    for r in range(len(inner) + 1):
        for chosen in combinations(inner, r):
            side = set(chosen) | {source}
            crossing = frozenset((u, v) for u, v, c in edges if u in side and v not in side)
            if any(c is None for u, v, c in edges if (u, v) in crossing):
                continue
            cuts.add(crossing)
    if not cuts:
        raise InvalidFlowError(
            f"the flow from {source!r} to {sink!r} is unbounded: every s-t cut contains an edge without 'capacity'"
        )
    minimal = [c for c in cuts if not any(o < c for o in cuts)]
    caps = {(u, v): c for u, v, c in edges}
    sums = {sp.Add(*[to_expr(caps[e], what=f"capacity of {e!r}") for e in cut]) for cut in minimal}
    return sp.Min(*sums)
