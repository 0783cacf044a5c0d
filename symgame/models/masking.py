"""The model masking game: a real encoder run with only a coalition of tokens visible.

Players are the sentence's tokens (word pieces), or its words when
``words=True`` (the pieces of a word form one player).  The special tokens
(``[CLS]``, ``[SEP]``) are **always visible** and are never players: BERT-style
models are trained with them present, and keeping them makes ``v(∅)`` the
model's output on "a sentence with no words" rather than on an input the model
has never seen.

A coalition ``S`` is run as one forward pass over the full input ids with the
attention mask set to 1 exactly on the special tokens and the tokens of ``S``:
no token attends to a hidden token (eager attention adds the dtype's minimum
to the masked scores, so their softmax weights are exactly 0).  Positions are
kept, so a visible token sits where it does in the full sentence.

Payoff (``target="sentence"``, the default)::

    e(S) = mean of the last hidden states over the visible positions
           (mean pooling with the attention mask, as sentence-transformers does)
    v(S) = cos(e(S), e(N)) - cos(e(∅), e(N))

so ``v(∅) = 0`` exactly and ``v(N) = 1 - cos(e(∅), e(N))``, where
``cos(e(N), e(N))`` is taken to be exactly 1 (by definition, not the rounded
dot product).  In floats, ``cos(x, y) = (x / sqrt(x @ x)) @ (y / sqrt(y @ y))``
with 1-D float64 operations on the float32 embeddings, row by row, so a payoff
does not depend on how the other coalitions were batched in this step.  With ``target=k`` (an int) ``e(S)`` is instead the last hidden
state of token ``k`` (use a special token such as ``0`` = ``[CLS]``, which is
always visible), matching attention flows into output node ``(L, k)``.

Removal rules and payoffs are choices (``removal=`` and ``payoff=``; see
:data:`REMOVALS` and :data:`PAYOFFS`, each documented there).  The defaults
(``removal="attention-mask"``; the payoff named by ``target``) are the game
described above.  A cosine payoff is ``v(S) = cos(e(S), e(N)) - cos(e(∅), e(N))``
for the chosen readout ``e``; the next-token payoff of a causal language model
is ``v(S) = log p(t | S) - log p(t | ∅)`` for a chosen next token ``t``.

The payoffs are float32 model outputs combined in float64; they are inputs to
the game and are converted exactly, so :func:`symgame.values.shapley` on the
game is the exact Shapley value *of these numbers* (efficiency holds exactly).
The numbers themselves depend, in their last bits, on the backend and on how
coalitions are batched.

Cost: ``2^n`` forward passes, batched; a progress bar (``tqdm`` when
installed, else a counter on stderr); payoffs are cached per
(model, sentence, target, visible positions), so a second game on the same
sentence, or its leave-one-out values, run no new passes.  Above
``max_players`` (default :data:`MAX_MODEL_PLAYERS`) a
:class:`~symgame.errors.GameTooLargeError` gives the number of passes and an
estimate of the time.

Examples
--------
>>> import numpy as np
>>> E = np.array([[0.0, 1.0], [1.0, 1.0], [0.0, 2.0], [3.0, 0.0]])   # e(∅), e({a}), e({b}), e(N)
>>> cosine_payoffs(E, full=3)                                          # v(∅), v({a}), v({b}), v(N)
array([0.        , 0.70710678, 0.        , 1.        ])
>>> masking_game("", words=True)
Traceback (most recent call last):
...
symgame.errors.ModelInputError: sentence '' has no words; expected a non-empty string
"""

import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import GameTooLargeError, ModelInputError
from ..game import MAX_PLAYERS, Game
from ..payoffs import Payoff
from .encoders import (
    check_sentence,
    word_ids_from_pieces,
    load_encoder,
    model_key,
    model_name,
    require_transformers,
    tokenize,
    word_groups,
)
from ..values import shapley

__all__ = [
    "REMOVALS",
    "PAYOFFS",
    "DEFAULT_REMOVAL",
    "check_removal",
    "check_payoff",
    "model_masking_game",
    "MAX_MODEL_PLAYERS",
    "MaskingSetup",
    "masking_setup",
    "masking_game",
    "model_shapley",
    "model_leave_one_out",
    "masking_values",
    "masking_payoff",
    "cosine_payoffs",
    "estimate_seconds",
    "forward_passes",
    "clear_cache",
    "CACHE_SENTENCES",
]

