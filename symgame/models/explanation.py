"""Explain one sentence of a real encoder: attention explanations beside the model's own Shapley values.

:func:`explain_sentence` runs the model on a sentence, takes its attention
(:mod:`symgame.models`), computes every attention explanation of one output
token with :func:`symgame.explain.explain` (raw attention, rollout, A&Z and
E&J flows with E&J's range over all maximum flows, Shapley and LOO of the
re-optimised game ``v*``, whether a Shapley flow exists), and adds the exact
Shapley and leave-one-out values of the model masking game
(:mod:`symgame.models.masking`) — the model's own answer to "which tokens matter".

This is what ``symgame explain --model minilm "a sentence"`` prints.

Examples
--------
>>> explain_sentence("a film", output_token=-2)
Traceback (most recent call last):
...
symgame.errors.ModelInputError: output_token must be a non-negative token index, got -2
"""

import time

from ..errors import GameTooLargeError, ModelInputError
from ..exact import exact_str
from ..guards import check_int, renamed
from .encoders import check_sentence, model_name, sentence_attention

__all__ = ["SentenceExplanation", "explain_sentence", "MAX_EXACT_GRAPH_TOKENS", "MAX_EXPLAIN_PLAYERS"]

#: Up to this many tokens (special ones included) the attention graph is exact (rational capacities).
MAX_EXACT_GRAPH_TOKENS = 10
#: Default limit of the exact model masking game in :func:`explain_sentence` (2^n forward passes).
MAX_EXPLAIN_PLAYERS = 12


