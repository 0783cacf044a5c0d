"""What all maximum flows can do at a node: exact outflow ranges, and realising given layer outflows."""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import networkx as nx
import numpy as np

from ..errors import InvalidFlowError
from ..results import TupleResult
from .inputs import exact_number, graph_ends
from .maxflow import max_flow, max_flow_value, network_of, validate_flow
from .network import FlowNetwork

__all__ = ["OutflowRange", "Realisation", "outflow_range", "outflow_ranges", "realise_outflows"]

@dataclass(frozen=True)
class OutflowRange(TupleResult):
    """A node's throughput range ``[low, high]`` over all maximum flows, with a maximum flow attaining each end."""

    node: object
    low: object
    high: object
    low_flow: dict
    high_flow: dict


# ---------------------------------------------------------------------- outflow ranges
def _residual_split(net, flows, node):
    """Residual network of ``flows`` with ``node`` split into an in-copy and an out-copy.

    Returns (FlowNetwork, map from residual edge to (original edge, sign), u_in, u_out).
    """
    nn = len(net.nodes)
    u_in, u_out = node, nn  # the out-copy is a new node
    tails, heads, caps, back = [], [], [], []
    for e in range(len(net.tails)):
        a, b = int(net.tails[e]), int(net.heads[e])
        a2 = u_out if a == node else a
        b2 = u_in if b == node else b
        c, x = net.capacities[e], flows[e]
        if c is None or x < c:
            tails.append(a2), heads.append(b2), caps.append(None if c is None else c - x), back.append((e, 1))
        if x > 0:
            tails.append(b2), heads.append(a2), caps.append(x), back.append((e, -1))
    res = FlowNetwork(net.nodes + [("__out__", net.nodes[node])], tails, heads, caps)
    return res, back, u_in, u_out


def _through(net, flows, node, source):
    if node == source:
        return sum((flows[e] for e in np.flatnonzero(net.tails == node)), Fraction(0))
    return sum((flows[e] for e in np.flatnonzero(net.heads == node)), Fraction(0))


def _apply(flows, back, extra):
    new = list(flows)
    for (e, sign), y in zip(back, extra):
        if y:
            new[e] += sign * y
    return new


def outflow_range(graph, node, source=None, sink=None, *, engine="auto"):
    """The exact range ``[low, high]`` of a node's throughput over all maximum flows.

    Method: take one maximum flow ``f``.  All maximum flows are ``f + g`` for
    circulations ``g`` of the residual network ``G_f``.  Split the node into
    ``u_in -> u_out``; the throughput rises by the maximum flow from ``u_out``
    to ``u_in`` in ``G_f`` without the split edge, and falls by the maximum
    flow from ``u_in`` to ``u_out`` (at most the current throughput).  So
    three exact max flows per node, O(V^2 E) each; each end comes with a
    maximum flow attaining it.  (Independently, ``low = F - maxflow(G - u)``;
    the tests check this.)

    Returns
    -------
    OutflowRange
        ``(node, low, high, low_flow, high_flow)``, Fractions and flows.

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 1}), ("s", "b", {"capacity": 1}),
    ...                 ("a", "t", {"capacity": 1}), ("b", "t", {"capacity": 1}), ("s", "c", {"capacity": 1}),
    ...                 ("c", "a", {"capacity": 1})])
    >>> r = outflow_range(G, "c", "s", "t")
    >>> r.low, r.high
    (Fraction(0, 1), Fraction(1, 1))
    >>> outflow_range(G, "q", "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: node 'q' is not a node of the graph
    """
    return outflow_ranges(graph, [node], source, sink, engine=engine)[node]