#: Default largest number of players of the exact model masking game (2^16 = 65,536 passes).
MAX_MODEL_PLAYERS = 16
#: How many (model, sentence, target) payoff tables the cache keeps (least recently used dropped).
CACHE_SENTENCES = 32
#: Seconds per forward pass per token for a model of 22.7M parameters, measured on this project's
#: 2-core machines with all-MiniLM-L6-v2 (used until a run on the model measures its own rate).
DEFAULT_SECONDS_PER_TOKEN_PASS = 1.8e-4

#: How the players outside a coalition are removed from the model's input (option ``removal=``).
REMOVALS = {
    "attention-mask": "every position kept; the attention mask is 0 on hidden tokens, so no token attends to "
                      "them (their softmax weights are exactly 0); positions unchanged",
    "delete": "hidden tokens are deleted: the model runs on the shorter sequence of visible tokens, which move "
              "up to close the gaps (a real shorter input)",
    "mask-token": "hidden tokens are replaced by the tokenizer's mask token ([MASK]) and stay attended to; "
                  "positions unchanged",
    "unk-token": "hidden tokens are replaced by the tokenizer's unknown token ([UNK]) and stay attended to; "
                 "positions unchanged",
}
#: What the game pays a coalition (option ``payoff=``).
PAYOFFS = {
    "mean-cosine": "cosine of the mean-pooled last hidden state (over the positions the model attends to, "
                   "as sentence-transformers pools) to the full sentence's; target='sentence'",
    "cls-cosine": "cosine of token 0's ([CLS]) last hidden state to the full sentence's; target=0",
    "token-cosine": "cosine of the last hidden state of token target (an int) to the full sentence's",
    "next-token-logprob": "for a causal language model: the log-probability of the token next_token "
                          "at the last position, minus its value with no player visible",
}
#: The removal rule when none is given (the next-token payoff defaults to ``"delete"``, see :func:`masking_setup`).
DEFAULT_REMOVAL = "attention-mask"
_COSINE_PAYOFFS = ("mean-cosine", "cls-cosine", "token-cosine")


def _choice(value, table, what):
    if isinstance(value, str):
        key = value.strip().lower().replace("_", "-").replace(" ", "-")
        if key in table:
            return key
    raise ModelInputError(f"{what} must be one of {', '.join(repr(k) for k in table)}, got {value!r}")


def check_removal(removal):
    """The canonical name of a removal rule (case, ``_`` and spaces forgiven), else a clear error.

    Examples
    --------
    >>> check_removal("Attention_Mask"), check_removal("delete")
    ('attention-mask', 'delete')
    >>> check_removal("drop")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: removal must be one of 'attention-mask', 'delete', 'mask-token', 'unk-token', got 'drop'
    """
    return _choice(removal, REMOVALS, "removal")


def check_payoff(payoff):
    """The canonical name of a payoff (case, ``_`` and spaces forgiven), else a clear error.

    Examples
    --------
    >>> check_payoff("mean_cosine")
    'mean-cosine'
    >>> check_payoff(3)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: payoff must be one of 'mean-cosine', 'cls-cosine', 'token-cosine', 'next-token-logprob', got 3
    """
    return _choice(payoff, PAYOFFS, "payoff")


_LOCK = threading.RLock()
_CACHE = OrderedDict()  # (model key, sentence, target) -> {"sims": {visible mask: cos}, "n_tokens": int}
_RATES = {}  # model key -> measured seconds per token-pass
_COUNT = [0]


def forward_passes():
    """The number of coalition forward passes this module has run (cache hits run none).

    Examples
    --------
    >>> isinstance(forward_passes(), int)
    True
    """
    return _COUNT[0]


def clear_cache():
    """Forget every cached payoff and measured rate.

    Examples
    --------
    >>> clear_cache()
    """
    with _LOCK:
        _CACHE.clear()
        _RATES.clear()


