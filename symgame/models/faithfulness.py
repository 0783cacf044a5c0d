"""How faithful are attention explanations to the model?  Rank correlation with exact Shapley values.

The analogue of Abnar & Zuidema (2020), Table 1, on a real encoder: for each
sentence, the **ground truth** is the exact Shapley value of the model masking
game (:mod:`symgame.models.masking`: players are the non-special tokens, ``v(S)``
the cosine payoff with only ``S`` visible), and each explanation computed
from the model's attention (:mod:`symgame.attention`, float path, heads
averaged) is compared with it by Spearman's rho and Kendall's tau
(:mod:`scipy.stats`) over the sentence's players.  A&Z report Spearman
against blank-out of 0.29 (raw attention), 0.71 (rollout) and 0.70 (flow) on
their model.

Methods (all for output node ``(L, k)``, players the input-layer tokens):

==================  ==========================================================
``raw attention``   row ``k`` of the last layer's head-averaged attention
``rollout``         row ``k`` of the attention rollout
``A&Z flow``        per-token max flow ``(0, j) -> (L, k)``, normalised
``E&J flow``        input-layer outflows of the max flow the engine returns
``Shapley flow``    Shapley value of the re-optimised flow game ``v*`` of the
                    input layer (realised by a maximum flow: a polymatroid)
``LOO (flow)``      ``v*(N) - v*(N \\ {j})``
``LOO (model)``     ``v(N) - v(N \\ {j})`` of the model masking game
==================  ==========================================================

Rollout and the flows use residual mixing ``0.5 A + 0.5 I`` as A&Z do
(``residual=True``); raw attention is the raw row.  The special tokens are
not players of the masking game, so correlations are over the other tokens.
An explanation that is constant on the players (E&J's flow often sends
everything through ``[CLS]``) has no rank correlation: it is reported as
undefined and left out of the means, with the count shown.

Examples
--------
>>> rho, tau = rank_correlations([1.0, 2.0, 3.0], [10.0, 30.0, 20.0])
>>> round(rho, 6), round(tau, 6)
(0.5, 0.333333)
>>> rank_correlations([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
(None, None)
>>> faithfulness_table([])
Traceback (most recent call last):
...
symgame.errors.ModelInputError: sentences must be a non-empty list of strings, got []
"""

import math
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelInputError
from ..guards import check_int, renamed
from ..jsonio import atomic_path
from .encoders import model_name, sentence_attention

__all__ = [
    "METHODS",
    "MOVIE_REVIEW",
    "MOVIE_REVIEW_SHORT",
    "DEFAULT_SENTENCES",
    "attention_explanations",
    "rank_correlations",
    "SentenceFaithfulness",
    "FaithfulnessTable",
    "faithfulness_table",
]

#: The explanation methods compared, in table order.
METHODS = ("raw attention", "rollout", "A&Z flow", "E&J flow", "Shapley flow", "LOO (flow)", "LOO (model)")

#: The movie review of the talk (too long for an exact 2^n masking game: 50 tokens).
MOVIE_REVIEW = (
    "after 15 minutes watching the movie i was asking myself what to do leave the theater sleep or try to "
    "keep watching the movie to see if there was anything worth i finally watched the movie what a waste of "
    "time maybe i am not a 5 years old kid anymore"
)
#: The review shortened to fit the exact limit (10 tokens, 2^10 forward passes).
MOVIE_REVIEW_SHORT = "i finally watched the movie what a waste of time"

#: The sentences of the measured table: the talk's review (shortened, two pieces) and four short reviews.
DEFAULT_SENTENCES = (
    MOVIE_REVIEW_SHORT,
    "maybe i am not a 5 years old kid anymore",
    "the acting was superb but the plot made no sense",
    "a charming and often hilarious film",
    "i would not recommend this movie to anyone",
)


