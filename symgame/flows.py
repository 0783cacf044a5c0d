"""Exact maximum flows, their certificates, and what all maximum flows can do at a node.

Flow networks are plain :class:`networkx.DiGraph`\\ s.  Edge attribute
``capacity`` holds the capacity; an edge *without* it has unbounded capacity
(the networkx convention).  Capacities are exact numbers (``int``,
:class:`fractions.Fraction`, :class:`sympy.Rational`; a ``float`` is taken as
the binary rational it is).  A flow is a dict of dicts ``flow[u][v]``, as
networkx returns it; the exact functions return :class:`~fractions.Fraction`
values.

Engines (``method=``):

``"scipy"``
    All capacities are scaled by the least common multiple of their
    denominators to integers and handed to
    :func:`scipy.sparse.csgraph.maximum_flow` (Dinic, compiled).  Integer
    arithmetic is exact; SciPy stores capacities as ``int32`` (larger values
    are silently truncated), so this engine is used only when every scaled
    capacity and the flow bound are at most ``2**30``.
``"dinic"``
    Dinic's algorithm in pure Python over the same scaled *Python* integers
    (no size limit, exact), O(V^2 E).
``"auto"`` (default)
    ``"dinic"`` for small networks (fewer than ``SCIPY_MIN_EDGES`` edges,
    where SciPy's per-call overhead dominates) or when the scaled integers do
    not fit ``int32``; ``"scipy"`` otherwise.  The choice was made on
    measurement (``benchmarks/bench_attention.py``).

Unbounded edges are replaced by an upper bound ``U`` on the maximum-flow
value (the smallest of: the finite out-capacity of the source, the finite
in-capacity of the sink, the sum of all finite capacities); every acyclic
maximum flow puts at most ``U`` on any edge, so the value is unchanged and the
flow found is feasible for the original network.

The float fast path :func:`max_flow_float` (model-sized graphs) rounds
capacities *down* to multiples of ``U / 2**30``, runs SciPy, and then repeats
once on the exact residual network capped at the remaining bound; the result
is feasible for the float capacities and its value is within about
``|cut| * 2**-60 * U`` of the true maximum (checked against the exact path in
the tests).  When only the value is needed
(:meth:`FlowNetwork.max_flow_value_float`) the repair round runs on the
residual network with its strongly connected parts contracted (a few hundred
nodes instead of the whole graph).  A :class:`FlowNetwork` caches its float
maximum flows per ``(source, sink)``.

Examples
--------
>>> import networkx as nx
>>> from fractions import Fraction
>>> G = nx.DiGraph()
>>> G.add_edge("s", "a", capacity=Fraction(1, 2)); G.add_edge("a", "t", capacity=Fraction(1, 3))
>>> G.add_edge("s", "t", capacity=1)
>>> value, flow = max_flow(G, "s", "t")
>>> value
Fraction(4, 3)
>>> validate_flow(G, flow, "s", "t").value
Fraction(4, 3)
>>> max_flow(G, "s", "s")
Traceback (most recent call last):
...
symgame.errors.InvalidFlowError: source and sink are the same node 's'; expected two different nodes
"""

from collections import deque, namedtuple
from collections.abc import Mapping
from fractions import Fraction
from itertools import combinations
from math import lcm

import networkx as nx
import numpy as np
import sympy as sp

from .errors import GameTooLargeError, InvalidFlowError, NotExactError
from .exact import to_expr

__all__ = [
    "FlowNetwork",
    "FlowCertificate",
    "OutflowRange",
    "Realisation",
    "max_flow",
    "max_flow_value",
    "max_flow_float",
    "min_cut",
    "validate_flow",
    "throughputs",
    "outflow_range",
    "outflow_ranges",
    "realise_outflows",
    "symbolic_max_flow_value",
    "SCIPY_MIN_EDGES",
    "MAX_SYMBOLIC_CUT_NODES",
]

#: Below this many edges ``method="auto"`` uses pure-Python Dinic (SciPy's call overhead dominates).
SCIPY_MIN_EDGES = 600
#: Largest number of inner nodes (on some source-sink path) for :func:`symbolic_max_flow_value`.
MAX_SYMBOLIC_CUT_NODES = 16
_INT32_SAFE = 2**30

#: Certificate of a valid flow: its value, and for a maximum flow a minimum cut of equal capacity.
FlowCertificate = namedtuple("FlowCertificate", ["value", "cut", "cut_capacity"])
#: The range of a node's outflow over all maximum flows, with a maximum flow attaining each end.
OutflowRange = namedtuple("OutflowRange", ["node", "low", "high", "low_flow", "high_flow"])


