"""Explain one output token of an attention tensor, every way at once (:func:`explain`, :class:`Explanation`).

:func:`explain` computes, for each player (a token at layer ``layer``): raw
attention, rollout, Abnar & Zuidema's attention flow, Ethayarajh &
Jurafsky's attention flow (the layer outflows of one maximum flow) with the
range of each outflow over *all* maximum flows, the Shapley value of the
re-optimised game ``v*``, leave-one-out on ``v*``, and whether a maximum flow
realises the Shapley values (with its certificate).  Exact input gives exact
numbers throughout.

Examples
--------
>>> r = explain([[[1, 0], ["1/4", "3/4"]]], output=1)
>>> r.columns["shapley"]
{0: 1/4, 1: 3/4}
>>> r.shapley_flow["exists"]
True
>>> explain([[[1, 0], [0, 1]]], output=5)
Traceback (most recent call last):
...
symgame.errors.InvalidAttentionError: output 5 is not a token index; expected an int in 0..1
"""

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidAttentionError, NotExactError
from ..exact import exact_str
from ..guards import check_int
from ..jsonio import to_jsonable
from ..flows import outflow_ranges, reoptimised_game, reoptimised_payoff, reoptimised_shapley_estimate, shapley_flow
from ..progress import Progress, format_seconds
from ..payoffs import MAX_PAYOFF_PLAYERS
from ..sampling import permutation_shapley
from ..loo import loo_agreement
from ..values import shapley, shapley_float
from .graph import NodeIndex, array_network, attention_graph
from .methods import COLUMNS, METHODS, az_values, ej_outflows, flow_leave_one_out, raw_attention, rollout
from .methods import attention_flow_az, attention_flow_ej
from .tensors import as_attention, check_layer, check_output, check_source, exact_value

__all__ = ["explain", "Explanation", "MAX_EXACT_SHAPLEY_PLAYERS", "COLUMNS", "METHODS"]

#: Default largest layer for which the Shapley value of ``v*`` is enumerated (2^n max flows;
#: about 5 s for L=2, n=14 on 2 cores).
MAX_EXACT_SHAPLEY_PLAYERS = 14


