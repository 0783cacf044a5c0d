"""The faithfulness study: attention explanations against the model's Shapley values over a corpus, with intervals.

For every sentence (or prompt) of a corpus, and every chosen payoff and removal rule of the model
masking game (:data:`symgame.models.masking.PAYOFFS`, :data:`~symgame.models.masking.REMOVALS`):

* the **ground truth**: the exact Shapley value of the masking game when it has at most
  ``exact_limit`` players (``2^n`` forward passes), else a permutation-sampling estimate
  (:func:`symgame.sampling.permutation_shapley`, seeded) whose error is measured against exact
  values on sentences where both are computed (``sampling_validation``);
* each attention explanation of one output node (:func:`symgame.models.faithfulness.attention_explanations`)
  and the model's leave-one-out values, compared with the truth by Spearman's rho over the players;
* per method, the mean rho over sentences with a bootstrap confidence interval over sentences
  (:func:`scipy.stats.bootstrap`, percentile method, seeded);
* a **random-explanation baseline**: the 95% band of the mean rho of uniformly random rankings on
  the same sentences (Monte Carlo, seeded) — a method whose interval overlaps it is not
  distinguishable from chance at this sample size;
* **per layer**: raw attention, rollout and A&Z flow computed from the first ``l`` layers only;
* **sensitivity**: rank correlation of each choice's Shapley values with the main choice's.

Examples
--------
>>> r = bootstrap_ci([0.1, 0.3, 0.5, 0.7], seed=0)
>>> r["mean"], r["n"], r["low"] <= r["mean"] <= r["high"]
(0.4, 4, True)
>>> bootstrap_ci([])["mean"] is None
True
>>> band = random_baseline([[1.0, 2.0, 3.0, 4.0]] * 10, draws=500, seed=0)
>>> band["low"] < 0 < band["high"]
True
"""

import os
import time

import numpy as np

from ..errors import ModelInputError
from .faithfulness import METHODS, attention_explanations, rank_correlations

__all__ = [
    "EXACT_LIMIT",
    "SHAPLEY_FLOW_TOKENS",
    "choice_key",
    "bootstrap_ci",
    "random_baseline",
    "model_values",
    "layer_explanations",
    "faithfulness_study",
]

#: Players up to which the ground truth is the exact Shapley value (2^12 = 4096 passes); sampled above.
EXACT_LIMIT = 12
#: Tokens (special ones included) up to which the Shapley flow (2^n float max flows) is computed.
SHAPLEY_FLOW_TOKENS = 8
_LAYER_METHODS = ("raw attention", "rollout", "A&Z flow")


def choice_key(payoff, removal):
    """``"payoff/removal"``, the key of one choice in the study's JSON.

    Examples
    --------
    >>> choice_key("cls-cosine", "delete")
    'cls-cosine/delete'
    """
    return f"{payoff}/{removal}"


def bootstrap_ci(values, *, confidence=0.95, resamples=2000, seed=0):
    """Mean of ``values`` with a percentile bootstrap confidence interval (:func:`scipy.stats.bootstrap`).

    Returns
    -------
    dict
        ``mean``, ``low``, ``high`` (``None`` without values; the interval is ``None`` below 3 values),
        ``n``, ``confidence``, ``resamples``.
    """
    from scipy import stats

    x = np.asarray([v for v in values if v is not None], dtype=np.float64)
    out = {"mean": None, "low": None, "high": None, "n": int(x.size), "confidence": confidence,
           "resamples": resamples}
    if x.size == 0:
        return out
    out["mean"] = float(x.mean())
    if x.size < 3 or np.all(x == x[0]):
        if x.size >= 3:
            out["low"] = out["high"] = out["mean"]
        return out
    res = stats.bootstrap((x,), np.mean, confidence_level=confidence, n_resamples=resamples, method="percentile",
                          random_state=np.random.default_rng(seed))
    out["low"], out["high"] = float(res.confidence_interval.low), float(res.confidence_interval.high)
    return out


