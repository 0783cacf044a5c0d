"""Cooperative games induced by flow networks: fixed-flow, reoptimised (max-flow) games, Shapley flows.

Every function returns a :class:`~symgame.game.Game`, so every value and
checker of the core applies.

* :func:`fixed_flow_game` — ``v_f(S)``: the part of a fixed flow ``f`` that
  passes through the player nodes ``S`` (Ethayarajh & Jurafsky 2021).
* :func:`reoptimised_game` — ``v*(S)``: the maximum-flow value when the
  player layer's nodes outside ``S`` are removed.
* :func:`shapley_flow` — a maximum flow whose layer throughputs are the
  Shapley values of ``v*``, or an exact certificate that none exists.

Players of layer games are the token indices ``i`` of nodes ``(layer, i)``.

Examples
--------
>>> from symgame.attention import attention_graph
>>> from symgame.values import shapley
>>> G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
>>> shapley(reoptimised_game(G, 0))
{0: 1/4, 1: 3/4}
>>> reoptimised_game(G, 5)
Traceback (most recent call last):
...
symgame.errors.InvalidFlowError: layer 5 has no nodes in this graph; expected one of [0, 1]
"""

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import GameTooLargeError, InvalidFlowError, InvalidGameError
from ..exact import to_expr, to_rational
from ..game import Game
from ..guards import check_int
from ..progress import step
from ..payoffs import Payoff
from ..results import TupleResult
from ..values import shapley
from .inputs import exact_number, graph_ends
from .maxflow import throughputs
from .network import FlowNetwork
from .ortools import INT64_SAFE, OrToolsSolver, fits_int64, ortools_available
from .outflows import realise_outflows
from .symbolic import symbolic_max_flow_value

__all__ = [
    "fixed_flow_game",
    "reoptimised_game",
    "reoptimised_shapley_estimate",
    "reoptimised_payoff",
    "path_decomposition",
    "shapley_flow",
    "ShapleyFlow",
    "ShapleyEstimate",
    "MAX_REOPTIMISED_PLAYERS",
]

#: Largest player layer for :func:`reoptimised_game` (it runs 2^n maximum flows).
MAX_REOPTIMISED_PLAYERS = 16

@dataclass(frozen=True)
class ShapleyFlow(TupleResult):
    """Whether a maximum flow realises the Shapley values of ``v*``: the flow, the values, ``v*`` and a certificate."""

    exists: bool
    flow: dict
    shapley: dict
    game: object
    certificate: object
@dataclass(frozen=True)
class ShapleyEstimate(TupleResult):
    """One player's sampled Shapley estimate: mean, standard error, 95% interval, and how it was sampled."""

    mean: float
    stderr: float
    low: float
    high: float
    permutations: int
    seed: int


def _layer_nodes(graph, layer, source):
    check_int(layer, "layer", error=InvalidFlowError, message="{what} must be an int, got {value!r}")
    nodes = [u for u in graph.nodes if u != source and graph.nodes[u].get("layer") == layer]
    if not nodes:
        layers = sorted({d["layer"] for u, d in graph.nodes(data=True) if "layer" in d and u != source})
        raise InvalidFlowError(f"layer {layer} has no nodes in this graph; expected one of {layers}")
    return nodes


def _player(node):
    return node[1] if isinstance(node, tuple) and len(node) == 2 else node


# ---------------------------------------------------------------------- fixed flow
def path_decomposition(graph, flow, source, sink):
    rest = {}
    for u, v in graph.edges:
        x = exact_number(flow.get(u, {}).get(v, 0), f"flow on {u!r} -> {v!r}")
        if x > 0 and u != v:
            rest.setdefault(u, {})[v] = x
    paths = []
    while rest.get(source):
        path, u, seen = [source], source, {source}
        while u != sink:
            nxt = next(iter(rest.get(u, {})), None)
            if nxt is None or nxt in seen:
                raise InvalidFlowError(
                    f"flow cannot be decomposed into source-sink paths at node {u!r}; expected a valid acyclic flow"
                )
            path.append(nxt)
            seen.add(nxt)
            u = nxt
        amount = min(rest[a][b] for a, b in zip(path, path[1:]))
        for a, b in zip(path, path[1:]):
            rest[a][b] -= amount
            if rest[a][b] == 0:
                del rest[a][b]
        paths.append((tuple(path), amount))
    return paths


