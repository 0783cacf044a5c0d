"""Faithfulness of attention explanations on a real encoder, and the cost of the exact model Shapley value.

Needs the optional extra (``pip install torch==2.13.0`` first on these machines, then
``pip install "symgame[transformers]"``).  Run from the repository root::

    python benchmarks/faithfulness.py                       # timings + table (payoff: [CLS]) + plot
    python benchmarks/faithfulness.py --target sentence     # payoff: mean-pooled sentence embedding
    python benchmarks/faithfulness.py --skip-timings --plot faithfulness.png --json faithfulness.json

Timings: the exact Shapley value of the model masking game for sentences of n = 8, 10, 12 tokens
(2^n forward passes, batched, cache cleared first), split into forward passes and the exact
Shapley computation.  Table: :func:`symgame.faithfulness.faithfulness_table` on
``DEFAULT_SENTENCES`` (the talk's movie review shortened, and four short reviews).
The machine's load average is printed: the 2 cores are shared, and timings scale with it.
"""

import argparse
import json
import os
import sys
import time

TIMING_SENTENCES = {
    8: "i would not recommend this movie to anyone",
    10: "i finally watched the movie what a waste of time",
    12: "after fifteen minutes i watched the movie what a waste of time",
}


def timings(sizes, batch_size):
    from symgame.models.masking import clear_cache, forward_passes, masking_game, masking_setup
    from symgame.models import load_encoder
    from symgame.values import shapley

    load_encoder()
    rows = []
    for n in sizes:
        sentence = TIMING_SENTENCES[n]
        setup = masking_setup(sentence)
        if setup.n != n:
            raise SystemExit(f"timing sentence for n={n} has {setup.n} tokens: {sentence!r}")
        clear_cache()
        before = forward_passes()
        t0 = time.perf_counter()
        game = masking_game(sentence, target=0, max_players=n, batch_size=batch_size, progress=False)
        t1 = time.perf_counter()
        phi = shapley(game)
        t2 = time.perf_counter()
        assert sum(phi.values()) == game[game.players]
        rows.append({
            "n": n, "tokens_with_specials": len(setup.tokens), "passes": forward_passes() - before,
            "passes_seconds": t1 - t0, "ms_per_pass": 1000 * (t1 - t0) / (forward_passes() - before),
            "shapley_seconds": t2 - t1, "total_seconds": t2 - t0, "sentence": sentence,
        })
        print(f"n={n:2d}  {rows[-1]['passes']:5d} passes  {t1 - t0:7.1f} s ({rows[-1]['ms_per_pass']:.2f} ms/pass)"
              f"  exact Shapley {t2 - t1:6.2f} s  | {sentence}", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="cls", choices=("cls", "sentence"),
                        help="masking-game payoff: [CLS]'s hidden state (the explanations' output node) or the "
                             "mean-pooled sentence embedding")
    parser.add_argument("--no-residual", action="store_true", help="no residual mixing for rollout and flows")
    parser.add_argument("--sizes", default="8,10,12", help="n values for the timings")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--skip-timings", action="store_true")
    parser.add_argument("--skip-table", action="store_true")
    parser.add_argument("--plot", default="faithfulness.png", help="where to save the plot")
    parser.add_argument("--json", default=None, help="write timings and table as JSON here")
    args = parser.parse_args(argv)

    print(f"load average before: {os.getloadavg()}; cores: {os.cpu_count()}", flush=True)
    out = {"load_before": os.getloadavg()}
    if not args.skip_timings:
        out["timings"] = timings([int(x) for x in args.sizes.split(",")], args.batch_size)
    if not args.skip_table:
        from symgame.models.faithfulness import DEFAULT_SENTENCES, faithfulness_table

        target = 0 if args.target == "cls" else "sentence"
        table = faithfulness_table(DEFAULT_SENTENCES, output_token=0, target=target, residual=not args.no_residual,
                                   progress=False)
        print()
        print(table)
        print()
        print(table.to_markdown())
        if args.plot:
            table.plot(args.plot)
            print(f"plot saved to {args.plot}")
        out["table"] = table.to_json()
    out["load_after"] = os.getloadavg()
    print(f"load average after: {out['load_after']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