def cosine_payoffs(embeddings, *, full):
    """``v[m] = cos(E[m], E[full]) - cos(E[0], E[full])`` in float64, with ``cos(E[full], E[full]) = 1``.

    Parameters
    ----------
    embeddings : array_like, shape ``(m, d)``
        Row 0 is the embedding with no player visible.
    full : int
        The row of the full coalition.

    Returns
    -------
    numpy.ndarray
        float64; ``v[0] == 0.0`` exactly.

    Raises
    ------
    ModelInputError
        A zero embedding (its cosine is undefined) or a bad ``full`` row.

    Examples
    --------
    >>> cosine_payoffs([[1.0, 0.0], [3.0, 4.0]], full=1)
    array([0. , 0.4])
    >>> cosine_payoffs([[0.0, 0.0], [1.0, 0.0]], full=1)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: embedding row 0 is zero; the cosine payoff needs non-zero embeddings
    """
    E = np.asarray(embeddings, dtype=np.float64)
    if E.ndim != 2 or not 0 <= full < E.shape[0]:
        raise ModelInputError(f"embeddings must be (m, d) with 0 <= full < m; got shape {E.shape} and full={full}")
    full_unit = _unit(E[full], full)
    sims = np.array([_cosine(row, full_unit, k) for k, row in enumerate(E)], dtype=np.float64)
    sims[full] = 1.0
    return sims - sims[0]


def _unit(row, k):
    """``row / sqrt(row @ row)`` with 1-D float64 operations (the documented recipe, batch-independent)."""
    norm = float(np.sqrt(row @ row))
    if norm == 0:
        raise ModelInputError(f"embedding row {k} is zero; the cosine payoff needs non-zero embeddings")
    return row / norm


def _cosine(row, full_unit, k):
    """``cos(row, full) = (row / |row|) @ (full / |full|)``, each product a 1-D dot in float64."""
    return float(_unit(row, k) @ full_unit)


@dataclass(frozen=True)
class MaskingSetup:
    """Who the players of a model masking game are.

    Attributes
    ----------
    sentence : str
    tokens : tuple of str
        All tokens, special ones included.
    special : tuple of bool
    players : tuple of str
        Labels ``"pos:text"``: the position of the player's first token and its
        text (word pieces joined when ``words=True``).
    groups : tuple of tuple of int
        Token positions of each player.
    target : "sentence" or int
        The readout: ``"sentence"`` (mean pooling) or a token position.
    model : str
    payoff : str
        One of :data:`PAYOFFS`.
    removal : str
        One of :data:`REMOVALS`.
    next_token : int or None
        The vocabulary id whose log-probability the ``"next-token-logprob"`` payoff reads.

    Examples
    --------
    >>> setup = MaskingSetup("bad film", ("[CLS]", "bad", "film", "[SEP]"), (True, False, False, True),
    ...                      ("1:bad", "2:film"), ((1,), (2,)), "sentence", "toy")
    >>> bin(setup.visible_mask(0b10))    # coalition {"2:film"}: [CLS], film and [SEP] visible
    '0b1101'
    """

    sentence: str
    tokens: tuple
    special: tuple
    players: tuple
    groups: tuple
    target: object
    model: str
    payoff: str = "mean-cosine"
    removal: str = DEFAULT_REMOVAL
    next_token: object = None

    @property
    def n(self):
        """Number of players."""
        return len(self.players)

    def visible_mask(self, coalition_mask):
        """Bitmask over token positions visible for a coalition given as a bitmask over players."""
        vis = sum(1 << i for i, s in enumerate(self.special) if s)
        for k, group in enumerate(self.groups):
            if coalition_mask >> k & 1:
                for pos in group:
                    vis |= 1 << pos
        return vis


def _label(tokens, group):
    text = tokens[group[0]]
    if len(text) > 1 and text[0] in "Ġ▁":  # byte-level BPE / SentencePiece mark of a leading space
        text = text[1:]
    for pos in group[1:]:
        piece = tokens[pos]
        text += piece[2:] if piece.startswith("##") else piece
    return f"{group[0]}:{text}"


def _check_target(target, n_tokens):
    if target == "sentence":
        return target
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool) and -n_tokens <= target < n_tokens:
        return int(target) % n_tokens
    raise ModelInputError(
        f"target must be 'sentence' or a token index in 0..{n_tokens - 1}, got {target!r}"
    )


