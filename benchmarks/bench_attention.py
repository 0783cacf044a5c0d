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
    python benchmarks/bench_attention.py --engines  # compiled peers in the same run: OR-Tools, igraph (issue 13)
    python benchmarks/bench_attention.py --engines --quick
"""

import argparse
import os
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


# ---------------------------------------------------------------------- compiled peers (issue 13)
def best_of(func, repeats=2):
    """Best wall time of ``func()`` over ``repeats`` runs, and its last result."""
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def layered_arcs(A):
    """Arcs of the attention graph without the super-source: node ``l * n + j``; ``(tails, heads, caps)``."""
    L, n = A.shape[0], A.shape[-1]
    l, i, j = np.nonzero(A)
    return l * n + j, (l + 1) * n + i, A[l, i, j]


def ortools_direct_az(A, outputs, scale=2.0 ** 48):
    """OR-Tools used directly: one SimpleMaxFlow on int64 capacities at a 2^48 scale, one solve per pair."""
    from ortools.graph.python import max_flow

    L, n = A.shape[0], A.shape[-1]
    tails, heads, caps = layered_arcs(A)
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(tails, heads, np.floor(caps * scale).astype(np.int64))
    out = {}
    for k in outputs:
        for j in range(n):
            smf.solve(j, L * n + k)
            out[(k, j)] = smf.optimal_flow() / scale
    return out


def igraph_az(A, outputs):
    """igraph's push-relabel on float capacities, one ``maxflow_value`` per pair."""
    import igraph as ig

    L, n = A.shape[0], A.shape[-1]
    tails, heads, caps = layered_arcs(A)
    g = ig.Graph(n=(L + 1) * n, edges=list(zip(tails.tolist(), heads.tolist())), directed=True)
    cap = caps.tolist()
    return {(k, j): g.maxflow_value(j, L * n + k, capacity=cap) for k in outputs for j in range(n)}


def symgame_az(A, outputs, engine="auto"):
    """symgame's float A&Z flows for each output token on one network (``"auto"``: one shared OR-Tools
    solver; ``"scipy"``: the SciPy int32 rounds of the earlier float path)."""
    from symgame.attention.graph import NodeIndex, array_network
    from symgame.attention.methods import az_values
    from symgame.attention.tensors import as_attention

    att = as_attention(A)
    net = array_network(att, "all")
    if engine == "auto":
        return {(k, j): float(v) for k in outputs for j, v in az_values(att, net, k, 0).items()}
    index = NodeIndex.of(att)
    return {(k, j): net.max_flow_value_float(s, index.sink(k), engine=engine)
            for k in outputs for j, s in enumerate(index.layer(0).tolist())}


def section_engines(az_sizes, all_sizes):
    print("(c) float A&Z per-pair flows on compiled engines, one run: symgame (OR-Tools int64 rounds, shared "
          "solver) vs OR-Tools direct (2^48 scale, one solver) and igraph per pair")
    head = (f"{'work':<24} {'L':>3} {'n':>4} {'symgame s':>10} {'OR-Tools s':>11} {'igraph s':>9} "
            f"{'ratio vs OR':>12} {'ratio vs ig':>12} {'max |diff|':>11} {'SciPy path s':>11}")
    print(head)
    print("-" * len(head))
    warm = random_attention(2, 4, 1)  # imports and first calls outside the timings
    symgame_az(warm, [0]), ortools_direct_az(warm, [0]), igraph_az(warm, [0])
    for what, sizes, outputs in (("one output token", az_sizes, lambda n: [0]),
                                 ("all output tokens", all_sizes, lambda n: list(range(n)))):
        for L, n in sizes:
            A = random_attention(L, n, 0)
            ks = outputs(n)
            t_s, ours = best_of(lambda: symgame_az(A, ks), 1 if len(ks) > 1 else 2)
            t_o, ort = best_of(lambda: ortools_direct_az(A, ks), 1 if len(ks) > 1 else 2)
            t_i, igr = best_of(lambda: igraph_az(A, ks), 1)
            t_c, sci = best_of(lambda: symgame_az(A, ks, "scipy"), 1)
            diff = max(max(abs(ours[p] - ort[p]), abs(ours[p] - igr[p]), abs(ours[p] - sci[p])) for p in ours)
            print(f"{what:<24} {L:>3} {n:>4} {t_s:>10.2f} {t_o:>11.2f} {t_i:>9.2f} {t_o / t_s:>11.2f}x "
                  f"{t_i / t_s:>11.2f}x {diff:>11.1e} {t_c:>11.2f}", flush=True)
    print("ratio = peer time / symgame time (> 1: symgame faster); diff = float disagreement with the peers; "
          "SciPy path = symgame's earlier float engine (engine='scipy') in the same run")


def rational_attention(L, n, seed):
    """Seeded softmax attention rounded to k/1000 (rows sum to exactly 1), as integers R (A = R / 1000)."""
    A = random_attention(L, n, seed)
    R = np.floor(A * 1000).astype(np.int64)
    top = A.argmax(axis=-1)
    np.put_along_axis(R, top[..., None], np.take_along_axis(R, top[..., None], -1)
                      + (1000 - R.sum(axis=-1))[..., None], -1)
    return R


