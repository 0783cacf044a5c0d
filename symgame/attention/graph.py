"""The layered attention graph: a networkx DiGraph, its array form, and the ONE node-index map between them."""

import networkx as nx
import numpy as np

from ..errors import InvalidAttentionError, NotExactError
from ..flows import FlowNetwork
from .tensors import as_attention, check_output, check_source

__all__ = ["SOURCE", "NodeIndex", "attention_graph", "attention_network", "array_network"]

#: Name of the super-source node of every attention graph.
SOURCE = "source"


class NodeIndex:
    """Where each attention-graph node sits in the array form: ``SOURCE`` is 0, ``(l, i)`` is ``1 + l n + i``.

    The one place that formula is written: :func:`array_network` builds networks with it and every
    array-form computation (explanations, real-model checks, proofs) reads indices from it.
    ``layer`` and ``token`` may be NumPy integer arrays (the formula broadcasts).

    Parameters
    ----------
    layers : int
        ``L``: node layers are ``0..L``.
    tokens : int
        ``n``: tokens per layer.

    Examples
    --------
    >>> index = NodeIndex(2, 3)
    >>> index(0, 0), index(2, 1), index.sink(1), index.layer(1).tolist()
    (1, 8, 8, [4, 5, 6])
    >>> index.nodes()[:3], index.node(8)
    (['source', (0, 0), (0, 1)], (2, 1))
    >>> index(3, 0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: node (3, 0) is not in a graph of layers 0..2 and tokens 0..2
    """

    __slots__ = ("layers", "tokens")

    #: Index of the super-source.
    source = 0

    def __init__(self, layers, tokens):
        self.layers = int(layers)
        self.tokens = int(tokens)

    @classmethod
    def of(cls, att):
        """The index of an :class:`~symgame.attention.tensors.Attention` stack's graph."""
        return cls(att.L, att.n)

    def __call__(self, layer, token):
        """Index of node ``(layer, token)``."""
        if isinstance(layer, (int, np.integer)) and isinstance(token, (int, np.integer)) and not (
                0 <= layer <= self.layers and 0 <= token < self.tokens):
            raise InvalidAttentionError(
                f"node ({layer}, {token}) is not in a graph of layers 0..{self.layers} and tokens "
                f"0..{self.tokens - 1}"
            )
        return 1 + layer * self.tokens + token

    def layer(self, layer):
        """Indices of the nodes of ``layer``, in token order (an int64 array)."""
        return self(layer, np.arange(self.tokens, dtype=np.int64))

    def sink(self, output):
        """Index of the output node ``(L, output)``."""
        return self(self.layers, output)

    def node(self, k):
        """The node at index ``k`` (inverse of the call)."""
        if k == self.source:
            return SOURCE
        layer, token = divmod(int(k) - 1, self.tokens)
        return (layer, token)

    def nodes(self):
        """All nodes in index order: ``[SOURCE, (0, 0), ..., (L, n - 1)]``."""
        return [SOURCE] + [(l, i) for l in range(self.layers + 1) for i in range(self.tokens)]

    def __repr__(self):
        return f"NodeIndex(layers={self.layers}, tokens={self.tokens})"


def attention_graph(attention, *, output=None, source="all", **options):
    """The attention graph as a :class:`networkx.DiGraph` (conventions in the module notes).

    Parameters
    ----------
    attention : see :func:`as_attention`
    output : int, optional
        Output token ``k``; the sink is node ``(L, k)``.
    source : "all" or int
        ``"all"``: the super-source feeds every input token; ``j``: only ``(0, j)``.
    **options
        ``head``, ``residual``, ``normalised``, ``exact``, ``tokens``,
        ``tolerance`` as in :func:`as_attention`.

    Notes
    -----
    O(L n^2) edges; for float input of model size prefer
    :func:`attention_network` (array form, vectorised).

    Examples
    --------
    >>> G = attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1, source=0)
    >>> sorted(G.successors("source")), G.graph["kind"]
    ([(0, 0)], 'rational')
    >>> attention_graph([[[1, 0], [0, 1]]], output=2)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: output 2 is not a token index; expected an int in 0..1
    """
    att = as_attention(attention, **options)
    sink = None if output is None else (att.L, check_output(att, output))
    source = check_source(att, source)
    G = nx.DiGraph(source=SOURCE, sink=sink, layers=att.L, tokens=att.n, kind=att.kind,
                   token_labels=att.tokens, residual=att.residual)
    G.add_node(SOURCE, layer=-1)
    for l in range(att.L + 1):
        for i in range(att.n):
            attrs = {"layer": l, "token": i}
            if att.tokens is not None:
                attrs["label"] = att.tokens[i]
            G.add_node((l, i), **attrs)
    for i in range(att.n):
        if source == "all" or source == i:
            G.add_edge(SOURCE, (0, i))
    for l in range(1, att.L + 1):
        for i in range(att.n):
            for j in range(att.n):
                c = att.entry(l, i, j)
                if c != 0:
                    G.add_edge((l - 1, j), (l, i), capacity=c)
    return G


def attention_network(attention, *, source="all", **options):
    """The attention graph in array form (:class:`~symgame.flows.FlowNetwork`), vectorised.

    Node indices are those of :class:`NodeIndex` (``SOURCE`` is 0).

    Examples
    --------
    >>> net = attention_network(np.array([[[1.0, 0.0], [0.5, 0.5]]]))
    >>> net.nodes[:3], len(net.tails)
    (['source', (0, 0), (0, 1)], 5)
    """
    att = as_attention(attention, **options)
    return array_network(att, check_source(att, source))


def array_network(att, source):
    """The :class:`~symgame.flows.FlowNetwork` of a checked :class:`~symgame.attention.tensors.Attention`
    (``source``: ``"all"`` or a checked token), node indices from :class:`NodeIndex`.

    Examples
    --------
    >>> from symgame.attention.tensors import as_attention
    >>> array_network(as_attention([[[1, 0], ["1/2", "1/2"]]]), 0).max_flow(0, NodeIndex(1, 2).sink(1))[0]
    Fraction(1, 2)
    """
    index = NodeIndex.of(att)
    n = att.n
    nodes = index.nodes()
    src_heads = index.layer(0) if source == "all" else np.array([index(0, source)])
    if att.kind == "float":
        A = att.data
        l_idx, i_idx, j_idx = np.nonzero(A)
        tails = np.concatenate([np.zeros(len(src_heads), dtype=np.int64), index(l_idx, j_idx)])
        heads = np.concatenate([src_heads, index(l_idx + 1, i_idx)])
        caps = np.concatenate([np.full(len(src_heads), np.inf), A[l_idx, i_idx, j_idx]])
        return FlowNetwork(nodes, tails, heads, caps)
    if att.kind == "symbolic":
        raise NotExactError("symbolic attention has no array network; use attention_graph and the symbolic max flow")
    tails = [index.source] * len(src_heads)
    heads = src_heads.tolist()
    caps = [None] * len(src_heads)
    for l in range(1, att.L + 1):
        m = att.data[l - 1]
        for i in range(n):
            row = m[i]
            for j in range(n):
                if row[j] != 0:
                    tails.append(index(l - 1, j))
                    heads.append(index(l, i))
                    caps.append(row[j])
    return FlowNetwork(nodes, tails, heads, caps)
