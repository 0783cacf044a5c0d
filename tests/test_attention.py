"""Tests for symgame.attention: parsing and validation, graphs, rollout, A&Z / E&J flows, LOO."""

import json
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from networkx.algorithms.flow import edmonds_karp

from symgame.attention import (
    SOURCE,
    as_attention,
    attention_flow_az,
    attention_flow_ej,
    attention_graph,
    attention_network,
    flow_leave_one_out,
    load_attention,
    raw_attention,
    rollout,
    rollout_matrix,
)
from symgame.errors import InvalidAttentionError, NotExactError
from symgame.flowgames import reoptimised_game
from symgame.flows import max_flow_value, throughputs, max_flow, validate_flow
from symgame.strategies import attention_tensors
from symgame.values import leave_one_out


def _frac(x):
    x = sp.Rational(x)
    return Fraction(int(x.p), int(x.q))


# ---------------------------------------------------------------------- validation
@pytest.mark.parametrize("bad, message", [
    ([[1, 0], [0, 1]], "expected \\(L, n, n\\) or \\(L, H, n, n\\)"),
    ([[[1, 0, 0], [0, 1, 0]]], "last two axes must be equal"),
    ([[[1, 0], [0, 1]], [[1, 0]]], "ragged"),
    ([], "empty"),
    ([[[1, 0], ["-1/2", "3/2"]]], "attention\\[0\\]\\[1\\]\\[0\\] is -1/2; attention weights must be non-negative"),
    ([[[1, 0], ["nan", 1]]], "not finite"),
    ([[[1, 0], ["x +", 1]]], "cannot be parsed"),
    ([[["1/2", "1/4"], [0, 1]]], "row 0 of attention\\[0\\] sums to 3/4; expected 1"),
    (np.array([[[0.5, 0.4], [0.0, 1.0]]]), "row 0 of attention\\[0\\] sums to 0.9"),
    (np.array([[[np.nan, 1.0], [0.0, 1.0]]]), "attention\\[0\\]\\[0\\]\\[0\\] is nan; attention weights must be finite"),
    (np.array([[[np.inf, 1.0], [0.0, 1.0]]]), "must be finite"),
    (np.array([[[-0.5, 1.5], [0.0, 1.0]]]), "must be non-negative"),
    (np.array([[[True, False], [False, True]]]), "boolean"),
    (np.array([[["a", "b"], ["c", "d"]]]), "dtype"),
    ("not/a/file.json", "cannot read attention file"),
    (42, "not an array"),
    ({"tokens": ["a"]}, "needs the key 'attention'"),
    ([[[True, 0], [0, 1]]], "boolean"),
])
def test_bad_attention_is_rejected(bad, message):
    with pytest.raises(InvalidAttentionError, match=message):
        as_attention(bad)


def test_float_validation_tolerance_and_unnormalised_option():
    near = np.array([[[0.5, 0.5 + 1e-7], [0.0, 1.0]]])
    assert as_attention(near).kind == "float"  # within the documented validation tolerance
    with pytest.raises(InvalidAttentionError, match="within 1e-09"):
        as_attention(near, tolerance=1e-9)
    heavy = [[[2, 3], [0, 0]]]
    att = as_attention(heavy, normalised=False)
    assert att.entry(1, 0, 1) == 3
    with pytest.raises(InvalidAttentionError, match="must be non-negative"):
        as_attention([[[-1, 0], [0, 0]]], normalised=False)


def test_symbolic_rows_three_valued():
    a = sp.Symbol("a", positive=True)
    att = as_attention([[[a, 1 - a], [0, 1]]])
    assert att.kind == "symbolic"
    with pytest.raises(InvalidAttentionError, match="sums to a \\+ 1"):
        as_attention([[[a, 1], [0, 1]]])
    with pytest.raises(InvalidAttentionError, match="negative"):
        as_attention([[[-a, 1 + a], [0, 1]]])


