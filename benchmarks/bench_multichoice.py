"""Benchmark the multi-choice values in closed form against their definitions, in the same run.

No other software computes multi-choice Shapley values (issue 14), so the peers are the values'
own definitions, computed the straightforward way by :mod:`symgame.multichoice.orders`:

* van den Nouweland et al.: average marginal contribution over every admissible ordering of
  player-levels (``(sum m_i)! / prod m_i!`` orderings) vs the dividend closed form;
* Derks-Peters: the Shapley value of the TU game on the ``sum m_i`` player-levels (``2^(sum m_i)``
  coalitions) vs the closed form;
* Hsiao-Raghavan (weights 1, 2, 3): dividends by recursive subtraction (quadratic in the number of
  level vectors) vs the Möbius formula.

Each row is the best of 3 runs (the closed form of van den Nouweland et al. caches the unanimity
shares by level vector and top levels, so runs 2 and 3 reuse them) on an exact random game (seeded) with every player at ``m`` levels; the two results must
be equal exactly, and the table says so.

Usage::

    python benchmarks/bench_multichoice.py            # up to 5 players at m = 2, 3 at m = 3 (about a minute)
    python benchmarks/bench_multichoice.py --quick    # n = 2..3
"""

import argparse
import os
import platform
import random
import time
from fractions import Fraction

from symgame.multichoice import MultiChoiceGame, derks_peters, hsiao_raghavan, van_den_nouweland
from symgame.multichoice.orders import derks_peters_by_pairs, hsiao_raghavan_by_recursion, van_den_nouweland_by_orders

__all__ = ["main"]

PAIRS = [
    ("van den Nouweland", "orderings", van_den_nouweland_by_orders, van_den_nouweland),
    ("Derks-Peters", "Shapley on player-levels", derks_peters_by_pairs, derks_peters),
    ("Hsiao-Raghavan", "recursive dividends", lambda g: hsiao_raghavan_by_recursion(g, [1, 2, 3]),
     lambda g: hsiao_raghavan(g, [1, 2, 3])),
]


def timed(func, game, repeats=3):
    """Best wall time of ``repeats`` runs, and the result."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = func(game)
        best = min(best, time.perf_counter() - start)
    return best, out


def random_game(n, m, seed):
    rng = random.Random(seed)
    levels = [m] * n
    size = (m + 1) ** n
    return MultiChoiceGame.from_table(range(n), levels,
                                      [0] + [Fraction(rng.randint(-20, 20), rng.randint(1, 5)) for _ in range(size - 1)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    sizes = [(2, 2), (3, 2)] if args.quick else [(2, 2), (3, 2), (4, 2), (5, 2), (2, 3), (3, 3)]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'value':18s} {'definition (peer)':26s} {'n':>2s} {'m':>2s} {'peer s':>9s} {'closed s':>9s} "
          f"{'speed-up':>9s}  equal")
    for n, m in sizes:
        game = random_game(n, m, seed=n * 10 + m)
        for name, peer_name, peer, closed in PAIRS:
            if peer is derks_peters_by_pairs and n * m > 10:
                print(f"{name:18s} {peer_name:26s} {n:2d} {m:2d} {'(2^' + str(n * m) + ' coalitions, skipped)':>30s}")
                continue
            t_peer, a = timed(peer, game)
            t_closed, b = timed(closed, game)
            print(f"{name:18s} {peer_name:26s} {n:2d} {m:2d} {t_peer:9.3f} {t_closed:9.3f} "
                  f"{t_peer / t_closed:8.1f}x  {a == b}")
            assert a == b, (name, n, m)


if __name__ == "__main__":
    main()
