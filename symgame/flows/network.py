"""The array form of a flow network (:class:`FlowNetwork`), the input of every max-flow engine."""

from fractions import Fraction
from math import lcm

import numpy as np

from ..errors import InvalidFlowError, NotExactError
from .engines import ENGINES, choose_engine, get_engine
from .floatflow import ResidualPlan, float_max_flow, ortools_float_max_flow, ortools_float_solver
from .ortools import ortools_available
from .inputs import INT32_SAFE, check_bounded, exact_number
from .ortools import fits_int64

__all__ = ["FlowNetwork"]


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

    __slots__ = ("nodes", "tails", "heads", "capacities", "_plan", "_scaled_cache", "_float_cache")

    def __init__(self, nodes, tails, heads, capacities):
        self.nodes = list(nodes)
        self.tails = np.asarray(tails, dtype=np.int64)
        self.heads = np.asarray(heads, dtype=np.int64)
        self.capacities = capacities
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
                caps.append(None if c is None else exact_number(c, f"capacity of edge {u!r} -> {v!r}"))
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
        check_bounded(len(self.nodes), self.tails, self.heads, caps, s, t, self.nodes)
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

    def int64_capacities(self, source, sink):
        """The scaled capacities of :meth:`max_flow` as a cached ``int64`` array, or ``None`` when their
        sum exceeds :data:`~symgame.flows.ortools.INT64_SAFE` (then only the big-integer path is exact).

        Examples
        --------
        >>> FlowNetwork(["s", "t"], [0], [1], [Fraction(1, 3)]).int64_capacities(0, 1)
        array([1])
        >>> FlowNetwork(["s", "t"], [0, 0], [1, 1], [2**62, 2**62]).int64_capacities(0, 1) is None
        True
        """
        key = ("int64", int(source), int(sink))
        if key not in self._scaled_cache:
            ints = self._scaled(source, sink)[0]
            self._scaled_cache[key] = np.array(ints, dtype=np.int64) if fits_int64(ints) else None
        return self._scaled_cache[key]

    def scale(self, source, sink):
        """``(denominator, scaled flow bound)``: exact capacities times ``denominator`` are the integers the
        engines see, and no maximum flow exceeds the bound.

        Examples
        --------
        >>> FlowNetwork(["s", "a", "t"], [0, 1], [1, 2], [Fraction(1, 2), Fraction(1, 3)]).scale(0, 2)
        (3, Fraction(1, 1))
        """
        _, den, bound = self._scaled(source, sink)
        return den, bound

    def max_flow(self, source, sink, *, engine="auto", keep=None, method=None):
        """Exact maximum flow between node *indices*: ``(value, per-edge flows)`` as Fractions.

        ``engine`` is ``"auto"``, a name in :data:`~symgame.flows.engines.ENGINES` or a callable
        following the integer-engine protocol (``method=`` is its old spelling).  ``keep``
        (optional boolean sequence) zeroes the capacity of edges whose entry is false (used to
        remove nodes cheaply).
        """
        what, name = ("engine", engine) if method is None else ("method", method)
        run = get_engine(name, what=what)
        if not self.is_exact:
            raise NotExactError("this FlowNetwork has float capacities; use max_flow_float")
        if source == sink:
            raise InvalidFlowError(
                f"source and sink are the same node {self.nodes[source]!r}; expected two different nodes"
            )
        ints, den, bound = self._scaled(source, sink, keep)
        if name == "auto":  # the flow bound of the whole network is known here: choose on it
            run = ENGINES[choose_engine(len(ints), bound)]
        if run is ENGINES["ortools"]:
            wide = self.int64_capacities(source, sink)
            if wide is not None:  # the cached int64 view: no per-call conversion of Python integers
                ints = wide if keep is None else np.where(np.asarray(keep, dtype=bool), wide, 0)
        elif run is ENGINES["scipy"] and bound > INT32_SAFE:
            raise InvalidFlowError(
                f"{what} 'scipy' needs scaled capacities up to 2**30, but the flow bound scales to {bound}; "
                f"use {what}='dinic' or 'auto'"
            )
        value, flows = run(len(self.nodes), self.tails, self.heads, ints, int(source), int(sink))
        return Fraction(int(value), den), [Fraction(int(x), den) for x in flows]

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
            self._plan = ResidualPlan(len(self.nodes), self.tails, self.heads)
        return self._plan

    def _float_run(self, caps, source, sink, engine, need_flow, shared_ok=False):
        if engine not in ("auto", "ortools", "scipy"):
            raise InvalidFlowError(f"float engine {engine!r} is not one of 'auto', 'ortools', 'scipy'")
        if engine == "scipy" or (engine == "auto" and not ortools_available()):
            return float_max_flow(len(self.nodes), self.tails, self.heads, caps, int(source), int(sink), self.nodes,
                                  self._float_plan(), need_flow=need_flow)
        shared = None
        if shared_ok:  # full capacities: one solver for every source that can share it (A&Z per-pair flows)
            if "shared_solver" not in self._float_cache:
                self._float_cache["shared_solver"] = ortools_float_solver(len(self.nodes), self.tails, self.heads,
                                                                          caps)
            built = self._float_cache["shared_solver"]
            if built is not None and built[2] != int(source):
                shared = (built[0], built[1], built[3])
        return ortools_float_max_flow(len(self.nodes), self.tails, self.heads, caps, int(source), int(sink),
                                      self.nodes, need_flow=need_flow, solver=shared)

    def max_flow_float(self, source, sink, *, keep=None, engine="auto"):
        """Float maximum flow between node indices: ``(value, flows array)``.

        ``engine``: ``"auto"`` / ``"ortools"`` (OR-Tools ``int64`` rounds, :func:`ortools_float_max_flow`;
        measured 3-7x faster than SciPy at 6x32 and 12x64, ``benchmarks/bench_attention.py``) or
        ``"scipy"`` (SciPy ``int32`` rounds, :func:`float_max_flow`).  Without ``keep`` the result is
        cached per ``(source, sink)`` (capacities never change); do not modify the returned array.
        """
        key = ("flow", int(source), int(sink))
        if keep is None and key in self._float_cache:
            return self._float_cache[key]
        caps = self._float_caps()
        if keep is not None:
            caps = np.where(np.asarray(keep, dtype=bool), caps, 0.0)
        out = self._float_run(caps, source, sink, engine, True)
        if keep is None:
            self._float_cache[key] = out
            self._float_cache[("value",) + key[1:]] = out[0]
        return out

    def max_flow_value_float(self, source, sink, *, keep=None, engine="auto"):
        """Float maximum-flow value between node indices (no flow is built; see :func:`float_max_flow`).

        Same precision as :meth:`max_flow_float` (``engine`` as there).  With
        ``engine="scipy"`` it is cheaper than the flow: after the first
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
        value = self._float_run(caps, source, sink, engine, False, shared_ok=keep is None)[0]
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