def fixed_flow_game(graph, flow, players, *, source=None, sink=None):
    """The fixed-flow game ``v_f(S)`` = the part of flow ``f`` passing through the nodes of ``S``.

    Parameters
    ----------
    graph : networkx.DiGraph
    flow : dict of dicts
        A flow ``flow[u][v]`` (values may be symbolic when ``players`` is one layer).
    players : int or iterable of nodes
        An int: the nodes of that layer, with players named by token index.
        An iterable of nodes: those nodes as players.
    source, sink : node, optional

    Notes
    -----
    For players in one layer of a layered graph every source-sink path
    crosses the layer exactly once, so ``v_f(S) = sum_{u in S} through(u)``:
    the game is additive and ``phi_u(v_f)`` = the outflow of ``u`` (P2.fixed).
    For players from several layers ``v_f(S)`` is the flow on the paths of a
    path decomposition that meet ``S`` (the greedy decomposition; exact
    rational flows only) — the outflows are then not even efficient.

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> from symgame.flows import max_flow
    >>> G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
    >>> _, f = max_flow(G)
    >>> fixed_flow_game(G, f, 0)[{0, 1}]
    1
    >>> fixed_flow_game(G, f, [(0, 0), (1, 1)])[{(0, 0)}]
    1/4
    >>> fixed_flow_game(G, f, [])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: players must name at least one node
    """
    source, sink = graph_ends(graph, source, sink)
    if isinstance(players, (int, np.integer)) and not isinstance(players, bool):
        nodes = _layer_nodes(graph, players, source)
        names = [_player(u) for u in nodes]
        single = True
    else:
        if not isinstance(players, Iterable):
            raise InvalidFlowError(f"players must be a layer index or an iterable of nodes, got {players!r}")
        nodes = list(players)
        if not nodes:
            raise InvalidFlowError("players must name at least one node")
        for u in nodes:
            if u not in graph:
                raise InvalidFlowError(f"node {u!r} is not a node of the graph")
        names = nodes
        layers = {graph.nodes[u].get("layer", u) for u in nodes}
        single = len(layers) == 1 and all("layer" in graph.nodes[u] for u in nodes)
    if single:
        through = throughputs(graph, flow, nodes)
        weights = {name: to_expr(through[u], what=f"flow through {u!r}") for name, u in zip(names, nodes)}
        return Game.from_function(names, lambda S: sp.Add(*[weights[p] for p in S]))
    paths = path_decomposition(graph, flow, source, sink)
    index = {u: k for k, u in enumerate(nodes)}
    hits = []
    for path, amount in paths:
        mask = 0
        for u in path:
            if u in index:
                mask |= 1 << index[u]
        hits.append((mask, sp.Rational(amount.numerator, amount.denominator)))

    def payoff(S):
        m = 0
        for u in S:
            m |= 1 << index[u]
        return sp.Add(*[a for h, a in hits if h & m])

    return Game.from_function(names, payoff)


