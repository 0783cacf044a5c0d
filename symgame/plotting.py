"""Pictures: attention graphs with edge widths proportional to flow or capacity, explanations side by side.

matplotlib is imported only when a function is called (the ``plot`` extra:
``pip install symgame[plot]``); without it a
:class:`~symgame.errors.MissingDependencyError` names the extra.  The
functions draw on a given ``ax`` or a new figure and return the ``Axes``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from symgame.attention import attention_graph
>>> ax = draw_attention_graph(attention_graph([[[1, 0], ["1/4", "3/4"]]], output=1))
>>> len(ax.lines) > 0
True
>>> draw_attention_graph("graph")
Traceback (most recent call last):
...
symgame.errors.InvalidFlowError: graph must be a networkx.DiGraph from attention_graph, got str
"""

import os

import networkx as nx

from .errors import InvalidAttentionError, InvalidFlowError, MissingDependencyError
from .jsonio import atomic_path

__all__ = ["draw_attention_graph", "plot_explanations", "save_figure"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "plotting needs matplotlib; install the extra with: pip install 'symgame[plot]'"
        ) from exc
    return plt


def draw_attention_graph(graph, *, flow=None, ax=None, max_width=6.0, labels=True, title=None):
    """Draw an attention graph: layers bottom to top, tokens left to right.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`symgame.attention.attention_graph`.
    flow : dict of dicts, optional
        When given, edge widths are proportional to the flow (edges without
        flow are drawn faintly); otherwise to the capacity.
    ax : matplotlib Axes, optional
    max_width : float
        Line width of the largest edge.
    labels : bool
        Write token labels under the input layer and above the output layer.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The super-source and its unbounded edges are not drawn; the sink node is
    drawn in red.  Numbers are converted to float for drawing only.
    """
    if not isinstance(graph, nx.DiGraph) or "layers" not in graph.graph:
        raise InvalidFlowError(
            f"graph must be a networkx.DiGraph from attention_graph, got {type(graph).__name__}"
        )
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 + 1.1 * graph.graph["tokens"], 1.0 + 1.1 * graph.graph["layers"]))
    source, sink = graph.graph.get("source"), graph.graph.get("sink")
    weights = {}
    for u, v, d in graph.edges(data=True):
        if u == source:
            continue
        if flow is not None:
            weights[(u, v)] = float(flow.get(u, {}).get(v, 0))
        else:
            weights[(u, v)] = float(d["capacity"])
    top = max(weights.values(), default=0.0) or 1.0
    for (u, v), w in weights.items():
        (l0, i0), (l1, i1) = u, v
        width = max_width * w / top
        faint = w == 0
        ax.plot([i0, i1], [l0, l1], color="0.85" if faint else "tab:blue", linewidth=0.5 if faint else width,
                alpha=0.9, zorder=1, solid_capstyle="round")
    layer_nodes = [u for u in graph.nodes if u != source]
    xs = [u[1] for u in layer_nodes]
    ys = [u[0] for u in layer_nodes]
    colors = ["tab:red" if u == sink else "white" for u in layer_nodes]
    ax.scatter(xs, ys, s=160, c=colors, edgecolors="black", zorder=2)
    L, n = graph.graph["layers"], graph.graph["tokens"]
    tokens = graph.graph.get("token_labels") or [str(i) for i in range(n)]
    if labels:
        for i, text in enumerate(tokens):
            ax.text(i, -0.35, text, ha="center", va="top", fontsize=9)
            ax.text(i, L + 0.35, text, ha="center", va="bottom", fontsize=9)
    ax.set_yticks(range(L + 1))
    ax.set_yticklabels([f"layer {l}" for l in range(L + 1)])
    ax.set_xticks([])
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(-0.8, L + 0.8)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if title is None:
        title = "attention flow (edge width = flow)" if flow is not None else "attention graph (edge width = capacity)"
    ax.set_title(title)
    return ax


def plot_explanations(explanations, *, columns=None, labels=None, ax=None, title=None):
    """Explanations side by side as a grouped bar chart (one group per token).

    Parameters
    ----------
    explanations : Explanation or Mapping
        The result of :func:`symgame.explain.explain`, or a mapping
        ``method name -> {token: value}``.
    columns : sequence of str, optional
        Which methods to show (default: all of them).
    labels : sequence of str, optional
        Token labels (default: from the explanation, else the token keys).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_explanations({"rollout": {0: 0.25, 1: 0.75}, "Shapley": {0: 0.5, 1: 0.5}})
    >>> len(ax.patches)
    4
    >>> plot_explanations({"rollout": {0: 1}}, columns=["LOO"])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: unknown explanation column 'LOO'; available: ['rollout']
    """
    plt = _pyplot()
    if hasattr(explanations, "columns") and hasattr(explanations, "players"):
        from .attention import COLUMNS

        data = {COLUMNS.get(k, k): v for k, v in explanations.columns.items()}
        players = list(explanations.players)
        if labels is None:
            labels = list(explanations.labels)
    else:
        data = dict(explanations)
        if not data:
            raise InvalidAttentionError("explanations is empty; expected method name -> {token: value}")
        players = list(next(iter(data.values())))
    if columns is None:
        columns = list(data)
    for c in columns:
        if c not in data:
            raise InvalidAttentionError(f"unknown explanation column {c!r}; available: {list(data)}")
    if labels is None:
        labels = [str(p) for p in players]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.9 * len(players) * max(1, len(columns)) / 3), 3.2))
    width = 0.8 / max(1, len(columns))
    for k, c in enumerate(columns):
        vals = [float(data[c][p]) for p in players]
        ax.bar([i - 0.4 + width * (k + 0.5) for i in range(len(players))], vals, width=width, label=c)
    ax.set_xticks(range(len(players)))
    ax.set_xticklabels(labels, rotation=30 if max(map(len, labels), default=0) > 4 else 0)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.legend(fontsize=8, ncol=2)
    ax.set_title(title or "explanations side by side")
    return ax


def save_figure(figure, path, **savefig_options):
    """Save a figure (or the figure of an ``Axes``) to ``path`` atomically: drawn into a temporary
    file next to it, then moved over it, so a failed draw leaves an existing file as it was.

    The format comes from the suffix (``.png``, ``.pdf``, ``.svg``); ``savefig_options`` go to
    :meth:`matplotlib.figure.Figure.savefig`.  Returns ``path``.

    Examples
    --------
    >>> import matplotlib, pathlib, tempfile
    >>> matplotlib.use("Agg")
    >>> ax = plot_explanations({"shapley": {0: 0.5, 1: 0.5}})
    >>> p = save_figure(ax, pathlib.Path(tempfile.mkdtemp()) / "phi.png")
    >>> p.read_bytes()[:4]
    b'\\x89PNG'
    """
    fig = getattr(figure, "figure", figure)  # an Axes knows its figure
    if not hasattr(fig, "savefig"):
        raise InvalidFlowError(f"save_figure needs a matplotlib Figure or Axes, got {type(figure).__name__}")
    suffix = os.path.splitext(os.fspath(path))[1].lstrip(".")
    savefig_options.setdefault("format", suffix or "png")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, **savefig_options)
    return path