def _frac(value, what):
    """``value`` as a Fraction (floats exactly), or raise NotExactError for symbols."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise InvalidFlowError(f"{what} is {f!r}; expected a finite number")
        return Fraction(f)
    expr = to_expr(value, what=what)
    if isinstance(expr, sp.Rational):
        return Fraction(int(expr.p), int(expr.q))
    raise NotExactError(
        f"{what} is {expr}, not a rational number; exact max-flow needs rational capacities "
        f"(use symbolic_max_flow_value for symbolic capacities)"
    )


def _ends(graph, source, sink):
    if not isinstance(graph, nx.DiGraph):
        raise InvalidFlowError(f"graph must be a networkx.DiGraph, got {type(graph).__name__}")
    if source is None:
        source = graph.graph.get("source")
    if sink is None:
        sink = graph.graph.get("sink")
    for name, node in (("source", source), ("sink", sink)):
        if node is None or node not in graph:
            raise InvalidFlowError(f"{name} {node!r} is not a node of the graph")
    if source == sink:
        raise InvalidFlowError(f"source and sink are the same node {source!r}; expected two different nodes")
    return source, sink


# ---------------------------------------------------------------------- array form
class FlowNetwork:
    """A capacitated digraph in array form: the input of the max-flow engines.

    Parameters
    ----------
    nodes : sequence of hashable
    tails, heads : sequence of int
        Edge ``e`` goes from ``nodes[tails[e]]`` to ``nodes[heads[e]]``.
    capacities : sequence
        Exact capacities (``Fraction``; ``None`` for unbounded) or a float
        NumPy array (``inf`` for unbounded).

    Examples
    --------
    >>> net = FlowNetwork(["s", "a", "t"], [0, 1], [1, 2], [Fraction(1, 2), None])
    >>> net.max_flow(0, 2)[0]
    Fraction(1, 2)
    >>> FlowNetwork(["s"], [0], [1], [1])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: edge 0 has an end outside 0..0; expected node indices
    """

    __slots__ = ("nodes", "tails", "heads", "capacities", "_csr_order", "_plan", "_scaled_cache", "_float_cache")

    def __init__(self, nodes, tails, heads, capacities):
        self.nodes = list(nodes)
        self.tails = np.asarray(tails, dtype=np.int64)
        self.heads = np.asarray(heads, dtype=np.int64)
        self.capacities = capacities
        self._csr_order = None
        self._plan = None
        self._scaled_cache = {}
        self._float_cache = {}
        nn = len(self.nodes)
        if len(self.tails) != len(self.heads) or len(self.tails) != len(capacities):
            raise InvalidFlowError("tails, heads and capacities must have the same length")
        bad = np.flatnonzero((self.tails < 0) | (self.tails >= nn) | (self.heads < 0) | (self.heads >= nn))
        if len(bad):
            raise InvalidFlowError(f"edge {int(bad[0])} has an end outside 0..{nn - 1}; expected node indices")

    @classmethod
    def from_graph(cls, graph, *, exact=True):
        """Array form of a networkx graph (self-loops dropped: they never carry useful flow)."""
        nodes = list(graph.nodes)
        index = {u: k for k, u in enumerate(nodes)}
        tails, heads, caps = [], [], []
        for u, v, data in graph.edges(data=True):
            if u == v:
                continue
            tails.append(index[u])
            heads.append(index[v])
            c = data.get("capacity")
            if exact:
                caps.append(None if c is None else _frac(c, f"capacity of edge {u!r} -> {v!r}"))
            else:
                caps.append(float("inf") if c is None else float(c))
        if exact:
            for (u, v), c in zip(((nodes[a], nodes[b]) for a, b in zip(tails, heads)), caps):
                if c is not None and c < 0:
                    raise InvalidFlowError(f"capacity of edge {u!r} -> {v!r} is {c}; expected a non-negative number")
            return cls(nodes, tails, heads, caps)
        arr = np.array(caps, dtype=np.float64)
        if np.any(np.isnan(arr)) or np.any(arr < 0):
            raise InvalidFlowError("capacities must be non-negative numbers (no NaN)")
        return cls(nodes, tails, heads, arr)

    @property
    def is_exact(self):
        return not isinstance(self.capacities, np.ndarray)

    def edge_flow_dict(self, values):
        """Dict-of-dicts flow ``flow[u][v]`` from per-edge values (every node present)."""
        flow = {u: {} for u in self.nodes}
        for e, x in enumerate(values):
            flow[self.nodes[self.tails[e]]][self.nodes[self.heads[e]]] = x
        return flow

    # -------------------------------------------------------------- exact
    def _scaled(self, s, t, keep=None):
        """Scaled integer capacities and the scale, or raise for an unbounded flow.

        Closing edges (``keep``) only lowers the maximum flow, so the scale and
        flow bound of the full network stay valid: they are cached per
        ``(s, t)`` and the closed edges get capacity 0.
        """
        if (s, t) not in self._scaled_cache:
            self._scaled_cache[(s, t)] = self._scaled_full(s, t)
        ints, den, bound = self._scaled_cache[(s, t)]
        if keep is not None:
            ints = [x if k else 0 for x, k in zip(ints, keep)]
        return ints, den, bound

    def _scaled_full(self, s, t):
        caps = self.capacities
        _check_bounded(len(self.nodes), self.tails, self.heads, caps, s, t, self.nodes)
        finite = [c for c in caps if c is not None]
        total = sum(finite, Fraction(0))
        bound = total
        out_s = [caps[e] for e in np.flatnonzero(self.tails == s)]
        in_t = [caps[e] for e in np.flatnonzero(self.heads == t)]
        for group in (out_s, in_t):
            if all(c is not None for c in group):
                bound = min(bound, sum(group, Fraction(0)))
        capped = [bound if c is None else min(c, bound) for c in caps]
        den = lcm(*[c.denominator for c in capped]) if capped else 1
        den = lcm(den, bound.denominator)
        ints = [c.numerator * (den // c.denominator) for c in capped]
        return ints, den, bound * den

    def max_flow(self, source, sink, *, method="auto", keep=None):
        """Exact maximum flow between node *indices*: ``(value, per-edge flows)`` as Fractions.

        ``keep`` (optional boolean sequence) zeroes the capacity of edges
        whose entry is false (used to remove nodes cheaply).
        """
        if not self.is_exact:
            raise NotExactError("this FlowNetwork has float capacities; use max_flow_float")
        if source == sink:
            raise InvalidFlowError(
                f"source and sink are the same node {self.nodes[source]!r}; expected two different nodes"
            )
        ints, den, bound = self._scaled(source, sink, keep)
        if method not in ("auto", "scipy", "dinic"):
            raise InvalidFlowError(f"method {method!r} is not one of 'auto', 'scipy', 'dinic'")
        fits = bound <= _INT32_SAFE
        if method == "scipy" and not fits:
            raise InvalidFlowError(
                f"method 'scipy' needs scaled capacities up to 2**30, but the flow bound scales to {bound}; "
                f"use method='dinic' or 'auto'"
            )
        if method == "scipy" or (method == "auto" and fits and len(ints) >= SCIPY_MIN_EDGES):
            value, flows = self._scipy_int(ints, source, sink)
        else:
            value, flows = _dinic(len(self.nodes), self.tails.tolist(), self.heads.tolist(), ints, source, sink)
        return Fraction(value, den), [Fraction(int(x), den) for x in flows]

    def _csr_perm(self):
        if self._csr_order is None:
            self._csr_order = np.lexsort((self.heads, self.tails))
        return self._csr_order

    def _scipy_int(self, ints, s, t):
        import scipy.sparse as sps
        from scipy.sparse.csgraph import maximum_flow

        nn = len(self.nodes)
        if not len(ints):
            return 0, []
        order = self._csr_perm()
        data = np.asarray(ints, dtype=np.int64)[order].astype(np.int32)
        indices = self.heads[order].astype(np.int32)
        indptr = np.zeros(nn + 1, dtype=np.int32)
        np.add.at(indptr, self.tails + 1, 1)
        indptr = np.cumsum(indptr).astype(np.int32)
        mat = sps.csr_array((data, indices, indptr), shape=(nn, nn))
        res = maximum_flow(mat, int(s), int(t))
        net = np.asarray(res.flow[self.tails, self.heads]).ravel().astype(np.int64)
        flows = np.maximum(net, 0)
        return int(res.flow_value), flows.tolist()

    # -------------------------------------------------------------- float
    def _float_caps(self):
        """Capacities as a float array (``inf`` = unbounded), computed once (capacities never change)."""
        if "float_caps" not in self._float_cache:
            caps = self.capacities
            if self.is_exact:
                caps = [np.inf if c is None else float(c) for c in caps]
            self._float_cache["float_caps"] = np.asarray(caps, dtype=np.float64)
        return self._float_cache["float_caps"]

    def _float_plan(self):
        if self._plan is None:
            self._plan = _Plan(len(self.nodes), self.tails, self.heads)
        return self._plan

    def max_flow_float(self, source, sink, *, keep=None):
        """Float maximum flow between node indices (scaled SciPy rounds): ``(value, flows array)``.

        Without ``keep`` the result is cached per ``(source, sink)`` (capacities never change); do not
        modify the returned array.
        """
        key = ("flow", int(source), int(sink))
        if keep is None and key in self._float_cache:
            return self._float_cache[key]
        caps = self._float_caps()
        if keep is not None:
            caps = np.where(np.asarray(keep, dtype=bool), caps, 0.0)
        out = _float_max_flow(len(self.nodes), self.tails, self.heads, caps, int(source), int(sink), self.nodes,
                              self._float_plan())
        if keep is None:
            self._float_cache[key] = out
            self._float_cache[("value",) + key[1:]] = out[0]
        return out

    def max_flow_value_float(self, source, sink, *, keep=None):
        """Float maximum-flow value between node indices (no flow is built; see :func:`_float_max_flow`).

        Same precision as :meth:`max_flow_float`, cheaper: after the first
        SciPy round the rest of the flow is found on the residual network
        with its strongly connected parts (through arcs that can carry more
        than all the flow still missing) contracted, which keeps every
        minimum cut.  Cached per ``(source, sink)`` without ``keep``.

        Examples
        --------
        >>> net = FlowNetwork(["s", "a", "t"], [0, 1, 0], [1, 2, 2], np.array([0.3, 0.2, 0.1]))
        >>> round(net.max_flow_value_float(0, 2), 12)
        0.3
        >>> net.max_flow_value_float(0, 0)
        Traceback (most recent call last):
        ...
        symgame.errors.InvalidFlowError: source and sink are the same node 's'; expected two different nodes
        """
        key = ("value", int(source), int(sink))
        if keep is None and key in self._float_cache:
            return self._float_cache[key]
        caps = self._float_caps()
        if keep is not None:
            caps = np.where(np.asarray(keep, dtype=bool), caps, 0.0)
        value = _float_max_flow(len(self.nodes), self.tails, self.heads, caps, int(source), int(sink), self.nodes,
                                self._float_plan(), need_flow=False)[0]
        if keep is None:
            self._float_cache[key] = value
        return value

    def outflow_ranges_float(self, source, sink, nodes):
        """Float ranges ``(low, high)`` of the throughput of node indices ``nodes`` over all maximum flows.

        The method of :func:`outflow_range`, in floats.  ``F`` is the
        maximum-flow value and ``f`` one maximum flow.

        * ``low = F - maxflow(G - u)``, and ``low = 0`` without a max flow
          when ``f`` sends nothing through ``u`` (``f`` is then a maximum flow
          of ``G - u``).
        * ``high``, when every edge into ``u`` comes from the source and the
          source has no in-edges: the maximum flow with the source's other
          edges closed (every unit through ``u`` then lies on a source-sink
          path starting ``s -> u``, so no flow passes ``u`` more; and
          augmenting from it to a maximum flow never lowers the flow on source
          edges, as an augmenting path never re-enters the source).  With
          unbounded edges into ``u`` this is ``maxflow(u -> sink)``, shared
          with Abnar & Zuidema's per-pair flows on the same network.
        * ``high`` otherwise: split ``u`` into ``u -> u_out`` (an unbounded
          edge); the split edge's flow in a maximum flow plus the maximum flow
          from ``u_out`` to ``u`` in the residual network with the split
          edge's two arcs closed.

        At most ``2 n + 2`` float max flows (input layer with a super-source:
        ``n`` shared ones plus one per node that ``f`` uses).
        """
        caps = self._float_caps()
        s, t = int(source), int(sink)
        players = [int(u) for u in nodes]
        value, flows = self.max_flow_float(s, t)
        from_s = self.tails == s
        no_in_s = not np.any(self.heads == s)
        lows, highs, split = {}, {}, []
        for u in players:
            if u in (s, t):
                lows[u] = highs[u] = value
                continue
            into = self.heads == u
            through = float(flows[into].sum())
            lows[u] = 0.0 if through <= 0 else value - self.max_flow_value_float(s, t, keep=~into)
            if no_in_s and into.any() and np.all(from_s[into]):
                if np.all(np.isinf(caps[into])):
                    highs[u] = self.max_flow_value_float(u, t)
                else:
                    highs[u] = self.max_flow_value_float(s, t, keep=~from_s | into)
            else:
                split.append(u)
        if split:
            highs.update(self._split_highs(s, t, split, caps))
        return [(lows[u], highs[u]) for u in players]

    def _split_highs(self, s, t, split, caps):
        """``high`` by the residual method of :meth:`outflow_ranges_float` (one shared split network)."""
        nn, m = len(self.nodes), len(self.tails)
        copy_of = {u: nn + k for k, u in enumerate(split)}
        tails = self.tails.copy()
        for u, c in copy_of.items():
            tails[self.tails == u] = c
        tails = np.concatenate([tails, np.array(split, dtype=np.int64)])
        heads = np.concatenate([self.heads, np.array([copy_of[u] for u in split], dtype=np.int64)])
        caps2 = np.concatenate([caps, np.full(len(split), np.inf)])
        split_edge = {u: m + k for k, u in enumerate(split)}
        names = self.nodes + [("__out__", self.nodes[u]) for u in split]
        net2 = FlowNetwork(names, tails, heads, caps2)
        value, flows = net2.max_flow_float(s, t)
        # the residual network as a network of its own (one edge per residual arc)
        fwd_res = caps2 - flows
        r_t = np.concatenate([tails, heads])
        r_h = np.concatenate([heads, tails])
        r_c = np.concatenate([fwd_res, flows])
        live = r_c > 0
        arc_index = np.full(2 * len(tails), -1)
        arc_index[live] = np.arange(int(live.sum()))
        res_net = FlowNetwork(names, r_t[live], r_h[live], r_c[live])
        out = {}
        for u in split:
            e = split_edge[u]
            keep_r = np.ones(int(live.sum()), dtype=bool)
            for a in (arc_index[e], arc_index[len(tails) + e]):
                if a >= 0:
                    keep_r[a] = False
            out[u] = float(flows[e]) + res_net.max_flow_value_float(copy_of[u], u, keep=keep_r)
        return out


def _check_bounded(nn, tails, heads, caps, s, t, nodes):
    adj = [[] for _ in range(nn)]
    for e, c in enumerate(caps):
        if c is None:
            adj[int(tails[e])].append(int(heads[e]))
    seen = {s}
    queue = deque([s])
    while queue:
        u = queue.popleft()
        for v in adj[u]:
            if v not in seen:
                if v == t:
                    raise InvalidFlowError(
                        f"the flow from {nodes[s]!r} to {nodes[t]!r} is unbounded: a path of edges without "
                        f"'capacity' joins them; expected a finite maximum flow"
                    )
                seen.add(v)
                queue.append(v)


def _dinic(nn, tails, heads, caps, s, t):
    """Dinic's algorithm on integer (or Fraction) capacities; returns (value, per-edge flows)."""
    m = len(tails)
    to = [0] * (2 * m)
    cap = [0] * (2 * m)
    adj = [[] for _ in range(nn)]
    for e in range(m):
        u, v = tails[e], heads[e]
        to[2 * e] = v
        cap[2 * e] = caps[e]
        to[2 * e + 1] = u
        adj[u].append(2 * e)
        adj[v].append(2 * e + 1)
    total = 0
    while True:
        level = [-1] * nn
        level[s] = 0
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for e in adj[u]:
                if cap[e] > 0 and level[to[e]] < 0:
                    level[to[e]] = level[u] + 1
                    queue.append(to[e])
        if level[t] < 0:
            break
        it = [0] * nn
        while True:
            path = []
            u = s
            while u != t:
                lst = adj[u]
                i = it[u]
                while i < len(lst):
                    e = lst[i]
                    if cap[e] > 0 and level[to[e]] == level[u] + 1:
                        break
                    i += 1
                it[u] = i
                if i < len(lst):
                    path.append(lst[i])
                    u = to[lst[i]]
                else:
                    if u == s:
                        break
                    level[u] = -1
                    e = path.pop()
                    u = to[e ^ 1]
                    it[u] += 1
            if u != t:
                break
            b = min(cap[e] for e in path)
            for e in path:
                cap[e] -= b
                cap[e ^ 1] += b
            total += b
    return total, [cap[2 * e + 1] for e in range(m)]