def test_heads_average_and_selection():
    A = np.array([[[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]])  # (1, 2, 2, 2)
    assert np.array_equal(as_attention(A).array(), np.full((1, 2, 2), 0.5))
    assert np.array_equal(as_attention(A, head=1).array(), A[:, 1])
    exact = as_attention(A.astype(object).tolist() and [[[[1, 0], [0, 1]], [["1/3", "2/3"], [1, 0]]]])
    assert exact.entry(1, 0, 1) == Fraction(1, 3)
    with pytest.raises(InvalidAttentionError, match="head 2 is out of range; expected an int in 0..1"):
        as_attention(A, head=2)
    with pytest.raises(InvalidAttentionError, match="has no head axis"):
        as_attention(A[:, 0], head=0)


def test_tokens_and_residual_twice():
    with pytest.raises(InvalidAttentionError, match="tokens must be a list of 2 strings"):
        as_attention([[[1, 0], [0, 1]]], tokens=["a"])
    att = as_attention([[[1, 0], [0, 1]]], residual=True)
    with pytest.raises(InvalidAttentionError, match="already residual-mixed"):
        as_attention(att, residual=True)


def test_exact_flag_converts_floats_exactly_and_back():
    A = np.array([[[0.1, 0.9], [0.0, 1.0]]])
    att = as_attention(A, exact=True)
    assert att.kind == "rational" and att.entry(1, 0, 0) == Fraction(0.1)
    assert as_attention([[["1/3", "2/3"], [0, 1]]], exact=False).kind == "float"


def test_sympy_matrices_and_lists_of_matrices():
    a = sp.Symbol("a", nonnegative=True)
    M = sp.Matrix([[a, 1 - a], [0, 1]])
    assert as_attention(M).L == 1
    assert as_attention([M, M]).L == 2


# ---------------------------------------------------------------------- files
def test_json_npy_npz_files(tmp_path):
    doc = {"attention": [[["1", "0"], [0.25, "3/4"]]], "tokens": ["good", "film"]}
    p = tmp_path / "a.json"
    p.write_text(json.dumps(doc))
    att = load_attention(p)
    assert att.kind == "rational" and att.entry(1, 1, 0) == Fraction(1, 4) and att.tokens == ("good", "film")
    p2 = tmp_path / "b.json"
    p2.write_text("[[[0.1, 0.9], [1, 0]]]")
    assert load_attention(p2).entry(1, 0, 0) == Fraction(1, 10)  # JSON decimals are read as exact decimals
    p3 = tmp_path / "c.npy"
    np.save(p3, np.array([[[0.5, 0.5], [1.0, 0.0]]]))
    assert as_attention(str(p3)).kind == "float"
    p4 = tmp_path / "d.npz"
    np.savez(p4, attention=np.array([[[0.5, 0.5], [1.0, 0.0]]]), tokens=np.array(["x", "y"]))
    assert load_attention(p4).tokens == ("x", "y")
    p5 = tmp_path / "e.npz"
    np.savez(p5, a=np.ones((1, 1, 1)), b=np.ones((1, 1, 1)))
    with pytest.raises(InvalidAttentionError, match="expected one named 'attention'"):
        load_attention(p5)
    p6 = tmp_path / "f.json"
    p6.write_text("{nope")
    with pytest.raises(InvalidAttentionError, match="not valid JSON"):
        load_attention(p6)


def test_example_files_load():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "examples"
    small = load_attention(root / "attention_2x3.json")
    assert (small.L, small.n, small.kind) == (2, 3, "rational")
    review = load_attention(root / "movie_review.json")
    assert review.kind == "rational" and review.tokens is not None and len(review.tokens) == review.n


# ---------------------------------------------------------------------- graphs
@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_graph_structure(A, data):
    L, n = A.shape[0], A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    G = attention_graph(A, output=k)
    assert G.graph["sink"] == (L, k) and G.graph["source"] == SOURCE
    assert set(G.successors(SOURCE)) == {(0, i) for i in range(n)}
    assert all("capacity" not in G.edges[SOURCE, v] for v in G.successors(SOURCE))
    for l in range(1, L + 1):
        for i in range(n):
            for j in range(n):
                c = _frac(A[l - 1, i, j])
                assert (G.edges[(l - 1, j), (l, i)]["capacity"] if c else 0) == c
                assert G.has_edge((l - 1, j), (l, i)) == (c != 0)
    net = attention_network(A)
    assert len(net.tails) == G.number_of_edges()


@given(attention_tensors(max_layers=3, max_tokens=4))
def test_residual_mixing(A):
    n = A.shape[-1]
    att = as_attention(A, residual=True)
    for l in range(1, A.shape[0] + 1):
        for i in range(n):
            row = [att.entry(l, i, j) for j in range(n)]
            assert sum(row) == 1
            assert row == [Fraction(1, 2) * _frac(A[l - 1, i, j]) + (Fraction(1, 2) if i == j else 0)
                           for j in range(n)]


# ---------------------------------------------------------------------- rollout
@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.booleans(), st.data())
def test_rollout_is_the_matrix_product(A, residual, data):
    L = A.shape[0]
    layer = data.draw(st.integers(0, L))
    mats = [sp.Matrix(A[l].tolist()) for l in range(L)]
    if residual:
        mats = [(m + sp.eye(m.rows)) / 2 for m in mats]
    expected = sp.eye(A.shape[-1])
    for l in range(layer, L):
        expected = mats[l] * expected
    assert rollout_matrix(A, layer=layer, residual=residual) == expected
    k = data.draw(st.integers(0, A.shape[-1] - 1))
    assert rollout(A, output=k, layer=layer, residual=residual) == {j: expected[k, j] for j in range(A.shape[-1])}


def test_rollout_symbolic_and_float():
    a = sp.Symbol("a", nonnegative=True)
    M = [[[a, 1 - a], [0, 1]], [[1, 0], ["1/2", "1/2"]]]
    R = rollout_matrix(M)
    assert R.subs(a, sp.Rational(1, 3)) == rollout_matrix([[["1/3", "2/3"], [0, 1]], [[1, 0], ["1/2", "1/2"]]])
    F = np.array([[[0.25, 0.75], [0.0, 1.0]], [[1.0, 0.0], [0.5, 0.5]]])
    assert np.array_equal(rollout_matrix(F), F[1] @ F[0])  # dyadic: exact in float too


