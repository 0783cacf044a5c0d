"""Old import path of the real-model sentence explanation (now :mod:`symgame.models.explanation`); re-exports it."""

from .models.explanation import (
    MAX_EXACT_GRAPH_TOKENS,
    MAX_EXPLAIN_PLAYERS,
    SentenceExplanation,
    explain_sentence,
)

__all__ = [
    "SentenceExplanation",
    "explain_sentence",
    "MAX_EXACT_GRAPH_TOKENS",
    "MAX_EXPLAIN_PLAYERS",
]