def rank_correlations(explanation, truth):
    """Spearman's rho and Kendall's tau (tau-b) of two equal-length score lists.

    Returns ``(None, None)`` when either list is constant (no ranking).

    Examples
    --------
    >>> rank_correlations([3, 2, 1], [1, 2, 3])
    (-1.0, -1.0)
    >>> rank_correlations([1], [2, 3])
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: explanation and truth must have the same length >= 2, got 1 and 2
    """
    from scipy import stats

    a = np.asarray(explanation, dtype=np.float64)
    b = np.asarray(truth, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape or a.size < 2:
        raise ModelInputError(
            f"explanation and truth must have the same length >= 2, got {a.size} and {b.size}"
        )
    if np.all(a == a[0]) or np.all(b == b[0]):
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = float(stats.spearmanr(a, b).statistic)
        tau = float(stats.kendalltau(a, b).statistic)
    return (None if math.isnan(rho) else rho), (None if math.isnan(tau) else tau)


def attention_explanations(attention, *, output=None, residual=True, methods=None, output_token=None):
    """The attention-based explanations of one sentence, for every input token (float path).

    Parameters
    ----------
    attention : SentenceAttention
        From :func:`symgame.models.sentence_attention`.
    output : int
        The output token (``output_token=`` is its deprecated spelling).
    output_token : int, optional
        Deprecated spelling of ``output``.
        The output node ``(L, output_token)`` (``0`` is ``[CLS]``).
    residual : bool
        Residual mixing for rollout and the flows (raw attention stays raw).
    methods : iterable of str, optional
        A subset of :data:`METHODS` without ``"LOO (model)"`` (default: all of those).

    Returns
    -------
    dict
        Method -> dict token position -> float.

    Notes
    -----
    ``Shapley flow`` runs ``2^n`` float max flows (``n`` tokens with the
    special ones, at most 16: about 8 s for ``n = 12`` here).

    Examples
    --------
    >>> attention_explanations(None, methods=["saliency"])
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: unknown method 'saliency'; expected some of raw attention, rollout, A&Z flow, E&J flow, Shapley flow, LOO (flow)
    """
    output_token = renamed(output, output_token, new="output", old="output_token", default=0, func="attention_explanations")
    graph_methods = METHODS[:-1]
    methods = tuple(graph_methods if methods is None else methods)
    for m in methods:
        if m not in graph_methods:
            raise ModelInputError(f"unknown method {m!r}; expected some of {', '.join(graph_methods)}")
    from ..attention import (
        as_attention,
        attention_flow_az,
        attention_flow_ej,
        attention_graph,
        flow_leave_one_out,
        raw_attention,
        rollout,
    )
    from ..flows import reoptimised_game
    from ..values import shapley_float

    raw = as_attention(attention.attention)
    n = raw.n
    check_int(output_token, "output_token", low=0, high=n - 1, error=ModelInputError,
              message="{what} must be a token index in {low}..{high}, got {value!r}")
    att = raw.with_residual() if residual else raw
    k = int(output_token)
    out = {}
    for m in methods:
        if m == "raw attention":
            out[m] = raw_attention(raw, output=k)
        elif m == "rollout":
            out[m] = rollout(att, output=k)
        elif m == "A&Z flow":
            out[m] = attention_flow_az(att, output=k)
        elif m == "E&J flow":
            out[m] = attention_flow_ej(att, output=k)
        elif m == "Shapley flow":
            game = reoptimised_game(attention_graph(att, output=k), 0, exact=False)
            out[m] = shapley_float(game)
        elif m == "LOO (flow)":
            out[m] = flow_leave_one_out(att, output=k)
    return {m: {int(j): float(v) for j, v in vals.items()} for m, vals in out.items()}


@dataclass(frozen=True)
class SentenceFaithfulness:
    """One sentence's explanations, its exact model Shapley values and their rank correlations.

    Attributes
    ----------
    sentence : str
    tokens : tuple of str
    players : tuple of str
        Masking-game players (``"pos:token"``).
    positions : tuple of int
        Token position of each player.
    shapley : dict
        Player -> exact ``Rational`` (the ground truth).
    explanations : dict
        Method -> tuple of floats, one per player.
    spearman, kendall : dict
        Method -> float or ``None`` (undefined: constant explanation).
    seconds : dict
        Wall time of the masking game (``"model shapley"``) and of the explanations.
    """

    sentence: str
    tokens: tuple
    players: tuple
    positions: tuple
    shapley: dict
    explanations: dict
    spearman: dict
    kendall: dict
    seconds: dict

    def to_dict(self):
        """JSON-ready dict; exact Shapley values as strings (``"p/q"``)."""
        return {
            "sentence": self.sentence,
            "tokens": list(self.tokens),
            "players": list(self.players),
            "model_shapley": {p: str(v) for p, v in self.shapley.items()},
            "model_shapley_float": {p: float(v) for p, v in self.shapley.items()},
            "explanations": {m: list(v) for m, v in self.explanations.items()},
            "spearman": dict(self.spearman),
            "kendall": dict(self.kendall),
            "seconds": dict(self.seconds),
        }


@dataclass(frozen=True)
class FaithfulnessTable:
    """Rank correlations of each explanation method with exact model Shapley values, over sentences.

    Attributes
    ----------
    rows : tuple of SentenceFaithfulness
    model : str
    output : int
        The output token (``output_token=`` is its deprecated spelling).
    output_token : int, optional
        Deprecated spelling of ``output``.
    target : "sentence" or int
        The masking game's payoff (see :mod:`symgame.models.masking`).
    residual : bool
    methods : tuple of str
    """

    rows: tuple
    model: str
    output_token: int
    target: object
    residual: bool
    methods: tuple = METHODS
    seconds: float = 0.0
    notes: tuple = field(default_factory=tuple)
    payoff: str = None
    removal: str = "attention-mask"

    def summary(self):
        """Method -> ``{"spearman": mean, "kendall": mean, "defined": k, "sentences": m}`` (means over defined rows)."""
        out = {}
        for m in self.methods:
            rhos = [r.spearman[m] for r in self.rows if r.spearman.get(m) is not None]
            taus = [r.kendall[m] for r in self.rows if r.kendall.get(m) is not None]
            out[m] = {
                "spearman": float(np.mean(rhos)) if rhos else None,
                "kendall": float(np.mean(taus)) if taus else None,
                "defined": len(rhos),
                "sentences": len(self.rows),
            }
        return out

    def _payoff_text(self):
        if self.payoff is not None and self.payoff not in ("mean-cosine", "token-cosine"):
            from .masking import PAYOFFS

            return f"{self.payoff} ({PAYOFFS[self.payoff]}); removal {self.removal}"
        if self.target == "sentence":
            return "cosine of the mean-pooled sentence embedding"
        return f"cosine of output token {self.target}'s last hidden state"

    def to_json(self):
        """The table as a JSON-ready dict (summary, settings, every sentence)."""
        return {
            "model": self.model,
            "output_token": self.output_token,
            "target": self.target,
            "payoff": self._payoff_text(),
            "payoff_name": self.payoff,
            "removal": self.removal,
            "residual": self.residual,
            "seconds": self.seconds,
            "summary": self.summary(),
            "sentences": [r.to_dict() for r in self.rows],
            "notes": list(self.notes),
        }

    def to_markdown(self):
        """The summary as a Markdown table."""
        lines = ["| method | Spearman | Kendall | sentences |", "|---|---|---|---|"]
        for m, s in self.summary().items():
            lines.append(f"| {m} | {_fmt(s['spearman'])} | {_fmt(s['kendall'])} | {s['defined']}/{s['sentences']} |")
        return "\n".join(lines)

    def __str__(self):
        head = (
            f"Faithfulness: rank correlation with the exact Shapley value of the model masking game\n"
            f"model {self.model}; payoff: {self._payoff_text()}; explanations for output token "
            f"{self.output_token}; residual mixing {'on' if self.residual else 'off'}; "
            f"{len(self.rows)} sentences, {self.seconds:.0f} s\n"
        )
        width = max(len(m) for m in self.methods)
        lines = [head, f"{'method':<{width}}  Spearman  Kendall  defined"]
        for m, s in self.summary().items():
            lines.append(f"{m:<{width}}  {_fmt(s['spearman']):>8}  {_fmt(s['kendall']):>7}  {s['defined']}/{s['sentences']}")
        lines.append("")
        lines.append("Spearman per sentence:")
        short = {m: m.replace(" attention", "").replace(" flow", "").replace("LOO ", "LOO") for m in self.methods}
        widths = {m: max(6, len(short[m])) for m in self.methods}
        lines.append("  " + " ".join(f"{short[m]:>{widths[m]}}" for m in self.methods) + "   n  sentence")
        for r in self.rows:
            cells = " ".join(f"{_fmt(r.spearman[m]):>{widths[m]}}" for m in self.methods)
            lines.append(f"  {cells}  {len(r.players):>2}  {r.sentence}")
        for note in self.notes:
            lines.append(f"note: {note}")
        return "\n".join(lines)

    def plot(self, path):
        """Save a bar chart (mean Spearman and Kendall per method, sentences as dots) to ``path``.

        Needs matplotlib (``pip install "symgame[plot]"``).  Returns ``path``.
        """
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError as exc:
            from ..errors import MissingDependencyError

            raise MissingDependencyError(
                "plotting needs matplotlib, which is not installed; install it with: pip install \"symgame[plot]\""
            ) from exc
        summary = self.summary()
        x = np.arange(len(self.methods))
        fig, ax = plt.subplots(figsize=(9, 4.2))
        for off, key, colour in ((-0.2, "spearman", "tab:blue"), (0.2, "kendall", "tab:orange")):
            means = [summary[m][key] if summary[m][key] is not None else 0.0 for m in self.methods]
            ax.bar(x + off, means, width=0.4, color=colour, alpha=0.75, label=f"mean {key.capitalize()}")
            for i, m in enumerate(self.methods):
                vals = [getattr(r, key)[m] for r in self.rows if getattr(r, key)[m] is not None]
                ax.scatter(np.full(len(vals), x[i] + off), vals, color="black", s=10, zorder=3)
                if summary[m][key] is None:
                    ax.text(x[i] + off, 0.03, "n/a", ha="center", fontsize=7, rotation=90)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels(self.methods, rotation=20, ha="right")
        ax.set_ylim(-1, 1)
        ax.set_ylabel("rank correlation with exact model Shapley")
        ax.set_title(f"{self.model}: faithfulness to the masking game ({len(self.rows)} sentences; dots: sentences)",
                     fontsize=10)
        ax.legend(loc="lower left", fontsize=8)
        fig.tight_layout()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=120, format=Path(path).suffix.lstrip(".") or None)
        plt.close(fig)
        return path


