"""Proposition 2 on a real attention graph: MiniLM's attention, converted exactly, as a flow network.

:func:`real_model_checks` reads the attention of a sentence
(:func:`symgame.models.sentence_attention`), converts every float32 weight to
its exact rational (heads averaged exactly, rows **not** renormalised: they sum
to ``1 ± 1e-7``, so the graph is built with ``normalised=False``), builds the
attention graph with a super-source on every input token and the sink
``(L, output_token)``, and decides on it, exactly:

``P2.fixed``
    For one maximum flow ``f`` (validated exactly, with its min cut) and
    every layer ``l < L``: the fixed-flow game of layer ``l``, evaluated by
    *path decomposition* of ``f`` (the part of ``f`` on paths meeting ``S``),
    has Shapley values equal to the layer's throughputs, exactly.  Holds
    because every source-sink path crosses each layer once; the layered
    structure is checked edge by edge.  ``CHECKED (L instances)``.
``P2.algorithm``
    "The outflows of the maximum flow the algorithm returns are ``phi(v*)``":
    per layer, the engine's throughputs against the exact Shapley value of
    the re-optimised game ``v*``, and the exact range of each throughput over
    **all** maximum flows (:func:`symgame.flows.outflow_ranges`) — how much
    freedom real attention leaves.  ``REFUTED`` at the first layer where they
    differ, else ``CHECKED``.
``P2.exists``
    Per layer: is some maximum flow's throughput vector ``phi(v*)``
    (:func:`symgame.flowgames.shapley_flow`, with the Gale certificate when
    not)?  ``CHECKED`` when every layer has one, else ``REFUTED`` with the
    first failing layer (every layer's answer is in the certificate).

Cost: ``L 2^n`` exact maximum flows (``n`` tokens with ``[CLS]``/``[SEP]``);
``n = 7`` takes a few seconds here; ``n`` is limited to
:data:`MAX_CHECK_TOKENS`.

Examples
--------
>>> real_model_checks("")
Traceback (most recent call last):
...
symgame.errors.ModelInputError: sentence '' has no words; expected a non-empty string
"""

import time
from fractions import Fraction

import sympy as sp

from ..errors import GameTooLargeError, ModelInputError
from ..exact import to_fraction, to_rational
from .encoders import check_sentence, sentence_attention
from ..guards import check_int, renamed
from ..verdicts import Verdict

__all__ = ["DEFAULT_CHECK_SENTENCE", "MAX_CHECK_TOKENS", "CHOICE_CHECK_SENTENCE", "real_attention_graph", "real_model_checks",
           "masking_choice_checks"]

#: The default sentence: a piece of the talk's movie review (7 tokens with [CLS] and [SEP]).
DEFAULT_CHECK_SENTENCE = "what a waste of time"
#: Largest number of tokens (special ones included) for the exact checks (``L 2^n`` exact max flows).
MAX_CHECK_TOKENS = 12


def real_attention_graph(sentence=DEFAULT_CHECK_SENTENCE, *, model=None, output=None, residual=False, output_token=None):
    """The exact attention graph of ``sentence``: ``(graph, SentenceAttention)``.

    Capacities are the model's float32 weights averaged over heads exactly
    (:func:`symgame.models.exact_attention`), rows not renormalised.

    Examples
    --------
    >>> real_attention_graph("fine", output_token="cls")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: output_token must be a token index, got 'cls'
    """
    output_token = renamed(output, output_token, new="output", old="output_token", default=0, func="real_attention_graph")
    check_sentence(sentence)
    check_int(output_token, "output_token", numpy=False, error=ModelInputError,
              message="{what} must be a token index, got {value!r}")
    from ..attention import as_attention, attention_graph

    sa = sentence_attention(sentence, model=model)
    n = len(sa.tokens)
    if not 0 <= output_token < n:
        raise ModelInputError(f"output_token must be a token index in 0..{n - 1}, got {output_token}")
    att = as_attention(sa.exact(heads="mean"), normalised=False, residual=residual, tokens=sa.tokens)
    return attention_graph(att, output=output_token, source="all"), sa