@dataclass(kw_only=True, repr=False, eq=False)
class Explanation:
    """The result of :func:`explain`.

    Attributes
    ----------
    players : tuple of int
        Token indices at ``layer``.
    labels : tuple of str
    columns : dict
        Column name (see ``COLUMNS``) -> dict player -> value (SymPy for
        exact input, float for float input).
    exact : bool
    shapley_method : str
        ``"exact"`` (enumerated, exact arithmetic), ``"float"`` (enumerated in
        floats) or ``"estimate"`` (permutation sampling; see
        ``shapley_interval``).
    shapley_interval : dict or None
        For an estimate: player -> ``(low, high)`` 95% interval.
    shapley_flow : dict or None
        ``{"exists": bool, "certificate": ...}`` when decided (exact input
        and enumerated ``v*``), else ``None``.
    max_flow : value of a maximum flow to the output.
    loo_agreement : symgame.loo.LooAgreement or None
        Whether LOO equals Shapley on ``v*``, and if not which tokens differ and the dividends
        of ``v*`` that cause it (:func:`symgame.loo.loo_agreement`); decided with exact input
        and an enumerated ``v*``, else ``None``.
    """

    players: tuple
    labels: tuple
    output: int
    output_label: str
    layer: int
    source: object
    residual: bool
    exact: bool
    columns: dict
    max_flow: object
    shapley_method: str
    shapley_interval: dict = None
    shapley_flow: dict = None
    notes: tuple = ()
    loo_agreement: object = None

    def __post_init__(self):
        self.players = tuple(self.players)
        self.labels = tuple(self.labels)
        self.notes = tuple(self.notes)

    def to_json(self):
        """A JSON-ready dict; exact numbers are strings (``"27/500"``), float numbers are floats.

        Examples
        --------
        >>> d = explain([[[1, 0], ["1/4", "3/4"]]], output=1).to_json()
        >>> d["players"][1]["shapley"], d["shapley_flow"]["exists"]
        ('3/4', True)
        """
        rows = []
        for p, lab in zip(self.players, self.labels):
            row = {"token": p, "label": lab}
            for m in METHODS:
                row[m.name] = _num(self.columns[m.name][p])
            if self.shapley_interval is not None:
                row["shapley_interval"] = [float(x) for x in self.shapley_interval[p]]
            rows.append(row)
        return {
            "output": self.output, "output_label": self.output_label, "layer": self.layer,
            "source": self.source, "residual": self.residual, "exact": self.exact,
            "max_flow": _num(self.max_flow), "shapley_method": self.shapley_method,
            "players": rows, "shapley_flow": to_jsonable(self.shapley_flow, number=_num, key=str, sort_sets="text"), "notes": list(self.notes),
            "loo_agreement": None if self.loo_agreement is None else self.loo_agreement.to_json(),
        }

    def __str__(self):
        heads = ["token"] + list(COLUMNS.values())
        body = []
        for p, lab in zip(self.players, self.labels):
            body.append([f"{p} {lab}" if lab != str(p) else str(p)] + [_short(self.columns[c][p]) for c in COLUMNS])
        widths = [max(len(h), *(len(r[k]) for r in body)) for k, h in enumerate(heads)]
        line = "  ".join(h.ljust(w) for h, w in zip(heads, widths))
        lines = [
            f"output token {self.output} ({self.output_label}), players: layer {self.layer}, source {self.source}"
            f"{', residual' if self.residual else ''}; {'exact' if self.exact else 'float'} arithmetic",
            line, "-" * len(line),
        ]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
        lines.append(f"max flow: {_short(self.max_flow)}; Shapley of v*: {self.shapley_method}")
        if self.shapley_method == "estimate":
            lines.append("  ESTIMATE (permutation sampling), 95% intervals: " + ", ".join(
                f"{p}: [{lo:.4g}, {hi:.4g}]" for p, (lo, hi) in self.shapley_interval.items()))
        sf = self.shapley_flow
        if self.shapley_method == "skipped":
            pass
        elif sf is None:
            lines.append("Shapley flow: not decided (needs exact input and an enumerated v*)")
        elif sf["exists"]:
            lines.append("Shapley flow: exists (a maximum flow with these Shapley values as layer outflows)")
        else:
            c = sf["certificate"]
            lines.append(f"Shapley flow: none exists; certificate: {_describe(c)}")
        if self.loo_agreement is not None:
            lines.append(self.loo_agreement.line(dict(zip(self.players, self.labels)), of="v*"))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    __repr__ = __str__


def _num(x):
    if x is None:
        return None
    if isinstance(x, (float, np.floating)):
        return float(x)
    return exact_str(x)


def _short(x):
    if x is None:
        return "-"
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    return str(x)


def _describe(cert):
    reason = cert.get("reason")
    if reason in ("source side", "sink side"):
        key = "source_capacity" if reason == "source side" else "sink_capacity"
        where = "the source can send into C" if reason == "source side" else "C can send to the sink"
        return (f"coalition C = {sorted(cert['coalition'])} has Shapley mass {cert['demand']} > {cert[key]} "
                f"= the most {where} (v*(C) = {cert.get('v_star')})")
    return str(cert)


