"""Flow networks: exact max flows and their certificates, what all max flows do at a node, flow games.

Flow networks are plain :class:`networkx.DiGraph`\\ s.  Edge attribute
``capacity`` holds the capacity; an edge *without* it has unbounded capacity
(the networkx convention).  Capacities are exact numbers (``int``,
:class:`fractions.Fraction`, :class:`sympy.Rational`; a ``float`` is taken as
the binary rational it is).  A flow is a dict of dicts ``flow[u][v]``, as
networkx returns it; the exact functions return :class:`~fractions.Fraction`
values.

One module a job (as networkx's ``algorithms/flow``): :mod:`~symgame.flows.network` (the array
form), one module per exact max-flow engine (:mod:`~symgame.flows.dinic`,
:mod:`~symgame.flows.scipy`, :mod:`~symgame.flows.networkx`, :mod:`~symgame.flows.ortools`; the table and the protocol in
:mod:`~symgame.flows.engines`), :mod:`~symgame.flows.floatflow` (the float fast path),
:mod:`~symgame.flows.maxflow` (max flow, min cut, validation, throughputs),
:mod:`~symgame.flows.outflows` (outflow ranges and realisation), :mod:`~symgame.flows.symbolic`
(symbolic max flow) and :mod:`~symgame.flows.games` (the flow games).  Every function that runs
exact max flows takes ``engine=``: ``"auto"`` (default), ``"dinic"``, ``"scipy"``,
``"networkx"``, ``"ortools"``, or a callable following the protocol (``method=`` is the old spelling).

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

from .engines import ENGINES, ORTOOLS_MIN_EDGES, SCIPY_MIN_EDGES, get_engine
from .games import (
    MAX_REOPTIMISED_PLAYERS,
    ShapleyEstimate,
    ShapleyFlow,
    fixed_flow_game,
    path_decomposition,
    reoptimised_game,
    reoptimised_payoff,
    reoptimised_shapley_estimate,
    shapley_flow,
)
from .maxflow import (
    FlowCertificate,
    max_flow,
    max_flow_float,
    max_flow_value,
    min_cut,
    throughputs,
    validate_flow,
)
from .network import FlowNetwork
from .outflows import OutflowRange, Realisation, outflow_range, outflow_ranges, realise_outflows
from .symbolic import MAX_SYMBOLIC_CUT_NODES, symbolic_max_flow_value

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
    "ORTOOLS_MIN_EDGES",
    "MAX_SYMBOLIC_CUT_NODES",
    "ENGINES",
    "get_engine",
    "fixed_flow_game",
    "reoptimised_game",
    "reoptimised_shapley_estimate",
    "reoptimised_payoff",
    "shapley_flow",
    "path_decomposition",
    "ShapleyFlow",
    "ShapleyEstimate",
    "MAX_REOPTIMISED_PLAYERS",
]
