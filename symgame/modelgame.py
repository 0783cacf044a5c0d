"""Old import path of the model masking game (now :mod:`symgame.models.masking`); re-exports it."""

from .models.masking import (
    CACHE_SENTENCES,
    MAX_MODEL_PLAYERS,
    MaskingSetup,
    clear_cache,
    cosine_payoffs,
    estimate_seconds,
    forward_passes,
    masking_game,
    masking_setup,
    masking_values,
    model_leave_one_out,
    model_masking_game,
    model_shapley,
)

__all__ = [
    "model_masking_game",
    "MAX_MODEL_PLAYERS",
    "MaskingSetup",
    "masking_setup",
    "masking_game",
    "model_shapley",
    "model_leave_one_out",
    "masking_values",
    "cosine_payoffs",
    "estimate_seconds",
    "forward_passes",
    "clear_cache",
    "CACHE_SENTENCES",
]