def explain(attention, *, output, source="all", layer=0, residual=False, exact=None,
            max_exact_players=MAX_EXACT_SHAPLEY_PLAYERS, permutations=200, seed=0, head=None, normalised=True,
            tokens=None, shapley_value=True, time_limit=None, progress=False):
    """Every explanation of output token ``output`` for the tokens of ``layer``.

    Parameters
    ----------
    attention : see :func:`symgame.attention.as_attention`
    output : int
        The output token ``k`` (sink ``(L, k)``).
    source : "all" or int
        Super-source over all input tokens, or one input token.
    layer : int
        Player layer (0 = input tokens).
    residual : bool
        Residual mixing ``0.5 A + 0.5 I`` (Abnar & Zuidema).
    exact : bool, optional
        As in :func:`~symgame.attention.as_attention` (default: exact unless float input).
    max_exact_players : int
        Enumerate ``v*`` (2^n max flows) up to this many players; beyond it
        the Shapley value of ``v*`` is a seeded permutation-sampling
        **estimate** with 95% intervals (``permutations`` orders, ``seed``).
    head, normalised, tokens
        As in :func:`~symgame.attention.as_attention`.
    shapley_value : bool
        ``False`` skips the Shapley value of ``v*`` and the Shapley flow
        (column of ``None``; ``shapley_method == "skipped"``).
    time_limit : float, optional
        Seconds the whole call may take (about).  The first maximum flow is timed and the cost of
        the rest estimated up front (reported through ``progress``).  When enumerating ``v*`` or the
        planned ``permutations`` would not fit the time left after the other columns, the Shapley
        value of ``v*`` becomes a permutation-sampling **estimate**
        (:func:`symgame.sampling.permutation_shapley` on :func:`symgame.flows.reoptimised_payoff`,
        float flows) from as many orders as fit (at least 2), with 95% intervals, and a note says so.
    progress : bool or callable
        ``True``: the up-front estimate and the stages on stderr; a callable gets
        ``(done, total)`` in maximum flows (:mod:`symgame.progress`).

    Returns
    -------
    Explanation
        Columns: ``raw_attention`` (row ``output`` of the last layer, tokens
        identified by position), ``rollout`` (from ``layer`` to ``L``),
        ``az_flow`` (per-pair max flows from ``(layer, j)``, normalised),
        ``ej_flow`` (layer outflows of one maximum flow from the source),
        ``ej_low``/``ej_high`` (their range over all maximum flows),
        ``shapley`` (of ``v*``) and ``loo`` (of ``v*``).

    Notes
    -----
    Cost: ``3n + 2`` maximum flows plus ``2^n`` for ``v*`` (or
    ``permutations * n`` when estimating) and ``n`` for A&Z.

    Examples
    --------
    >>> print(explain([[["1", "0"], ["1/4", "3/4"]]], output=1, tokens=["good", "film"]))
    output token 1 (film), players: layer 0, source all; exact arithmetic
    token   raw attn  rollout  A&Z flow  E&J flow  E&J min  E&J max  Shapley v*  LOO v*
    -----------------------------------------------------------------------------------
    0 good  1/4       1/4      1/4       1/4       1/4      1/4      1/4         1/4
    1 film  3/4       3/4      3/4       3/4       3/4      3/4      3/4         3/4
    max flow: 1; Shapley of v*: exact
    Shapley flow: exists (a maximum flow with these Shapley values as layer outflows)
    LOO = Shapley on v*: yes, for every player (P3.precise: shared dividends sum to 0)
    >>> explain([[[1, 0], [0, 1]]], output=0, layer=1, max_exact_players=-1)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: max_exact_players must be a non-negative int, got -1
    """
    check_int(max_exact_players, "max_exact_players", low=0, numpy=False, error=InvalidAttentionError,
              message="{what} must be a non-negative int, got {value!r}")
    if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
                                   or not time_limit > 0 or time_limit != time_limit):
        raise InvalidAttentionError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    att = as_attention(attention, head=head, residual=residual, normalised=normalised, exact=exact, tokens=tokens)
    if att.kind == "symbolic":
        raise NotExactError(
            "explain needs numeric attention (a maximum flow of a symbolic graph is not one flow); "
            "substitute numbers, or use symgame.flows.symbolic_max_flow_value and flowgames directly"
        )
    k = check_output(att, output)
    layer = check_layer(att, layer)
    source = check_source(att, source)
    players = list(range(att.n))
    clock = _Clock(time_limit, progress)
    shapley_options = dict(shapley_value=shapley_value, max_exact_players=max_exact_players,
                           permutations=permutations, seed=seed, clock=clock)
    cols = {"raw_attention": raw_attention(att, output=k), "rollout": rollout(att, output=k, layer=layer)}
    if att.kind == "rational":
        part = _exact_columns(att, k, layer, source, **shapley_options)
    else:
        part = _float_columns(att, k, layer, source, **shapley_options)
    clock.close()
    cols.update(part.columns)
    columns = {m.name: cols[m.name] for m in METHODS}
    return Explanation(players=players, labels=[att.label(i) for i in players], output=k, output_label=att.label(k),
                       layer=layer, source=source, residual=att.residual, exact=att.exact, columns=columns,
                       max_flow=part.max_flow, shapley_method=part.shapley_method,
                       shapley_interval=part.shapley_interval, shapley_flow=part.shapley_flow, notes=part.notes,
                       loo_agreement=part.loo_agreement)


@dataclass
class _Part:
    """The columns one arithmetic path (exact or float) adds, and what it found about ``v*``."""

    columns: dict
    max_flow: object = None
    shapley_method: str = "skipped"
    shapley_interval: dict = None
    shapley_flow: dict = None
    notes: list = field(default_factory=list)
    loo_agreement: object = None


