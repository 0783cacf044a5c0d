"""Tests for symgame.flows: every flow checked by the shared exact validator."""

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from networkx.algorithms.flow import edmonds_karp

import symgame.flows.floatflow as floatflow_module
from symgame.attention import attention_graph, attention_network
from symgame.errors import GameTooLargeError, InvalidFlowError, NotExactError
from symgame.flows import (
    ENGINES,
    FlowNetwork,
    get_engine,
    max_flow,
    max_flow_float,
    max_flow_value,
    min_cut,
    outflow_range,
    outflow_ranges,
    realise_outflows,
    symbolic_max_flow_value,
    throughputs,
    validate_flow,
)
from symgame.strategies import attention_tensors


@st.composite
def flow_graphs(draw, max_nodes=6):
    """Random digraphs (cycles and antiparallel edges allowed) with rational capacities."""
    n = draw(st.integers(2, max_nodes))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n))
    for u, v in chosen:
        G.add_edge(u, v, capacity=Fraction(draw(st.integers(0, 9)), draw(st.integers(1, 4))))
    return G


def nx_exact_value(G, s, t):
    """Oracle: networkx Edmonds-Karp stays exact on Fraction capacities."""
    return nx.maximum_flow_value(G, s, t, flow_func=edmonds_karp)


@given(flow_graphs())
def test_max_flow_is_valid_and_matches_networkx(G):
    s, t = 0, len(G) - 1
    expected = nx_exact_value(G, s, t)
    for method in ("dinic", "scipy"):
        value, flow = max_flow(G, s, t, method=method)
        cert = validate_flow(G, flow, s, t)
        assert value == cert.value == cert.cut_capacity == expected
        side, rest = cert.cut
        assert s in side and t in rest


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_attention_max_flows_validate(A, data):
    k = data.draw(st.integers(0, A.shape[-1] - 1))
    src = data.draw(st.sampled_from(["all", 0]))
    G = attention_graph(A, output=k, source=src)
    value, flow = max_flow(G)
    assert validate_flow(G, flow).value == value
    H = G.copy()
    for u, v in H.out_edges("source"):
        H.edges[u, v]["capacity"] = Fraction(10**6)
    assert nx_exact_value(H, "source", G.graph["sink"]) == value


def test_unbounded_edges_and_large_denominators_use_exact_dinic():
    G = nx.DiGraph()
    G.add_edge("s", "a")  # unbounded
    G.add_edge("a", "t", capacity=Fraction(1, 3**40))
    G.add_edge("s", "t", capacity=Fraction(2**40, 7))
    value, flow = max_flow(G, "s", "t")
    assert value == Fraction(1, 3**40) + Fraction(2**40, 7)
    assert validate_flow(G, flow, "s", "t").value == value
    with pytest.raises(InvalidFlowError, match="needs scaled capacities up to 2\\*\\*30"):
        max_flow(G, "s", "t", method="scipy")


def test_float_capacities_are_taken_exactly():
    G = nx.DiGraph([("s", "t", {"capacity": 0.1})])
    assert max_flow_value(G, "s", "t") == Fraction(0.1)


@pytest.mark.parametrize("bad, message", [
    ({"s": {"a": 3}, "a": {"t": 3}}, "above its capacity"),
    ({"s": {"a": -1}, "a": {"t": -1}}, "non-negative"),
    ({"s": {"a": 1}, "a": {"t": 0}}, "not conserved at node 'a'"),
    ({"s": {"t": 1}}, "not an edge"),
    ({}, "not maximum"),
    ({"s": "a"}, "must be a dict"),
])
def test_validate_flow_rejects(bad, message):
    G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 2})])
    with pytest.raises(InvalidFlowError, match=message):
        validate_flow(G, bad, "s", "t")


def test_validate_flow_non_maximum_allowed_when_asked():
    G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 2})])
    cert = validate_flow(G, {"s": {"a": 1}, "a": {"t": 1}}, "s", "t", maximum=False)
    assert cert.value == 1 and cert.cut is None


