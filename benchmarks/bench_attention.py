"""Benchmark symgame's attention flows against the reference approach, in the same run.

Reference (the style of Abnar & Zuidema's released code, written here from
its description): the attention graph is built entry by entry from the full
``((L+1) n)^2`` adjacency matrix into a ``networkx.DiGraph``, then one
``networkx`` Edmonds-Karp maximum flow is run for every (input token, output
token) pair and the values are normalised.  Where that would take too long
the reference time is extrapolated from a few pairs (marked ``~``); its
numbers are then compared on those pairs only.

symgame: ``attention_flow_az`` on the float array (vectorised network,
SciPy's compiled Dinic on a two-round scaled integer problem), and the rest
of ``explain`` for one output token without the Shapley value of ``v*``:
rollout, the E&J flow, its range over all maximum flows and LOO.  A small
exact section compares the exact rational path with the reference on
rational inputs.

Attention is seeded random softmax attention (scores ~ N(0, 3^2)).

Usage::

    python benchmarks/bench_attention.py            # L=6, n=8..64; L=12, n=32..128 (several minutes)
    python benchmarks/bench_attention.py --quick    # small sizes (well under a minute)
"""

import argparse
import platform
import sys
import time

import networkx as nx
import numpy as np
from networkx.algorithms.flow import edmonds_karp

from symgame.attention import attention_flow_az
from symgame.explain import explain

__all__ = ["main"]


def random_attention(L, n, seed):
    rng = np.random.default_rng(seed)
    scores = rng.normal(scale=3.0, size=(L, n, n))
    A = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return A / A.sum(axis=-1, keepdims=True)


def reference_graph(A):
    """Build the graph entry by entry from the full adjacency matrix (the released code's approach)."""
    L, n = A.shape[0], A.shape[-1]
    size = (L + 1) * n
    adj = np.zeros((size, size))
    for l in range(1, L + 1):
        adj[l * n:(l + 1) * n, (l - 1) * n:l * n] = A[l - 1]
    G = nx.DiGraph()
    for i in range(size):
        G.add_node(i)
    for i in range(size):
        for j in range(size):
            if adj[i, j] > 0:
                G.add_edge(j, i, capacity=float(adj[i, j]))  # from layer l-1 token to layer l token
    return G


def reference_flows(G, L, n, k, pairs):
    out = {}
    for j in pairs:
        out[j] = nx.maximum_flow_value(G, j, L * n + k, flow_func=edmonds_karp)
    return out


def bench(L, n, *, budget, seed=0, k=0, max_pairs=3):
    A = random_attention(L, n, seed)
    t0 = time.perf_counter()
    G = reference_graph(A)
    build = time.perf_counter() - t0
    # time one pair first to decide whether the full reference fits the budget
    t0 = time.perf_counter()
    first = reference_flows(G, L, n, k, [0])
    per_pair = time.perf_counter() - t0
    if per_pair * n <= budget:
        t0 = time.perf_counter()
        ref = reference_flows(G, L, n, k, range(n))
        ref_time = build + time.perf_counter() - t0
        extrapolated = False
    else:
        pairs = list(range(min(max_pairs, n)))
        t0 = time.perf_counter()
        ref = reference_flows(G, L, n, k, pairs)
        ref_time = build + (time.perf_counter() - t0) / len(pairs) * n
        extrapolated = True
    del first
    t0 = time.perf_counter()
    az_raw = attention_flow_az(A, output=k, normalise=False)
    ours_az = time.perf_counter() - t0
    if extrapolated:
        diff = max(abs(az_raw[j] - ref[j]) for j in ref)
    else:
        total = sum(ref.values())
        az = attention_flow_az(A, output=k)
        diff = max(max(abs(az[j] - ref[j] / total) for j in ref), max(abs(az_raw[j] - ref[j]) for j in ref))
    t0 = time.perf_counter()
    explain(A, output=k, shapley_value=False)
    ours_explain = time.perf_counter() - t0
    return {"L": L, "n": n, "build": build, "ref": ref_time, "extrapolated": extrapolated, "az": ours_az,
            "explain": ours_explain, "diff": diff}


