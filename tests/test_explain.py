"""Tests for symgame.explain: the report agrees with the separate functions, exactly."""

import json
import pathlib
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame.attention import (
    attention_flow_az,
    attention_flow_ej,
    attention_graph,
    flow_leave_one_out,
    raw_attention,
    rollout,
)
from symgame.errors import InvalidAttentionError, NotExactError
from symgame.explain import COLUMNS, explain
from symgame.exact import to_expr
from symgame.flowgames import reoptimised_game
from symgame.flows import outflow_ranges
from symgame.strategies import attention_tensors
from symgame.values import shapley

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


@given(attention_tensors(max_layers=2, max_tokens=4, sparse=True), st.data())
def test_report_columns_agree_with_the_functions(A, data):
    L, n = A.shape[0], A.shape[-1]
    k = data.draw(st.integers(0, n - 1))
    layer = data.draw(st.integers(0, L))
    src = data.draw(st.sampled_from(["all", 0]))
    r = explain(A, output=k, layer=layer, source=src)
    assert r.exact and r.shapley_method == "exact"
    assert r.columns["raw_attention"] == raw_attention(A, output=k)
    assert r.columns["rollout"] == rollout(A, output=k, layer=layer)
    assert r.columns["az_flow"] == attention_flow_az(A, output=k, layer=layer)
    assert r.columns["ej_flow"] == attention_flow_ej(A, output=k, layer=layer, source=src)
    assert r.columns["loo"] == flow_leave_one_out(A, output=k, layer=layer, source=src)
    G = attention_graph(A, output=k, source=src)
    assert r.columns["shapley"] == shapley(reoptimised_game(G, layer))
    ranges = outflow_ranges(G, [(layer, i) for i in range(n)])
    for i in range(n):
        assert r.columns["ej_low"][i] == ranges[(layer, i)].low <= r.columns["ej_flow"][i]
        assert r.columns["ej_flow"][i] <= r.columns["ej_high"][i] == ranges[(layer, i)].high
    assert r.columns["loo"] == r.columns["ej_low"]  # LOO on v* is the least outflow over maximum flows
    assert r.shapley_flow["exists"] in (True, False)
    # JSON round trip: exact strings parse back to the same numbers
    doc = json.loads(json.dumps(r.to_json()))
    for row in doc["players"]:
        for name in COLUMNS:
            assert to_expr(row[name]) == r.columns[name][row["token"]]


def test_worked_example_text_and_json():
    r = explain(str(EXAMPLES / "attention_2x3.json"), output=2)
    text = str(r)
    assert "output token 2 (rocks)" in text and "Shapley flow: exists" in text
    assert r.columns["shapley"] == {0: sp.Rational(5, 24), 1: sp.Rational(1, 3), 2: sp.Rational(11, 24)}
    assert r.columns["az_flow"] == {0: sp.Rational(1, 4), 1: sp.Rational(3, 8), 2: sp.Rational(3, 8)}
    d = r.to_json()
    assert d["players"][0]["shapley"] == "5/24" and d["players"][0]["label"] == "the"
    assert d["max_flow"] == "1" and d["shapley_method"] == "exact"


def test_estimate_beyond_the_exact_limit_is_labelled():
    r = explain(str(EXAMPLES / "movie_review.json"), output=0, max_exact_players=3, permutations=20, seed=1)
    assert r.shapley_method == "estimate" and r.shapley_flow is None
    assert "ESTIMATE" in str(r) and "estimated from 20 sampled orders (seed 1)" in str(r)
    assert all(lo <= r.columns["shapley"][i] <= hi for i, (lo, hi) in r.shapley_interval.items())
    again = explain(str(EXAMPLES / "movie_review.json"), output=0, max_exact_players=3, permutations=20, seed=1)
    assert again.columns["shapley"] == r.columns["shapley"]
    assert "shapley_interval" in r.to_json()["players"][0]


def test_float_input_matches_exact_input():
    A = np.array([[[0.5, 0.5, 0.0], [0.25, 0.5, 0.25], [0.0, 0.25, 0.75]],
                  [[0.5, 0.25, 0.25], [0.0, 0.5, 0.5], [0.25, 0.25, 0.5]]])
    fast = explain(A, output=2)
    exact = explain(A, output=2, exact=True)
    assert not fast.exact and fast.shapley_method == "float" and exact.exact
    for name in COLUMNS:
        if name == "ej_flow":  # one maximum flow of many: which one depends on the engine (SciPy / OR-Tools)
            continue
        for i in range(3):
            assert abs(fast.columns[name][i] - float(exact.columns[name][i])) <= 1e-9
    for r in (fast, exact):  # each path's E&J flow is a maximum flow: its outflows lie in the exact ranges
        assert abs(sum(r.columns["ej_flow"].values()) - 1) <= 1e-9
        assert all(exact.columns["ej_low"][i] - 1e-9 <= r.columns["ej_flow"][i] <= exact.columns["ej_high"][i] + 1e-9
                   for i in range(3))
    assert isinstance(fast.to_json()["players"][0]["rollout"], float)
    assert "Shapley flow: not decided" in str(fast)