class _Plan:
    """CSR layout of a network's residual arcs (both directions of every edge), reused across max flows."""

    __slots__ = ("nn", "tails", "heads", "nnz", "indices", "indptr", "pos_fwd", "pos_rev", "partner", "rows",
                 "f_order", "f_indices", "f_indptr", "f_pos", "simple")

    def __init__(self, nn, tails, heads):
        import scipy.sparse as sps

        self.nn, self.tails, self.heads = nn, tails, heads
        m = len(tails)
        rt, rh = np.concatenate([tails, heads]), np.concatenate([heads, tails])
        both = sps.coo_array((np.arange(1, 2 * m + 1, dtype=np.int64), (rt, rh)), shape=(nn, nn)).tocsr()
        if both.nnz == 2 * m:  # no antiparallel edges: a counting sort (coo -> csr) gives the layout
            both.sort_indices()
            self.nnz = both.nnz
            self.indices = both.indices.astype(np.int32)
            self.indptr = both.indptr.astype(np.int32)
            pos = np.empty(2 * m, dtype=np.int64)
            pos[both.data - 1] = np.arange(2 * m)
            self.pos_fwd, self.pos_rev = pos[:m], pos[m:]
            self.partner = np.full(m, -1)
            self.rows = np.repeat(np.arange(nn, dtype=np.int32), np.diff(both.indptr))
            fwd = sps.coo_array((np.arange(1, m + 1, dtype=np.int64), (tails, heads)), shape=(nn, nn)).tocsr()
            fwd.sort_indices()
            self.f_order = fwd.data - 1
            self.f_indices = fwd.indices.astype(np.int32)
            self.f_indptr = fwd.indptr.astype(np.int32)
            self.f_pos = self.pos_fwd[self.f_order]
            self.simple = True
            return
        self.simple = False
        fwd_keys = tails * nn + heads
        keys = np.unique(np.concatenate([fwd_keys, heads * nn + tails]))
        self.nnz = len(keys)
        self.indices = (keys % nn).astype(np.int32)
        rows = keys // nn
        self.rows = rows
        self.indptr = np.searchsorted(rows, np.arange(nn + 1)).astype(np.int32)
        self.pos_fwd = np.searchsorted(keys, fwd_keys)
        self.pos_rev = np.searchsorted(keys, heads * nn + tails)
        order = np.argsort(fwd_keys)
        sorted_fwd = fwd_keys[order]
        rev = heads * nn + tails
        at = np.minimum(np.searchsorted(sorted_fwd, rev), len(sorted_fwd) - 1)
        self.partner = np.where(sorted_fwd[at] == rev, order[at], -1) if len(sorted_fwd) else np.zeros(0, int)
        # forward edges alone, in CSR order (SciPy adds the reverse arcs itself, faster than given ones)
        self.f_order = order
        self.f_indices = heads[order].astype(np.int32)
        self.f_indptr = np.searchsorted(tails[order], np.arange(nn + 1)).astype(np.int32)
        self.f_pos = self.pos_fwd[order]

    def residual(self, caps, flows):
        """Residual capacity of every CSR entry (parallel residual arcs added)."""
        if self.simple:  # no antiparallel edges: every CSR entry is one arc
            res = np.empty(self.nnz)
            res[self.pos_fwd] = caps - flows
            res[self.pos_rev] = flows
            return res
        return (np.bincount(self.pos_fwd, weights=caps - flows, minlength=self.nnz)
                + np.bincount(self.pos_rev, weights=flows, minlength=self.nnz))

    def masked(self, mask):
        """The CSR entries where ``mask`` holds, as a pattern matrix (for reachability and components)."""
        import scipy.sparse as sps

        indptr = np.zeros(self.nn + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows[mask], minlength=self.nn), out=indptr[1:])
        return sps.csr_array((np.ones(int(indptr[-1]), dtype=np.int8), self.indices[mask], indptr),
                             shape=(self.nn, self.nn))