def _exact_columns(att, k, layer, source, *, shapley_value, max_exact_players, permutations, seed, clock):
    """Exact input: both flows, the exact outflow ranges, LOO and the Shapley value of ``v*``."""
    players = list(range(att.n))
    n = att.n
    clock.first_flow(lambda: array_network(att, source).max_flow(NodeIndex.source, NodeIndex.of(att).sink(k)),
                     4 * n + 2, _shapley_flows(n, shapley_value, max_exact_players, permutations))
    part = _Part({
        "az_flow": attention_flow_az(att, output=k, layer=layer),
        "ej_flow": attention_flow_ej(att, output=k, layer=layer, source=source),
        "loo": flow_leave_one_out(att, output=k, layer=layer, source=source),
    })
    G = attention_graph(att, output=k, source=source)
    ranges = outflow_ranges(G, [(layer, i) for i in players])
    part.columns["ej_low"] = {i: exact_value(ranges[(layer, i)].low) for i in players}
    part.columns["ej_high"] = {i: exact_value(ranges[(layer, i)].high) for i in players}
    clock.done(4 * n + 2)
    if shapley_value and clock.sample_instead(n, max_exact_players, permutations, part):
        part.max_flow = exact_value(array_network(att, source).max_flow(NodeIndex.source, NodeIndex.of(att).sink(k))[0])
        if clock.samples:
            _sample_shapley(part, G, layer, n, seed, clock)
        return part
    if shapley_value and att.n <= max_exact_players:
        game = reoptimised_game(G, layer)
        part.columns["shapley"] = shapley(game)
        part.shapley_method = "exact"
        res = shapley_flow(G, layer, game=game)
        part.shapley_flow = {"exists": res.exists, "certificate": res.certificate if not res.exists else None}
        part.max_flow = game[game.grand_coalition]
        part.loo_agreement = loo_agreement(game)
        return part
    net = array_network(att, source)
    part.max_flow = exact_value(net.max_flow(NodeIndex.source, NodeIndex.of(att).sink(k))[0])
    if shapley_value:
        _estimate_shapley(part, G, layer, att.n, permutations, seed, max_exact_players)
    else:
        part.columns["shapley"] = {i: None for i in players}
    return part


def _float_columns(att, k, layer, source, *, shapley_value, max_exact_players, permutations, seed, clock):
    """Float input: every float max flow on one network, whose cache shares the maximum flow (E&J,
    ranges, max-flow value) and, on the input layer with a super-source, the per-pair flows (A&Z = highs)."""
    players = list(range(att.n))
    net = array_network(att, source)
    index = NodeIndex.of(att)
    t = index.sink(k)
    n = att.n
    clock.first_flow(lambda: net.max_flow_float(index.source, t), 3 * n + 3,
                     _shapley_flows(n, shapley_value, max_exact_players, permutations))
    az = az_values(att, net, k, layer)
    total = sum(az.values())
    part = _Part({
        "az_flow": {j: float(v / total) if total != 0 else float(v) for j, v in az.items()},
        "ej_flow": ej_outflows(att, net, k, layer),
    })
    rng = net.outflow_ranges_float(index.source, t, index.layer(layer).tolist())
    part.columns["ej_low"] = {i: float(rng[i][0]) for i in players}
    part.columns["ej_high"] = {i: float(rng[i][1]) for i in players}
    # LOO on v* is the least outflow over all maximum flows: low = F - maxflow(G - u) = v*(N) - v*(N - u)
    part.columns["loo"] = dict(part.columns["ej_low"])
    part.max_flow = float(net.max_flow_float(index.source, t)[0])
    for name in ("ej_flow", "ej_low", "ej_high", "loo"):
        part.columns[name] = _clamp_rounding_noise(part.columns[name], part.max_flow)
    if not shapley_value:
        part.columns["shapley"] = {i: None for i in players}
        return part
    G = attention_graph(att, output=k, source=source)
    clock.done(3 * n + 3)
    if clock.sample_instead(n, max_exact_players, permutations, part):
        if clock.samples:
            _sample_shapley(part, G, layer, n, seed, clock)
    elif att.n <= max_exact_players:
        part.columns["shapley"] = _clamp_rounding_noise(shapley_float(reoptimised_game(G, layer, exact=False)),
                                                        part.max_flow)
        part.shapley_method = "float"
    else:
        _estimate_shapley(part, G, layer, att.n, permutations, seed, max_exact_players)
    part.notes.append("float input: Shapley flow not decided (decide it on the exact binary values with exact=True, "
                      "or symgame explain --exact)")
    return part