def test_raw_attention():
    A = [[[1, 0], ["1/4", "3/4"]], [["1/2", "1/2"], [0, 1]]]
    assert raw_attention(A, output=0) == {0: sp.Rational(1, 2), 1: sp.Rational(1, 2)}
    assert raw_attention(A, output=1, layer=1) == {0: sp.Rational(1, 4), 1: sp.Rational(3, 4)}
    with pytest.raises(InvalidAttentionError, match="output 2 is not a token index"):
        raw_attention(A, output=2)


# ---------------------------------------------------------------------- flows
def reference_az(A, k):
    """Plain networkx per-pair computation, graph built entry by entry (the released code's style)."""
    L, n = A.shape[0], A.shape[-1]
    G = nx.DiGraph()
    for l in range(1, L + 1):
        for i in range(n):
            for j in range(n):
                G.add_edge((l - 1, j), (l, i), capacity=_frac(A[l - 1, i, j]))
    values = [nx.maximum_flow_value(G, (0, j), (L, k), flow_func=edmonds_karp) for j in range(n)]
    total = sum(values)
    return {j: sp.Rational(v.numerator, v.denominator) / (sp.Rational(total.numerator, total.denominator))
            if total else sp.Integer(0) for j, v in enumerate(values)}


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_az_flow_matches_networkx_per_pair(A, data):
    k = data.draw(st.integers(0, A.shape[-1] - 1))
    assert attention_flow_az(A, output=k) == reference_az(A, k)


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_ej_flow_is_the_layer_throughput_of_a_maximum_flow(A, data):
    L, n = A.shape[0], A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    layer = data.draw(st.integers(0, L))
    src = data.draw(st.sampled_from(["all", 0]))
    ej = attention_flow_ej(A, output=k, layer=layer, source=src)
    G = attention_graph(A, output=k, source=src)
    F = max_flow_value(G)
    assert sum(ej.values()) == F
    # the flow ej came from, recomputed the same way, validates
    value, flow = max_flow(G)
    assert validate_flow(G, flow).value == F
    assert {i: sp.Rational(x.numerator, x.denominator)
            for (l, i), x in throughputs(G, flow, [(layer, i) for i in range(n)]).items()} == ej


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True), st.data())
def test_flow_loo_matches_the_reoptimised_game(A, data):
    L, n = A.shape[0], A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    layer = data.draw(st.integers(0, L))
    G = attention_graph(A, output=k)
    assert flow_leave_one_out(A, output=k, layer=layer) == leave_one_out(reoptimised_game(G, layer))


@given(attention_tensors(max_layers=3, max_tokens=4, sparse=True, exact=False), st.data())
def test_float_paths_match_exact_paths(A, data):
    n = A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    layer = data.draw(st.integers(0, A.shape[0]))
    for func in (attention_flow_az, flow_leave_one_out, rollout):
        fast = func(A, output=k, layer=layer)
        exact = func(A, output=k, layer=layer, exact=True)
        assert all(isinstance(v, float) for v in fast.values())
        assert max(abs(fast[j] - float(exact[j])) for j in range(n)) <= 1e-9
    assert abs(sum(attention_flow_ej(A, output=k, layer=layer).values())
               - float(sum(attention_flow_ej(A, output=k, layer=layer, exact=True).values()))) <= 1e-9


def test_symbolic_flows():
    a = sp.Symbol("a", nonnegative=True)
    M = [[[1, 0], [a, 1 - a]]]
    az = attention_flow_az(M, output=1, normalise=False)
    assert az == {0: sp.Min(a, 1), 1: sp.Min(1, 1 - a)} or {k: v.subs(a, sp.Rational(1, 3)) for k, v in az.items()} == {
        0: sp.Rational(1, 3), 1: sp.Rational(2, 3)}
    loo = flow_leave_one_out(M, output=1)
    assert {k: v.subs(a, sp.Rational(1, 3)) for k, v in loo.items()} == {0: sp.Rational(1, 3), 1: sp.Rational(2, 3)}
    with pytest.raises(NotExactError, match="substitute numbers"):
        attention_flow_ej(M, output=1)


def test_flow_argument_errors():
    A = [[[1, 0], [0, 1]]]
    with pytest.raises(InvalidAttentionError, match="layer 2 is out of range"):
        attention_flow_ej(A, output=0, layer=2)
    with pytest.raises(InvalidAttentionError, match="source 3 is not a token index"):
        attention_graph(A, output=0, source=3)


def test_node_index_is_the_array_networks_layout():
    from symgame.attention import NodeIndex, attention_graph, attention_network

    A = [[[1, 0, 0], ["1/2", "1/2", 0], ["1/3", "1/3", "1/3"]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]]]
    net = attention_network(A)
    index = NodeIndex(2, 3)
    assert net.nodes == index.nodes()
    assert all(index(*node) == k for k, node in enumerate(net.nodes) if node != "source")
    assert all(index.node(k) == node for k, node in enumerate(net.nodes))
    G = attention_graph(A, output=1)
    assert {(net.nodes[a], net.nodes[b]) for a, b in zip(net.tails, net.heads)} == set(G.edges)