def random_baseline(truths, *, draws=2000, seed=0, confidence=0.95):
    """The band of the mean Spearman rho of random explanations on these sentences.

    Each draw gives every sentence an explanation drawn uniformly at random (i.i.d. uniform scores)
    and averages its rho with the sentence's truth; the band is the central ``confidence`` part of
    the ``draws`` means.
    """
    rng = np.random.default_rng(seed)
    truths = [np.asarray(t, dtype=np.float64) for t in truths if len(t) >= 2 and not np.all(np.asarray(t) == t[0])]
    if not truths:
        return {"mean": None, "low": None, "high": None, "draws": draws, "sentences": 0}
    from scipy import stats

    ranks = [stats.rankdata(t) for t in truths]
    means = np.empty(draws)
    for d in range(draws):
        rhos = []
        for r in ranks:
            e = stats.rankdata(rng.random(r.size))
            rhos.append(float(np.corrcoef(e, r)[0, 1]))
        means[d] = np.mean(rhos)
    a = (1 - confidence) / 2
    return {"mean": float(means.mean()), "low": float(np.quantile(means, a)), "high": float(np.quantile(means, 1 - a)),
            "draws": draws, "sentences": len(truths), "confidence": confidence}


def model_values(text, *, model=None, payoff=None, removal=None, next_token=None, target="sentence",
                 exact_limit=EXACT_LIMIT, samples=100, seed=0, force_sampling=False):
    """Shapley values of the masking game of ``text``: exact up to ``exact_limit`` players, else sampled.

    Returns
    -------
    (players, values, info)
        Player labels, float values (from exact rationals, or the sampled estimate) and
        ``{"method": "exact" | "permutation", "stderr": [...] or None, "passes": int}``.
    """
    from ..sampling import permutation_shapley
    from ..values import shapley
    from .masking import forward_passes, masking_game, masking_payoff, masking_setup

    choice = {"payoff": payoff, "removal": removal, "next_token": next_token, "target": target}
    setup = masking_setup(text, model=model, **choice)
    before = forward_passes()
    if setup.n <= exact_limit and not force_sampling:
        game = masking_game(text, model=model, max_players=max(exact_limit, setup.n), progress=False, **choice)
        phi = shapley(game)
        assert sum(phi.values()) == game[game.players]  # exact efficiency
        values = [float(phi[p]) for p in game.players]
        info = {"method": "exact", "stderr": None}
    else:
        est = permutation_shapley(masking_payoff(text, model=model, **choice), samples=samples, seed=seed)
        values = [float(est.estimates[p]) for p in setup.players]
        info = {"method": "permutation", "samples": samples, "seed": seed,
                "stderr": [float(est.stderr[p]) for p in setup.players]}
    info["passes"] = forward_passes() - before
    return list(setup.players), values, info


def layer_explanations(attention, *, output, positions, residual=True):
    """Raw attention, rollout and A&Z flow of ``output`` computed from the first ``l`` layers, per ``l``.

    Returns
    -------
    dict
        Layer ``l`` (1..L) -> method -> list of floats (one per position in ``positions``).
    """
    from ..attention import as_attention, attention_flow_az, raw_attention, rollout

    a = np.asarray(attention.attention)
    out = {}
    for l in range(1, a.shape[0] + 1):
        raw = as_attention(a[:l])
        att = raw.with_residual() if residual else raw
        vals = {"raw attention": raw_attention(raw, output=output), "rollout": rollout(att, output=output),
                "A&Z flow": attention_flow_az(att, output=output)}
        out[l] = {m: [float(v[p]) for p in positions] for m, v in vals.items()}
    return out


def _rho(a, b):
    return rank_correlations(a, b)[0]


def _item(entry):
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, dict) and isinstance(entry.get("prompt"), str):
        return entry["prompt"], entry.get("verb")
    raise ModelInputError(f"a study item must be a sentence or a {{'prompt', 'verb'}} dict, got {entry!r}")