def _float_max_flow(nn, tails, heads, caps, s, t, nodes, plan=None, *, need_flow=True):
    """Float maximum flow: ``(value, per-edge flows)`` (flows ``None`` when ``need_flow`` is false).

    Round 1 runs SciPy's Dinic on the capacities rounded down to multiples of
    ``bound / 2**30``; the flow is feasible, and the residual capacity
    ``rem`` of the cut it saturates (in the rounded network) bounds the flow
    still missing.  Further rounds run on the residual network capped at
    ``rem`` (each gains about 30 bits) until ``rem <= 1e-12 * bound``.

    For the value alone (``need_flow=False``) the second round runs on a
    contracted residual network: an arc with residual capacity above ``rem``
    lies in no minimum cut of the residual network (any cut containing it
    has capacity above ``rem`` >= its maximum flow), so each strongly
    connected component of those arcs lies on one side of every minimum
    cut and can be one node; parallel arcs add up.  The maximum flow, hence
    the value, is unchanged, and the contracted network is small.
    """
    import scipy.sparse as sps
    from scipy.sparse.csgraph import breadth_first_order, maximum_flow

    if s == t:
        raise InvalidFlowError(f"source and sink are the same node {nodes[s]!r}; expected two different nodes")
    tails = np.asarray(tails, dtype=np.int64)
    heads = np.asarray(heads, dtype=np.int64)
    inf = ~np.isfinite(caps)
    if inf.any():
        idx = np.flatnonzero(inf)
        _check_bounded(nn, tails[idx], heads[idx], [None] * len(idx), s, t, nodes)
    bound = float(caps[~inf].sum())
    out_s, in_t = tails == s, heads == t
    if not inf[out_s].any():
        bound = min(bound, float(caps[out_s].sum()))
    if not inf[in_t].any():
        bound = min(bound, float(caps[in_t].sum()))
    caps = np.minimum(caps, bound)
    m = len(tails)
    flows = np.zeros(m)
    if bound <= 0 or m == 0:
        return 0.0, (flows if need_flow else None)
    if plan is None:
        plan = _Plan(nn, tails, heads)
    has_partner = plan.partner >= 0
    remaining = bound
    first = True
    for _ in range(4):
        # round 1 sees the capacities, later rounds the residual network; capped at the remaining bound
        scale = _INT32_SAFE / remaining
        if first and not has_partner.any():
            fwd = np.floor(np.minimum(caps, remaining)[plan.f_order] * scale).astype(np.int32)
            mat = sps.csr_array((fwd, plan.f_indices, plan.f_indptr), shape=(nn, nn))
            ints = np.zeros(plan.nnz, dtype=np.int32)
            ints[plan.f_pos] = fwd
        else:
            ints = np.floor(np.minimum(np.maximum(plan.residual(caps, flows), 0.0), remaining) * scale)
            ints = ints.astype(np.int32)
            mat = sps.csr_array((ints, plan.indices, plan.indptr), shape=(nn, nn))
        first = False
        result = maximum_flow(mat, s, t)
        fl = result.flow
        if fl.nnz == plan.nnz and np.array_equal(fl.indptr, plan.indptr) and np.array_equal(fl.indices, plan.indices):
            fdata = fl.data
        else:  # pragma: no cover - SciPy keeps the input layout; fall back to lookups
            fdata = np.asarray(fl[plan.rows, plan.indices]).ravel().astype(np.int32)
        g = fdata[plan.pos_fwd] / scale
        if has_partner.any():
            g = g - np.where(has_partner, flows[np.maximum(plan.partner, 0)], 0.0)
        flows = np.clip(flows + g, 0.0, caps)
        # remaining bound: the true residual capacity of the cut this round's flow saturates
        reach = np.zeros(nn, dtype=bool)
        reach[breadth_first_order(plan.masked(ints > fdata), s, directed=True, return_predecessors=False)] = True
        res = np.maximum(plan.residual(caps, flows), 0.0)
        remaining = float(res[reach[plan.rows] & ~reach[plan.indices]].sum())
        if remaining <= bound * 1e-12:  # the value is then within 1e-12 * bound of the maximum
            break
        if not need_flow:
            extra = _contracted_value(plan, res, remaining, s, t)
            if extra is not None:
                return float(flows[out_s].sum() - flows[heads == s].sum()) + extra, None
    value = float(flows[out_s].sum() - flows[heads == s].sum())
    return value, (flows if need_flow else None)


