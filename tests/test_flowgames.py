"""Tests for symgame.flowgames: fixed-flow, re-optimised and masking games; the Shapley flow."""

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from networkx.algorithms.flow import edmonds_karp

from symgame.attention import attention_graph
from symgame.errors import GameTooLargeError, InvalidFlowError, InvalidGameError
from symgame.flowgames import (
    fixed_flow_game,
    masking_game,
    reoptimised_game,
    reoptimised_shapley_estimate,
    shapley_flow,
)
from symgame.flows import max_flow, max_flow_value, throughputs, validate_flow
from symgame.game import Game
from symgame.strategies import attention_tensors
from symgame.values import shapley, shapley_float


def _rat(x):
    return sp.Rational(x.numerator, x.denominator)


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_fixed_flow_game_is_additive_with_outflows_as_shapley(A, data):
    L, n = A.shape[0], A.shape[-1]
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)))
    layer = data.draw(st.integers(0, L))
    _, f = max_flow(G)
    v = fixed_flow_game(G, f, layer)
    through = throughputs(G, f, [(layer, i) for i in range(n)])
    assert shapley(v) == {i: _rat(through[(layer, i)]) for i in range(n)}
    assert v == Game.additive({i: _rat(through[(layer, i)]) for i in range(n)})


def test_fixed_flow_game_with_symbolic_flow():
    x = sp.Symbol("x", nonnegative=True)
    G = attention_graph([[[1, 0], ["1/2", "1/2"]]], output=1)
    f = {"source": {(0, 0): Fraction(1, 2) - x, (0, 1): Fraction(1, 2) + x}, (0, 0): {(1, 1): Fraction(1, 2) - x},
         (0, 1): {(1, 1): Fraction(1, 2) + x}}
    assert shapley(fixed_flow_game(G, f, 0)) == {0: sp.Rational(1, 2) - x, 1: sp.Rational(1, 2) + x}


@given(attention_tensors(min_layers=2, max_layers=3, max_tokens=3, sparse=True), st.data())
def test_cross_layer_fixed_flow_game_is_not_efficient(A, data):
    n = A.shape[-1]
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)))
    value, f = max_flow(G)
    nodes = [(0, i) for i in range(n)] + [(1, i) for i in range(n)]
    v = fixed_flow_game(G, f, nodes)
    through = throughputs(G, f, nodes)
    assert v[v.grand_coalition] == _rat(value)
    assert sum(through.values()) == 2 * value
    assert sum(shapley(v).values()) == _rat(value)


def test_fixed_flow_game_errors():
    G = attention_graph([[[1, 0], ["1/2", "1/2"]]], output=1)
    _, f = max_flow(G)
    with pytest.raises(InvalidFlowError, match="not a node"):
        fixed_flow_game(G, f, [(5, 5)])
    with pytest.raises(InvalidFlowError, match="layer 4 has no nodes"):
        fixed_flow_game(G, f, 4)
    bad = {"source": {(0, 0): 1}, (0, 0): {(1, 1): 1}, (1, 1): {}}
    bad[(0, 0)] = {}
    with pytest.raises(InvalidFlowError, match="cannot be decomposed"):
        fixed_flow_game(G, bad, [(0, 0), (1, 1)])


def _brute_vstar(G, layer, coalition):
    """Oracle: remove the layer's other nodes and run networkx Edmonds-Karp (exact on Fractions)."""
    H = G.copy()
    H.remove_nodes_from([u for u in G.nodes if u != "source" and G.nodes[u]["layer"] == layer
                         and u[1] not in coalition])
    sink = G.graph["sink"]
    if sink not in H:
        return 0
    for u, v in H.out_edges("source"):
        H.edges[u, v]["capacity"] = Fraction(10**6)
    return nx.maximum_flow_value(H, "source", sink, flow_func=edmonds_karp)


@given(attention_tensors(max_layers=3, max_tokens=3, sparse=True), st.data())
def test_reoptimised_game_matches_direct_max_flows(A, data):
    L, n = A.shape[0], A.shape[-1]
    src = data.draw(st.sampled_from(["all", 0]))
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)), source=src)
    layer = data.draw(st.integers(0, L))
    v = reoptimised_game(G, layer)
    for S in v.coalitions():
        assert v[S] == _rat(_brute_vstar(G, layer, S))
    vf = reoptimised_game(G, layer, exact=False)
    assert max(abs(a - float(b)) for a, b in zip(vf.float_table(), v.exprs())) <= 1e-12


def test_reoptimised_game_symbolic():
    a = sp.Symbol("a", nonnegative=True)
    G = attention_graph([[[1, 0], [a, 1 - a]]], output=1)
    v = reoptimised_game(G, 0)
    assert v[{0}].subs(a, sp.Rational(1, 3)) == sp.Rational(1, 3)
    assert v[{0, 1}].subs(a, sp.Rational(1, 3)) == 1


def test_reoptimised_game_limit():
    n = 17
    A = np.full((1, n, n), 1 / n)
    with pytest.raises(GameTooLargeError, match="limit is 16"):
        reoptimised_game(attention_graph(A, output=0), 0, exact=False)


@given(attention_tensors(max_layers=2, max_tokens=4, sparse=True), st.data())
def test_shapley_flow_exists_for_input_players(A, data):
    """P2.exists for input-layer players with a super-source: v* is a polymatroid rank function."""
    n = A.shape[-1]
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)))
    res = shapley_flow(G, 0)
    assert res.exists
    assert validate_flow(G, res.flow).value == _rat(max_flow_value(G))
    through = throughputs(G, res.flow, [(0, i) for i in range(n)])
    assert {i: _rat(through[(0, i)]) for i in range(n)} == res.shapley == shapley(res.game)


