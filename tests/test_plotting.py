"""Tests for symgame.plotting (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from symgame.attention import attention_graph  # noqa: E402
from symgame.errors import InvalidAttentionError, InvalidFlowError  # noqa: E402
from symgame.explain import explain  # noqa: E402
from symgame.flowgames import shapley_flow  # noqa: E402
from symgame.plotting import draw_attention_graph, plot_explanations  # noqa: E402

A = [[["1/2", "1/2", "0"], ["1/4", "1/2", "1/4"], ["0", "1/4", "3/4"]],
     [["1/2", "1/4", "1/4"], ["0", "1/2", "1/2"], ["1/4", "1/4", "1/2"]]]


def test_edge_widths_follow_capacity_and_flow(tmp_path):
    G = attention_graph(A, output=2, tokens=["the", "film", "rocks"])
    ax = draw_attention_graph(G)
    widths = sorted(line.get_linewidth() for line in ax.lines)
    assert len(ax.lines) == G.number_of_edges() - 3  # source edges are not drawn
    assert widths[-1] == 6.0 and widths[0] == pytest.approx(6.0 * 0.25 / 0.75)
    flow = shapley_flow(G, 0).flow
    fig, ax2 = plt.subplots()
    draw_attention_graph(G, flow=flow, ax=ax2)
    assert {t.get_text() for t in ax2.texts} >= {"the", "film", "rocks"}
    assert max(line.get_linewidth() for line in ax2.lines) == 6.0
    fig.savefig(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").stat().st_size > 0
    plt.close("all")


def test_bar_chart_of_an_explanation():
    r = explain(A, output=2)
    ax = plot_explanations(r, columns=["rollout", "Shapley v*"])
    assert len(ax.patches) == 2 * 3
    heights = [p.get_height() for p in ax.patches]
    assert heights[:3] == [float(r.columns["rollout"][i]) for i in range(3)]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    plt.close("all")


def test_plotting_bad_input():
    with pytest.raises(InvalidFlowError, match="from attention_graph"):
        draw_attention_graph(object())
    with pytest.raises(InvalidAttentionError, match="explanations is empty"):
        plot_explanations({})
