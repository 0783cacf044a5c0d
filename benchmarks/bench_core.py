"""Benchmark symgame's core against straightforward baselines, in the same run.

Three sections, each printed as a table with the time of every method and its
speed-up over the baseline at the same number of players ``n``:

(a) Shapley value of a numeric game: a plain NumPy per-player loop over the
    subset weights (baseline) vs ``shapley_float``; the exact rational path
    ``shapley`` on an integer and on a float table; and, when installed,
    shapiq's ``ExactComputer`` (optional).
(b) Shapley value of the fully generic symbolic game (one symbol per
    coalition): the naive SymPy subset formula (baseline) vs ``shapley``
    (SymPy output) and ``shapley_forms`` (exact linear forms).
(c) Convexity: a pairwise Python loop over all pairs of coalitions (the
    textbook definition, as in Sage's cooperative games) vs ``is_convex``.

Every measured result is checked against the baseline (exactly, or with a
float tolerance for the float paths) and the table says so.

Usage::

    python benchmarks/bench_core.py            # full run (a few minutes)
    python benchmarks/bench_core.py --quick    # smaller sizes (well under a minute)
"""

import argparse
import itertools
import platform
import sys
import time
import warnings
from math import factorial

import numpy as np
import sympy as sp

from symgame import Game, LinearForm, shapley, shapley_float, shapley_forms
from symgame.properties import is_convex
from symgame.transforms import zeta

__all__ = ["main"]


# ---------------------------------------------------------------------- timing
def measure(func, *, budget=0.3, max_repeats=5):
    """Best wall time of ``func()`` over a few runs (one run if it is slow), and its last result."""
    best, spent, runs, result = float("inf"), 0.0, 0, None
    while runs < max_repeats and (runs == 0 or spent < budget):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    return best, result


class Table:
    """Rows of (method, n, seconds, speed-up over the latest baseline at the same n, check)."""

    def __init__(self, title):
        self.title = title
        self.rows = []
        self.notes = []
        self.baseline = {}  # n -> seconds of the latest baseline row

    def add(self, method, n, seconds, check="", baseline=False):
        if baseline:
            self.baseline[n] = seconds
            ratio = "1x (baseline)"
        elif n in self.baseline and seconds > 0:
            r = self.baseline[n] / seconds
            ratio = f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 1 else f"{r:.3f}x"
        else:
            ratio = "-"
        self.rows.append((method, n, seconds, ratio, check))
        print(f"  {method:<52} n={n:<3} {seconds:10.4f} s  {ratio:>14}  {check}", file=sys.stderr, flush=True)

    def render(self):
        lines = [self.title, "-" * len(self.title),
                 f"{'method':<54}{'n':>3}{'time (s)':>11}{'speed-up':>16}  check",
                 "(speed-up = baseline time / this time, at the same n; < 1 means slower than the baseline)"]
        for method, n, seconds, ratio, check in self.rows:
            lines.append(f"{method:<54}{n:>3}{seconds:>11.4f}{ratio:>16}  {check}")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)


# ---------------------------------------------------------------------- (a) numeric Shapley
def numpy_baseline_shapley(v, n):
    """The straightforward NumPy Shapley: per player, weight every marginal contribution by |S|!(n-|S|-1)!/n!."""
    masks = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)])
    weights = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) if s < n else 0.0
                        for s in range(n + 1)])
    phi = np.empty(n)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        phi[i] = np.sum(weights[sizes[without]] * (v[without | (1 << i)] - v[without]))
    return phi


def mobius_fraction_shapley(ints, n):
    """The exact peer: Möbius transform in int64 (in place, n butterfly passes), then
    phi_i = sum over S containing i of d(S) / |S|, summed per size in int64 and divided as Fractions."""
    from fractions import Fraction

    d = np.array(ints, dtype=np.int64)
    for k in range(n):
        view = d.reshape(-1, 2, 1 << k)
        view[:, 1, :] -= view[:, 0, :]
    masks = np.arange(1 << n)
    size = np.zeros(1 << n, dtype=np.int64)
    for k in range(n):
        size += (masks >> k) & 1
    phi = {}
    for i in range(n):
        has = ((masks >> i) & 1).astype(bool)
        sums = np.bincount(size[has], weights=None, minlength=n + 1) * 0
        np.add.at(sums, size[has], d[has])
        phi[i] = sum((Fraction(int(sums[s]), s) for s in range(1, n + 1)), Fraction(0))
    return phi


