"""Multi-choice games (players with several activity levels), their values, axiom checks and attention games.

Examples
--------
>>> g = MultiChoiceGame(["a", "b"], [2, 1], {(2, 1): 6}, default=0)
>>> van_den_nouweland(g) == hsiao_raghavan(g, [1, 2])
True
"""

from .game import FORMAT, MAX_LEVEL_VECTORS, MultiChoiceGame
from .values import (
    VALUES,
    cumulative,
    derks_peters,
    dividends,
    hsiao_raghavan,
    level_weights,
    player_totals,
    van_den_nouweland,
)

__all__ = ["MultiChoiceGame", "FORMAT", "MAX_LEVEL_VECTORS", "dividends", "hsiao_raghavan", "derks_peters",
           "van_den_nouweland", "cumulative", "player_totals", "level_weights", "VALUES"]