def outflow_ranges(graph, nodes, source=None, sink=None, *, engine="auto"):
    """:func:`outflow_range` for several nodes, sharing the first maximum flow (``engine`` as in
    :func:`~symgame.flows.maxflow.max_flow`).

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 1}), ("a", "t", {"capacity": 2})])
    >>> {u: (r.low, r.high) for u, r in outflow_ranges(G, ["a"], "s", "t").items()}
    {'a': (Fraction(1, 1), Fraction(1, 1))}
    """
    net, index, source, sink = network_of(graph, source, sink)
    for u in nodes:
        if u not in index:
            raise InvalidFlowError(f"node {u!r} is not a node of the graph")
    s, t = index[source], index[sink]
    value, flows = net.max_flow(s, t, engine=engine)
    out = {}
    for u in nodes:
        k = index[u]
        if k in (s, t):
            fd = net.edge_flow_dict(flows)
            out[u] = OutflowRange(u, value, value, fd, fd)
            continue
        now = _through(net, flows, k, s)
        res, back, u_in, u_out = _residual_split(net, flows, k)
        up, g_up = res.max_flow(u_out, u_in, engine=engine)
        # cap the decrease at the current throughput with a new source before u_in
        res_dn = FlowNetwork(
            res.nodes + ["__cap__"], list(res.tails) + [len(res.nodes)], list(res.heads) + [u_in],
            list(res.capacities) + [now],
        )
        down, g_dn = res_dn.max_flow(len(res.nodes), u_out, engine=engine)
        high_flows = _apply(flows, back, g_up)
        low_flows = _apply(flows, back, g_dn[:-1])
        out[u] = OutflowRange(u, now - down, now + up, net.edge_flow_dict(low_flows), net.edge_flow_dict(high_flows))
    return out


# ---------------------------------------------------------------------- realisability
@dataclass(frozen=True)
class Realisation(TupleResult):
    """Whether the throughputs are realisable; the realising flow, and a flow certificate or an exact reason."""

    realisable: bool
    flow: dict
    certificate: object


def _layer_of(graph, node):
    data = graph.nodes[node]
    if "layer" not in data:
        raise InvalidFlowError(
            f"node {node!r} has no 'layer' attribute; realise_outflows needs a layered graph from "
            f"symgame.attention.attention_graph"
        )
    return data["layer"]


def _side_network(graph, layer, nodes, source, sink, side, amounts):
    """Part A (side 'source': layers <= layer) or B ('sink': layers >= layer) with a terminal for ``nodes``.

    ``amounts[u]`` is the terminal edge capacity of layer node ``u`` (None = unbounded).
    """
    keep = []
    for u in graph.nodes:
        if u == source:
            if side == "source":
                keep.append(u)
            continue
        lu = _layer_of(graph, u)
        if (side == "source" and lu <= layer) or (side == "sink" and lu >= layer):
            keep.append(u)
    sub = nx.DiGraph()
    sub.add_nodes_from(keep)
    keep_set = set(keep)
    for u, v, data in graph.edges(data=True):
        if u in keep_set and v in keep_set and u != v:
            if side == "sink" and _layer_of(graph, v) == layer:
                continue
            if side == "source" and u != source and _layer_of(graph, u) == layer:
                continue
            sub.add_edge(u, v, **({"capacity": data["capacity"]} if "capacity" in data else {}))
    term = ("__terminal__",)
    sub.add_node(term)
    for u in nodes:
        attrs = {} if amounts.get(u) is None else {"capacity": amounts[u]}
        if side == "source":
            sub.add_edge(u, term, **attrs)
        else:
            sub.add_edge(term, u, **attrs)
    if side == "source":
        return sub, source, term
    return sub, term, sink


def _side_value(graph, layer, coalition, source, sink, side, engine):
    """A(C) (side 'source') or B(C) (side 'sink'): max flow between the source/sink and the coalition."""
    if not coalition:
        return Fraction(0)
    sub, s, t = _side_network(graph, layer, coalition, source, sink, side, {})
    if side == "sink" and sink in coalition or side == "source" and s == t:
        return None  # unbounded
    try:
        return max_flow_value(sub, s, t, engine=engine)
    except InvalidFlowError:
        return None