def faithfulness_study(items, *, model=None, output=0, main=("cls-cosine", "attention-mask"), choices=(),
                       grid_max_players=7, exact_limit=EXACT_LIMIT, samples=100, validate=3, residual=True,
                       seed=0, progress=None, budget_seconds=None):
    """Run the study on ``items`` (sentences, or ``{"prompt", "verb"}`` dicts for a decoder's next token).

    Parameters
    ----------
    items : sequence
    model : see :func:`symgame.models.load_encoder`
    output : int
        The explained output token; ``-1`` is the last position (a decoder's prediction).
    main : (payoff, removal)
        The main choice: every method is compared with its Shapley values, per layer too.
    choices : sequence of (payoff, removal)
        Further choices; computed on sentences with at most ``grid_max_players`` players.
    exact_limit, samples : int
        Exact Shapley up to ``exact_limit`` players, else ``samples`` sampled permutations.
    validate : int
        How many exact sentences with the most players also get a sampled estimate, to measure its error.
    progress : callable, optional
        ``progress(done, total, text)`` after each item.
    budget_seconds : float, optional
        Stop taking new items once this much time has passed; the result says how many items were
        studied (``items``) of how many given (``items_given``).  Items are taken in the given order,
        so with a shuffled corpus the studied ones are a random subset.

    Returns
    -------
    dict
        JSON-ready: settings, ``summary`` (choice -> method -> :func:`bootstrap_ci`), ``random_baseline``,
        ``per_layer``, ``sensitivity``, ``az_vs_shapley_flow``, ``sampling_validation``, ``timing``
        and every sentence's numbers.
    """
    from .encoders import model_name, sentence_attention
    from .masking import forward_passes, masking_setup, model_leave_one_out

    items = [_item(e) for e in items]
    if not items:
        raise ModelInputError("items must be a non-empty list of sentences or prompts")
    all_choices = [tuple(main)] + [tuple(c) for c in choices if tuple(c) != tuple(main)]
    keys = [choice_key(*c) for c in all_choices]
    start, passes0 = time.perf_counter(), forward_passes()
    load0 = os.getloadavg()
    rows = []
    for idx, (text, verb) in enumerate(items):
        if budget_seconds is not None and rows and time.perf_counter() - start > budget_seconds:
            break
        sa = sentence_attention(text, model=model)
        k = output % len(sa.tokens)
        methods = [m for m in METHODS[:-1] if m != "Shapley flow" or len(sa.tokens) <= SHAPLEY_FLOW_TOKENS]
        expl = attention_explanations(sa, output=k, residual=residual, methods=methods)
        row = {"text": text, "tokens": list(sa.tokens), "choices": {}}
        if verb is not None:
            row["next_token"] = verb
        positions = None
        for key, (payoff, removal) in zip(keys, all_choices):
            opts = {"payoff": payoff, "removal": removal, "next_token": verb}
            setup = masking_setup(text, model=model, **opts)
            if key != keys[0] and setup.n > grid_max_players:
                continue
            players, phi, info = model_values(text, model=model, exact_limit=exact_limit, samples=samples,
                                              seed=seed + idx, **opts)
            positions = [int(p.split(":", 1)[0]) for p in players]
            loo = model_leave_one_out(text, model=model, **opts)
            per = {m: [expl[m][p] for p in positions] for m in expl}
            per["LOO (model)"] = [float(loo[p]) for p in players]
            row["choices"][key] = {"players": players, "shapley": phi, "truth": info,
                                   "spearman": {m: _rho(per[m], phi) for m in per}}
            if key == keys[0]:
                row["explanations"] = per
                row["positions"] = positions
                layers = layer_explanations(sa, output=k, positions=positions, residual=residual)
                row["per_layer"] = {l: {m: _rho(v, phi) for m, v in ms.items()} for l, ms in layers.items()}
                if "Shapley flow" in per:
                    row["az_vs_shapley_flow"] = _rho(per["A&Z flow"], per["Shapley flow"])
        main_phi = row["choices"][keys[0]]["shapley"]
        row["sensitivity"] = {key: _rho(c["shapley"], main_phi) for key, c in row["choices"].items()}
        rows.append(row)
        if progress is not None:
            progress(idx + 1, len(items), text)
    seconds = time.perf_counter() - start
    passes = forward_passes() - passes0
    validation = _validate_sampling(rows, items, keys[0], all_choices[0], model, samples, seed, validate)
    validation_passes = forward_passes() - passes0 - passes
    method_names = [m for m in METHODS]
    summary = {}
    for key in keys:
        summary[key] = {m: bootstrap_ci([r["choices"][key]["spearman"].get(m) for r in rows if key in r["choices"]],
                                        seed=seed) for m in method_names}
    truths = {key: [r["choices"][key]["shapley"] for r in rows if key in r["choices"]] for key in keys}
    layers_n = max(int(l) for r in rows for l in r["per_layer"])
    per_layer = {m: {l: bootstrap_ci([r["per_layer"][l][m] for r in rows], seed=seed) for l in range(1, layers_n + 1)}
                 for m in _LAYER_METHODS}
    n_players = [len(r["choices"][keys[0]]["players"]) for r in rows]
    return {
        "model": model_name(model),
        "output": output,
        "residual": residual,
        "main": keys[0],
        "choices": keys,
        "grid_max_players": grid_max_players,
        "exact_limit": exact_limit,
        "samples": samples,
        "seed": seed,
        "items": len(rows),
        "items_given": len(items),
        "budget_seconds": budget_seconds,
        "players": {"min": min(n_players), "max": max(n_players), "mean": float(np.mean(n_players)),
                    "total": int(sum(n_players))},
        "truth_methods": {key: {m: sum(1 for r in rows if key in r["choices"]
                                       and r["choices"][key]["truth"]["method"] == m)
                                for m in ("exact", "permutation")} for key in keys},
        "methods": method_names,
        "summary": summary,
        "random_baseline": {key: random_baseline(truths[key], seed=seed) for key in keys},
        "per_layer": per_layer,
        "sensitivity": {key: bootstrap_ci([r["sensitivity"][key] for r in rows if key in r["sensitivity"]],
                                          seed=seed) for key in keys[1:]},
        "az_vs_shapley_flow": bootstrap_ci([r.get("az_vs_shapley_flow") for r in rows], seed=seed),
        "sampling_validation": validation,
        "timing": {"seconds": seconds, "forward_passes": passes,
                   "ms_per_pass": 1000 * seconds / passes if passes else None,
                   "note": "seconds: wall time of the item loop (passes, explanations, flows), divided by its "
                           "forward passes for ms_per_pass; total_seconds adds the sampling validation "
                           "(validation_passes) and the intervals",
                   "validation_passes": validation_passes,
                   "total_seconds": time.perf_counter() - start,
                   "load_before": list(load0), "load_after": list(os.getloadavg()), "cores": os.cpu_count()},
        "sentences": rows,
    }


def _validate_sampling(rows, items, key, choice, model, samples, seed, count):
    """The sampled estimate against the exact values on the ``count`` exact sentences with the most players."""
    exact = [(len(r["choices"][key]["players"]), i) for i, r in enumerate(rows)
             if r["choices"][key]["truth"]["method"] == "exact" and len(r["choices"][key]["players"]) >= 3]
    exact.sort(reverse=True)
    out = []
    for _, i in exact[:count]:
        text, verb = items[i]
        _, est, info = model_values(text, model=model, payoff=choice[0], removal=choice[1], next_token=verb,
                                    samples=samples, seed=seed + i, force_sampling=True)
        truth = rows[i]["choices"][key]["shapley"]
        err = np.abs(np.asarray(est) - np.asarray(truth))
        se = np.asarray(info["stderr"])
        out.append({"text": text, "players": len(truth), "samples": samples, "rho_with_exact": _rho(est, truth),
                    "max_abs_error": float(err.max()), "covered_95": int(np.sum(err <= 1.96 * se)),
                    "passes": info["passes"]})
    return out