# ---------------------------------------------------------------------- re-optimised
class _Evaluator:
    """``v*(mask)`` for one player layer: exact (Fraction) or float."""

    def __init__(self, graph, layer, source, sink, exact, engine="auto"):
        self.engine = engine
        self.source, self.sink = graph_ends(graph, source, sink)
        self.nodes = _layer_nodes(graph, layer, self.source)
        kind = graph.graph.get("kind")
        self.symbolic = kind == "symbolic" or (exact and _has_symbols(graph))
        self.graph = graph
        self.exact = exact
        if self.symbolic:
            return
        self.net = FlowNetwork.from_graph(graph, exact=exact)
        index = {u: k for k, u in enumerate(self.net.nodes)}
        self.s, self.t = index[self.source], index[self.sink]
        player_of = np.full(len(self.net.nodes), -1)
        for k, u in enumerate(self.nodes):
            player_of[index[u]] = k
        self.head_player = player_of[self.net.heads]
        self.sink_player = int(player_of[self.t])
        self.source_player = int(player_of[self.s])

    def __call__(self, mask):
        if self.symbolic:
            H = self.graph.copy()
            gone = [u for k, u in enumerate(self.nodes) if not mask >> k & 1]
            if self.sink in gone or self.source in gone:
                return sp.S.Zero
            H.remove_nodes_from(gone)
            return symbolic_max_flow_value(H, self.source, self.sink)
        for special in (self.sink_player, self.source_player):
            if special >= 0 and not mask >> special & 1:
                return Fraction(0) if self.exact else 0.0
        bits = np.array([mask >> k & 1 for k in range(len(self.nodes))] + [1], dtype=bool)
        keep = bits[self.head_player]  # index -1 picks the trailing True
        if self.exact:
            return self.net.max_flow(self.s, self.t, keep=keep, engine=self.engine)[0]
        return self.net.max_flow_value_float(self.s, self.t, keep=keep)


    def all_values(self):
        """``(numerators, denominator)`` of ``v*`` for every coalition by mask on one OR-Tools solver, or
        ``None`` where that does not apply.

        Applies to exact numeric graphs whose engine is ``"auto"`` or ``"ortools"`` and whose scaled
        capacities fit ``int64`` (:meth:`FlowNetwork.int64_capacities`).  One ``SimpleMaxFlow`` is
        built once; coalitions are visited in Gray-code order, so between two solves exactly one
        player joins or leaves and only the capacities of the arcs into that player's node are set
        (to 0 or back).  Each value is the solver's exact integer over the common denominator.
        """
        if self.symbolic or not self.exact or self.engine not in ("auto", "ortools"):
            return None
        if self.engine == "auto" and not ortools_available():
            return None
        wide = self.net.int64_capacities(self.s, self.t)
        n = len(self.nodes)
        if wide is None or not len(wide):
            return None
        den, _ = self.net.scale(self.s, self.t)
        unbounded = np.array([c is None for c in self.net.capacities], dtype=bool)
        if unbounded.any():  # measured: OR-Tools is faster when unbounded arcs are not tight at the flow bound;
            finite = wide[~unbounded]  # the sum of the finite capacities bounds every flow as well
            total = sum(finite.tolist()) if fits_int64(finite) else None
            if total is not None and total * (1 + int(unbounded.sum())) <= INT64_SAFE:
                wide = wide.copy()
                wide[unbounded] = total
        arcs_of = [np.flatnonzero(self.head_player == k) for k in range(n)]
        caps_of = [wide[a] for a in arcs_of]
        zeros_of = [np.zeros(len(a), dtype=np.int64) for a in arcs_of]
        solver = OrToolsSolver(len(self.net.nodes), self.net.tails, self.net.heads, wide)
        absent = np.concatenate(arcs_of) if n else np.zeros(0, dtype=np.int64)
        solver.set_capacities(absent, np.zeros(len(absent), dtype=np.int64))  # start at the empty coalition
        special = [p for p in (self.sink_player, self.source_player) if p >= 0]
        need = 0
        for p in special:
            need |= 1 << p
        ints = [0] * (1 << n)
        s, t = self.s, self.t
        ints[0] = 0 if need else solver.value(s, t)
        mask = 0
        for i in range(1, 1 << n):
            b = (i & -i).bit_length() - 1  # the bit that flips between Gray codes i - 1 and i
            mask ^= 1 << b
            solver.set_capacities(arcs_of[b], caps_of[b] if mask >> b & 1 else zeros_of[b])
            if mask & need == need:
                ints[mask] = solver.value(s, t)
            if i % 256 == 255:
                step("coalitions of v* (a max flow each)", i + 1, 1 << n)
        return ints, den


def _has_symbols(graph):
    for _, _, d in graph.edges(data=True):
        c = d.get("capacity")
        if isinstance(c, sp.Basic) and c.free_symbols:
            return True
    return False


