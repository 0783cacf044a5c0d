"""The networkx max-flow engine: :func:`networkx.maximum_flow` (preflow-push) on integer capacities."""

import networkx as nx

__all__ = ["networkx_max_flow"]


def networkx_max_flow(num_nodes, tails, heads, capacities, source, sink):
    """Exact maximum flow of an integer network by :func:`networkx.algorithms.flow.maximum_flow`.

    Follows the integer-engine protocol of :mod:`symgame.flows.engines`.  networkx
    computes on the Python integers it is given, so the result is exact at any size.  A
    :class:`networkx.DiGraph` has one edge per ordered pair, so every arc after the first
    between the same two nodes goes through a node of its own, ``("arc", k)``.

    Examples
    --------
    >>> networkx_max_flow(3, [0, 1, 0, 0], [1, 2, 2, 2], [2, 1, 1, 3], 0, 2)
    (5, [1, 1, 1, 3])
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(range(num_nodes))
    route = []
    for k, (u, v, c) in enumerate(zip(tails, heads, capacities)):
        u, v, c = int(u), int(v), int(c)
        if u == v:
            route.append(None)  # a self-loop carries no useful flow
        elif graph.has_edge(u, v):
            mid = ("arc", k)
            graph.add_edge(u, mid, capacity=c)
            graph.add_edge(mid, v, capacity=c)
            route.append((u, mid))
        else:
            graph.add_edge(u, v, capacity=c)
            route.append((u, v))
    value, flow = nx.maximum_flow(graph, int(source), int(sink))
    return int(value), [0 if r is None else int(flow[r[0]][r[1]]) for r in route]