def _contracted_value(plan, res, rem, s, t):
    """Maximum-flow value of a residual network whose flow is at most ``rem`` (see :func:`_float_max_flow`)."""
    from scipy.sparse.csgraph import connected_components

    ncomp, label = connected_components(plan.masked(res > rem), directed=True, connection="strong")
    if label[s] == label[t]:  # pragma: no cover - an arc path above rem from s to t contradicts the bound
        return None
    a, b = label[plan.rows], label[plan.indices]
    between = (a != b) & (res > 0)
    pairs = a[between].astype(np.int64) * ncomp + b[between]
    weights = np.minimum(res[between], rem)
    if ncomp * ncomp <= 4 * len(res):  # parallel arcs added up by counting (no sort)
        summed = np.bincount(pairs, weights=weights, minlength=ncomp * ncomp)
        keys = np.flatnonzero(summed)
        caps = np.minimum(summed[keys], rem)
    else:
        keys, inverse = np.unique(pairs, return_inverse=True)
        caps = np.minimum(np.bincount(inverse, weights=weights, minlength=len(keys)), rem)
    return _float_max_flow(ncomp, keys // ncomp, keys % ncomp, caps, int(label[s]), int(label[t]),
                           range(ncomp))[0]


# ---------------------------------------------------------------------- public exact API
def _network(graph, source, sink):
    source, sink = _ends(graph, source, sink)
    net = FlowNetwork.from_graph(graph, exact=True)
    index = {u: k for k, u in enumerate(net.nodes)}
    return net, index, source, sink


def max_flow(graph, source=None, sink=None, *, method="auto"):
    """An exact maximum flow and its value.

    Parameters
    ----------
    graph : networkx.DiGraph
        Edge attribute ``capacity`` (missing = unbounded), exact numbers.
    source, sink : node, optional
        Default ``graph.graph["source"]`` and ``graph.graph["sink"]`` (set by
        :func:`symgame.attention.attention_graph`).
    method : {"auto", "scipy", "dinic"}
        The engine (see the module notes); all are exact.

    Returns
    -------
    (Fraction, dict)
        The value and the flow ``flow[u][v]`` on every edge.

    Raises
    ------
    InvalidFlowError
        Missing nodes, negative capacities, or an unbounded flow.
    NotExactError
        Symbolic capacities.

    Notes
    -----
    Dinic: O(V^2 E) augmentations over exact integers; SciPy's compiled Dinic
    when the scaled capacities fit ``int32``.

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> max_flow(G, "s", "t")
    (Fraction(1, 1), {'s': {'a': Fraction(1, 1)}, 'a': {'t': Fraction(1, 1)}, 't': {}})
    >>> max_flow(G, "s", "x")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: sink 'x' is not a node of the graph
    """
    net, index, source, sink = _network(graph, source, sink)
    value, flows = net.max_flow(index[source], index[sink], method=method)
    return value, net.edge_flow_dict(flows)


def max_flow_value(graph, source=None, sink=None, *, method="auto"):
    """The exact maximum-flow value (see :func:`max_flow`).

    Examples
    --------
    >>> G = nx.DiGraph([("s", "t", {"capacity": "1/3"})])
    >>> max_flow_value(G, "s", "t")
    Fraction(1, 3)
    >>> max_flow_value(nx.DiGraph([("s", "t")]), "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: the flow from 's' to 't' is unbounded: a path of edges without 'capacity' joins them; expected a finite maximum flow
    """
    return max_flow(graph, source, sink, method=method)[0]


def max_flow_float(graph, source=None, sink=None):
    """Float maximum flow for model-sized graphs (the named float path).

    Capacities are converted to float64; SciPy's compiled Dinic runs on
    capacities rounded down to a ``2**-30`` grid of the flow bound, then once
    more on the residual network to recover the rounding loss.  The flow is
    feasible (within float rounding) and its value agrees with the exact
    maximum to about 1e-12 relative on attention graphs (tested).

    Returns
    -------
    (float, dict)

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 0.5}), ("a", "t", {"capacity": 0.25}), ("s", "t", {"capacity": 0.125})])
    >>> max_flow_float(G, "s", "t")[0]
    0.375
    >>> max_flow_float(G, "s", "s")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: source and sink are the same node 's'; expected two different nodes
    """
    source, sink = _ends(graph, source, sink)
    net = FlowNetwork.from_graph(graph, exact=False)
    index = {u: k for k, u in enumerate(net.nodes)}
    value, flows = net.max_flow_float(index[source], index[sink])
    return value, net.edge_flow_dict(flows.tolist())


