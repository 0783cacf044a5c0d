"""Coverage and precision of the sampling estimators of symgame.sampling, measured against exact Shapley values.

For each game (a random integer game and the re-optimised max-flow game ``v*`` of a random
attention graph, both with 8 players and exact Shapley values from ``symgame.shapley``) and each
method, the estimator runs with ``--seeds`` different seeds at about the same budget of payoff
queries (``--budget``; a query is one ``v(S)`` the estimator asks for, counting repeats):

* coverage: the share of the nominal 95% intervals that contain the exact value, with a
  Clopper-Pearson 95% interval for that share.  The ``n`` intervals of one run share its samples,
  so the Clopper-Pearson interval over ``seeds * n`` intervals is somewhat too narrow; the column
  "player 0" gives the coverage of one player's interval alone (``seeds`` independent runs).
* RMSE of the estimates against the exact values, and the mean reported standard error.
* efficiency: whether every run's estimates sum exactly (Fractions) to ``v(N) - v(∅)``.

Usage::

    python benchmarks/sampling_coverage.py               # 200 seeds (about a minute)
    python benchmarks/sampling_coverage.py --seeds 40    # quicker
"""

import argparse
import platform
import time
from fractions import Fraction

import numpy as np
from scipy.stats import binomtest

from symgame import Game, shapley
from symgame.attention import attention_graph
from symgame.flows import reoptimised_game
from symgame.sampling import METHODS, estimate_shapley

__all__ = ["main", "games", "samples_for_budget"]


def games(n=8, seed=0):
    """The two test games: a random integer table, and ``v*`` of a random 2-layer attention graph."""
    rng = np.random.default_rng(seed)
    table = np.concatenate([[0], rng.integers(-20, 40, size=2 ** n - 1)])
    A = rng.integers(1, 10, size=(2, n, n)).astype(object)
    rows = [[[Fraction(int(x), int(sum(row))) for x in row] for row in layer] for layer in A]
    flow = reoptimised_game(attention_graph(rows, output=0), 0)
    return {"random integer game": Game.from_vector(table), "max-flow game v* (2 layers)": flow}


def samples_for_budget(method, n, budget):
    """Samples of ``method`` that ask for about ``budget`` payoff values on ``n`` players."""
    if method in ("permutation", "antithetic"):
        return max(2, budget // n // 2 * 2)
    if method == "stratified":
        return max(2, budget // (2 * n * max(n - 2, 1)))
    return max(2, budget // 2 * 2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--budget", type=int, default=1600, help="payoff queries per estimate")
    args = parser.parse_args(argv)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}; "
          f"{args.seeds} seeds, about {args.budget} payoff queries per estimate; 95% intervals")
    for name, game in games().items():
        exact = shapley(game)
        target = {p: Fraction(str(exact[p])) for p in game.players}
        total = Fraction(str(game[game.players]))
        n = game.n
        print(f"\n{name}, n = {n}")
        print(f"{'method':<12} {'samples':>7} {'coverage':>9} {'Clopper-Pearson 95%':>20} {'player 0':>9} "
              f"{'RMSE':>9} {'mean stderr':>11} {'efficient':>9} {'seconds':>8}")
        for method in METHODS:
            m = samples_for_budget(method, n, args.budget)
            hits = hits0 = 0
            sq, se, efficient = 0.0, 0.0, True
            start = time.perf_counter()
            for seed in range(args.seeds):
                est = estimate_shapley(game, method=method, samples=m, seed=seed)
                cov = est.covers(target)
                hits += sum(cov.values())
                hits0 += cov[game.players[0]]
                sq += sum(float(est.estimates[p] - target[p]) ** 2 for p in game.players)
                se += sum(est.stderr.values())
                efficient &= sum(est.estimates.values()) == total
            seconds = time.perf_counter() - start
            trials = args.seeds * n
            ci = binomtest(hits, trials).proportion_ci(confidence_level=0.95, method="exact")
            eff = "exact" if efficient else ("no" if method == "stratified" else "BROKEN")
            print(f"{method:<12} {m:>7} {hits / trials:>9.3f} {f'[{ci.low:.3f}, {ci.high:.3f}]':>20} "
                  f"{hits0 / args.seeds:>9.3f} {np.sqrt(sq / trials):>9.4f} {se / trials:>11.4f} {eff:>9} "
                  f"{seconds:>8.1f}")


if __name__ == "__main__":
    main()