#: Relative size of float rounding noise cleared from columns that cannot be negative.
ROUNDING_NOISE = 1e-9


def _clamp_rounding_noise(column, total):
    """Clear float rounding noise below zero in a column the mathematics makes non-negative.

    Used for outflows and their ranges (flows are non-negative), leave-one-out on ``v*``
    (``v*(N) - v*(N - u) >= 0``: removing a node never increases a maximum flow) and the enumerated
    Shapley value of ``v*`` (``v*`` is monotone, so every marginal contribution is ``>= 0``).  Only
    values in ``[-ROUNDING_NOISE * max(1, total), 0)`` become ``0.0``; a more negative value is left
    as it is, so a real error still shows.

    Examples
    --------
    >>> _clamp_rounding_noise({0: -3.4e-15, 1: 0.25, 2: -0.5}, 1.0)
    {0: 0.0, 1: 0.25, 2: -0.5}
    """
    bound = ROUNDING_NOISE * max(1.0, abs(float(total or 0.0)))
    return {i: 0.0 if isinstance(x, float) and -bound <= x < 0 else x for i, x in column.items()}


def _estimate_shapley(part, G, layer, n, permutations, seed, max_exact_players):
    """The seeded permutation-sampling estimate of the Shapley value of ``v*``, with its note."""
    est = reoptimised_shapley_estimate(G, layer, permutations=permutations, seed=seed, exact=False)
    part.columns["shapley"] = {i: est[i].mean for i in range(n)}
    part.shapley_interval = {i: (est[i].low, est[i].high) for i in range(n)}
    part.shapley_method = "estimate"
    part.notes.append(f"Shapley of v* estimated from {permutations} sampled orders (seed {seed}); "
                      f"{n} players exceed max_exact_players={max_exact_players} (symgame explain "
                      f"--max-exact-players N enumerates v* exactly up to N players: 2^N max flows)")


def _shapley_flows(n, shapley_value, max_exact_players, permutations):
    """Maximum flows the Shapley value of ``v*`` plans: ``2^n`` enumerated, ``permutations * n`` sampled."""
    if not shapley_value:
        return 0
    return 2 ** n if n <= max_exact_players else permutations * n


#: Cost of one max flow of ``v*`` relative to the mean cost of the columns' flows (used by ``time_limit``).
SAMPLED_FLOW_COST = 1.5


