"""Old import path of :func:`explain` (now :mod:`symgame.attention.explanation`); re-exports it.

Examples
--------
>>> from symgame.explain import explain
>>> explain([[[1, 0], ["1/4", "3/4"]]], output=1).columns["shapley"]
{0: 1/4, 1: 3/4}
"""

from .attention.explanation import COLUMNS, MAX_EXACT_SHAPLEY_PLAYERS, METHODS, Explanation, explain

__all__ = ["explain", "Explanation", "MAX_EXACT_SHAPLEY_PLAYERS", "COLUMNS", "METHODS"]
