"""Attention tensors as layered flow networks, the explanations computed from them, and the masking game.

Modules: :mod:`~symgame.attention.tensors` (validation and loading),
:mod:`~symgame.attention.graph` (the layered graph, its array form and the one node-index map
:class:`NodeIndex`), :mod:`~symgame.attention.methods` (each explanation method and the method
table :data:`METHODS`), :mod:`~symgame.attention.explanation` (:func:`explain`, every method at
once) and :mod:`~symgame.attention.masking` (the attention-masking game of one row).

An attention tensor has shape ``(L, n, n)`` (or ``(L, H, n, n)`` with heads):
``A^l = attention[l-1]`` and row ``i`` of ``A^l`` is token ``i``'s attention
over the tokens of layer ``l-1``.  The **attention graph** has layers
``0..L`` of ``n`` nodes ``(layer, token)`` and an edge ``(l-1, j) -> (l, i)``
with ``capacity = A^l[i, j]`` (Abnar & Zuidema 2020).

Graph conventions (a plain :class:`networkx.DiGraph`):

* node ``(l, i)`` with attributes ``layer=l``, ``token=i`` and, when tokens
  are known, ``label``;
* the super-source node ``SOURCE == "source"`` (attribute ``layer=-1``) with
  edges of *unbounded* capacity (no ``capacity`` attribute, the networkx
  convention) to every layer-0 node (``source="all"``) or to one input token
  (``source=j``);
* the sink is the output node ``(L, k)`` itself (``output=k``);
* ``graph.graph`` holds ``source``, ``sink`` (or ``None``), ``layers`` (L),
  ``tokens`` (n), ``kind`` (``"rational"``, ``"symbolic"`` or ``"float"``)
  and ``token_labels``;
* capacities are :class:`fractions.Fraction` (rational input), SymPy
  expressions (symbolic input) or ``float``; edges of capacity exactly 0 are
  left out.

Accepted inputs (see :func:`as_attention`): NumPy arrays, nested lists of
numbers, ``Fraction``\\ s, SymPy expressions or strings (``"253/1000"``), a
list of SymPy matrices, a dict ``{"attention": ..., "tokens": [...]}``, or
the path of a ``.json``, ``.npy`` or ``.npz`` file (see :func:`load_attention`).

Examples
--------
>>> att = [[["1", "0", "0"], ["1/2", "1/2", "0"], ["1/3", "1/3", "1/3"]]]
>>> G = attention_graph(att, output=2)
>>> G.edges[(0, 1), (1, 2)]["capacity"], G.graph["sink"]
(Fraction(1, 3), (1, 2))
>>> rollout(att, output=2)
{0: 1/3, 1: 1/3, 2: 1/3}
>>> attention_graph([[["1", "1"], ["0", "1"]]], output=0)
Traceback (most recent call last):
...
symgame.errors.InvalidAttentionError: row 0 of attention[0] sums to 2; expected 1 (pass normalised=False to allow non-negative unnormalised weights)
"""

from .explanation import MAX_EXACT_SHAPLEY_PLAYERS, Explanation, explain
from .graph import SOURCE, NodeIndex, array_network, attention_graph, attention_network
from .masking import attention_masking_game
from .methods import (
    COLUMNS,
    METHODS,
    Method,
    attention_flow_az,
    attention_flow_ej,
    flow_leave_one_out,
    method,
    raw_attention,
    rollout,
    rollout_matrix,
)
from .tensors import ROW_SUM_TOLERANCE, Attention, as_attention, load_attention

__all__ = [
    "Attention",
    "SOURCE",
    "ROW_SUM_TOLERANCE",
    "as_attention",
    "load_attention",
    "attention_graph",
    "attention_network",
    "array_network",
    "NodeIndex",
    "raw_attention",
    "rollout_matrix",
    "rollout",
    "attention_flow_az",
    "attention_flow_ej",
    "flow_leave_one_out",
    "Method",
    "METHODS",
    "COLUMNS",
    "method",
    "explain",
    "Explanation",
    "MAX_EXACT_SHAPLEY_PLAYERS",
    "attention_masking_game",
]