def matching_graph():
    """Bipartite-matching-like layered graph: player 'a' gets Shapley mass but no maximum flow uses it."""
    G = nx.DiGraph(source="source", sink=(3, "t"))
    G.add_node("source", layer=-1)
    for node in [(0, "x1"), (0, "x2"), (1, "a"), (1, "b"), (1, "c"), (2, "A"), (2, "B"), (3, "t")]:
        G.add_node(node, layer=node[0])
    for u, v in [("source", (0, "x1")), ("source", (0, "x2")), ((0, "x1"), (1, "a")), ((0, "x1"), (1, "b")),
                 ((0, "x2"), (1, "c")), ((1, "a"), (2, "A")), ((1, "c"), (2, "A")), ((1, "b"), (2, "B")),
                 ((2, "A"), (3, "t")), ((2, "B"), (3, "t"))]:
        G.add_edge(u, v, capacity=1)
    return G


def test_shapley_flow_certificate_when_none_exists():
    G = matching_graph()
    res = shapley_flow(G, 1)
    assert res.shapley == {"a": sp.Rational(1, 3), "b": sp.Rational(5, 6), "c": sp.Rational(5, 6)}
    assert not res.exists and res.flow is None
    cert = res.certificate
    # x1 feeds both a and b but receives at most 1: the source side binds first
    assert cert["reason"] == "source side" and cert["coalition"] == frozenset({"a", "b"})
    assert cert["demand"] == Fraction(7, 6) > cert["source_capacity"] == 1 and cert["v_star"] == 1
    # re-check: every maximum flow leaves node a empty
    from symgame.flows import outflow_range
    assert outflow_range(G, (1, "a")).high == 0


def test_estimate_is_seeded_and_brackets_the_exact_value():
    A = [[["1/2", "1/2", 0], ["1/4", "1/2", "1/4"], [0, "1/4", "3/4"]],
         [["1/2", "1/4", "1/4"], [0, "1/2", "1/2"], ["1/4", "1/4", "1/2"]]]
    G = attention_graph(A, output=2)
    exact = shapley(reoptimised_game(G, 0))
    one = reoptimised_shapley_estimate(G, 0, permutations=300, seed=7)
    two = reoptimised_shapley_estimate(G, 0, permutations=300, seed=7)
    assert one == two
    for i, est in one.items():
        assert est.low <= float(exact[i]) <= est.high and est.permutations == 300 and est.seed == 7
    assert abs(sum(e.mean for e in one.values()) - 1.0) <= 1e-12  # efficiency holds per sampled order


@given(st.lists(st.integers(-3, 3), min_size=1, max_size=5))
def test_masking_game_total_attention_gives_uniform_shapley(scores):
    n = len(scores)
    assert shapley(masking_game(scores)) == {i: sp.Rational(1, n) for i in range(n)}


def test_masking_game_output_payoff():
    s1, s2, x1, x2 = sp.symbols("s1 s2 x1 x2", real=True)
    g = masking_game({"a": s1, "b": s2}, values={"a": x1, "b": x2})
    assert g[{"a"}] == x1 and g[{"b"}] == x2
    alpha = sp.exp(s1) / (sp.exp(s1) + sp.exp(s2))
    assert sp.simplify(g[{"a", "b"}] - (alpha * x1 + (1 - alpha) * x2)) == 0
    w = masking_game(weights=[1, 3], values=[4, 0])
    assert shapley(w) == {0: sp.Rational(5, 2), 1: sp.Rational(-3, 2)}


@pytest.mark.parametrize("kwargs, message", [
    ({}, "exactly one of scores and weights"),
    ({"weights": [1, -1]}, "expected a positive number"),
    ({"scores": [1, 2], "values": [1]}, "2 players but 1 values"),
    ({"scores": [1, 2], "players": ["a"]}, "1 players but 2 scores"),
])
def test_masking_game_errors(kwargs, message):
    with pytest.raises(InvalidGameError, match=message):
        masking_game(**kwargs)


def test_float_reoptimised_game_feeds_shapley_float():
    A = np.array([[[0.5, 0.5], [0.25, 0.75]]])
    G = attention_graph(A, output=1)
    assert shapley_float(reoptimised_game(G, 0, exact=False)) == {0: 0.25, 1: 0.75}


@given(attention_tensors(max_layers=3, max_tokens=6, sparse=True), st.data())
def test_reoptimised_game_on_one_reused_solver_is_identical_to_dinic_per_coalition(A, data):
    # the Gray-code walk on one OR-Tools solver (capacities set in place) against a fresh big-integer
    # Dinic run per coalition: identical exact rationals for every coalition, sink/source players included
    import symgame.flows.games as games_module

    L, n = A.shape[0], A.shape[-1]
    G = attention_graph(A, output=data.draw(st.integers(0, n - 1)), source=data.draw(st.sampled_from(["all", 0])))
    layer = data.draw(st.integers(0, L))
    built = []
    real = games_module.OrToolsSolver

    class Counting(real):
        def __init__(self, *args):
            built.append(1)
            super().__init__(*args)

    games_module.OrToolsSolver = Counting
    try:
        fast = reoptimised_game(G, layer)
    finally:
        games_module.OrToolsSolver = real
    assert built == [1]  # one solver for all 2^n coalitions
    slow = reoptimised_game(G, layer, engine="dinic")
    assert fast.exprs() == slow.exprs()
    assert fast.rational_table()[0].tolist() == [int(x * fast.rational_table()[1]) for x in slow.exprs()]