def _resolve_payoff(payoff, target, tokens, special, causal):
    """``(payoff, target)``: the payoff's canonical name and its readout, checked against each other."""
    n_tokens = len(tokens)
    if payoff is None:
        payoff = "mean-cosine" if target == "sentence" else "token-cosine"
    payoff = check_payoff(payoff)
    if payoff == "mean-cosine":
        if target != "sentence":
            raise ModelInputError(f"payoff 'mean-cosine' reads the pooled sentence, so target must be 'sentence', "
                                  f"got {target!r}")
        return payoff, "sentence"
    if payoff == "cls-cosine":
        if not special or not special[0]:
            raise ModelInputError(f"payoff 'cls-cosine' needs a special first token ([CLS]); this model's first "
                                  f"token is {tokens[0]!r}")
        if target not in ("sentence", 0):
            raise ModelInputError(f"payoff 'cls-cosine' reads token 0, so target must be 0 or left out, got {target!r}")
        return payoff, 0
    if payoff == "token-cosine":
        if target == "sentence":
            raise ModelInputError("payoff 'token-cosine' needs target=<token index> (the token whose hidden state "
                                  "is read)")
        return payoff, _check_target(target, n_tokens)
    if not causal:
        raise ModelInputError("payoff 'next-token-logprob' needs a causal language model (such as model='smollm2'); "
                              "this model is an encoder")
    if target not in ("sentence", -1, n_tokens - 1):
        raise ModelInputError(f"payoff 'next-token-logprob' reads the last position, so target must be left out, "
                              f"got {target!r}")
    return payoff, n_tokens - 1


def _check_removal_fits(removal, payoff, target, special, groups, tok, causal):
    """Refuse removal rules that cannot honestly hide the players for this payoff and readout."""
    in_player = isinstance(target, int) and any(target in g for g in groups)
    if removal == "delete" and in_player and payoff != "next-token-logprob":
        raise ModelInputError(f"removal 'delete' removes token {target}, whose hidden state the payoff reads; read "
                              f"an always-visible special token (target=0) or use another removal rule")
    if removal == "attention-mask" and causal and in_player:
        raise ModelInputError(
            f"removal 'attention-mask' cannot hide token {target} of a causal language model whose hidden state "
            f"the payoff reads: that position still sees its own embedding; use removal='delete' or 'unk-token'")
    if removal in ("mask-token", "unk-token"):
        attr = "mask_token_id" if removal == "mask-token" else "unk_token_id"
        if getattr(tok, attr, None) is None:
            raise ModelInputError(f"removal {removal!r} needs the tokenizer's {attr.replace('_id', '')}, which this "
                                  f"model does not have; use removal='delete' or 'attention-mask'")
        return int(getattr(tok, attr))
    return None


def masking_setup(sentence, *, model=None, words=False, target="sentence", payoff=None, removal=None,
                  next_token=None):
    """The players of the masking game of ``sentence`` (no forward pass).

    Parameters
    ----------
    sentence : str
    model : see :func:`symgame.models.load_encoder`
    words : bool
        Players are words (word pieces merged) instead of word pieces.
    target : "sentence" or int
        The readout of a cosine payoff (``"sentence"``: mean pooling; ``k``: token ``k``).
    payoff : str, optional
        One of :data:`PAYOFFS`; ``None`` means the one ``target`` names (``"mean-cosine"`` for
        ``"sentence"``, ``"token-cosine"`` for an int), as before payoffs were a choice.
    removal : str, optional
        One of :data:`REMOVALS`; ``None`` means :data:`DEFAULT_REMOVAL`, or ``"delete"`` for the
        next-token payoff (``"attention-mask"`` cannot hide the last token of a causal model).
    next_token : str or int, optional
        For ``payoff="next-token-logprob"``: the predicted token (exactly one token, e.g. ``" are"``).

    Raises
    ------
    ModelInputError
        An unknown payoff or removal rule, a payoff that does not fit the model or ``target``, a
        removal rule the tokenizer cannot apply (no ``[MASK]``) or that would hide the readout.

    Examples
    --------
    >>> masking_setup("a b", target="cls")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: target must be 'sentence' or a token index, got 'cls'
    >>> masking_setup("a b", removal="blank")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: removal must be one of 'attention-mask', 'delete', 'mask-token', 'unk-token', got 'blank'
    """
    check_sentence(sentence)
    if target != "sentence" and (not isinstance(target, (int, np.integer)) or isinstance(target, bool)):
        raise ModelInputError(f"target must be 'sentence' or a token index, got {target!r}")
    if payoff is not None:
        check_payoff(payoff)
    if removal is not None:
        removal = check_removal(removal)
    from .decoders import is_causal, next_token_id

    tok, mod = load_encoder(model)
    causal = is_causal(mod)
    info = tokenize(sentence, model=(tok, mod))
    tokens, special = info["tokens"], info["special"]
    payoff, target = _resolve_payoff(payoff, target, tokens, special, causal)
    if payoff == "next-token-logprob":
        if next_token is None:
            raise ModelInputError("payoff 'next-token-logprob' needs next_token=... (the predicted token, e.g. ' are')")
        next_token = next_token_id(tok, next_token)
    elif next_token is not None:
        raise ModelInputError(f"next_token is only read by payoff 'next-token-logprob', not by {payoff!r}")
    if removal is None:
        removal = "delete" if payoff == "next-token-logprob" else DEFAULT_REMOVAL
    if words:
        groups = word_groups(tokens, special, info["word_ids"])
    else:
        groups = [(i,) for i, s in enumerate(special) if not s]
    if not groups:
        raise ModelInputError(f"sentence {sentence!r} has no non-special tokens to be players")
    _check_removal_fits(removal, payoff, target, special, groups, tok, causal)
    return MaskingSetup(
        sentence=sentence,
        tokens=tokens,
        special=special,
        players=tuple(_label(tokens, g) for g in groups),
        groups=tuple(tuple(g) for g in groups),
        target=target,
        model=model_name(model),
        payoff=payoff,
        removal=removal,
        next_token=next_token,
    )