def exact_section(sizes):
    from fractions import Fraction

    rows = []
    for L, n in sizes:
        A = random_attention(L, n, 1)
        R = np.floor(A * 1000).astype(np.int64)  # rows of k/1000 summing to exactly 1:
        top = A.argmax(axis=-1)                    # the largest entry absorbs the rounding
        np.put_along_axis(R, top[..., None], np.take_along_axis(R, top[..., None], -1)
                          + (1000 - R.sum(axis=-1))[..., None], -1)
        exact = [[[f"{int(x)}/1000" for x in row] for row in m] for m in R]
        G = nx.DiGraph()
        for l in range(1, L + 1):
            for i in range(n):
                for j in range(n):
                    if R[l - 1, i, j]:
                        G.add_edge((l - 1, j), (l, i), capacity=Fraction(int(R[l - 1, i, j]), 1000))
        t0 = time.perf_counter()
        ref = [nx.maximum_flow_value(G, (0, j), (L, 0), flow_func=edmonds_karp) for j in range(n)]
        ref_time = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours = attention_flow_az(exact, output=0, normalise=False)
        ours_time = time.perf_counter() - t0
        same = all(ours[j] == ref[j] for j in range(n))
        rows.append((L, n, ref_time, ours_time, same))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--exact-only", action="store_true", help="run only the exact section (b)")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds allowed for a full reference run before extrapolating (default 120, quick 10)")
    args = parser.parse_args(argv)
    if args.quick:
        sizes = [(6, 8), (6, 16), (12, 32)]
        budget = 10.0 if args.budget is None else args.budget
        exact_sizes = [(3, 6)]
    else:
        sizes = [(6, 8), (6, 16), (6, 32), (6, 64), (12, 32), (12, 64), (12, 128)]
        budget = 120.0 if args.budget is None else args.budget
        exact_sizes = [(3, 6), (6, 8), (6, 16)]
    attention_flow_az(random_attention(1, 2, 0), output=0)  # warm up imports (SciPy) outside the timings
    attention_flow_az([[[1, 0], [0, 1]]], output=0)
    print(f"python {platform.python_version()}, networkx {nx.__version__}, numpy {np.__version__}; "
          f"one output token, seeded random softmax attention")
    if args.exact_only:
        sizes = []
    print("(a) float attention flow (A&Z): reference = networkx Edmonds-Karp per pair on an entry-by-entry graph")
    head = (f"{'L':>3} {'n':>4} {'ref build s':>11} {'ref total s':>12} {'symgame A&Z s':>13} {'ratio':>9} "
            f"{'explain s':>10} {'max |diff|':>11}")
    print(head)
    print("-" * len(head))
    for L, n in sizes:
        r = bench(L, n, budget=budget)
        mark = "~" if r["extrapolated"] else " "
        print(f"{L:>3} {n:>4} {r['build']:>11.2f} {mark}{r['ref']:>11.2f} {r['az']:>13.3f} "
              f"{r['ref'] / r['az']:>8.0f}x {r['explain']:>10.2f} {r['diff']:>11.1e}", flush=True)
    print("~ = extrapolated from the first pairs (their flows are the ones compared)")
    print("explain = rollout + A&Z + E&J flow + its range over all max flows + LOO (no Shapley of v*)")
    print()
    print("(b) exact attention flow on k/1000 rationals: networkx Edmonds-Karp on Fractions vs symgame exact")
    print(f"{'L':>3} {'n':>4} {'networkx s':>11} {'symgame s':>10} {'ratio':>7} {'identical':>10}")
    for L, n, ref_time, ours_time, same in exact_section(exact_sizes):
        print(f"{L:>3} {n:>4} {ref_time:>11.3f} {ours_time:>10.3f} {ref_time / ours_time:>6.1f}x {str(same):>10}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
