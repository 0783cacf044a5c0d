"""The explanation methods of an attention tensor (raw attention, rollout, A&Z and E&J flows, LOO) and their table."""

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import InvalidAttentionError, NotExactError
from ..flows import symbolic_max_flow_value
from .graph import NodeIndex, array_network, attention_graph
from .tensors import as_attention, check_layer, check_output, check_source, exact_value, public_value

__all__ = ["raw_attention", "rollout_matrix", "rollout", "attention_flow_az", "attention_flow_ej", "flow_leave_one_out",
           "az_values", "ej_outflows", "max_flow_value_of", "Method", "METHODS", "COLUMNS", "method"]


def raw_attention(attention, *, output, layer=None, **options):
    """Raw attention of token ``output`` at ``layer`` (``1..L``, default ``L``): row ``A^layer[output, :]``.

    Returns a dict token -> weight (SymPy for exact input, float for float input).

    Examples
    --------
    >>> raw_attention([[[1, 0], ["1/4", "3/4"]]], output=1)
    {0: 1/4, 1: 3/4}
    >>> raw_attention([[[1, 0], [0, 1]]], output=0, layer=0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: layer 0 is out of range; expected an int in 1..1
    """
    att = as_attention(attention, **options)
    k = check_output(att, output)
    layer = att.L if layer is None else check_layer(att, layer, low=1)
    return {j: public_value(att.entry(layer, k, j)) for j in range(att.n)}


def rollout_matrix(attention, *, layer=0, **options):
    """Attention rollout ``Â^L ··· Â^{layer+1}`` (Abnar & Zuidema 2020), exact for exact input.

    Entry ``[k, j]`` is the rollout attribution of output token ``k`` to
    token ``j`` of layer ``layer``.  Residual mixing is applied only when
    ``residual=True`` is passed.  Exact input gives a SymPy ``Matrix``
    (rational products in integer arithmetic), float input a NumPy array.
    Cost O(L n^3).

    Examples
    --------
    >>> rollout_matrix([[[1, 0], ["1/2", "1/2"]], [["1/2", "1/2"], [0, 1]]])
    Matrix([
    [3/4, 1/4],
    [1/2, 1/2]])
    >>> rollout_matrix([[[1, 0], [0, 1]]], layer=2)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: layer 2 is out of range; expected an int in 0..1
    """
    att = as_attention(attention, **options)
    layer = check_layer(att, layer)
    n = att.n
    if att.kind == "float":
        R = np.eye(n)
        for l in range(layer + 1, att.L + 1):
            R = att.data[l - 1] @ R
        return R
    if att.kind == "rational":
        R = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
        for l in range(layer + 1, att.L + 1):
            A = att.data[l - 1]
            R = [[sum((A[i][m] * R[m][j] for m in range(n)), Fraction(0)) for j in range(n)] for i in range(n)]
        return sp.Matrix([[exact_value(x) for x in row] for row in R])
    R = sp.eye(n)
    for l in range(layer + 1, att.L + 1):
        R = (att.matrix(l) * R).applyfunc(sp.expand)
    return R


def rollout(attention, *, output, layer=0, **options):
    """Rollout attribution of output token ``output`` to each token of ``layer``: row ``output`` of
    :func:`rollout_matrix`, as a dict.

    Examples
    --------
    >>> rollout([[[1, 0], ["1/2", "1/2"]], [["1/2", "1/2"], [0, 1]]], output=0)
    {0: 3/4, 1: 1/4}
    """
    att = as_attention(attention, **options)
    k = check_output(att, output)
    R = rollout_matrix(att, layer=layer)
    return {j: public_value(R[k, j]) for j in range(att.n)}


def max_flow_value_of(att, net, s, t, keep=None, engine="auto"):
    """Max-flow value between node indices of ``net``: the float path for float attention, else exact.

    Examples
    --------
    >>> att = as_attention([[[1, 0], ["1/4", "3/4"]]])
    >>> max_flow_value_of(att, array_network(att, "all"), 0, NodeIndex.of(att).sink(1))
    Fraction(1, 1)
    """
    if att.kind == "float":
        return net.max_flow_value_float(s, t, keep=keep)
    return net.max_flow(s, t, keep=keep, engine=engine)[0]