def _rate(key, mod):
    if key in _RATES:
        return _RATES[key]
    try:
        params = sum(p.numel() for p in mod.parameters())
    except Exception:  # pragma: no cover - a model without parameters()
        params = 22_700_000
    return DEFAULT_SECONDS_PER_TOKEN_PASS * max(params, 1) / 22_700_000


def estimate_seconds(n_players, n_tokens, *, model=None):
    """Estimated seconds for the ``2^n_players`` forward passes of a masking game on this machine.

    Uses the rate measured by earlier runs on the same model, else
    :data:`DEFAULT_SECONDS_PER_TOKEN_PASS` scaled by the model's size.

    Examples
    --------
    >>> estimate_seconds(-1, 5)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: n_players must be a non-negative int, got -1
    """
    if not isinstance(n_players, int) or n_players < 0:
        raise ModelInputError(f"n_players must be a non-negative int, got {n_players!r}")
    tok, mod = load_encoder(model)
    return (1 << n_players) * n_tokens * _rate(model_key(model), mod)


def _fmt_seconds(s):
    """A rough duration in words.

    Examples
    --------
    >>> _fmt_seconds(42.0), _fmt_seconds(4000.0), _fmt_seconds(90000.0), _fmt_seconds(4e6), _fmt_seconds(4e17)
    ('42 s', '67 min', '25.0 h', '46 days', '1.3e+10 years')
    """
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 172800:
        return f"{s / 3600:.1f} h"
    if s < 2 * 365.25 * 86400:
        return f"{s / 86400:.0f} days"
    return f"{s / (365.25 * 86400):.2g} years"


class _Progress:
    """``progress=``: ``True`` a bar on stderr, a callable ``progress(done, total)`` after each batch."""

    def __init__(self, total, enabled, desc):
        self.bar = None
        self.callback = enabled if callable(enabled) else None
        self.total, self.done, self.enabled, self.desc = total, 0, bool(enabled) and total > 0, desc
        if not self.enabled or self.callback is not None:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        if tqdm is not None:
            self.bar = tqdm(total=total, desc=desc, unit="pass", file=sys.stderr, leave=False)

    def update(self, k):
        self.done += k
        if not self.enabled:
            return
        if self.callback is not None:
            self.callback(self.done, self.total)
        elif self.bar is not None:
            self.bar.update(k)
        else:
            sys.stderr.write(f"\r{self.desc}: {self.done}/{self.total} passes")
            sys.stderr.flush()

    def close(self):
        if not self.enabled or self.callback is not None:
            return
        if self.bar is not None:
            self.bar.close()
        else:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _model_inputs(ids, masks, setup, replacement, pad_id):
    """Input ids, attention mask and readout position per coalition under the setup's removal rule.

    ``ids`` is the full input (list of int), ``masks`` visibility bitmasks over its positions.  Returns
    ``(input_ids, attention_mask, read)``: int64 arrays ``(b, m)``, ``(b, m)`` and ``(b,)``; ``read`` is the
    position of the readout token (the target, or the last position for the next-token payoff).
    """
    n = len(ids)
    bits = np.array([[(m >> i) & 1 for i in range(n)] for m in masks], dtype=np.int64).reshape(len(masks), n)
    full = np.broadcast_to(np.asarray(ids, dtype=np.int64), bits.shape)
    last = setup.payoff == "next-token-logprob"
    k = setup.target if isinstance(setup.target, int) else 0
    if setup.removal == "attention-mask":
        read = np.full(len(masks), n - 1 if last else k, dtype=np.int64)
        return full.copy(), bits, read
    if setup.removal in ("mask-token", "unk-token"):
        input_ids = np.where(bits == 1, full, replacement)
        read = np.full(len(masks), n - 1 if last else k, dtype=np.int64)
        return input_ids, np.ones_like(bits), read
    lengths = bits.sum(axis=1)
    width = int(lengths.max()) if len(masks) else 0
    input_ids = np.full((len(masks), width), pad_id, dtype=np.int64)
    attn = np.zeros((len(masks), width), dtype=np.int64)
    for b in range(len(masks)):
        kept = full[b][bits[b] == 1]
        input_ids[b, :kept.size] = kept
        attn[b, :kept.size] = 1
    if last:
        read = lengths - 1
    else:  # the target is always visible (checked): its new position is the number of visible tokens before it
        read = bits[:, :k].sum(axis=1)
    return input_ids, attn, read