def min_cut(graph, source=None, sink=None):
    """An exact minimum s-t cut ``(capacity, (source_side, sink_side))``.

    The source side is the set of nodes reachable from the source in the
    residual network of a maximum flow (the minimal minimum cut).

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> value, (side, rest) = min_cut(G, "s", "t")
    >>> value, sorted(side), sorted(rest)
    (Fraction(1, 1), ['a', 's'], ['t'])
    >>> min_cut(G, "s", "q")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: sink 'q' is not a node of the graph
    """
    value, flow = max_flow(graph, source, sink)
    cert = validate_flow(graph, flow, source, sink)
    return cert.cut_capacity, cert.cut


def _flow_at(flow, u, v, what):
    row = flow.get(u)
    if row is None:
        return Fraction(0)
    x = row.get(v, 0)
    return _frac(x, what)


def validate_flow(graph, flow, source=None, sink=None, *, maximum=True):
    """Check a flow exactly: capacity, conservation, and (if ``maximum``) optimality.

    Optimality is certified by a cut: the nodes reachable from the source in
    the residual network.  If the sink is reachable the flow is not maximum;
    otherwise every edge leaving that set is saturated and every edge
    entering it is empty, so the cut's capacity equals the flow value
    (max-flow min-cut theorem), which is checked.

    Parameters
    ----------
    graph : networkx.DiGraph
    flow : dict of dicts
        ``flow[u][v]``; missing entries are 0.  Values exact (floats are
        taken as their binary rationals).
    source, sink : node, optional
    maximum : bool
        Also require the flow to be a maximum flow.

    Returns
    -------
    FlowCertificate
        ``(value, cut, cut_capacity)``; ``cut`` is ``(source_side,
        sink_side)`` (``None`` when ``maximum`` is false).

    Raises
    ------
    InvalidFlowError
        Naming the first edge or node that violates a condition.

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> cert = validate_flow(G, {"s": {"a": 1}, "a": {"t": 1}}, "s", "t")
    >>> cert.value, sorted(cert.cut[0]), cert.cut_capacity
    (Fraction(1, 1), ['a', 's'], Fraction(1, 1))
    >>> validate_flow(G, {"s": {"a": 1}, "a": {"t": Fraction(1, 2)}}, "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: flow is not conserved at node 'a': inflow 1, outflow 1/2
    """
    source, sink = _ends(graph, source, sink)
    if not isinstance(flow, Mapping):
        raise InvalidFlowError(f"flow must be a dict of dicts flow[u][v], got {type(flow).__name__}")
    for u, row in flow.items():
        if not isinstance(row, Mapping):
            raise InvalidFlowError(f"flow[{u!r}] must be a dict, got {type(row).__name__}")
        for v, x in row.items():
            if not graph.has_edge(u, v) and _frac(x, f"flow on {u!r} -> {v!r}") != 0:
                raise InvalidFlowError(f"flow puts {x} on {u!r} -> {v!r}, which is not an edge of the graph")
    balance = {u: Fraction(0) for u in graph.nodes}
    inflow = {u: Fraction(0) for u in graph.nodes}
    residual = {u: [] for u in graph.nodes}
    caps = {}
    for u, v, data in graph.edges(data=True):
        x = _flow_at(flow, u, v, f"flow on {u!r} -> {v!r}")
        c = data.get("capacity")
        c = None if c is None else _frac(c, f"capacity of edge {u!r} -> {v!r}")
        caps[(u, v)] = c
        if x < 0:
            raise InvalidFlowError(f"flow on {u!r} -> {v!r} is {x}; expected a non-negative number")
        if c is not None and x > c:
            raise InvalidFlowError(f"flow on {u!r} -> {v!r} is {x}, above its capacity {c}")
        if u == v:
            continue
        balance[u] -= x
        balance[v] += x
        inflow[v] += x
        if c is None or x < c:
            residual[u].append(v)
        if x > 0:
            residual[v].append(u)
    for u in graph.nodes:
        if u not in (source, sink) and balance[u] != 0:
            raise InvalidFlowError(
                f"flow is not conserved at node {u!r}: inflow {inflow[u]}, outflow {inflow[u] - balance[u]}"
            )
    value = -balance[source]
    if not maximum:
        return FlowCertificate(value, None, None)
    seen = {source}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in residual[u]:
            if v not in seen:
                if v == sink:
                    raise InvalidFlowError(
                        f"flow of value {value} is not maximum: the residual network has a path from "
                        f"{source!r} to {sink!r}"
                    )
                seen.add(v)
                queue.append(v)
    cut_capacity = Fraction(0)
    for (u, v), c in caps.items():
        if u in seen and v not in seen:
            cut_capacity += c  # finite: an unbounded edge would have put v in the residual reach
    if cut_capacity != value:  # pragma: no cover - impossible by max-flow min-cut; guards the checker itself
        raise InvalidFlowError(f"cut capacity {cut_capacity} differs from flow value {value}")
    side = frozenset(seen)
    return FlowCertificate(value, (side, frozenset(graph.nodes) - side), cut_capacity)


def throughputs(graph, flow, nodes=None):
    """Flow through each node: its inflow, or its outflow for a node without in-edges.

    For a node other than the source and sink the two agree by conservation;
    for the sink it is the flow value.  Values keep the flow's number type
    (symbolic flows are allowed).

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 2}), ("a", "t", {"capacity": 1})])
    >>> throughputs(G, {"s": {"a": 1}, "a": {"t": 1}}, ["a", "t"])
    {'a': 1, 't': 1}
    >>> throughputs(G, {}, ["z"])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: node 'z' is not a node of the graph
    """
    nodes = list(graph.nodes) if nodes is None else list(nodes)
    out = {}
    for u in nodes:
        if u not in graph:
            raise InvalidFlowError(f"node {u!r} is not a node of the graph")
        preds = [p for p in graph.predecessors(u) if p != u]
        if preds:
            out[u] = sum((flow.get(p, {}).get(u, 0) for p in preds), 0)
        else:
            out[u] = sum((x for v, x in flow.get(u, {}).items() if v != u), 0)
    return out


# ---------------------------------------------------------------------- outflow ranges
def _residual_split(net, flows, node):
    """Residual network of ``flows`` with ``node`` split into an in-copy and an out-copy.

    Returns (FlowNetwork, map from residual edge to (original edge, sign), u_in, u_out).
    """
    nn = len(net.nodes)
    u_in, u_out = node, nn  # the out-copy is a new node
    tails, heads, caps, back = [], [], [], []
    for e in range(len(net.tails)):
        a, b = int(net.tails[e]), int(net.heads[e])
        a2 = u_out if a == node else a
        b2 = u_in if b == node else b
        c, x = net.capacities[e], flows[e]
        if c is None or x < c:
            tails.append(a2), heads.append(b2), caps.append(None if c is None else c - x), back.append((e, 1))
        if x > 0:
            tails.append(b2), heads.append(a2), caps.append(x), back.append((e, -1))
    res = FlowNetwork(net.nodes + [("__out__", net.nodes[node])], tails, heads, caps)
    return res, back, u_in, u_out


