"""Old import path of the faithfulness comparison (now :mod:`symgame.models.faithfulness`); re-exports it."""

from .models.faithfulness import (
    DEFAULT_SENTENCES,
    FaithfulnessTable,
    METHODS,
    MOVIE_REVIEW,
    MOVIE_REVIEW_SHORT,
    SentenceFaithfulness,
    attention_explanations,
    faithfulness_table,
    rank_correlations,
)

__all__ = [
    "METHODS",
    "MOVIE_REVIEW",
    "MOVIE_REVIEW_SHORT",
    "DEFAULT_SENTENCES",
    "attention_explanations",
    "rank_correlations",
    "SentenceFaithfulness",
    "FaithfulnessTable",
    "faithfulness_table",
]