def _readout(torch, mod, ids, masks, setup, replacement, pad_id):
    """Per coalition: the readout vector (float64 numpy rows) of a cosine payoff, or the next-token log-prob."""
    from .decoders import is_causal

    input_ids, attn, read = _model_inputs(ids, masks, setup, replacement, pad_id)
    input_ids, attn, read = torch.from_numpy(input_ids), torch.from_numpy(attn), torch.from_numpy(read)
    rows = torch.arange(len(masks))
    with torch.inference_mode():
        if is_causal(mod):
            base = getattr(mod, mod.base_model_prefix)
            hidden = base(input_ids=input_ids, attention_mask=attn).last_hidden_state
        else:
            hidden = mod(input_ids=input_ids, attention_mask=attn).last_hidden_state
        if setup.payoff == "next-token-logprob":
            logits = mod.get_output_embeddings()(hidden[rows, read, :]).double()
            out = torch.log_softmax(logits, dim=-1)[:, setup.next_token]
        elif setup.payoff == "mean-cosine":
            w = attn.unsqueeze(-1).to(hidden.dtype)
            out = (hidden * w).sum(dim=1) / w.sum(dim=1).clamp(min=1e-9)
        else:
            out = hidden[rows, read, :]
    _COUNT[0] += len(masks)
    return out.detach().cpu().numpy().astype(np.float64)


def _similarities(setup, vis_masks, *, model, batch_size, progress):
    """The utility ``u`` of every visibility mask, cached: ``cos(e(visible), e(all tokens))`` for the cosine
    payoffs (``u(all) = 1`` exactly), ``log p(next token | visible)`` for the next-token payoff."""
    torch, _ = require_transformers("masking_game")
    tok, mod = load_encoder(model)
    key = (model_key(model), setup.sentence, setup.target, setup.payoff, setup.removal, setup.next_token)
    n_tok = len(setup.tokens)
    full_vis = (1 << n_tok) - 1
    with _LOCK:
        entry = _CACHE.get(key)
        if entry is None:
            entry = _CACHE[key] = {"sims": {}, "full": None}
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SENTENCES:
            _CACHE.popitem(last=False)
    ids = list(tokenize(setup.sentence, model=(tok, mod))["input_ids"])
    replacement = None
    if setup.removal in ("mask-token", "unk-token"):
        replacement = int(getattr(tok, "mask_token_id" if setup.removal == "mask-token" else "unk_token_id"))
    pad_id = getattr(tok, "pad_token_id", None)
    pad_id = 0 if pad_id is None else int(pad_id)
    cosine = setup.payoff in _COSINE_PAYOFFS

    def run(chunk):
        return _readout(torch, mod, ids, chunk, setup, replacement, pad_id)

    if entry["full"] is None:
        entry["full"] = run([full_vis])[0]
        entry["sims"][full_vis] = 1.0 if cosine else float(entry["full"])
    full_unit = _unit(entry["full"], "full") if cosine else None
    sims = entry["sims"]
    todo = sorted({m for m in vis_masks if m not in sims})
    bar = _Progress(len(todo), progress, f"masking game ({setup.n} players)")
    start = time.perf_counter()
    try:
        for b in range(0, len(todo), batch_size):
            chunk = todo[b:b + batch_size]
            E = run(chunk)
            for m, row in zip(chunk, E):
                sims[m] = _cosine(row, full_unit, m) if cosine else float(row)
            bar.update(len(chunk))
    finally:
        bar.close()
    if len(todo) >= 256:  # small runs (LOO, warm-up) overstate the per-pass cost
        _RATES[key[0]] = (time.perf_counter() - start) / (len(todo) * n_tok)
    return np.array([sims[m] for m in vis_masks], dtype=np.float64)