class SentenceExplanation:
    """The result of :func:`explain_sentence`.

    Attributes
    ----------
    sentence : str
    model : str
    tokens : tuple of str
    special : tuple of bool
    output : int
        The output token (``output_token=`` is its deprecated spelling).
    output_token : int, optional
        Deprecated spelling of ``output``.
    target : "sentence" or int
        Payoff of the masking game.
    graph : symgame.explain.Explanation
        The attention explanations (exact when ``exact``).
    model_shapley : dict or None
        Token position -> exact Shapley value of the masking game (non-special
        tokens); ``None`` when the sentence exceeds ``max_players``.
    model_loo : dict
        Token position -> exact leave-one-out value of the masking game.
    v_full : sympy.Rational
        ``v(N)`` of the masking game.
    model_loo_agreement : symgame.loo.LooAgreement or None
        Whether the model LOO equals the model Shapley value exactly, and if not which tokens
        differ and the dividends of the masking game that cause it (players = token positions);
        ``None`` when the Shapley value was not computed.
    notes : tuple of str
    seconds : dict
    """

    def __init__(self, *, sentence, model, tokens, special, output_token, target, graph, model_shapley, model_loo,
                 v_full, notes, seconds, model_loo_agreement=None, payoff_name=None, removal=None, next_token=None):
        self.sentence = sentence
        self.model = model
        self.tokens = tuple(tokens)
        self.special = tuple(special)
        self.output_token = output_token
        self.target = target
        self.graph = graph
        self.model_shapley = model_shapley
        self.model_loo = model_loo
        self.v_full = v_full
        self.notes = tuple(notes)
        self.seconds = dict(seconds)
        self.model_loo_agreement = model_loo_agreement
        self.payoff_name = payoff_name
        self.removal = removal
        self.next_token = next_token

    def payoff(self):
        """The masking game's payoff in words."""
        if self.payoff_name == "next-token-logprob":
            return (f"v(S) = log p(next token {self.next_token!r} | S) - log p(next token | ∅), read at the last "
                    f"position")
        if self.target == "sentence":
            return "v(S) = cos(e(S), e(N)) - cos(e(∅), e(N)), e = mean-pooled sentence embedding"
        return f"v(S) = cos(h(S), h(N)) - cos(h(∅), h(N)), h = last hidden state of token {self.target}"

    def to_json(self):
        """A JSON-ready dict: the attention explanation (``graph``), the model columns, settings.

        Exact numbers are strings (``"p/q"``); float-path numbers are floats.
        """
        model_cols = []
        for i, t in enumerate(self.tokens):
            model_cols.append({
                "token": i, "label": t, "special": self.special[i],
                "model_shapley": None if self.model_shapley is None or i not in self.model_shapley
                else exact_str(self.model_shapley[i]),
                "model_loo": exact_str(self.model_loo[i]) if i in self.model_loo else None,
            })
        return {
            "sentence": self.sentence, "model": self.model, "tokens": list(self.tokens),
            "output_token": self.output_token, "target": self.target, "payoff": self.payoff(),
            "payoff_name": self.payoff_name, "removal": self.removal,
            "v_full": exact_str(self.v_full), "graph": self.graph.to_json(), "model_columns": model_cols,
            "notes": list(self.notes), "seconds": self.seconds,
            "model_loo_agreement": None if self.model_loo_agreement is None else self.model_loo_agreement.to_json(),
        }

    def __str__(self):
        from ..attention import COLUMNS

        heads = ["token"] + list(COLUMNS.values()) + ["model Shapley", "model LOO"]
        body = []
        for i, t in enumerate(self.tokens):
            row = [f"{i} {t}"] + [_f(self.graph.columns[c][i]) for c in COLUMNS]
            row.append("" if self.model_shapley is None or i not in self.model_shapley else _f(self.model_shapley[i]))
            row.append(_f(self.model_loo[i]) if i in self.model_loo else "")
            body.append(row)
        widths = [max(len(h), *(len(r[k]) for r in body)) for k, h in enumerate(heads)]
        line = "  ".join(h.ljust(w) for h, w in zip(heads, widths))
        g = self.graph
        lines = [
            f"{self.model}: {self.sentence!r}",
            f"attention explanations of output token {self.output_token} ({self.tokens[self.output_token]}), "
            f"players: input tokens, source all{', residual' if g.residual else ''}; "
            f"{'exact rationals' if g.exact else 'float'} arithmetic (shown rounded; exact values with --json)",
            f"model masking game: {self.payoff()}; payoff {self.payoff_name!r}, removal {self.removal!r}; "
            f"special tokens always visible; v(N) = {_f(self.v_full)}",
            line, "-" * len(line),
        ]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
        lines.append(f"max flow: {_f(g.max_flow)}; Shapley of v*: {g.shapley_method}")
        if g.shapley_method == "estimate" and g.shapley_interval is not None:  # as the attention-file path prints
            lines.append("  ESTIMATE (permutation sampling), 95% intervals: " + ", ".join(
                f"{p}: [{lo:.4g}, {hi:.4g}]" for p, (lo, hi) in g.shapley_interval.items()))
        sf = g.shapley_flow
        if sf is None:
            lines.append("Shapley flow: not decided (float arithmetic)")
        elif sf["exists"]:
            lines.append("Shapley flow: exists (a maximum flow whose input outflows are the Shapley values of v*)")
        else:
            lines.append(f"Shapley flow: none exists; certificate: {sf['certificate']}")
        if self.model_loo_agreement is not None:
            lines.append(self.model_loo_agreement.line(dict(enumerate(self.tokens)), of="the model masking game"))
        lines += [f"note: {n}" for n in tuple(g.notes) + self.notes]
        return "\n".join(lines)

    __repr__ = __str__


def _f(x):
    try:
        return f"{float(x):.4g}"
    except (TypeError, ValueError):
        return str(x)


