"""Old import path of the real-model checks (now :mod:`symgame.models.checks`); re-exports it."""

from .models.checks import (
    DEFAULT_CHECK_SENTENCE,
    MAX_CHECK_TOKENS,
    real_attention_graph,
    real_model_checks,
)

__all__ = [
    "DEFAULT_CHECK_SENTENCE",
    "MAX_CHECK_TOKENS",
    "real_attention_graph",
    "real_model_checks",
]