def section_numeric(sizes, shapiq_sizes, exact_n):
    table = Table("(a) Shapley value of a numeric game (float64 / exact rational)")
    rng = np.random.default_rng(0)
    for n in sizes:
        v = rng.normal(size=1 << n)
        v[0] = 0.0
        game = Game.from_vector(v)
        t_base, ref = measure(lambda: numpy_baseline_shapley(v, n))
        table.add("numpy per-player subset loop (baseline)", n, t_base, baseline=True)
        t, phi = measure(lambda: shapley_float(game))
        ok = np.allclose(list(phi.values()), ref, rtol=1e-9, atol=1e-9)
        table.add("symgame shapley_float", n, t, "agrees (float tol.)" if ok else "DISAGREES")
    for n in exact_n:
        ints = rng.integers(-1000, 1000, size=1 << n)
        ints[0] = 0
        t_peer, ref_exact = measure(lambda: mobius_fraction_shapley(ints, n), max_repeats=2)
        table.add("plain int64 Möbius + Fractions (exact peer)", n, t_peer, baseline=True)
        t, phi = measure(lambda: shapley(Game.from_vector(ints)), max_repeats=2)  # includes the table conversion
        same = all(phi[i] == ref_exact[i] for i in range(n))
        table.add("symgame shapley exact (integer table)", n, t, "identical (exact)" if same else "DIFFERS")
        v = rng.normal(size=1 << n)
        v[0] = 0.0
        t, phi = measure(lambda: shapley(Game.from_vector(v)), max_repeats=1)
        ref = numpy_baseline_shapley(v, n)
        ok = np.allclose([float(x) for x in phi.values()], ref, rtol=1e-9, atol=1e-9)
        table.add("symgame shapley exact (float table, exact rational)", n, t,
                  "agrees (float tol.)" if ok else "DISAGREES")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from shapiq import ExactComputer
    except ImportError:
        table.notes.append("shapiq is not installed: its rows are skipped (pip install shapiq to include them)")
        return table
    for n in shapiq_sizes:
        v = rng.normal(size=1 << n)
        v[0] = 0.0
        bits = 1 << np.arange(n)

        def run_shapiq():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                computer = ExactComputer(lambda X: v[X.astype(np.int64) @ bits], n_players=n)
                return computer("SV").get_n_order_values(1)

        t_base, ref = measure(lambda: numpy_baseline_shapley(v, n))
        table.add("numpy per-player subset loop (baseline)", n, t_base, baseline=True)
        t, phi = measure(run_shapiq)
        table.add("shapiq ExactComputer('SV')", n, t, "agrees (float tol.)" if np.allclose(phi, ref) else "DISAGREES")
        game = Game.from_vector(v)
        t, phi = measure(lambda: shapley_float(game))
        table.add("symgame shapley_float", n, t, "agrees (float tol.)" if np.allclose(list(phi.values()), ref)
                  else "DISAGREES")
    return table


# ---------------------------------------------------------------------- (b) symbolic Shapley
def sympy_baseline_shapley(game):
    """The naive SymPy subset formula on the game's symbols."""
    n = game.n
    out = {}
    for i, p in enumerate(game.players):
        terms = []
        others = [k for k in range(n) if k != i]
        for r in range(n):
            w = sp.Rational(factorial(r) * factorial(n - r - 1), factorial(n))
            for S in itertools.combinations(others, r):
                m = sum(1 << k for k in S)
                terms.append(w * (game._expr(m | 1 << i) - game._expr(m)))
        out[p] = sp.Add(*terms)
    return out