def ortools_direct_vstar_shapley(R, k=0):
    """OR-Tools used directly for exact Shapley of v*: one solver, every coalition's player arcs reset
    (natural mask order), integer values, then the subset formula in integers and Fractions."""
    from fractions import Fraction
    from math import factorial

    from ortools.graph.python import max_flow

    L, n = R.shape[0], R.shape[-1]
    src = (L + 1) * n
    l, i, j = np.nonzero(R)
    tails = np.concatenate([np.full(n, src), l * n + j])
    heads = np.concatenate([np.arange(n), (l + 1) * n + i])
    caps = np.concatenate([np.full(n, 1000 * n), R[l, i, j]])  # source arcs: above any flow (units of 1/1000)
    smf = max_flow.SimpleMaxFlow()
    arcs = smf.add_arcs_with_capacity(tails, heads, caps)
    into = [heads == p for p in range(n)]
    player_arcs = np.concatenate([arcs[m] for m in into])
    player_caps = np.concatenate([caps[m] for m in into])
    owner = np.concatenate([np.full(int(m.sum()), p) for p, m in enumerate(into)])
    v = np.zeros(1 << n, dtype=np.int64)
    for mask in range(1, 1 << n):
        smf.set_arcs_capacity(player_arcs, player_caps * ((mask >> owner) & 1))
        smf.solve(src, L * n + k)
        v[mask] = smf.optimal_flow()
    masks = np.arange(1 << n)
    size = np.array([bin(m).count("1") for m in range(1 << n)])
    phi = {}
    for p in range(n):
        without = masks[(masks >> p) & 1 == 0]
        d = v[without | (1 << p)] - v[without]
        sums = [int(d[size[without] == s].sum()) for s in range(n)]
        phi[p] = sum(Fraction(factorial(s) * factorial(n - s - 1) * x, factorial(n) * 1000)
                     for s, x in enumerate(sums))
    return phi


def section_vstar(sizes, L=4):
    from symgame.attention import attention_graph
    from symgame.flows import reoptimised_game
    from symgame.values import shapley

    print(f"(d) exact Shapley of v* (one max flow per coalition), L={L}, k/1000 rationals: symgame "
          f"shapley(reoptimised_game) vs OR-Tools direct")
    head = f"{'n':>4} {'symgame s':>10} {'OR-Tools s':>11} {'symgame / OR':>13} {'identical':>10}"
    print(head)
    print("-" * len(head))
    for n in sizes:
        R = rational_attention(L, n, 0)
        G = attention_graph([[[f"{int(x)}/1000" for x in row] for row in m] for m in R], output=0)
        t_s, ours = best_of(lambda: shapley(reoptimised_game(G, 0)), 2)
        t_o, ref = best_of(lambda: ortools_direct_vstar_shapley(R), 2)
        same = all(ours[p] == ref[p] for p in range(n))
        print(f"{n:>4} {t_s:>10.2f} {t_o:>11.2f} {t_s / t_o:>12.2f}x {str(same):>10}", flush=True)
    print("symgame / OR = symgame time over OR-Tools direct (goal: at most 1.5x); identical = exact rationals equal")


def section_explain(L, n, limit):
    print(f"(e) symgame explain, default options but --time-limit {limit:g} s, {L}x{n} float attention")
    A = random_attention(L, n, 0)
    t0 = time.perf_counter()
    r = explain(A, output=0, time_limit=limit)
    took = time.perf_counter() - t0
    print(f"finished in {took:.1f} s (limit {limit:g} s); Shapley of v*: {r.shapley_method}")
    for note in r.notes:
        print(f"  note: {note}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--exact-only", action="store_true", help="run only the exact section (b)")
    parser.add_argument("--engines", action="store_true",
                        help="run only the compiled-peer sections (c) and (d): OR-Tools / igraph in the same run")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds allowed for a full reference run before extrapolating (default 120, quick 10)")
    args = parser.parse_args(argv)
    if args.quick:
        sizes = [(6, 8), (6, 16), (12, 32)]
        budget = 10.0 if args.budget is None else args.budget
        exact_sizes = [(3, 6)]
        engine_plan = dict(az=[(6, 16), (6, 32)], all=[(6, 16)], vstar=[8, 10], explain=(6, 32, 5.0))
    else:
        engine_plan = dict(az=[(6, 32), (12, 64), (12, 128)], all=[(12, 64)], vstar=[12, 14], explain=(12, 128, 60.0))
        sizes = [(6, 8), (6, 16), (6, 32), (6, 64), (12, 32), (12, 64), (12, 128)]
        budget = 120.0 if args.budget is None else args.budget
        exact_sizes = [(3, 6), (6, 8), (6, 16)]
    attention_flow_az(random_attention(1, 2, 0), output=0)  # warm up imports (SciPy) outside the timings
    attention_flow_az([[[1, 0], [0, 1]]], output=0)
    print(f"python {platform.python_version()}, networkx {nx.__version__}, numpy {np.__version__}; "
          f"one output token, seeded random softmax attention")
    if args.engines:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        section_engines(engine_plan["az"], engine_plan["all"])
        print()
        section_vstar(engine_plan["vstar"])
        print()
        section_explain(*engine_plan["explain"])
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        return 0
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