@pytest.mark.parametrize("graph, s, t, error, message", [
    (nx.DiGraph([("s", "t")]), "s", "t", InvalidFlowError, "unbounded"),
    (nx.DiGraph([("s", "t", {"capacity": 1})]), "s", "s", InvalidFlowError, "same node"),
    (nx.DiGraph([("s", "t", {"capacity": 1})]), "x", "t", InvalidFlowError, "source 'x' is not a node"),
    (nx.DiGraph([("s", "t", {"capacity": -1})]), "s", "t", InvalidFlowError, "non-negative"),
    (nx.DiGraph([("s", "t", {"capacity": sp.Symbol("a")})]), "s", "t", NotExactError, "symbolic_max_flow_value"),
    (nx.DiGraph([("s", "t", {"capacity": float("nan")})]), "s", "t", InvalidFlowError, "finite"),
    (nx.Graph([("s", "t")]), "s", "t", InvalidFlowError, "DiGraph"),
])
def test_max_flow_bad_input(graph, s, t, error, message):
    with pytest.raises(error, match=message):
        max_flow(graph, s, t)


def test_bad_method_and_bad_network():
    G = nx.DiGraph([("s", "t", {"capacity": 1})])
    with pytest.raises(InvalidFlowError, match="method 'fast'"):
        max_flow(G, "s", "t", method="fast")
    with pytest.raises(InvalidFlowError, match="same length"):
        FlowNetwork(["a", "b"], [0], [1], [])


def test_min_cut_matches_value():
    G = nx.DiGraph([("s", "a", {"capacity": 3}), ("a", "t", {"capacity": 1}), ("s", "t", {"capacity": 2})])
    value, (side, rest) = min_cut(G, "s", "t")
    assert value == 3
    assert sum(G.edges[u, v]["capacity"] for u in side for v in G.successors(u) if v in rest) == value


# ---------------------------------------------------------------------- outflow ranges
def _bellman_ford_cycle(nodes, arcs):
    """A negative cycle among arcs (u, v, cost, key) with positive residual, or None."""
    dist = {u: 0 for u in nodes}
    pred = {u: None for u in nodes}
    last = None
    for _ in range(len(nodes)):
        last = None
        for arc in arcs:
            u, v, cost, _ = arc
            if dist[u] + cost < dist[v]:
                dist[v] = dist[u] + cost
                pred[v] = arc
                last = v
        if last is None:
            return None
    for _ in range(len(nodes)):
        last = pred[last][0]
    cycle, u = [], last
    while True:
        arc = pred[u]
        cycle.append(arc)
        u = arc[0]
        if u == last:
            return cycle


def oracle_max_throughput(G, flow, node, s, t):
    """Independent oracle: cancel negative cycles (cost -1 per unit into ``node``) in the residual network."""
    f = {(u, v): Fraction(flow[u][v]) for u, v in G.edges}
    while True:
        arcs = []
        for (u, v), x in f.items():
            c = G.edges[u, v].get("capacity")
            cost = -1 if v == node else 0
            if c is None or x < c:
                arcs.append((u, v, cost, ((u, v), 1)))
            if x > 0:
                arcs.append((v, u, -cost, ((u, v), -1)))
        cycle = _bellman_ford_cycle(list(G.nodes), arcs)
        if cycle is None:
            return sum(x for (u, v), x in f.items() if v == node)
        amount = None
        for u, v, _, (e, sign) in cycle:
            c = G.edges[e].get("capacity")
            room = f[e] if sign < 0 else (None if c is None else c - f[e])
            if room is not None:
                amount = room if amount is None else min(amount, room)
        for _, _, _, (e, sign) in cycle:
            f[e] += sign * amount