def _check_size(setup, max_players, model):
    if not isinstance(max_players, int) or isinstance(max_players, bool) or not 1 <= max_players <= MAX_PLAYERS:
        raise ModelInputError(f"max_players must be an int in 1..{MAX_PLAYERS}, got {max_players!r}")
    n = setup.n
    if n > max_players:
        passes = 1 << n
        seconds = estimate_seconds(n, len(setup.tokens), model=model)
        n_words = len({w for w in word_ids_from_pieces(setup.tokens, setup.special) if w is not None})
        hint = "merge word pieces into words (words=True), " if n_words < n else ""
        raise GameTooLargeError(
            f"the masking game of this sentence has {n} players: 2^{n} = {passes:,} forward passes, about "
            f"{_fmt_seconds(seconds)} here (estimate); the limit is max_players={max_players}. "
            f"Shorten the sentence, {hint}raise max_players (at most {MAX_PLAYERS}; symgame explain/batch "
            f"--max-players N), or estimate: "
            f"symgame.sampling.estimate_shapley(masking_payoff(sentence), method='permutation'|'antithetic'|"
            f"'stratified'|'kernel') runs only the sampled coalitions"
        )


def masking_game(sentence, *, model=None, words=False, target="sentence", max_players=MAX_MODEL_PLAYERS,
                 batch_size=256, progress=True, payoff=None, removal=None, next_token=None):
    """The model masking game of ``sentence`` as an exact :class:`~symgame.game.Game`.

    Parameters
    ----------
    sentence : str
    model : see :func:`symgame.models.load_encoder`
    words : bool
        Players are words (word pieces merged) instead of word pieces.
    target : "sentence" or int
        Payoff on the mean-pooled sentence embedding, or on output token ``k``'s
        last hidden state (see the module docstring).
    payoff, removal, next_token :
        The payoff (:data:`PAYOFFS`) and removal rule (:data:`REMOVALS`); see :func:`masking_setup`.
    max_players : int
        Refuse games with more players (``GameTooLargeError`` with an estimate).
    batch_size : int
        Coalitions per forward pass batch.
    progress : bool or callable
        ``True``: a progress bar on stderr; a callable: called as ``progress(passes_done, passes_total)``
        after each batch (the searches of :mod:`symgame.search` take a callable the same way).

    Returns
    -------
    Game
        Players are the labels of :func:`masking_setup` (``"pos:text"``);
        ``v(∅) = 0`` and ``v(N) = 1 - cos(e(∅), e(N))``; values are the float64
        payoffs, held exactly.

    Examples
    --------
    >>> masking_game("a b", batch_size=0)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: batch_size must be a positive int, got 0
    """
    game, _ = _game_and_setup(sentence, model=model, words=words, target=target, max_players=max_players,
                              batch_size=batch_size, progress=progress, payoff=payoff, removal=removal,
                              next_token=next_token)
    return game


def _game_and_setup(sentence, *, model, words, target, max_players, batch_size, progress, payoff=None,
                    removal=None, next_token=None):
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ModelInputError(f"batch_size must be a positive int, got {batch_size!r}")
    setup = masking_setup(sentence, model=model, words=words, target=target, payoff=payoff, removal=removal,
                          next_token=next_token)
    _check_size(setup, max_players, model)
    vis = [setup.visible_mask(m) for m in range(1 << setup.n)]
    sims = _similarities(setup, vis, model=model, batch_size=batch_size, progress=progress)
    values = sims - sims[0]
    values[0] = 0.0
    return Game.from_vector(values, players=setup.players), setup


def model_shapley(sentence, **kwargs):
    """Exact Shapley values of the model masking game (keyword arguments as :func:`masking_game`).

    Returns
    -------
    dict
        Player label -> ``Rational`` (exact Shapley value of the float payoffs).

    Examples
    --------
    >>> model_shapley("a b", max_players=0)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: max_players must be an int in 1..24, got 0
    """
    if "max_players" in kwargs:
        mp = kwargs["max_players"]
        if not isinstance(mp, int) or isinstance(mp, bool) or not 1 <= mp <= MAX_PLAYERS:
            raise ModelInputError(f"max_players must be an int in 1..{MAX_PLAYERS}, got {mp!r}")
    return shapley(masking_game(sentence, **kwargs))