def _through(net, flows, node, source):
    if node == source:
        return sum((flows[e] for e in np.flatnonzero(net.tails == node)), Fraction(0))
    return sum((flows[e] for e in np.flatnonzero(net.heads == node)), Fraction(0))


def _apply(flows, back, extra):
    new = list(flows)
    for (e, sign), y in zip(back, extra):
        if y:
            new[e] += sign * y
    return new


def outflow_range(graph, node, source=None, sink=None):
    """The exact range ``[low, high]`` of a node's throughput over all maximum flows.

    Method: take one maximum flow ``f``.  All maximum flows are ``f + g`` for
    circulations ``g`` of the residual network ``G_f``.  Split the node into
    ``u_in -> u_out``; the throughput rises by the maximum flow from ``u_out``
    to ``u_in`` in ``G_f`` without the split edge, and falls by the maximum
    flow from ``u_in`` to ``u_out`` (at most the current throughput).  So
    three exact max flows per node, O(V^2 E) each; each end comes with a
    maximum flow attaining it.  (Independently, ``low = F - maxflow(G - u)``;
    the tests check this.)

    Returns
    -------
    OutflowRange
        ``(node, low, high, low_flow, high_flow)``, Fractions and flows.

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 1}), ("s", "b", {"capacity": 1}),
    ...                 ("a", "t", {"capacity": 1}), ("b", "t", {"capacity": 1}), ("s", "c", {"capacity": 1}),
    ...                 ("c", "a", {"capacity": 1})])
    >>> r = outflow_range(G, "c", "s", "t")
    >>> r.low, r.high
    (Fraction(0, 1), Fraction(1, 1))
    >>> outflow_range(G, "q", "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: node 'q' is not a node of the graph
    """
    return outflow_ranges(graph, [node], source, sink)[node]


def outflow_ranges(graph, nodes, source=None, sink=None):
    """:func:`outflow_range` for several nodes, sharing the first maximum flow.

    Examples
    --------
    >>> G = nx.DiGraph([("s", "a", {"capacity": 1}), ("a", "t", {"capacity": 2})])
    >>> {u: (r.low, r.high) for u, r in outflow_ranges(G, ["a"], "s", "t").items()}
    {'a': (Fraction(1, 1), Fraction(1, 1))}
    """
    net, index, source, sink = _network(graph, source, sink)
    for u in nodes:
        if u not in index:
            raise InvalidFlowError(f"node {u!r} is not a node of the graph")
    s, t = index[source], index[sink]
    value, flows = net.max_flow(s, t)
    out = {}
    for u in nodes:
        k = index[u]
        if k in (s, t):
            fd = net.edge_flow_dict(flows)
            out[u] = OutflowRange(u, value, value, fd, fd)
            continue
        now = _through(net, flows, k, s)
        res, back, u_in, u_out = _residual_split(net, flows, k)
        up, g_up = res.max_flow(u_out, u_in)
        # cap the decrease at the current throughput with a new source before u_in
        res_dn = FlowNetwork(
            res.nodes + ["__cap__"], list(res.tails) + [len(res.nodes)], list(res.heads) + [u_in],
            list(res.capacities) + [now],
        )
        down, g_dn = res_dn.max_flow(len(res.nodes), u_out)
        high_flows = _apply(flows, back, g_up)
        low_flows = _apply(flows, back, g_dn[:-1])
        out[u] = OutflowRange(u, now - down, now + up, net.edge_flow_dict(low_flows), net.edge_flow_dict(high_flows))
    return out


# ---------------------------------------------------------------------- realisability
#: Result of :func:`realise_outflows`: a flow certificate when realisable, else an exact reason.
Realisation = namedtuple("Realisation", ["realisable", "flow", "certificate"])


def _layer_of(graph, node):
    data = graph.nodes[node]
    if "layer" not in data:
        raise InvalidFlowError(
            f"node {node!r} has no 'layer' attribute; realise_outflows needs a layered graph from "
            f"symgame.attention.attention_graph"
        )
    return data["layer"]


def _side_network(graph, layer, nodes, source, sink, side, amounts):
    """Part A (side 'source': layers <= layer) or B ('sink': layers >= layer) with a terminal for ``nodes``.

    ``amounts[u]`` is the terminal edge capacity of layer node ``u`` (None = unbounded).
    """
    keep = []
    for u in graph.nodes:
        if u == source:
            if side == "source":
                keep.append(u)
            continue
        lu = _layer_of(graph, u)
        if (side == "source" and lu <= layer) or (side == "sink" and lu >= layer):
            keep.append(u)
    sub = nx.DiGraph()
    sub.add_nodes_from(keep)
    keep_set = set(keep)
    for u, v, data in graph.edges(data=True):
        if u in keep_set and v in keep_set and u != v:
            if side == "sink" and _layer_of(graph, v) == layer:
                continue
            if side == "source" and u != source and _layer_of(graph, u) == layer:
                continue
            sub.add_edge(u, v, **({"capacity": data["capacity"]} if "capacity" in data else {}))
    term = ("__terminal__",)
    sub.add_node(term)
    for u in nodes:
        attrs = {} if amounts.get(u) is None else {"capacity": amounts[u]}
        if side == "source":
            sub.add_edge(u, term, **attrs)
        else:
            sub.add_edge(term, u, **attrs)
    if side == "source":
        return sub, source, term
    return sub, term, sink


def _side_value(graph, layer, coalition, source, sink, side):
    """A(C) (side 'source') or B(C) (side 'sink'): max flow between the source/sink and the coalition."""
    if not coalition:
        return Fraction(0)
    sub, s, t = _side_network(graph, layer, coalition, source, sink, side, {})
    if side == "sink" and sink in coalition or side == "source" and s == t:
        return None  # unbounded
    try:
        return max_flow_value(sub, s, t)
    except InvalidFlowError:
        return None