@given(attention_tensors(max_layers=3, max_tokens=3, sparse=True), st.data())
def test_outflow_ranges_are_attained_and_tight(A, data):
    L, n = A.shape[0], A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    layer = data.draw(st.integers(0, L))
    G = attention_graph(A, output=k)
    F = max_flow_value(G)
    nodes = [(layer, i) for i in range(n)]
    ranges = outflow_ranges(G, nodes)
    for u in nodes:
        r = ranges[u]
        for flow, end in ((r.low_flow, r.low), (r.high_flow, r.high)):
            assert validate_flow(G, flow).value == F
            assert throughputs(G, flow, [u])[u] == end
        H = G.copy()
        H.remove_node(u)
        without = max_flow_value(H) if G.graph["sink"] in H else 0
        assert r.low == F - without
        assert r.high == oracle_max_throughput(G, r.low_flow, u, "source", G.graph["sink"])


def test_outflow_range_of_sink_is_the_value():
    G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
    r = outflow_range(G, (1, 1))
    assert (r.low, r.high) == (1, 1)


def test_outflow_range_doctest_graph_has_nonunique_flows():
    G = nx.DiGraph([("s", "a", {"capacity": 1}), ("s", "b", {"capacity": 1}), ("a", "t", {"capacity": 1}),
                    ("b", "t", {"capacity": 1}), ("s", "c", {"capacity": 1}), ("c", "a", {"capacity": 1})])
    r = outflow_range(G, "a", "s", "t")
    assert (r.low, r.high) == (1, 1)
    r = outflow_range(G, "c", "s", "t")
    assert (r.low, r.high) == (0, 1)


# ---------------------------------------------------------------------- realisability
def _side_bound_oracle(G, layer, coalition, side):
    """A(C) or B(C) recomputed with networkx on a hand-built side network."""
    H = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        lu, lv = G.nodes[u]["layer"], G.nodes[v]["layer"]
        if side == "source" and lv <= layer:
            H.add_edge(u, v, capacity=d.get("capacity", Fraction(10**6)))
        if side == "sink" and lu >= layer:
            H.add_edge(u, v, capacity=d["capacity"])
    term = "terminal"
    for u in coalition:
        if side == "source":
            H.add_edge(u, term, capacity=Fraction(10**6))
        else:
            H.add_edge(term, u, capacity=Fraction(10**6))
    s, t = ("source", term) if side == "source" else (term, G.graph["sink"])
    if s not in H or t not in H:
        return 0
    return nx_exact_value(H, s, t)


@given(attention_tensors(max_layers=3, max_tokens=3, sparse=True), st.data())
def test_realise_outflows_flows_and_certificates(A, data):
    L, n = A.shape[0], A.shape[-1]
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)))
    layer = data.draw(st.integers(0, L - 1))
    F = max_flow_value(G)
    tau = {(layer, i): Fraction(data.draw(st.integers(0, 4)), 4) for i in range(n)}
    res = realise_outflows(G, tau, maximum=False)
    if res.realisable:
        assert validate_flow(G, res.flow, maximum=False).value == sum(tau.values())
        assert throughputs(G, res.flow, list(tau)) == tau
    else:
        cert = res.certificate
        side = cert["reason"].split()[0]
        bound = _side_bound_oracle(G, layer, cert["coalition"], side)
        assert cert["demand"] == sum(tau[u] for u in cert["coalition"]) > bound
    # the throughputs of a maximum flow are always realisable by a maximum flow
    _, f = max_flow(G)
    through = throughputs(G, f, list(tau))
    res = realise_outflows(G, through)
    assert res.realisable and validate_flow(G, res.flow).value == F
    assert throughputs(G, res.flow, list(tau)) == through