def attention_flow_az(attention, *, output, layer=0, normalise=True, engine="auto", **options):
    """Attention flow as Abnar & Zuidema release it: one max flow per token pair, normalised.

    For each token ``j`` of ``layer``: ``maxflow((layer, j) -> (L, output))``
    in the attention graph (no super-source); then the values are divided by
    their sum (``normalise=True``; all zeros stay zeros).  ``engine`` is the exact max-flow engine
    (:mod:`symgame.flows.engines`).

    Exact input: exact max flows (symbolic input: ``Min`` over cuts, small
    graphs only).  Float input: the fast path.  Cost: ``n`` max flows.

    Examples
    --------
    >>> att = [[[1, 0], ["1/2", "1/2"]], [["1/2", "1/2"], [0, 1]]]
    >>> attention_flow_az(att, output=0)
    {0: 2/3, 1: 1/3}
    >>> attention_flow_az(att, output=0, normalise=False)
    {0: 1, 1: 1/2}
    >>> attention_flow_az(att, output=-1)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: output -1 is not a token index; expected an int in 0..1
    """
    att = as_attention(attention, **options)
    k = check_output(att, output)
    layer = check_layer(att, layer)
    n = att.n
    if att.kind == "symbolic":
        G = attention_graph(att, output=k)
        values = {}
        for j in range(n):
            if layer == att.L:
                values[j] = sp.Integer(1) if j == k else sp.Integer(0)
            else:
                values[j] = symbolic_max_flow_value(G, (layer, j), (att.L, k))
    else:
        values = az_values(att, array_network(att, "all"), k, layer, engine)
    if normalise:
        total = sum(values.values(), 0 * values[0])
        if total != 0:
            values = {j: v / total for j, v in values.items()}
    return {j: public_value(v) for j, v in values.items()}


def az_values(att, net, k, layer, engine="auto"):
    """Unnormalised A&Z values on ``net`` (any source: the per-pair flows never use the super-source).

    Examples
    --------
    >>> att = as_attention([[[1, 0], ["1/2", "1/2"]], [["1/2", "1/2"], [0, 1]]])
    >>> az_values(att, array_network(att, "all"), 0, 0)
    {0: Fraction(1, 1), 1: Fraction(1, 2)}
    """
    index = NodeIndex.of(att)
    t = index.sink(k)
    values = {}
    for j, s in enumerate(index.layer(layer).tolist()):
        if s == t:
            values[j] = Fraction(1) if att.kind == "rational" else 1.0
        else:
            values[j] = max_flow_value_of(att, net, s, t, engine=engine)
    return values


def attention_flow_ej(attention, *, output, layer=0, source="all", engine="auto", method=None, **options):
    """Attention flow as Ethayarajh & Jurafsky use it: the outflows of ``layer`` in one maximum flow.

    One maximum flow from the super-source to ``(L, output)``; the
    explanation of token ``i`` is the flow through node ``(layer, i)``.
    Maximum flows are not unique: this is the flow the engine returns (see
    :func:`symgame.flows.outflow_ranges` for the range over all of them).  ``engine`` picks the
    exact max-flow engine (:mod:`symgame.flows.engines`; ``method=`` is its old spelling).

    Examples
    --------
    >>> attention_flow_ej([[[1, 0], ["1/4", "3/4"]]], output=1)
    {0: 1/4, 1: 3/4}
    >>> attention_flow_ej([[[1, 0], [0, 1]]], output=0, layer=3)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: layer 3 is out of range; expected an int in 0..1
    """
    att = as_attention(attention, **options)
    k = check_output(att, output)
    layer = check_layer(att, layer)
    source = check_source(att, source)
    if att.kind == "symbolic":
        raise NotExactError("a maximum flow of a symbolic graph is not defined; substitute numbers first")
    return ej_outflows(att, array_network(att, source), k, layer, engine if method is None else method)


def ej_outflows(att, net, k, layer, engine="auto"):
    """The E&J explanation on ``net``: the flow into each node of ``layer`` in one maximum flow to ``(L, k)``.

    Examples
    --------
    >>> att = as_attention([[[1, 0], ["1/4", "3/4"]]])
    >>> ej_outflows(att, array_network(att, "all"), 1, 0)
    {0: 1/4, 1: 3/4}
    """
    index = NodeIndex.of(att)
    t = index.sink(k)
    nodes = index.layer(layer)
    if att.kind == "float":
        value, flows = net.max_flow_float(index.source, t)
        into = np.bincount(net.heads, weights=flows, minlength=len(net.nodes))[nodes]
        return {i: float(into[i]) for i in range(att.n)}
    value, flows = net.max_flow(index.source, t, engine=engine)
    out = {}
    for i, node in enumerate(nodes.tolist()):
        out[i] = public_value(sum((flows[e] for e in np.flatnonzero(net.heads == node)), 0 * flows[0]))
    return out