def realise_outflows(graph, outflows, source=None, sink=None, *, maximum=True, engine="auto"):
    """Decide exactly whether some (maximum) flow has the given throughputs at one layer.

    Parameters
    ----------
    graph : networkx.DiGraph
        A layered graph from :func:`symgame.attention.attention_graph`
        (node attribute ``layer``; every source-sink path crosses each layer
        exactly once).
    outflows : Mapping
        Layer node -> demanded throughput (exact).  All keys in one layer;
        nodes of that layer not given get 0.
    source, sink : node, optional
    maximum : bool
        Require the flow to be a maximum flow (then the throughputs must add
        up to the maximum-flow value).
    engine : str or callable
        The max-flow engine, as in :func:`~symgame.flows.maxflow.max_flow`.

    Returns
    -------
    Realisation
        ``(True, flow, certificate)`` with a flow attaining the throughputs
        (check it with :func:`validate_flow`), or ``(False, None,
        certificate)``.  An infeasibility certificate is a dict; its
        ``"reason"`` is one of ``"negative"`` (a demanded throughput below 0),
        ``"source side"`` (a coalition ``C`` of layer nodes with
        ``tau(C) > A(C)``, the maximum flow the source can send into ``C``),
        ``"sink side"`` (``tau(C) > B(C)``, the maximum flow from ``C`` to the
        sink), or ``"not maximum"`` (realisable, but the total is below the
        maximum-flow value).  By Gale's supply-demand theorem applied to each
        side of the layer, these conditions are exactly the obstructions.

    Notes
    -----
    The layer splits the network into a part A (source to the layer) and a
    part B (layer to the sink).  ``tau`` is realisable iff part A with an edge
    of capacity ``tau_u`` from each layer node to a new sink, and part B with
    an edge of capacity ``tau_u`` from a new source to each layer node, are
    both saturated; the union of the two flows is the certificate.  On
    failure the residual reach of the unsaturated part gives ``C``.  Cost: two
    max flows, plus one to evaluate ``A(C)`` or ``B(C)``.

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> G = attention_graph([[["1", "0"], ["1/2", "1/2"]]], output=1)
    >>> realise_outflows(G, {(0, 0): Fraction(1, 2), (0, 1): Fraction(1, 2)}).realisable
    True
    >>> r = realise_outflows(G, {(0, 0): Fraction(1, 4), (0, 1): Fraction(3, 4)})
    >>> r.realisable, r.certificate["reason"], sorted(r.certificate["coalition"])
    (False, 'sink side', [(0, 1)])
    >>> realise_outflows(G, {(0, 0): 1, (1, 0): 0})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: outflows mix layers [0, 1]; expected the nodes of one layer
    """
    source, sink = graph_ends(graph, source, sink)
    if not isinstance(outflows, Mapping) or not outflows:
        raise InvalidFlowError("outflows must be a non-empty mapping layer node -> throughput")
    for u in outflows:
        if u not in graph:
            raise InvalidFlowError(f"node {u!r} is not a node of the graph")
    layers = sorted({_layer_of(graph, u) for u in outflows})
    if len(layers) != 1:
        raise InvalidFlowError(f"outflows mix layers {layers}; expected the nodes of one layer")
    layer = layers[0]
    members = [u for u in graph.nodes if u != source and _layer_of(graph, u) == layer]
    tau = {u: exact_number(outflows.get(u, 0), f"outflow of {u!r}") for u in members}
    negative = [u for u in members if tau[u] < 0]
    if negative:
        u = negative[0]
        return Realisation(False, None, {"reason": "negative", "node": u, "demand": tau[u]})
    total = sum(tau.values(), Fraction(0))
    flow = {u: {} for u in graph.nodes}
    for side in ("source", "sink"):
        sub, s, t = _side_network(graph, layer, members, source, sink, side, tau)
        value, f = max_flow(sub, s, t, engine=engine)
        if value < total:
            cert = validate_flow(sub, f, s, t)
            reach = cert.cut[0]
            if side == "source":
                coalition = frozenset(u for u in members if u not in reach)
            else:
                coalition = frozenset(u for u in members if u in reach)
            bound = _side_value(graph, layer, coalition, source, sink, side, engine)
            key = "source_capacity" if side == "source" else "sink_capacity"
            return Realisation(False, None, {
                "reason": f"{side} side", "coalition": coalition,
                "demand": sum((tau[u] for u in coalition), Fraction(0)), key: bound,
            })
        for a, row in f.items():
            for b, x in row.items():
                if a in graph and b in graph and graph.has_edge(a, b):
                    flow[a][b] = flow[a].get(b, Fraction(0)) + x
    for u, v in graph.edges:
        flow[u].setdefault(v, Fraction(0))
    if maximum:
        best = max_flow_value(graph, source, sink, engine=engine)
        if total != best:
            return Realisation(False, None, {"reason": "not maximum", "total": total, "max_flow": best})
    return Realisation(True, flow, validate_flow(graph, flow, source, sink, maximum=maximum))