def _fmt(x):
    return "n/a" if x is None else f"{x:+.2f}"


def faithfulness_table(sentences=DEFAULT_SENTENCES, *, model=None, output=None, output_token=None, target=None, residual=True,
                       max_players=12, progress=True, payoff=None, removal=None):
    """Rank correlation of each attention explanation with the exact model Shapley values.

    Parameters
    ----------
    sentences : sequence of str
        Each with at most ``max_players`` non-special tokens.
    model : see :func:`symgame.models.load_encoder`
    output_token : int
        Output node of the explanations (``0`` = ``[CLS]``).
    target : "sentence", int or None
        Payoff of the masking game; ``None`` means ``output_token`` (the same
        output node as the explanations).
    residual : bool
        Residual mixing for rollout and flows.
    max_players : int
        Limit of the exact masking game per sentence (``2^n`` passes).
    progress : bool
    payoff, removal : str, optional
        The masking game's payoff and removal rule (:data:`symgame.models.masking.PAYOFFS`,
        :data:`symgame.models.masking.REMOVALS`; defaults as in :func:`symgame.models.masking.masking_setup`).

    Returns
    -------
    FaithfulnessTable
        ``str(table)`` prints it, ``table.plot(path)`` draws it, ``table.to_json()``.

    Examples
    --------
    >>> faithfulness_table(["fine"], output_token=-1)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: output_token must be a non-negative int, got -1
    """
    output_token = renamed(output, output_token, new="output", old="output_token", default=0, func="faithfulness_table")
    if isinstance(sentences, str) or not sentences or not all(isinstance(s, str) for s in sentences):
        raise ModelInputError(f"sentences must be a non-empty list of strings, got {sentences!r}")
    check_int(output_token, "output_token", low=0, error=ModelInputError,
              message="{what} must be a non-negative int, got {value!r}")
    from .masking import masking_game, model_leave_one_out
    from ..values import shapley

    target = int(output_token) if target is None else target
    start = time.perf_counter()
    rows = []
    for sentence in sentences:
        t0 = time.perf_counter()
        game = masking_game(sentence, model=model, target=target, max_players=max_players, progress=progress,
                            payoff=payoff, removal=removal)
        phi = shapley(game)
        t1 = time.perf_counter()
        att = sentence_attention(sentence, model=model)
        expl = attention_explanations(att, output_token=output_token, residual=residual)
        t2 = time.perf_counter()
        loo = model_leave_one_out(sentence, model=model, target=target, payoff=payoff, removal=removal)
        positions = tuple(int(p.split(":", 1)[0]) for p in game.players)
        per = {m: tuple(expl[m][pos] for pos in positions) for m in expl}
        per["LOO (model)"] = tuple(float(loo[p]) for p in game.players)
        truth = [float(phi[p]) for p in game.players]
        rho, tau = {}, {}
        for m in METHODS:
            rho[m], tau[m] = rank_correlations(per[m], truth)
        rows.append(SentenceFaithfulness(
            sentence=sentence, tokens=att.tokens, players=game.players, positions=positions, shapley=phi,
            explanations=per, spearman=rho, kendall=tau,
            seconds={"model shapley": t1 - t0, "explanations": t2 - t1},
        ))
    notes = (
        "ground truth: exact Shapley values (rationals) of the float payoffs; correlations are floats",
        "n/a: the explanation is constant on the players, so it ranks nothing",
    )
    from .masking import masking_setup

    setup = masking_setup(sentences[0], model=model, target=target, payoff=payoff, removal=removal)
    return FaithfulnessTable(tuple(rows), model_name(model), int(output_token), target, bool(residual),
                             METHODS, time.perf_counter() - start, notes, setup.payoff, setup.removal)