def test_shapley_flow_is_decided_for_an_interior_layer():
    r = explain(str(EXAMPLES / "attention_2x3.json"), output=2, layer=1)
    assert r.shapley_flow == {"exists": True, "certificate": None}


def test_explain_bad_input():
    a = sp.Symbol("a", nonnegative=True)
    with pytest.raises(NotExactError, match="substitute numbers"):
        explain([[[a, 1 - a], [0, 1]]], output=0)
    with pytest.raises(InvalidAttentionError, match="layer 3 is out of range"):
        explain([[[1, 0], [0, 1]]], output=0, layer=3)
    with pytest.raises(InvalidAttentionError, match="max_exact_players must be a non-negative int"):
        explain([[[1, 0], [0, 1]]], output=0, max_exact_players="many")


def test_shapley_can_be_skipped():
    r = explain(str(EXAMPLES / "attention_2x3.json"), output=2, shapley_value=False)
    assert r.shapley_method == "skipped" and r.columns["shapley"] == {0: None, 1: None, 2: None}
    assert r.to_json()["players"][0]["shapley"] is None and "Shapley flow" not in str(r)
    f = explain(np.array([[[0.5, 0.5], [0.25, 0.75]]]), output=1, shapley_value=False)
    assert f.shapley_method == "skipped" and f.columns["loo"] == f.columns["ej_low"]


def test_float_explanation_shares_flows_and_matches_exact_on_thirds():
    # non-dyadic entries: the float engine's repair rounds run; explain shares one network's flows
    # (A&Z per-pair flows double as the E&J maxima on the input layer) and must still match the exact path
    A = [[["1/3", "1/3", "1/3"], ["1/7", "2/7", "4/7"], [0, "2/3", "1/3"]],
         [["3/5", "1/5", "1/5"], ["1/3", 0, "2/3"], ["1/9", "4/9", "4/9"]]]
    F = np.array([[[float(Fraction(x)) for x in row] for row in m] for m in A])
    for source in ("all", 1):
        for layer in (0, 1):
            fast = explain(F, output=1, source=source, layer=layer, shapley_value=False)
            exact = explain(A, output=1, source=source, layer=layer, shapley_value=False)
            for name in COLUMNS:
                if name not in ("shapley", "ej_flow"):  # E&J: one max flow of many, engine-dependent (below)
                    assert max(abs(fast.columns[name][i] - float(exact.columns[name][i])) for i in range(3)) <= 1e-12
            for r in (fast, exact):
                assert all(float(exact.columns["ej_low"][i]) - 1e-12 <= r.columns["ej_flow"][i]
                           <= float(exact.columns["ej_high"][i]) + 1e-12 for i in range(3))
            assert fast.columns["az_flow"] == attention_flow_az(F, output=1, layer=layer)


def test_time_limit_switches_to_a_labelled_sampled_estimate():
    # a limit far too small for 2^n flows: the Shapley value of v* is sampled (symgame.sampling), said so,
    # with intervals; without the limit the same call enumerates exactly
    A = [[["1/3", "1/3", "1/3"], ["1/7", "2/7", "4/7"], [0, "2/3", "1/3"]],
         [["3/5", "1/5", "1/5"], ["1/3", 0, "2/3"], ["1/9", "4/9", "4/9"]]]
    seen = []
    r = explain(A, output=1, time_limit=1e-6, progress=lambda done, total: seen.append((done, total)))
    assert r.shapley_method == "skipped" and r.columns["shapley"] == {0: None, 1: None, 2: None}
    assert any("not even 2 sampled orders (6 max flows) fit the time left: Shapley of v* SKIPPED" in n
               for n in r.notes)
    r = explain(A, output=1, time_limit=1e-6, max_exact_players=2, permutations=2)
    assert r.shapley_method == "skipped"
    r = explain(A, output=1, time_limit=30, max_exact_players=2, permutations=6)
    assert r.shapley_method == "estimate" and r.shapley_flow is None
    assert any("ESTIMATED by permutation sampling" in n for n in r.notes)
    assert all(lo <= r.columns["shapley"][i] <= hi for i, (lo, hi) in r.shapley_interval.items())
    assert seen and seen[-1][0] <= seen[-1][1]
    assert explain(A, output=1, time_limit=600).shapley_method == "exact"
    with pytest.raises(InvalidAttentionError, match="time_limit must be a positive number of seconds"):
        explain(A, output=1, time_limit=0)


def test_time_limit_on_a_layer_wider_than_a_sampling_payoff():
    # 63 players (a payoff holds at most 62): the flow games' own sampler, sized by a timed pilot
    rng = np.random.default_rng(3)
    A = rng.random((1, 63, 63))
    A /= A.sum(axis=-1, keepdims=True)
    r = explain(A, output=0, time_limit=3, permutations=4)
    assert r.shapley_method == "estimate" and any("exceed the 62 of a sampling payoff" in n for n in r.notes)
    assert abs(sum(r.columns["shapley"].values()) - r.max_flow) <= 1e-9  # every order sums to v*(N)