def masking_values(sentence, coalitions, *, model=None, words=False, target="sentence", batch_size=256,
                   progress=False, payoff=None, removal=None, next_token=None):
    """Exact payoffs ``v(S)`` of chosen coalitions of the masking game, without the ``2^n`` table.

    Parameters
    ----------
    coalitions : iterable of iterables of player labels
        Labels as in :func:`masking_setup` (``"pos:text"``).

    Returns
    -------
    list of sympy.Rational
        ``v(S)`` for each coalition, in order; one forward pass per coalition
        not in the cache (plus the empty and full ones).

    Examples
    --------
    >>> masking_values("a b", "1:a")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: coalitions must be a list of collections of player labels, got '1:a'
    """
    from ..exact import to_expr

    if isinstance(coalitions, str) or not all(not isinstance(c, str) for c in coalitions):
        raise ModelInputError(f"coalitions must be a list of collections of player labels, got {coalitions!r}")
    coalitions = [list(c) for c in coalitions]
    setup = masking_setup(sentence, model=model, words=words, target=target, payoff=payoff, removal=removal,
                          next_token=next_token)
    index = {p: k for k, p in enumerate(setup.players)}
    masks = []
    for c in coalitions:
        unknown = [p for p in c if p not in index]
        if unknown:
            raise ModelInputError(f"coalition names {unknown[0]!r}, not a player; players are {list(setup.players)}")
        masks.append(sum(1 << index[p] for p in set(c)))
    vis = [setup.visible_mask(0)] + [setup.visible_mask(m) for m in masks]
    sims = _similarities(setup, vis, model=model, batch_size=batch_size, progress=progress)
    return [sp.S.Zero if m == 0 else to_expr(float(sims[1 + k] - sims[0])) for k, m in enumerate(masks)]


def masking_payoff(sentence, *, model=None, words=False, target="sentence", batch_size=256, progress=False,
                   payoff=None, removal=None, next_token=None):
    """The model masking game as a :class:`~symgame.payoffs.Payoff`: forward passes only for the coalitions asked for.

    For sentences too long for the exact game (``2^n`` passes): the sampling estimators of
    :mod:`symgame.sampling` send their coalitions here in batches; payoffs are the same numbers
    as :func:`masking_game` with the same options (same cache), converted exactly.

    Examples
    --------
    >>> masking_payoff("   ")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: sentence '   ' has no words; expected a non-empty string
    """
    setup = masking_setup(sentence, model=model, words=words, target=target, payoff=payoff, removal=removal,
                          next_token=next_token)

    def batch(masks):
        vis = [setup.visible_mask(0)] + [setup.visible_mask(m) for m in masks]
        sims = _similarities(setup, vis, model=model, batch_size=batch_size, progress=progress)
        return [0 if m == 0 else float(sims[1 + k] - sims[0]) for k, m in enumerate(masks)]

    return Payoff(setup.players, batch, name=f"masking game of {sentence!r}")


def model_leave_one_out(sentence, *, model=None, words=False, target="sentence", batch_size=256, progress=False,
                        payoff=None, removal=None, next_token=None):
    """Leave-one-out values ``v(N) - v(N \\ {i})`` of the masking game with only ``n + 2`` passes.

    Works for any sentence length (no ``2^n`` table); shares the payoff cache
    with :func:`masking_game`.

    Returns
    -------
    dict
        Player label -> ``Rational`` (exact values of the float payoffs).

    Examples
    --------
    >>> model_leave_one_out("a b", target=1.5)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: target must be 'sentence' or a token index, got 1.5
    """
    choice = {"payoff": payoff, "removal": removal, "next_token": next_token}
    setup = masking_setup(sentence, model=model, words=words, target=target, **choice)
    players = list(setup.players)
    coalitions = [players] + [[q for q in players if q != p] for p in players]
    values = masking_values(sentence, coalitions, model=model, words=words, target=target, batch_size=batch_size,
                            progress=progress, **choice)
    return {p: values[0] - values[1 + k] for k, p in enumerate(players)}


#: :func:`masking_game` under a name that tells it from the attention-masking game
#: (:func:`symgame.attention.attention_masking_game`).
model_masking_game = masking_game