def test_realise_outflows_reasons():
    G = attention_graph([[[1, 0], ["1/2", "1/2"]]], output=1)
    res = realise_outflows(G, {(0, 0): Fraction(-1, 2), (0, 1): 1})
    assert not res.realisable and res.certificate["reason"] == "negative"
    res = realise_outflows(G, {(0, 0): Fraction(1, 4), (0, 1): Fraction(1, 4)})
    assert not res.realisable and res.certificate == {"reason": "not maximum", "total": Fraction(1, 2),
                                                      "max_flow": 1}
    assert realise_outflows(G, {(0, 0): Fraction(1, 4), (0, 1): Fraction(1, 4)}, maximum=False).realisable
    G1 = attention_graph([[["1/2", "1/2"], ["1/2", "1/2"]], [[1, 0], [1, 0]]], output=0)
    res = realise_outflows(G1, {(2, 0): Fraction(1, 2), (2, 1): Fraction(1, 2)}, maximum=False)
    assert not res.realisable and res.certificate["reason"] == "sink side"
    assert res.certificate["coalition"] == frozenset({(2, 1)}) and res.certificate["sink_capacity"] == 0


def test_realise_outflows_bad_input():
    G = attention_graph([[[1, 0], ["1/2", "1/2"]]], output=1)
    with pytest.raises(InvalidFlowError, match="non-empty mapping"):
        realise_outflows(G, {})
    with pytest.raises(InvalidFlowError, match="not a node"):
        realise_outflows(G, {(7, 7): 1})
    H = nx.DiGraph([("s", "a", {"capacity": 1}), ("a", "t", {"capacity": 1})])
    with pytest.raises(InvalidFlowError, match="no 'layer' attribute"):
        realise_outflows(H, {"a": 1}, "s", "t")


# ---------------------------------------------------------------------- symbolic and float
@given(attention_tensors(max_layers=2, max_tokens=3, sparse=True), st.data())
def test_symbolic_max_flow_agrees_after_substitution(A, data):
    n = A.shape[-1]
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)))
    symbols = {}
    S = G.copy()
    for u, v, d in S.edges(data=True):
        if "capacity" in d:
            x = sp.Symbol(f"c{len(symbols)}", nonnegative=True)
            symbols[x] = sp.Rational(d["capacity"].numerator, d["capacity"].denominator)
            d["capacity"] = x
    expr = symbolic_max_flow_value(S)
    exact = max_flow_value(G)
    assert expr.xreplace(symbols) == sp.Rational(exact.numerator, exact.denominator)


def test_symbolic_max_flow_limit():
    G = nx.DiGraph()
    for i in range(17):
        G.add_edge("s", i, capacity=1)
        G.add_edge(i, "t", capacity=1)
    with pytest.raises(GameTooLargeError, match="limit is 16"):
        symbolic_max_flow_value(G, "s", "t")


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True, exact=False), st.data())
def test_float_path_matches_exact_path(A, data):
    n = A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    G_float = attention_graph(A, output=k)
    G_exact = attention_graph(A, output=k, exact=True)  # dyadic floats: the same numbers exactly
    value, flow = max_flow_float(G_float)
    exact = max_flow_value(G_exact)
    assert abs(value - float(exact)) <= 1e-12
    for u, v, d in G_float.edges(data=True):
        assert -1e-12 <= flow[u][v] <= d.get("capacity", float("inf")) + 1e-12


# ---------------------------------------------------------------------- float fast path on non-dyadic numbers
def _float_twin(net):
    """The same network with float capacities (inf for unbounded)."""
    caps = np.array([np.inf if c is None else float(c) for c in net.capacities])
    return FlowNetwork(net.nodes, net.tails, net.heads, caps)