class _Clock:
    """The time limit and progress of one :func:`explain` call, in maximum flows."""

    def __init__(self, limit, progress):
        self.limit, self.progress = limit, progress
        self.start = time.monotonic()
        self.bar = None
        self.per_flow = None
        self.samples = None

    def elapsed(self):
        return time.monotonic() - self.start

    def first_flow(self, run, columns, shapley_flows):
        """Time one maximum flow (cached by the network for the columns), then report the up-front estimate."""
        t0 = time.monotonic()
        run()
        self.per_flow = max(time.monotonic() - t0, 1e-6)
        total = columns + shapley_flows
        self.bar = Progress(total, self.progress, "explain: max flows")
        if self.progress is True:
            limit = "" if self.limit is None else f"; time limit {format_seconds(self.limit)}"
            sys.stderr.write(f"explain: about {total} maximum flows, {self.per_flow * 1e3:.1f} ms for the "
                             f"first: estimated {format_seconds(total * self.per_flow)}{limit}\n")
            sys.stderr.flush()

    def done(self, flows):
        if self.bar is not None:
            self.bar.update(flows)
            self.per_flow = max(self.elapsed() / max(self.bar.done, 1), 1e-6)

    def sample_instead(self, n, max_exact_players, permutations, part):
        """Whether the time limit turns the Shapley value of ``v*`` into a sampled estimate (and from how many
        orders: ``self.samples``); ``False`` without a limit (the old rules then apply)."""
        if self.limit is None:
            return False
        left = self.limit - self.elapsed()
        cost = self.per_flow * SAMPLED_FLOW_COST  # a v* flow closes arcs: no shared solver (measured ~1.5x)
        affordable = int(left / (cost * max(n, 1)))
        planned = 2 ** n if n <= max_exact_players else permutations * n
        if planned * cost <= left:
            if n <= max_exact_players:
                return False
            self.samples = permutations
        else:
            self.samples = min(permutations, affordable)
        why = (f"enumerating v* needs 2^{n} max flows" if n <= max_exact_players
               else f"{n} players exceed max_exact_players={max_exact_players}")
        if self.samples < 2:  # not even the 2 orders an interval needs: skip, and say so
            self.samples = 0
            part.notes.append(f"time limit {format_seconds(self.limit)}: {why}, and at the measured "
                              f"{self.per_flow * 1e3:.1f} ms per max flow not even 2 sampled orders ({2 * n} max "
                              f"flows) fit the time left: Shapley of v* SKIPPED (raise the time limit)")
            part.columns["shapley"] = {i: None for i in range(n)}
            return True
        part.notes.append(f"time limit {format_seconds(self.limit)}: {why}; at the measured "
                          f"{self.per_flow * 1e3:.1f} ms per max flow the Shapley value of v* is ESTIMATED by "
                          f"permutation sampling from at most {self.samples} orders")
        return True

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _sample_shapley(part, G, layer, n, seed, clock):
    """The time-bounded estimate: permutation sampling of float ``v*`` with its 95% intervals."""
    if n > MAX_PAYOFF_PLAYERS:  # beyond a payoff's bitmask players: the flow games' own permutation sampler
        _sample_shapley_wide(part, G, layer, n, seed, clock)
        return
    payoff = reoptimised_payoff(G, layer, exact=False)
    if clock.limit is not None and clock.samples > 4:  # a timed pilot of 2 orders sizes the sample; the
        permutation_shapley(payoff, samples=2, seed=seed)  # orders are a prefix of one seeded sequence, and
        t0 = time.monotonic()  # evaluated coalitions stay cached: the first 2 warm up, the next 2 are timed
        permutation_shapley(payoff, samples=4, seed=seed)
        per = max((time.monotonic() - t0) / 2, 1e-6)
        affordable = int((clock.limit - clock.elapsed()) / per)
        clock.samples = max(2, min(clock.samples, affordable))
        part.notes.append(f"a sampled order of v* took {per:.2f} s: {clock.samples} orders fit the time left")
    seen = [0]

    def report(done, total):  # orders done -> max flows done
        clock.done((done - seen[0]) * n)
        seen[0] = done

    est = permutation_shapley(payoff, samples=clock.samples, seed=seed, progress=report)
    part.columns["shapley"] = {i: float(est.estimates[i]) for i in range(n)}
    part.shapley_interval = {i: (est.low[i], est.high[i]) for i in range(n)}
    part.shapley_method = "estimate"
    part.notes.append(f"Shapley of v* estimated from {clock.samples} sampled orders (seed {seed}, "
                      f"{clock.elapsed():.1f} s in all)")


def _sample_shapley_wide(part, G, layer, n, seed, clock):
    """The time-bounded estimate for layers wider than a payoff allows: a timed pilot of 2 orders of
    :func:`symgame.flows.reoptimised_shapley_estimate` (the same seeded orders come first in the final run)."""
    if clock.samples > 2:
        t0 = time.monotonic()
        reoptimised_shapley_estimate(G, layer, permutations=2, seed=seed, exact=False)
        per = max((time.monotonic() - t0) / 2, 1e-6)
        clock.done(2 * n)
        clock.samples = max(2, min(clock.samples, int((clock.limit - clock.elapsed()) / per)))  # pilot orders count
        part.notes.append(f"a sampled order of v* took {per:.2f} s: {clock.samples} orders fit the time left")
    est = reoptimised_shapley_estimate(G, layer, permutations=clock.samples, seed=seed, exact=False)
    clock.done(clock.samples * n)
    part.columns["shapley"] = {i: est[i].mean for i in range(n)}
    part.shapley_interval = {i: (est[i].low, est[i].high) for i in range(n)}
    part.shapley_method = "estimate"
    part.notes.append(f"Shapley of v* estimated from {clock.samples} sampled orders (seed {seed}, "
                      f"{clock.elapsed():.1f} s in all; symgame.flows.reoptimised_shapley_estimate: {n} players "
                      f"exceed the {MAX_PAYOFF_PLAYERS} of a sampling payoff)")
