"""Regenerate the README's figures: ``python docs/figures.py`` (needs matplotlib).

Draws the worked example's attention graph with edge widths proportional to a maximum flow,
and its explanations side by side, into ``docs/attention_2x3.png``.
"""

import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from symgame.attention import attention_graph, load_attention  # noqa: E402
from symgame.explain import explain  # noqa: E402
from symgame.flows import max_flow  # noqa: E402
from symgame.plotting import draw_attention_graph, plot_explanations  # noqa: E402

__all__ = ["main"]

HERE = pathlib.Path(__file__).resolve().parent


def main():
    """Write docs/attention_2x3.png."""
    attention = load_attention(HERE.parent / "examples" / "attention_2x3.json")
    graph = attention_graph(attention, output=1)
    _, flow = max_flow(graph)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    draw_attention_graph(graph, flow=flow, ax=left,
                         title="maximum flow into (2, film)")
    plot_explanations(explain(attention, output=1), ax=right, title="explanations of 'film'")
    fig.tight_layout()
    out = HERE / "attention_2x3.png"
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