@given(flow_graphs(), st.data())
def test_float_values_and_ranges_match_exact_on_general_graphs(G, data):
    # cycles, antiparallel edges and thirds: the first SciPy round is inexact, later rounds repair it
    exact = FlowNetwork.from_graph(G)
    fast = _float_twin(exact)
    nn = len(exact.nodes)
    s, t = 0, data.draw(st.integers(1, nn - 1))
    keep = data.draw(st.lists(st.booleans(), min_size=len(exact.tails), max_size=len(exact.tails)))
    for mask in (None, keep):
        value = exact.max_flow(s, t, keep=mask)[0]
        for engine in ("ortools", "scipy"):  # OR-Tools int64 rounds (the default) and SciPy int32 rounds
            twin = _float_twin(exact)
            assert abs(twin.max_flow_value_float(s, t, keep=mask, engine=engine) - float(value)) <= 1e-12
            assert abs(twin.max_flow_float(s, t, keep=mask, engine=engine)[0] - float(value)) <= 1e-12
        assert abs(fast.max_flow_value_float(s, t, keep=mask) - float(value)) <= 1e-12
        assert abs(fast.max_flow_float(s, t, keep=mask)[0] - float(value)) <= 1e-12
    ranges = outflow_ranges(G, list(G.nodes), exact.nodes[s], exact.nodes[t])
    got = fast.outflow_ranges_float(s, t, range(nn))
    for u, (low, high) in zip(exact.nodes, got):
        assert abs(low - float(ranges[u].low)) <= 1e-12 and abs(high - float(ranges[u].high)) <= 1e-12


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_float_ranges_match_exact_on_attention_graphs(A, data):
    # rational attention (w / sum w: thirds, sevenths, ...) against its float rounding; every branch of
    # outflow_ranges_float: input layer with a super-source (shared per-pair flows), unused nodes, interior layers
    L, n = A.shape[0], A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    layer = data.draw(st.integers(0, L))
    source = data.draw(st.sampled_from(["all"] + list(range(n))))
    exact = attention_network(A, source=source)
    fast = attention_network(A.astype(float), source=source)
    t = 1 + L * n + k
    players = [1 + layer * n + i for i in range(n)]
    G = attention_graph(A, output=k, source=source)
    ranges = outflow_ranges(G, [exact.nodes[u] for u in players])
    for u, (low, high) in zip(players, fast.outflow_ranges_float(0, t, players)):
        r = ranges[exact.nodes[u]]
        assert abs(low - float(r.low)) <= 1e-12 and abs(high - float(r.high)) <= 1e-12
    for u in players[:2]:
        if u != t:
            assert abs(fast.max_flow_value_float(u, t) - float(exact.max_flow(u, t)[0])) <= 1e-12


