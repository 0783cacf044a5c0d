"""Checks that decide each statement of PROPOSITIONS.md by computation."""

__all__ = []