def reoptimised_game(graph, layer, *, source=None, sink=None, exact=True, engine="auto"):
    """The re-optimised game ``v*(S)``: max-flow value with the layer's nodes outside ``S`` removed.

    Parameters
    ----------
    graph : networkx.DiGraph
        A layered graph (node attribute ``layer``), e.g. from
        :func:`symgame.attention.attention_graph`.
    layer : int
        The player layer; players are the token indices of its nodes.
    exact : bool
        ``True``: exact max flows (symbolic capacities give ``Min``
        expressions; floats are taken as binary rationals).  ``False``: the
        float fast path, and an array-backed game (use
        :func:`symgame.values.shapley_float`).
    engine : str or callable
        The exact max-flow engine (:mod:`symgame.flows.engines`).

    Notes
    -----
    ``2^n`` maximum flows; limited to ``MAX_REOPTIMISED_PLAYERS`` players
    (use :func:`reoptimised_shapley_estimate` beyond).  For the input layer
    with a super-source ``v*`` is the rank function of a polymatroid
    (submodular); elsewhere ``v*(S) = min_{T ⊆ S} A(T) + B(S \\ T)``
    (polymatroid intersection) need not be.

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> G = attention_graph([[[1, 0], ["1/4", "3/4"]], [["1/2", "1/2"], [1, 0]]], output=0)
    >>> v = reoptimised_game(G, 1)
    >>> v[{0}], v[{1}], v[{0, 1}]
    (1/2, 1/2, 1)
    >>> reoptimised_game(G, 1, exact=False)[{1}]
    1/2
    >>> reoptimised_game(G, "last")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidFlowError: layer must be an int, got 'last'
    """
    ev = _Evaluator(graph, layer, source, sink, exact, engine)
    n = len(ev.nodes)
    if n > MAX_REOPTIMISED_PLAYERS:
        raise GameTooLargeError(
            f"the re-optimised game of {n} players needs 2^{n} maximum flows; the limit is "
            f"{MAX_REOPTIMISED_PLAYERS}. Use a sampling estimate: symgame.sampling.estimate_shapley("
            f"reoptimised_payoff(graph, layer), method='permutation'|'antithetic'|'stratified'|'kernel')"
        )
    players = [_player(u) for u in ev.nodes]
    table = ev.all_values()
    if table is not None:  # exact integers over one denominator from the reused solver
        return Game.from_rational_table(table[0], table[1], players)
    values, total = [], 1 << n
    for mask in range(total):
        values.append(ev(mask))
        if mask % 64 == 63 or mask == total - 1:
            step("coalitions of v* (a max flow each)", mask + 1, total)
    if exact:
        return Game.from_vector([to_rational(v)
                                 for v in values], players)
    return Game.from_vector(np.array(values, dtype=np.float64), players)


def reoptimised_payoff(graph, layer, *, source=None, sink=None, exact=True, engine="auto"):
    """``v*`` of a player layer as a :class:`~symgame.payoffs.Payoff`: one maximum flow per coalition asked for.

    The coalition-by-coalition form of :func:`reoptimised_game` for layers too large for its ``2^n``
    table; the sampling estimators of :mod:`symgame.sampling` evaluate only the coalitions they
    sample.  ``exact=True`` flows are exact rationals; ``exact=False`` uses the float path (each
    float value is then taken as the rational number it is).

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
    >>> v = reoptimised_payoff(G, 0)
    >>> v.players, v(0b01), v(0b11), v.evaluations
    ((0, 1), Fraction(1, 4), Fraction(1, 1), 2)
    """
    ev = _Evaluator(graph, layer, source, sink, exact, engine)
    if ev.symbolic:
        raise InvalidFlowError("the graph has symbolic capacities; reoptimised_payoff needs numbers "
                               "(use reoptimised_game for the symbolic game)")

    def batch(masks):
        return [ev(m) for m in masks]

    return Payoff([_player(u) for u in ev.nodes], batch, name=f"v* of layer {layer}")