def flow_leave_one_out(attention, *, output, layer=0, source="all", engine="auto", **options):
    """Leave-one-out on flows: ``v*(N) - v*(N \\ {i})`` for the re-optimised game of ``layer``.

    ``v*(S)`` is the maximum-flow value with the nodes of ``layer`` outside
    ``S`` removed.  Cost: ``n + 1`` max flows (``engine``: :mod:`symgame.flows.engines`).

    Examples
    --------
    >>> flow_leave_one_out([[[1, 0], ["1/4", "3/4"]]], output=1)
    {0: 1/4, 1: 3/4}
    """
    att = as_attention(attention, **options)
    k = check_output(att, output)
    layer = check_layer(att, layer)
    source = check_source(att, source)
    n = att.n
    if att.kind == "symbolic":
        G = attention_graph(att, output=k, source=source)
        full = symbolic_max_flow_value(G)
        out = {}
        for i in range(n):
            H = G.copy()
            H.remove_node((layer, i))
            out[i] = full - symbolic_max_flow_value(H) if (att.L, k) in H else full
        return out
    net = array_network(att, source)
    index = NodeIndex.of(att)
    t = index.sink(k)
    full = max_flow_value_of(att, net, index.source, t, engine=engine)
    out = {}
    for i, node in enumerate(index.layer(layer).tolist()):
        if node == t:
            out[i] = public_value(full)
            continue
        keep = net.heads != node
        out[i] = public_value(full - max_flow_value_of(att, net, index.source, t, keep=keep, engine=engine))
    return out


# ---------------------------------------------------------------------- the method table
@dataclass(frozen=True)
class Method:
    """One explanation method: its key, its headings, and the function that computes it alone.

    Attributes
    ----------
    name : str
        The key in :attr:`Explanation.columns <symgame.attention.explanation.Explanation>`, JSON
        reports and plots (``"az_flow"``).
    heading : str
        The short column heading of explanation tables (``"A&Z flow"``).
    title : str
        The name in faithfulness tables (:mod:`symgame.models.faithfulness`).
    function : callable or None
        ``function(attention, *, output, layer=0, ...)`` computing the method alone (``None``: only
        :func:`~symgame.attention.explanation.explain` computes it, from the other methods' flows).
    faithfulness : bool
        Whether the faithfulness comparison ranks this method against the model's Shapley values.
    """

    name: str
    heading: str
    title: str
    function: object = field(default=None, repr=False, compare=False)
    faithfulness: bool = True


#: The explanation methods, in report order: the one list explain, faithfulness and the plots read.
METHODS = (
    Method("raw_attention", "raw attn", "raw attention", raw_attention),
    Method("rollout", "rollout", "rollout", rollout),
    Method("az_flow", "A&Z flow", "A&Z flow", attention_flow_az),
    Method("ej_flow", "E&J flow", "E&J flow", attention_flow_ej),
    Method("ej_low", "E&J min", "E&J min", faithfulness=False),
    Method("ej_high", "E&J max", "E&J max", faithfulness=False),
    Method("shapley", "Shapley v*", "Shapley flow"),
    Method("loo", "LOO v*", "LOO (flow)", flow_leave_one_out),
)

#: Column key -> heading, in report order (derived from :data:`METHODS`).
COLUMNS = {m.name: m.heading for m in METHODS}


def method(name):
    """The :class:`Method` called ``name``: its key (``"az_flow"``), heading or title.

    Examples
    --------
    >>> method("A&Z flow").name, method("loo").title
    ('az_flow', 'LOO (flow)')
    >>> method("saliency")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: unknown explanation method 'saliency'; expected one of raw_attention, rollout, az_flow, ej_flow, ej_low, ej_high, shapley, loo
    """
    for m in METHODS:
        if name in (m.name, m.heading, m.title):
            return m
    raise InvalidAttentionError(
        f"unknown explanation method {name!r}; expected one of {', '.join(m.name for m in METHODS)}"
    )