def section_symbolic(baseline_n, shapley_n, forms_n):
    table = Table("(b) Shapley value of the generic symbolic game (one symbol per coalition)")
    reference = {}
    for n in baseline_n:
        game = Game.generic(n)
        t, reference[n] = measure(lambda: sympy_baseline_shapley(game), max_repeats=1)
        table.add("naive SymPy subset formula (baseline)", n, t, baseline=True)
    for n in shapley_n:
        t, phi = measure(lambda: shapley(Game.generic(n)), max_repeats=1)
        check = ("identical to baseline" if phi == reference[n] else "DIFFERS") if n in reference else ""
        table.add("symgame shapley (SymPy expressions)", n, t, check)
    for n in forms_n:
        t, forms = measure(lambda: shapley_forms(Game.generic(n)), max_repeats=1)
        check = ""
        if n in reference:
            check = "identical to baseline" if {p: f.as_expr() for p, f in forms.items()} == reference[n] else "DIFFERS"
        else:  # efficiency, exactly: the forms sum to v(N)
            total = sum(forms.values(), start=LinearForm())
            grand = Game.generic(n)[range(1, n + 1)]
            check = "efficient (exact)" if total == grand else "NOT EFFICIENT"
        table.add("symgame shapley_forms (linear forms)", n, t, check)
    return table


# ---------------------------------------------------------------------- (c) convexity
def pairwise_convexity(game):
    """Textbook check over all pairs of coalitions: v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)."""
    players = game.players
    coalitions = [frozenset(c) for r in range(len(players) + 1) for c in itertools.combinations(players, r)]
    nums, _ = game.rational_table()
    v = {S: int(nums[game.mask(S)]) for S in coalitions}
    for S in coalitions:
        for T in coalitions:
            if v[S | T] + v[S & T] < v[S] + v[T]:
                return False
    return True


def convex_game(n, rng):
    """An integer convex game: non-negative dividends on random coalitions."""
    d = np.zeros(1 << n, dtype=np.int64)
    d[rng.integers(1, 1 << n, size=4 * n)] = rng.integers(0, 4, size=4 * n)
    return Game.from_vector(zeta(d))


def section_convexity(baseline_n, symgame_n):
    table = Table("(c) Convexity (supermodularity) of an integer convex game")
    rng = np.random.default_rng(1)
    results = {}
    for n in sorted(set(baseline_n) | set(symgame_n)):
        game = convex_game(n, rng)
        game.rational_table()  # the table conversion is shared; time the checks only
        if n in baseline_n:
            t, results[n] = measure(lambda: pairwise_convexity(game), max_repeats=1)
            table.add("pairwise Python loop over (S, T) (baseline)", n, t, f"-> {results[n]}", baseline=True)
        if n in symgame_n:
            t, answer = measure(lambda: is_convex(game))
            check = f"-> {answer}" + ("" if n not in results else (" agrees" if answer == results[n] else " DISAGREES"))
            table.add("symgame is_convex (local condition, vectorised)", n, t, check)
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (well under a minute)")
    args = parser.parse_args(argv)
    if args.quick:
        plan = dict(numeric=(12, 14, 16), shapiq=(10, 12), exact=(16,), sym_base=(6, 8), sym_shapley=(6, 8, 10),
                    sym_forms=(8, 10, 12), conv_base=(8, 10), conv=(10, 12, 16))
    else:
        plan = dict(numeric=(16, 18, 20), shapiq=(10, 12, 14), exact=(20,), sym_base=(8, 10),
                    sym_shapley=(8, 10, 12), sym_forms=(10, 12, 14, 16), conv_base=(10, 12), conv=(10, 12, 16, 20))
    print(f"symgame core benchmark ({'quick' if args.quick else 'full'}); Python {platform.python_version()}, "
          f"NumPy {np.__version__}, SymPy {sp.__version__}, {platform.machine()}", flush=True)
    tables = [
        section_numeric(plan["numeric"], plan["shapiq"], plan["exact"]),
        section_symbolic(plan["sym_base"], plan["sym_shapley"], plan["sym_forms"]),
        section_convexity(plan["conv_base"], plan["conv"]),
    ]
    for table in tables:
        print()
        print(table.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
