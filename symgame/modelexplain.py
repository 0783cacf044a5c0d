"""Old import path of the real-model sentence explanation (now :mod:`symgame.models.explanation`); re-exports it."""

from .models import explanation as new_home

__all__ = [*new_home.__all__]


def __getattr__(name):
    """Every name of the new home, looked up there (PEP 562), so old imports keep working."""
    if name in new_home.__all__:
        return getattr(new_home, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