def _fr(x):
    if isinstance(x, Fraction):
        return x
    return to_fraction(sp.Rational(x))


def _layered(graph, source):
    """Every edge goes from layer l-1 to layer l (the source feeds layer 0): the structural step of P2.fixed."""
    for u, v in graph.edges:
        lu = -1 if u == source else graph.nodes[u]["layer"]
        if graph.nodes[v]["layer"] != lu + 1:
            return (u, v)
    return None


def real_model_checks(sentence=DEFAULT_CHECK_SENTENCE, *, model=None, output=None, residual=False, output_token=None):
    """Decide P2.fixed, P2.algorithm and P2.exists exactly on the model's attention graph of ``sentence``.

    Parameters
    ----------
    sentence : str
        At most :data:`MAX_CHECK_TOKENS` tokens with the special ones.
    model : see :func:`symgame.models.load_encoder`
    output : int
        The output token (``output_token=`` is its deprecated spelling).
    output_token : int, optional
        Deprecated spelling of ``output``.
        The sink ``(L, output_token)``; ``0`` is ``[CLS]``.
    residual : bool
        Residual mixing ``0.5 A + 0.5 I`` (Abnar & Zuidema) before building the graph.

    Returns
    -------
    dict
        ``{"P2.fixed": Verdict, "P2.algorithm": Verdict, "P2.exists": Verdict}``;
        certificates hold exact numbers (as strings in JSON) per layer.

    Raises
    ------
    GameTooLargeError
        More than :data:`MAX_CHECK_TOKENS` tokens.

    Examples
    --------
    >>> real_model_checks("fine", output_token=True)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: output_token must be a token index, got True
    """
    output_token = renamed(output, output_token, new="output", old="output_token", default=0, func="real_model_checks")
    check_sentence(sentence)
    check_int(output_token, "output_token", numpy=False, error=ModelInputError,
              message="{what} must be a token index, got {value!r}")
    from ..flows import max_flow, validate_flow
    from .encoders import tokenize

    n_tokens = len(tokenize(sentence, model=model)["tokens"])
    if n_tokens > MAX_CHECK_TOKENS:
        raise GameTooLargeError(
            f"sentence has {n_tokens} tokens; the exact checks run L * 2^{n_tokens} exact maximum flows and the "
            f"limit is {MAX_CHECK_TOKENS} tokens. Use a shorter sentence"
        )
    start = time.perf_counter()
    G, sa = real_attention_graph(sentence, model=model, output_token=output_token, residual=residual)
    L = G.graph["layers"]
    setting = {
        "sentence": sentence,
        "model": sa.model,
        "tokens": list(sa.tokens),
        "sink": [L, output_token],
        "source": "super-source on every input token",
        "residual": residual,
        "capacities": "float32 weights averaged over heads exactly; rows not renormalised",
    }
    value, f = max_flow(G)
    cert = validate_flow(G, f, maximum=True)
    layers = list(range(L))
    p2_fixed = _fixed_flow_verdict(G, f, cert, setting, layers)
    games, phis, ranges, exists = _layer_games(G, layers)
    p2_algorithm = _algorithm_verdict(G, f, cert, setting, layers, phis, ranges)
    p2_exists = _exists_verdict(setting, layers, exists, start)
    return {"P2.fixed": p2_fixed, "P2.algorithm": p2_algorithm, "P2.exists": p2_exists}