def test_value_only_float_flow_contracts_the_residual_network(monkeypatch):
    # seeded softmax attention: the contracted second round runs, gives a value, and that value is right
    rng = np.random.default_rng(5)
    scores = rng.normal(scale=3.0, size=(3, 10, 10))
    A = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    fast = attention_network(A)
    exact = attention_network(A, exact=True)  # the floats as binary rationals
    calls = []
    real = floatflow_module.contracted_value

    def spy(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(floatflow_module, "contracted_value", spy)
    t = 1 + 3 * 10 + 4
    for j in range(10):
        assert abs(fast.max_flow_value_float(1 + j, t, engine="scipy") - float(exact.max_flow(1 + j, t)[0])) <= 1e-12
    assert calls and all(c is not None for c in calls)
    assert fast.max_flow_value_float(1, t) == fast.max_flow_value_float(1, t)  # cached


# ---------------------------------------------------------------------- the engine table
@given(st.integers(2, 7).flatmap(lambda nn: st.tuples(
    st.just(nn),
    st.lists(st.tuples(st.integers(0, nn - 1), st.integers(0, nn - 1), st.integers(0, 9)), max_size=18))))
def test_every_engine_gives_the_exact_maximum_flow(problem):
    # parallel and antiparallel arcs included; each engine's value equals the independent networkx
    # Edmonds-Karp value on the summed graph, and its arc flows form a valid maximum flow
    nn, arcs = problem
    arcs = [(u, v, c) for u, v, c in arcs if u != v]
    tails, heads, caps = [a[0] for a in arcs], [a[1] for a in arcs], [a[2] for a in arcs]
    ref = nx.DiGraph()
    ref.add_nodes_from(range(nn))
    for u, v, c in arcs:
        old = ref.edges[u, v]["capacity"] if ref.has_edge(u, v) else 0
        ref.add_edge(u, v, capacity=old + c)
    expected = nx.maximum_flow_value(ref, 0, nn - 1, flow_func=edmonds_karp)
    for name in ("auto", *ENGINES):
        before = (list(tails), list(heads), list(caps))
        value, flows = get_engine(name)(nn, tails, heads, caps, 0, nn - 1)
        assert (list(tails), list(heads), list(caps)) == before  # inputs not mutated
        assert value == expected and len(flows) == len(arcs)
        balance = [0] * nn
        for (u, v, c), x in zip(arcs, flows):
            assert 0 <= x <= c
            balance[u] -= x
            balance[v] += x
        assert all(b == 0 for k, b in enumerate(balance) if k not in (0, nn - 1))
        assert balance[nn - 1] == value


def test_engine_by_name_or_callable_and_the_old_method_keyword():
    G = nx.DiGraph([("s", "a", {"capacity": Fraction(1, 2)}), ("a", "t", {"capacity": 1}), ("s", "t", {"capacity": 2})])
    calls = []

    def counting(num_nodes, tails, heads, capacities, source, sink):
        calls.append(num_nodes)
        return ENGINES["dinic"](num_nodes, tails, heads, capacities, source, sink)

    assert max_flow_value(G, "s", "t", engine=counting) == Fraction(5, 2) and calls == [3]
    for name in ENGINES:
        assert max_flow_value(G, "s", "t", engine=name) == max_flow_value(G, "s", "t", method=name) == Fraction(5, 2)
    with pytest.raises(InvalidFlowError, match="engine 'fast' is not one of 'auto', 'dinic', 'networkx', 'ortools', 'scipy'"):
        max_flow(G, "s", "t", engine="fast")
    with pytest.raises(InvalidFlowError, match="needs scaled capacities up to 2\\*\\*30"):
        ENGINES["scipy"](2, [0], [1], [2**40], 0, 1)


def test_functions_that_run_max_flows_take_engine():
    G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
    seen = []

    def spy(*args):
        seen.append(len(args[1]))
        return ENGINES["networkx"](*args)

    r = outflow_ranges(G, [(0, 0)], engine=spy)
    assert seen and r[(0, 0)].low == Fraction(1, 4)
    assert realise_outflows(G, {(0, 0): Fraction(1, 4), (0, 1): Fraction(3, 4)}, engine="networkx").realisable
    assert min_cut(G, engine="networkx")[0] == 1


# ---------------------------------------------------------------------- the OR-Tools engine
@given(flow_graphs(max_nodes=8), st.integers(1, 10**6))
def test_ortools_engine_agrees_exactly_with_dinic_on_rational_networks(G, den):
    # random rational capacities over a common denominator up to 10^6; value and flow exact, the flow
    # passes the shared validator, and the value is the big-integer Dinic's, identically
    for u, v in G.edges:
        G.edges[u, v]["capacity"] = G.edges[u, v]["capacity"] / den
    s, t = 0, len(G) - 1
    value, flow = max_flow(G, s, t, engine="ortools")
    cert = validate_flow(G, flow, s, t)
    assert value == cert.value == cert.cut_capacity == max_flow_value(G, s, t, engine="dinic")
    assert all(type(x) is Fraction for row in flow.values() for x in row.values())


def test_ortools_engine_falls_back_to_big_integers_beyond_int64():
    # capacities whose common denominator pushes the scaled sum past 2**62: the big-integer path answers
    from symgame.flows.ortools import INT64_SAFE, fits_int64

    G = nx.DiGraph()
    G.add_edge("s", "a", capacity=Fraction(2**61, 3))
    G.add_edge("a", "t", capacity=Fraction(2**61, 5))
    G.add_edge("s", "t", capacity=Fraction(1, 7))
    net = FlowNetwork.from_graph(G)
    assert net.int64_capacities(0, 2) is None  # too wide for OR-Tools
    assert not fits_int64([INT64_SAFE, 1]) and fits_int64([INT64_SAFE])
    value, flow = max_flow(G, "s", "t", engine="ortools")
    assert value == Fraction(2**61, 5) + Fraction(1, 7) == validate_flow(G, flow, "s", "t").value
    calls = []
    real = ENGINES["dinic"]

    def spy(*args):
        calls.append(1)
        return real(*args)

    import symgame.flows.ortools as ortools_module

    orig = ortools_module.dinic
    ortools_module.dinic = spy
    try:
        assert ENGINES["ortools"](2, [0, 0], [1, 1], [2**62, 1], 0, 1) == (2**62 + 1, [2**62, 1])
        assert calls == [1]  # the fallback ran
        assert ENGINES["ortools"](2, [0, 0], [1, 1], [2**61, 1], 0, 1) == (2**61 + 1, [2**61, 1])
        assert calls == [1]  # within int64: OR-Tools itself
    finally:
        ortools_module.dinic = orig


def test_auto_picks_ortools_on_networks_of_measured_size():
    from symgame.flows.engines import ORTOOLS_MIN_EDGES, choose_engine

    assert choose_engine(ORTOOLS_MIN_EDGES, 10) == "ortools" and choose_engine(ORTOOLS_MIN_EDGES - 1, 10) == "dinic"
    assert choose_engine(10**4, 2**63) == "dinic"


def test_float_flow_on_ortools_rounds_is_feasible_and_repairs_thirds():
    # capacities in thirds: round 1 rounds down, the minimum-cut loss bound triggers the residual rounds
    # only when needed; the flow stays within capacities and is conserved to float rounding
    from symgame.flows.floatflow import ortools_float_max_flow

    caps = np.array([1 / 3, 2 / 3, 1 / 3, 1 / 3, 1.0])
    tails, heads = np.array([0, 0, 1, 2, 1]), np.array([1, 2, 3, 3, 2])
    value, flows = ortools_float_max_flow(4, tails, heads, caps, 0, 3, "sabt")
    assert abs(value - 2 / 3) <= 1e-15 and np.all(flows >= 0) and np.all(flows <= caps)
    for u in (1, 2):
        assert abs(flows[heads == u].sum() - flows[tails == u].sum()) <= 1e-15
    with pytest.raises(InvalidFlowError, match="float engine 'gpu'"):
        FlowNetwork(["s", "t"], [0], [1], np.array([1.0])).max_flow_float(0, 1, engine="gpu")


def test_auto_runs_without_ortools_and_gives_the_same_exact_answers(monkeypatch):
    """On the bare install (no [fast] extra) ``engine="auto"`` falls back to Dinic / SciPy instead of failing."""
    import sys

    import numpy as np

    from symgame.attention import attention_graph
    from symgame.errors import InvalidFlowError
    from symgame.flows import max_flow_value, reoptimised_game
    from symgame.flows.ortools import ortools_available
    from symgame.values import shapley

    rng = np.random.default_rng(3)
    a = rng.integers(1, 5, size=(2, 4, 4)).astype(object)
    a = [[[sp.Rational(int(x), int(sum(row))) for x in row] for row in layer] for layer in a]
    graph = attention_graph(a, output=0)
    with_ortools = (max_flow_value(graph), shapley(reoptimised_game(graph, 0)))
    net = attention_network(np.array(a, dtype=float))
    source, sink = 0, 1 + 2 * 4  # the super-source and output token 0 of the last layer
    scipy_value = net.max_flow_value_float(source, sink, engine="scipy")
    for name in ("ortools", "ortools.graph", "ortools.graph.python", "ortools.graph.python.max_flow"):
        monkeypatch.setitem(sys.modules, name, None)
    ortools_available.cache_clear()
    try:
        assert ortools_available() is False
        without = (max_flow_value(graph), shapley(reoptimised_game(graph, 0)))
        assert without == with_ortools
        assert net.max_flow_value_float(source, sink, engine="auto") == scipy_value  # the SciPy float path
        with pytest.raises(InvalidFlowError, match="needs OR-Tools"):
            max_flow_value(graph, engine="ortools")
    finally:
        ortools_available.cache_clear()
