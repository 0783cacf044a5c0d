"""Max flow, max-flow value, min cut, flow validation with a cut certificate, and node throughputs."""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InvalidFlowError
from ..results import TupleResult
from .inputs import exact_number, graph_ends, reach
from .network import FlowNetwork

__all__ = ["FlowCertificate", "network_of", "max_flow", "max_flow_value", "max_flow_float", "min_cut", "validate_flow", "throughputs"]

@dataclass(frozen=True)
class FlowCertificate(TupleResult):
    """A valid flow's value and, for a maximum flow, a minimum cut ``(source_side, sink_side)`` of equal capacity."""

    value: object
    cut: object
    cut_capacity: object


def network_of(graph, source, sink):
    """``(FlowNetwork, node -> index, source, sink)`` of an exact networkx flow network (ends checked)."""
    source, sink = graph_ends(graph, source, sink)
    net = FlowNetwork.from_graph(graph, exact=True)
    index = {u: k for k, u in enumerate(net.nodes)}
    return net, index, source, sink


def max_flow(graph, source=None, sink=None, *, engine="auto", method=None):
    """An exact maximum flow and its value.

    Parameters
    ----------
    graph : networkx.DiGraph
        Edge attribute ``capacity`` (missing = unbounded), exact numbers.
    source, sink : node, optional
        Default ``graph.graph["source"]`` and ``graph.graph["sink"]`` (set by
        :func:`symgame.attention.attention_graph`).
    engine : str or callable
        ``"auto"`` (default), a name in :data:`~symgame.flows.engines.ENGINES` (``"dinic"``,
        ``"scipy"``, ``"networkx"``) or a callable integer engine (the protocol is in
        :mod:`symgame.flows.engines`); all are exact.
    method : str, optional
        Deprecated spelling of ``engine``.

    Returns
    -------
    (Fraction, dict)
        The value and the flow ``flow[u][v]`` on every edge.

    Raises
    ------
    InvalidFlowError
        Missing nodes, negative capacities, or an unbounded flow.
    NotExactError
        Symbolic capacities.

    Notes
    -----
    Dinic: O(V^2 E) augmentations over exact integers; SciPy's compiled Dinic
    when the scaled capacities fit ``int32``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> max_flow(G, "s", "t")
    (Fraction(1, 1), {'s': {'a': Fraction(1, 1)}, 'a': {'t': Fraction(1, 1)}, 't': {}})
    >>> max_flow(G, "s", "x")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: sink 'x' is not a node of the graph
    """
    net, index, source, sink = network_of(graph, source, sink)
    value, flows = net.max_flow(index[source], index[sink], engine=engine, method=method)
    return value, net.edge_flow_dict(flows)


def max_flow_value(graph, source=None, sink=None, *, engine="auto", method=None):
    """The exact maximum-flow value (see :func:`max_flow`; ``method=`` is the old spelling of ``engine=``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("s", "t", {"capacity": "1/3"})])
    >>> max_flow_value(G, "s", "t")
    Fraction(1, 3)
    >>> max_flow_value(nx.DiGraph([("s", "t")]), "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: the flow from 's' to 't' is unbounded: a path of edges without 'capacity' joins them; expected a finite maximum flow
    """
    return max_flow(graph, source, sink, engine=engine, method=method)[0]


def max_flow_float(graph, source=None, sink=None):
    """Float maximum flow for model-sized graphs (the named float path).

    Capacities are converted to float64; SciPy's compiled Dinic runs on
    capacities rounded down to a ``2**-30`` grid of the flow bound, then once
    more on the residual network to recover the rounding loss.  The flow is
    feasible (within float rounding) and its value agrees with the exact
    maximum to about 1e-12 relative on attention graphs (tested).

    Returns
    -------
    (float, dict)

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("s", "a", {"capacity": 0.5}), ("a", "t", {"capacity": 0.25}), ("s", "t", {"capacity": 0.125})])
    >>> max_flow_float(G, "s", "t")[0]
    0.375
    >>> max_flow_float(G, "s", "s")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: source and sink are the same node 's'; expected two different nodes
    """
    source, sink = graph_ends(graph, source, sink)
    net = FlowNetwork.from_graph(graph, exact=False)
    index = {u: k for k, u in enumerate(net.nodes)}
    value, flows = net.max_flow_float(index[source], index[sink])
    return value, net.edge_flow_dict(flows.tolist())


def min_cut(graph, source=None, sink=None, *, engine="auto"):
    """An exact minimum s-t cut ``(capacity, (source_side, sink_side))`` (``engine`` as in :func:`max_flow`).

    The source side is the set of nodes reachable from the source in the
    residual network of a maximum flow (the minimal minimum cut).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> value, (side, rest) = min_cut(G, "s", "t")
    >>> value, sorted(side), sorted(rest)
    (Fraction(1, 1), ['a', 's'], ['t'])
    >>> min_cut(G, "s", "q")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: sink 'q' is not a node of the graph
    """
    value, flow = max_flow(graph, source, sink, engine=engine)
    cert = validate_flow(graph, flow, source, sink)
    return cert.cut_capacity, cert.cut


def _flow_at(flow, u, v, what):
    row = flow.get(u)
    if row is None:
        return Fraction(0)
    x = row.get(v, 0)
    return exact_number(x, what)