def explain_sentence(sentence, *, output=None, output_token=None, model=None, target=None, residual=False, exact=None,
                     max_players=MAX_EXPLAIN_PLAYERS, progress=True, payoff=None, removal=None, next_token=None):
    """Attention explanations and exact model Shapley values for one sentence.

    Parameters
    ----------
    sentence : str
    output_token : int
        The output node ``(L, output_token)`` of the attention explanations
        (``0`` is ``[CLS]``).
    model : see :func:`symgame.models.load_encoder` (``"minilm"`` or ``None``: the packaged MiniLM)
    target : "sentence", int or None
        Payoff of the masking game; ``None`` means ``output_token``.
    residual : bool
        Residual mixing for the attention graph.
    exact : bool, optional
        Exact rational attention graph (float32 weights converted exactly,
        heads averaged exactly, rows not renormalised).  Default: exact up to
        :data:`MAX_EXACT_GRAPH_TOKENS` tokens.
    max_players : int
        The exact masking game runs ``2^n`` forward passes; beyond this many
        players the model Shapley column is left out (with a note and the
        estimated cost) and only the model LOO (``n + 2`` passes) is given.
    progress : bool
        Progress bar for the forward passes.
    payoff : str, optional
        The masking game's payoff, one of :data:`symgame.models.masking.PAYOFFS`.  ``None`` keeps the
        payoff ``target`` names (the hidden state of the output token).  With a payoff and no
        ``target``, the payoff's own readout is used (``"mean-cosine"``: the pooled sentence,
        ``"cls-cosine"``: token 0, ``"token-cosine"``: the output token, ``"next-token-logprob"``:
        the last position).
    removal : str, optional
        How hidden tokens are removed, one of :data:`symgame.models.masking.REMOVALS`
        (``None``: :data:`symgame.models.masking.DEFAULT_REMOVAL`, or ``"delete"`` for the next-token payoff).
    next_token : str or int, optional
        The predicted token of ``payoff="next-token-logprob"`` (e.g. ``" are"``).

    Returns
    -------
    SentenceExplanation
        ``str()`` is the printed table, ``to_json()`` a JSON-ready dict.

    Examples
    --------
    >>> explain_sentence("")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: sentence '' has no words; expected a non-empty string
    >>> explain_sentence("a film", payoff="logit")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: payoff must be one of 'mean-cosine', 'cls-cosine', 'token-cosine', 'next-token-logprob', got 'logit'
    """
    output_token = renamed(output, output_token, new="output", old="output_token", default=0, func="explain_sentence")
    check_sentence(sentence)
    check_int(output_token, "output_token", low=0, error=ModelInputError,
              message="{what} must be a non-negative token index, got {value!r}")
    from ..attention import explain
    from .masking import check_payoff, check_removal, masking_game, masking_setup, masking_values, model_leave_one_out
    from ..loo import loo_agreement
    from ..values import shapley

    if payoff is not None:
        payoff = check_payoff(payoff)
    if removal is not None:
        removal = check_removal(removal)

    t0 = time.perf_counter()
    sa = sentence_attention(sentence, model=model)
    n = len(sa.tokens)
    if output_token >= n:
        raise ModelInputError(f"output_token must be a token index in 0..{n - 1}, got {output_token}")
    k = int(output_token)
    if target is None:
        target = "sentence" if payoff in ("mean-cosine", "cls-cosine", "next-token-logprob") else k
    use_exact = n <= MAX_EXACT_GRAPH_TOKENS if exact is None else bool(exact)
    if use_exact:
        graph = explain(sa.exact(heads="mean"), output=k, residual=residual, normalised=False, tokens=sa.tokens)
    else:
        graph = explain(sa.attention, output=k, residual=residual, tokens=sa.tokens)
    t1 = time.perf_counter()
    notes = []
    choice = {"target": target, "payoff": payoff, "removal": removal, "next_token": next_token}
    setup = masking_setup(sentence, model=model, **choice)
    pos = {p: g[0] for p, g in zip(setup.players, setup.groups)}
    loo = model_leave_one_out(sentence, model=model, **choice)
    model_loo = {pos[p]: v for p, v in loo.items()}
    try:
        game = masking_game(sentence, model=model, max_players=max_players, progress=progress, **choice)
        model_phi = {pos[p]: v for p, v in shapley(game).items()}
        v_full = game[game.players]
        agreement = loo_agreement(game.relabel(pos))
    except GameTooLargeError as exc:
        model_phi = agreement = None
        notes.append(f"model Shapley not computed: {exc}")
        v_full = masking_values(sentence, [setup.players], model=model, **choice)[0]
    t2 = time.perf_counter()
    return SentenceExplanation(
        sentence=sentence, model=model_name(model), tokens=sa.tokens, special=sa.special, output_token=k,
        target=setup.target, graph=graph, model_shapley=model_phi, model_loo=model_loo, v_full=v_full,
        notes=notes, seconds={"attention explanations": t1 - t0, "model masking game": t2 - t1},
        model_loo_agreement=agreement, payoff_name=setup.payoff, removal=setup.removal, next_token=next_token,
    )
