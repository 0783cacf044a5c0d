"""The multi-level model masking game: a real encoder run with each token's attention scaled to a fraction of full.

Players are the sentence's word pieces (special tokens always visible, never players, as in
:func:`symgame.models.masking.masking_game`).  Level ``l`` of token ``i`` adds ``log f_l`` to every
attention score *towards* position ``i`` in every layer and head (an additive 4-D attention mask),
so its unnormalised softmax weight is ``f_l`` times the full one; ``f_0 = 0`` hides it (the dtype's
minimum is added, so its weight is exactly 0, as the two-level game's attention mask does) and
``f_m = 1`` leaves it alone.  The payoff is the two-level game's cosine payoff,
``v(x) = cos(e(x), e(m)) - cos(e(0), e(m))`` with ``cos(e(m), e(m)) = 1``, for the readout
``e``: the last hidden state of token ``target`` (an int; ``0`` is ``[CLS]``), or with
``target="sentence"`` the mean of the last hidden states weighted by each position's fraction (1 for
special tokens), which is the two-level game's mean pooling when every fraction is 0 or 1.

The payoffs are float32 model outputs combined in float64 and converted exactly; values of the
game are exact values *of these numbers*.  Cost: ``prod (m + 1)`` forward passes, batched.

Examples
--------
>>> import numpy as np
>>> level_bias([True, False, False, True], (0, 2), (0.5, 1.0)).tolist()   # token 1 hidden, token 2 full
[0.0, -3.4028234663852886e+38, 0.0, 0.0]
"""

import math

import numpy as np

from ..errors import GameTooLargeError, ModelInputError
from ..multichoice.attention import check_fractions
from ..multichoice.game import MultiChoiceGame
from .encoders import load_encoder, require_transformers, tokenize
from .masking import cosine_payoffs, masking_setup

__all__ = ["model_multilevel_game", "level_bias", "MAX_LEVEL_PASSES"]

#: Default largest number of forward passes (level vectors) of :func:`model_multilevel_game`.
MAX_LEVEL_PASSES = 4096
_MIN32 = float(np.finfo(np.float32).min)


def level_bias(special, levels, fractions):
    """The additive bias of every key position for one level vector: 0 for special tokens, ``log f_l`` for a
    player at level ``l >= 1`` and the float32 minimum at level 0.

    Parameters
    ----------
    special : sequence of bool
        Which positions are special tokens (always visible).
    levels : sequence of int
        The level of each player, players in position order of the non-special tokens.
    fractions : sequence of float
        ``f_1, ..., f_m``.
    """
    out = np.zeros(len(special), dtype=np.float64)
    players = [pos for pos, s in enumerate(special) if not s]
    for pos, level in zip(players, levels):
        out[pos] = _MIN32 if level == 0 else math.log(float(fractions[level - 1]))
    return out


def model_multilevel_game(sentence, *, model=None, fractions=(0.5, 1.0), target=0, batch_size=64,
                          max_passes=MAX_LEVEL_PASSES):
    """The multi-level masking game of a real encoder on ``sentence`` (needs the ``[transformers]`` extra).

    Parameters
    ----------
    sentence : str
    model : str or (tokenizer, model), optional
        As :func:`symgame.models.masking.masking_game` (default: all-MiniLM-L6-v2).
    fractions : sequence
        ``f_1 < ... < f_m = 1`` (see :func:`symgame.multichoice.attention.check_fractions`), exact numbers.
    target : int or "sentence"
        The readout: a token position (``0`` = ``[CLS]``) or weighted mean pooling.
    batch_size : int
    max_passes : int
        Refuse games with more level vectors (forward passes) than this.

    Returns
    -------
    MultiChoiceGame
        Players labelled as in the two-level game (``"pos:text"``), ``m = len(fractions)`` levels each.

    Raises
    ------
    ModelInputError
        Empty sentence, bad target; :class:`~symgame.errors.InvalidGameError` for bad fractions.
    GameTooLargeError
        More than ``max_passes`` level vectors.
    MissingDependencyError
        The ``[transformers]`` extra is not installed.
    """
    fs = check_fractions(fractions)
    setup = masking_setup(sentence, model=model, target=target, removal="attention-mask")
    if setup.payoff not in ("mean-cosine", "cls-cosine", "token-cosine"):
        raise ModelInputError(f"the multi-level game reads a cosine payoff of an encoder; got {setup.payoff!r}")
    m, n = len(fs), setup.n
    passes = (m + 1) ** n
    if passes > max_passes:
        raise GameTooLargeError(f"{n} players with {m} levels each need {passes} forward passes; the limit is "
                                f"{max_passes} (max_passes=); use fewer levels or a shorter sentence")
    torch, _ = require_transformers("model_multilevel_game")
    tok, mod = load_encoder(model)
    ids = list(tokenize(sentence, model=(tok, mod))["input_ids"])
    special = list(setup.special)
    n_tok = len(ids)
    game = MultiChoiceGame.from_function(setup.players, [m] * n, lambda x: 0)  # the level vectors, in order
    vectors = game.level_vectors()
    floats = [float(f) for f in fs]
    rows = []
    with torch.inference_mode():
        for start in range(0, len(vectors), batch_size):
            chunk = vectors[start:start + batch_size]
            bias = np.stack([level_bias(special, x, floats) for x in chunk]).astype(np.float32)
            mask = torch.from_numpy(bias)[:, None, None, :].expand(len(chunk), 1, n_tok, n_tok).contiguous()
            input_ids = torch.tensor([ids] * len(chunk), dtype=torch.long)
            hidden = mod(input_ids=input_ids, attention_mask=mask).last_hidden_state
            if target == "sentence":
                weight = np.array([[1.0 if s else 0.0 for s in special]] * len(chunk))
                for b, x in enumerate(chunk):
                    for pos, level in zip([p for p, s in enumerate(special) if not s], x):
                        weight[b, pos] = 0.0 if level == 0 else floats[level - 1]
                w = torch.from_numpy(weight).to(hidden.dtype).unsqueeze(-1)
                out = (hidden * w).sum(dim=1) / w.sum(dim=1)
            else:
                out = hidden[:, int(target), :]
            rows.append(out.detach().cpu().numpy().astype(np.float64))
    payoffs = cosine_payoffs(np.concatenate(rows), full=len(vectors) - 1)
    return MultiChoiceGame.from_table(setup.players, [m] * n, [float(v) for v in payoffs])