def _fixed_flow_verdict(G, f, cert, setting, layers):
    """P2.fixed: at every layer the fixed-flow game of ``f`` (by path decomposition) has Shapley values =
    throughputs, exactly."""
    from ..flows import fixed_flow_game, throughputs
    from ..values import shapley

    source, sink, n = G.graph["source"], G.graph["sink"], G.graph["tokens"]
    sentence, model = setting["sentence"], setting["model"]
    bad_edge = _layered(G, source)
    fixed = {}
    fixed_ok = bad_edge is None
    for l in layers:
        nodes = [(l, i) for i in range(n) if (l, i) in G]
        through = throughputs(G, f, nodes)
        by_paths = fixed_flow_game(G, f, nodes + [sink]).restrict(nodes)  # path decomposition of f
        phi = shapley(by_paths)
        additive = shapley(fixed_flow_game(G, f, l))
        ok = all(phi[u] == to_rational(_fr(through[u])) for u in nodes)
        ok = ok and all(additive[u[1]] == phi[u] for u in nodes)
        ok = ok and sum(phi.values()) == to_rational(cert.value)
        fixed[l] = {"throughputs": {u[1]: _fr(through[u]) for u in nodes}, "equal": ok}
        fixed_ok = fixed_ok and ok
    fixed_cert = dict(setting, flow_value=cert.value, layered=bad_edge is None, layers=fixed)
    if fixed_ok:
        p2_fixed = Verdict.checked(len(layers), fixed_cert, summary=(
            f"on {model}'s graph of {sentence!r}, every layer's fixed-flow game (by path decomposition) has "
            f"Shapley values = throughputs, exactly ({len(layers)} layers)"))
    else:
        p2_fixed = Verdict.refuted(dict(fixed_cert, offending_edge=bad_edge), summary="fixed-flow Shapley != throughputs")

    return p2_fixed


def _layer_games(G, layers):
    """Per layer: ``v*``, its Shapley values, the outflow ranges and the (re-validated) Shapley flow."""
    from ..flows import outflow_ranges, reoptimised_game, shapley_flow, throughputs, validate_flow
    from ..values import shapley

    n = G.graph["tokens"]
    games, phis, ranges, exists = {}, {}, {}, {}
    for l in layers:
        games[l] = reoptimised_game(G, l)
        phis[l] = shapley(games[l])
        nodes = [(l, i) for i in range(n) if (l, i) in G]
        ranges[l] = outflow_ranges(G, nodes)
        sf = shapley_flow(G, l, game=games[l])
        if sf.exists:  # re-check the certificate independently: a maximum flow with throughputs = phi
            validate_flow(G, sf.flow, maximum=True)
            got = throughputs(G, sf.flow, nodes)
            if any(_fr(got[u]) != _fr(phis[l][u[1]]) for u in nodes):
                raise ModelInputError(f"shapley_flow returned a flow whose layer-{l} throughputs are not phi(v*)")
        exists[l] = sf
    return games, phis, ranges, exists


def _algorithm_verdict(G, f, cert, setting, layers, phis, ranges):
    """P2.algorithm: does the engine's maximum flow have the Shapley values of ``v*`` as throughputs?"""
    from ..flows import throughputs

    n, tokens = G.graph["tokens"], setting["tokens"]
    through_all = throughputs(G, f, [(l, i) for l in layers for i in range(n) if (l, i) in G])
    algo_layers, first_diff = {}, None
    for l in layers:
        rows = {}
        for (layer, i), r in ranges[l].items():
            engine = _fr(through_all[(layer, i)])
            phi = _fr(phis[l][i])
            rows[i] = {"engine": engine, "shapley": phi, "low": r.low, "high": r.high, "width": r.high - r.low}
            if engine != phi and first_diff is None:
                first_diff = {"layer": l, "token": i, "token_text": tokens[i], "engine": engine, "shapley": phi,
                              "range": [r.low, r.high]}
        algo_layers[l] = {"max_width": max(x["width"] for x in rows.values()), "tokens": rows}
    widths = {l: float(algo_layers[l]["max_width"]) for l in layers}
    algo_cert = dict(setting, flow_value=cert.value, first_difference=first_diff, layers=algo_layers,
                     max_width_per_layer_float=widths)
    if first_diff is not None:
        p2_algorithm = Verdict.refuted(algo_cert, summary=(
            f"the engine's max flow has throughput {float(first_diff['engine']):.4g} at token "
            f"{first_diff['token_text']!r} of layer {first_diff['layer']}, Shapley of v* is "
            f"{float(first_diff['shapley']):.4g}; over all max flows that throughput ranges over "
            f"[{float(first_diff['range'][0]):.4g}, {float(first_diff['range'][1]):.4g}]"))
    else:
        p2_algorithm = Verdict.checked(len(layers), algo_cert, summary=(
            "the engine's throughputs equal Shapley of v* at every layer on this graph"))

    return p2_algorithm