def realise_outflows(graph, outflows, source=None, sink=None, *, maximum=True):
    """Decide exactly whether some (maximum) flow has the given throughputs at one layer.

    Parameters
    ----------
    graph : networkx.DiGraph
        A layered graph from :func:`symgame.attention.attention_graph`
        (node attribute ``layer``; every source-sink path crosses each layer
        exactly once).
    outflows : Mapping
        Layer node -> demanded throughput (exact).  All keys in one layer;
        nodes of that layer not given get 0.
    source, sink : node, optional
    maximum : bool
        Require the flow to be a maximum flow (then the throughputs must add
        up to the maximum-flow value).

    Returns
    -------
    Realisation
        ``(True, flow, certificate)`` with a flow attaining the throughputs
        (check it with :func:`validate_flow`), or ``(False, None,
        certificate)``.  An infeasibility certificate is a dict; its
        ``"reason"`` is one of ``"negative"`` (a demanded throughput below 0),
        ``"source side"`` (a coalition ``C`` of layer nodes with
        ``tau(C) > A(C)``, the maximum flow the source can send into ``C``),
        ``"sink side"`` (``tau(C) > B(C)``, the maximum flow from ``C`` to the
        sink), or ``"not maximum"`` (realisable, but the total is below the
        maximum-flow value).  By Gale's supply-demand theorem applied to each
        side of the layer, these conditions are exactly the obstructions.

    Notes
    -----
    The layer splits the network into a part A (source to the layer) and a
    part B (layer to the sink).  ``tau`` is realisable iff part A with an edge
    of capacity ``tau_u`` from each layer node to a new sink, and part B with
    an edge of capacity ``tau_u`` from a new source to each layer node, are
    both saturated; the union of the two flows is the certificate.  On
    failure the residual reach of the unsaturated part gives ``C``.  Cost: two
    max flows, plus one to evaluate ``A(C)`` or ``B(C)``.

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> G = attention_graph([[["1", "0"], ["1/2", "1/2"]]], output=1)
    >>> realise_outflows(G, {(0, 0): Fraction(1, 2), (0, 1): Fraction(1, 2)}).realisable
    True
    >>> r = realise_outflows(G, {(0, 0): Fraction(1, 4), (0, 1): Fraction(3, 4)})
    >>> r.realisable, r.certificate["reason"], sorted(r.certificate["coalition"])
    (False, 'sink side', [(0, 1)])
    >>> realise_outflows(G, {(0, 0): 1, (1, 0): 0})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: outflows mix layers [0, 1]; expected the nodes of one layer
    """
    source, sink = _ends(graph, source, sink)
    if not isinstance(outflows, Mapping) or not outflows:
        raise InvalidFlowError("outflows must be a non-empty mapping layer node -> throughput")
    for u in outflows:
        if u not in graph:
            raise InvalidFlowError(f"node {u!r} is not a node of the graph")
    layers = sorted({_layer_of(graph, u) for u in outflows})
    if len(layers) != 1:
        raise InvalidFlowError(f"outflows mix layers {layers}; expected the nodes of one layer")
    layer = layers[0]
    members = [u for u in graph.nodes if u != source and _layer_of(graph, u) == layer]
    tau = {u: _frac(outflows.get(u, 0), f"outflow of {u!r}") for u in members}
    negative = [u for u in members if tau[u] < 0]
    if negative:
        u = negative[0]
        return Realisation(False, None, {"reason": "negative", "node": u, "demand": tau[u]})
    total = sum(tau.values(), Fraction(0))
    flow = {u: {} for u in graph.nodes}
    for side in ("source", "sink"):
        sub, s, t = _side_network(graph, layer, members, source, sink, side, tau)
        value, f = max_flow(sub, s, t)
        if value < total:
            cert = validate_flow(sub, f, s, t)
            reach = cert.cut[0]
            if side == "source":
                coalition = frozenset(u for u in members if u not in reach)
            else:
                coalition = frozenset(u for u in members if u in reach)
            bound = _side_value(graph, layer, coalition, source, sink, side)
            key = "source_capacity" if side == "source" else "sink_capacity"
            return Realisation(False, None, {
                "reason": f"{side} side", "coalition": coalition,
                "demand": sum((tau[u] for u in coalition), Fraction(0)), key: bound,
            })
        for a, row in f.items():
            for b, x in row.items():
                if a in graph and b in graph and graph.has_edge(a, b):
                    flow[a][b] = flow[a].get(b, Fraction(0)) + x
    for u, v in graph.edges:
        flow[u].setdefault(v, Fraction(0))
    if maximum:
        best = max_flow_value(graph, source, sink)
        if total != best:
            return Realisation(False, None, {"reason": "not maximum", "total": total, "max_flow": best})
    return Realisation(True, flow, validate_flow(graph, flow, source, sink, maximum=maximum))


# ---------------------------------------------------------------------- symbolic
def symbolic_max_flow_value(graph, source=None, sink=None):
    """The maximum-flow value as ``Min`` over s-t cuts of symbolic capacity sums.

    By the max-flow min-cut theorem the value is the minimum cut capacity.
    Only nodes on some source-sink path matter; all ``2^k`` cuts of those
    ``k`` inner nodes are enumerated, and a cut whose edge set contains
    another cut's edge set is dropped (capacities are assumed non-negative).

    Parameters
    ----------
    graph : networkx.DiGraph
        Capacities: numbers or SymPy expressions (assumed non-negative).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    GameTooLargeError
        More than ``MAX_SYMBOLIC_CUT_NODES`` inner nodes.

    Examples
    --------
    >>> a, b, c = sp.symbols("a b c", nonnegative=True)
    >>> G = nx.DiGraph([("s", "m", {"capacity": a}), ("m", "t", {"capacity": b}), ("s", "t", {"capacity": c})])
    >>> symbolic_max_flow_value(G, "s", "t")
    Min(a + c, b + c)
    >>> symbolic_max_flow_value(nx.DiGraph([("s", "t")]), "s", "t")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: the flow from 's' to 't' is unbounded: every s-t cut contains an edge without 'capacity'
    """
    source, sink = _ends(graph, source, sink)
    fwd = nx.descendants(graph, source) | {source}
    bwd = nx.ancestors(graph, sink) | {sink}
    relevant = fwd & bwd
    inner = sorted((u for u in relevant if u not in (source, sink)), key=repr)
    if len(inner) > MAX_SYMBOLIC_CUT_NODES:
        raise GameTooLargeError(
            f"symbolic max flow enumerates 2^{len(inner)} cuts; the limit is {MAX_SYMBOLIC_CUT_NODES} inner "
            f"nodes. Substitute numbers and use max_flow"
        )
    edges = [(u, v, d.get("capacity")) for u, v, d in graph.edges(data=True)
             if u in relevant and v in relevant and u != v]
    cuts = set()
    for r in range(len(inner) + 1):
        for chosen in combinations(inner, r):
            side = set(chosen) | {source}
            crossing = frozenset((u, v) for u, v, c in edges if u in side and v not in side)
            if any(c is None for u, v, c in edges if (u, v) in crossing):
                continue
            cuts.add(crossing)
    if not cuts:
        raise InvalidFlowError(
            f"the flow from {source!r} to {sink!r} is unbounded: every s-t cut contains an edge without 'capacity'"
        )
    minimal = [c for c in cuts if not any(o < c for o in cuts)]
    caps = {(u, v): c for u, v, c in edges}
    sums = {sp.Add(*[to_expr(caps[e], what=f"capacity of {e!r}") for e in cut]) for cut in minimal}
    return sp.Min(*sums)
