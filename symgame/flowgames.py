"""Old import path of the flow games and the attention-masking game; re-exports them from their new homes.

The flow games live in :mod:`symgame.flows.games`, the attention-masking game in
:mod:`symgame.attention.masking`.

Examples
--------
>>> from symgame.flowgames import reoptimised_game
>>> from symgame.flows.games import reoptimised_game as new
>>> reoptimised_game is new
True
"""

from .attention.masking import masking_game
from .flows.games import (
    MAX_REOPTIMISED_PLAYERS,
    ShapleyEstimate,
    ShapleyFlow,
    fixed_flow_game,
    path_decomposition,
    reoptimised_game,
    reoptimised_shapley_estimate,
    shapley_flow,
)

__all__ = [
    "fixed_flow_game",
    "reoptimised_game",
    "reoptimised_shapley_estimate",
    "masking_game",
    "shapley_flow",
    "path_decomposition",
    "ShapleyFlow",
    "ShapleyEstimate",
    "MAX_REOPTIMISED_PLAYERS",
]