def _exists_verdict(setting, layers, exists, start):
    """P2.exists: every layer has a maximum flow whose throughputs are the Shapley values of ``v*``."""
    L = len(layers)
    exist_layers, first_missing = {}, None
    for l in layers:
        sf = exists[l]
        entry = {"exists": sf.exists, "shapley": {i: _fr(x) for i, x in sf.shapley.items()}}
        if not sf.exists:
            entry["certificate"] = sf.certificate
            if first_missing is None:
                first_missing = l
        exist_layers[l] = entry
    exist_cert = dict(setting, layers=exist_layers, seconds=time.perf_counter() - start)
    found = [l for l in layers if exists[l].exists]
    if first_missing is None:
        p2_exists = Verdict.checked(len(layers), exist_cert, summary=(
            f"every layer 0..{L - 1} has a maximum flow whose throughputs are Shapley of v* (each validated)"))
    else:
        p2_exists = Verdict.refuted(dict(exist_cert, first_missing_layer=first_missing), summary=(
            f"layer {first_missing} has no maximum flow with throughputs = Shapley of v* (Gale certificate); "
            f"layers with one: {found}"))
    return p2_exists


#: The sentence of the per-choice rechecks: one word split into three pieces ("un ##watch ##able").
CHOICE_CHECK_SENTENCE = "the screenplay was unwatchable"