def reoptimised_shapley_estimate(graph, layer, *, permutations=200, seed=0, source=None, sink=None, exact=False,
                                 engine="auto"):
    """Permutation-sampling **estimate** of the Shapley value of ``v*`` (for layers too large to enumerate).

    Each sampled order adds the layer's nodes one at a time: ``n`` max flows
    per order.  The 95% interval is ``mean ± 1.96 stderr`` (normal
    approximation over orders) — an estimate, never a proof.  Seeded
    (``random.Random(seed)``), so results are reproducible.

    Returns
    -------
    dict
        Player -> :data:`ShapleyEstimate` (floats).

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
    >>> est = reoptimised_shapley_estimate(G, 0, permutations=4)
    >>> est[1].mean, est[1].stderr
    (0.75, 0.0)
    >>> reoptimised_shapley_estimate(G, 0, permutations=1)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: permutations must be an int >= 2 (needed for a standard error), got 1
    """
    check_int(permutations, "permutations", low=2, numpy=False, error=InvalidGameError,
              message="{what} must be an int >= 2 (needed for a standard error), got {value!r}")
    ev = _Evaluator(graph, layer, source, sink, exact, engine)
    n = len(ev.nodes)
    rng = random.Random(seed)
    samples = [[] for _ in range(n)]
    full = float(ev((1 << n) - 1))
    for done in range(1, permutations + 1):
        order = list(range(n))
        rng.shuffle(order)
        mask, prev = 0, 0.0
        for k, i in enumerate(order):
            mask |= 1 << i
            cur = full if k == n - 1 else float(ev(mask))
            samples[i].append(cur - prev)
            prev = cur
        step(f"sampled orders ({n} max flows each)", done, permutations)
    out = {}
    for i, u in enumerate(ev.nodes):
        xs = np.array(samples[i])
        mean = float(xs.mean())
        se = float(xs.std(ddof=1) / math.sqrt(len(xs)))
        out[_player(u)] = ShapleyEstimate(mean, se, mean - 1.96 * se, mean + 1.96 * se, permutations, seed)
    return out


# ---------------------------------------------------------------------- Shapley flow
def shapley_flow(graph, layer, *, source=None, sink=None, game=None, engine="auto"):
    """A maximum flow whose throughputs at ``layer`` are the Shapley values of ``v*``, or a proof that none exists.

    Parameters
    ----------
    graph : networkx.DiGraph
        Layered graph with exact rational capacities.
    layer : int
    game : Game, optional
        ``v*`` if already computed (:func:`reoptimised_game`).
    engine : str or callable
        The exact max-flow engine (:mod:`symgame.flows.engines`).

    Returns
    -------
    ShapleyFlow
        ``(exists, flow, shapley, game, certificate)``.  When it exists,
        ``flow`` is a maximum flow (re-check it with
        :func:`symgame.flows.validate_flow`) and ``certificate`` its
        :data:`~symgame.flows.FlowCertificate`.  Otherwise ``certificate`` is
        the infeasibility certificate of
        :func:`symgame.flows.realise_outflows` with the coalition given as
        players and ``v*`` of it added: a coalition ``C`` whose Shapley mass
        exceeds what the source can send into ``C`` (``"source side"``) or
        what ``C`` can send to the sink (``"sink side"``).

    Notes
    -----
    Construction: the Shapley values are demanded as node throughputs and
    :func:`symgame.flows.realise_outflows` solves the two side networks
    (Gale's theorem).  ``phi`` is efficient, so a realising flow has value
    ``v*(N)``, i.e. it is maximum.  Cost: ``2^n`` max flows for ``v*`` plus
    three.

    Examples
    --------
    >>> from symgame.attention import attention_graph
    >>> G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1)
    >>> res = shapley_flow(G, 0)
    >>> res.exists, res.shapley
    (True, {0: 1/4, 1: 3/4})
    """
    source, sink = graph_ends(graph, source, sink)
    nodes = _layer_nodes(graph, layer, source)
    if game is None:
        game = reoptimised_game(graph, layer, source=source, sink=sink, engine=engine)
    phi = shapley(game)
    demand = {}
    for u in nodes:
        value = phi[_player(u)]
        if not isinstance(value, sp.Rational):
            raise InvalidFlowError(f"Shapley value of {_player(u)!r} is {value}; a Shapley flow needs rational values")
        demand[u] = value
    res = realise_outflows(graph, demand, source, sink, maximum=True, engine=engine)
    if res.realisable:
        return ShapleyFlow(True, res.flow, phi, game, res.certificate)
    cert = dict(res.certificate)
    if "coalition" in cert:
        members = frozenset(_player(u) for u in cert["coalition"])
        cert["coalition"] = members
        cert["v_star"] = game[members]
    return ShapleyFlow(False, None, phi, game, cert)
