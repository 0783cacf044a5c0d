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
from .flows import games as new_home

__all__ = [*new_home.__all__, "masking_game"]


def __getattr__(name):
    """The flow games, looked up in :mod:`symgame.flows.games` (PEP 562), so old imports keep working."""
    if name in new_home.__all__:
        return getattr(new_home, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