def masking_choice_checks(sentence=CHOICE_CHECK_SENTENCE, *, model=None, choices=None, next_token=None):
    """P3 and G rechecked exactly on the model masking game, once per payoff/removal choice.

    For each ``(payoff, removal)`` (default: the two cosine payoffs of the encoder times the four
    removal rules), on the token game of ``sentence`` and its word game (``words=True``):

    ``P3.precise``
        For every player, ``LOO_i - phi_i`` equals ``sum_{T ∋ i, |T| >= 2} d(T) (|T| - 1) / |T|``
        with Harsanyi dividends ``d`` (:func:`symgame.values.dividends`, Möbius inversion) — a second
        path sharing no code with :func:`symgame.values.shapley` (the weight formula) and
        :func:`symgame.values.leave_one_out`.  ``CHECKED`` over the choices when it holds for all.
    ``G.quotient``
        The word game the masking code builds (pieces of a word as one player) equals the quotient
        game :meth:`symgame.game.Game.merge` builds from the token game, exactly, table entry by entry.
    ``G.additive``
        "The Shapley value of a merged word is the sum of its pieces' values" on this game:
        ``REFUTED`` with the first choice where it fails (every choice's numbers are in the certificate).

    P1 and P2 are statements about an attention row and the attention graph: they do not depend on
    the payoff or the removal rule, so they are not repeated per choice.

    For a decoder (``model="smollm2"``) pass the next-token choices, e.g.
    ``choices=[("next-token-logprob", "delete"), ("next-token-logprob", "unk-token")]``, and the
    predicted token ``next_token`` (e.g. ``" are"``) its payoff reads.

    Returns
    -------
    dict
        ``{"P3.precise": Verdict, "G.quotient": Verdict, "G.additive": Verdict}``.

    Examples
    --------
    >>> masking_choice_checks("")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: sentence '' has no words; expected a non-empty string
    """
    check_sentence(sentence)
    from ..values import dividends, leave_one_out, shapley
    from .masking import masking_game, masking_setup

    if choices is None:
        choices = [(p, r) for p in ("mean-cosine", "cls-cosine")
                   for r in ("attention-mask", "delete", "mask-token", "unk-token")]
    p3, quotient, additive = {}, {}, {}
    p3_ok = quotient_ok = True
    first_additive_failure = None
    for payoff, removal in choices:
        key = f"{payoff}/{removal}"
        nt = next_token if payoff == "next-token-logprob" else None
        opts = {"model": model, "payoff": payoff, "removal": removal, "progress": False, "next_token": nt}
        tokens = masking_game(sentence, **opts)
        words = masking_game(sentence, words=True, **opts)
        phi, loo, d = shapley(tokens), leave_one_out(tokens), dividends(tokens)
        rows = {}
        for p in tokens.players:
            via_dividends = sum((dv * (len(T) - 1) / len(T) for T, dv in d.items() if p in T and len(T) >= 2),
                                sp.S.Zero)
            rows[p] = {"loo_minus_shapley": loo[p] - phi[p], "dividend_sum": via_dividends,
                       "equal": sp.Rational(loo[p] - phi[p]) == sp.Rational(via_dividends)}
        p3[key] = rows
        p3_ok = p3_ok and all(r["equal"] for r in rows.values())
        setup = masking_setup(sentence, model=model, words=True, payoff=payoff, removal=removal, next_token=nt)
        merged = tokens
        token_setup = masking_setup(sentence, model=model, payoff=payoff, removal=removal, next_token=nt)
        by_pos = {g[0]: lab for lab, g in zip(token_setup.players, token_setup.groups)}
        groups = []
        for label, group in zip(setup.players, setup.groups):
            members = [by_pos[pos] for pos in group]
            if len(members) > 1:
                merged = merged.merge(members, label)
                groups.append((label, members))
            else:
                merged = merged.relabel({members[0]: label})
        same = list(merged.players) == list(words.players) and all(
            merged[c] == words[c] for c in merged.coalitions())
        quotient[key] = {"equal": same, "groups": {lab: m for lab, m in groups}}
        quotient_ok = quotient_ok and same
        phi_words = shapley(words)
        entry = {}
        for label, members in groups:
            total = sum((phi[m] for m in members), sp.S.Zero)
            entry[label] = {"merged": phi_words[label], "sum_of_pieces": total, "equal": phi_words[label] == total}
            if not entry[label]["equal"] and first_additive_failure is None:
                first_additive_failure = {"choice": key, "word": label, "merged": phi_words[label],
                                          "sum_of_pieces": total}
        additive[key] = entry
    setting = {"sentence": sentence, "choices": [f"{p}/{r}" for p, r in choices]}
    if next_token is not None:
        setting["next_token"] = next_token
    n = len(choices)
    out = {}
    cert = dict(setting, players=p3)
    out["P3.precise"] = (Verdict.checked(n, cert, summary=(
        f"LOO - Shapley = the dividend sum for every token, exactly, under each of {n} payoff/removal choices"))
        if p3_ok else Verdict.refuted(cert, summary="LOO - Shapley differs from the dividend sum"))
    cert = dict(setting, quotients=quotient)
    out["G.quotient"] = (Verdict.checked(n, cert, summary=(
        f"the word game equals the merged token game exactly under each of {n} choices"))
        if quotient_ok else Verdict.refuted(cert, summary="the word game differs from the merged token game"))
    cert = dict(setting, words=additive, first_failure=first_additive_failure)
    if first_additive_failure is None:
        out["G.additive"] = Verdict.checked(n, cert, summary="merged words' Shapley values are sums of pieces")
    else:
        f = first_additive_failure
        out["G.additive"] = Verdict.refuted(cert, summary=(
            f"under {f['choice']} the word {f['word']!r} has Shapley value {float(f['merged']):.4g} merged, "
            f"{float(f['sum_of_pieces']):.4g} as the sum of its pieces"))
    return out