def validate_flow(graph, flow, source=None, sink=None, *, maximum=True):
    """Check a flow exactly: capacity, conservation, and (if ``maximum``) optimality.

    Optimality is certified by a cut: the nodes reachable from the source in
    the residual network.  If the sink is reachable the flow is not maximum;
    otherwise every edge leaving that set is saturated and every edge
    entering it is empty, so the cut's capacity equals the flow value
    (max-flow min-cut theorem), which is checked.

    Parameters
    ----------
    graph : networkx.DiGraph
    flow : dict of dicts
        ``flow[u][v]``; missing entries are 0.  Values exact (floats are
        taken as their binary rationals).
    source, sink : node, optional
    maximum : bool
        Also require the flow to be a maximum flow.

    Returns
    -------
    FlowCertificate
        ``(value, cut, cut_capacity)``; ``cut`` is ``(source_side,
        sink_side)`` (``None`` when ``maximum`` is false).

    Raises
    ------
    InvalidFlowError
        Naming the first edge or node that violates a condition.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> cert = validate_flow(G, {"s": {"a": 1}, "a": {"t": 1}}, "s", "t")
    >>> cert.value, sorted(cert.cut[0]), cert.cut_capacity
    (Fraction(1, 1), ['a', 's'], Fraction(1, 1))
    >>> validate_flow(G, {"s": {"a": 1}, "a": {"t": Fraction(1, 2)}}, "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: flow is not conserved at node 'a': inflow 1, outflow 1/2
    """
    source, sink = graph_ends(graph, source, sink)
    if not isinstance(flow, Mapping):
        raise InvalidFlowError(f"flow must be a dict of dicts flow[u][v], got {type(flow).__name__}")
    for u, row in flow.items():
        if not isinstance(row, Mapping):
            raise InvalidFlowError(f"flow[{u!r}] must be a dict, got {type(row).__name__}")
        for v, x in row.items():
            if not graph.has_edge(u, v) and exact_number(x, f"flow on {u!r} -> {v!r}") != 0:
                raise InvalidFlowError(f"flow puts {x} on {u!r} -> {v!r}, which is not an edge of the graph")
    balance = {u: Fraction(0) for u in graph.nodes}
    inflow = {u: Fraction(0) for u in graph.nodes}
    residual = {u: [] for u in graph.nodes}
    caps = {}
    for u, v, data in graph.edges(data=True):
        x = _flow_at(flow, u, v, f"flow on {u!r} -> {v!r}")
        c = data.get("capacity")
        c = None if c is None else exact_number(c, f"capacity of edge {u!r} -> {v!r}")
        caps[(u, v)] = c
        if x < 0:
            raise InvalidFlowError(f"flow on {u!r} -> {v!r} is {x}; expected a non-negative number")
        if c is not None and x > c:
            raise InvalidFlowError(f"flow on {u!r} -> {v!r} is {x}, above its capacity {c}")
        if u == v:
            continue
        balance[u] -= x
        balance[v] += x
        inflow[v] += x
        if c is None or x < c:
            residual[u].append(v)
        if x > 0:
            residual[v].append(u)
    for u in graph.nodes:
        if u not in (source, sink) and balance[u] != 0:
            raise InvalidFlowError(
                f"flow is not conserved at node {u!r}: inflow {inflow[u]}, outflow {inflow[u] - balance[u]}"
            )
    value = -balance[source]
    if not maximum:
        return FlowCertificate(value, None, None)
    seen = reach(residual, source, sink)
    if seen is None:
        raise InvalidFlowError(
            f"flow of value {value} is not maximum: the residual network has a path from {source!r} to {sink!r}"
        )
    cut_capacity = Fraction(0)
    for (u, v), c in caps.items():
        if u in seen and v not in seen:
            cut_capacity += c  # finite: an unbounded edge would have put v in the residual reach
    if cut_capacity != value:  # pragma: no cover - impossible by max-flow min-cut; guards the checker itself
        raise InvalidFlowError(f"cut capacity {cut_capacity} differs from flow value {value}")
    side = frozenset(seen)
    return FlowCertificate(value, (side, frozenset(graph.nodes) - side), cut_capacity)


def throughputs(graph, flow, nodes=None):
    """Flow through each node: its inflow, or its outflow for a node without in-edges.

    For a node other than the source and sink the two agree by conservation;
    for the sink it is the flow value.  Values keep the flow's number type
    (symbolic flows are allowed).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> throughputs(G, {"s": {"a": 1}, "a": {"t": 1}}, ["a", "t"])
    {'a': 1, 't': 1}
    >>> throughputs(G, {}, ["z"])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: node 'z' is not a node of the graph
    """
    nodes = list(graph.nodes) if nodes is None else list(nodes)
    out = {}
    for u in nodes:
        if u not in graph:
            raise InvalidFlowError(f"node {u!r} is not a node of the graph")
        preds = [p for p in graph.predecessors(u) if p != u]
        if preds:
            out[u] = sum((flow.get(p, {}).get(u, 0) for p in preds), 0)
        else:
            out[u] = sum((x for v, x in flow.get(u, {}).items() if v != u), 0)
    return out


