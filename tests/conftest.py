"""Test configuration: load the Hypothesis profile ("ci" unless $HYPOTHESIS_PROFILE names another)."""

from symgame.hypothesis_profiles import load_profile

load_profile()
