"""Hypothesis settings profiles shared by the test suite and the ``symgame`` command.

Two profiles:

``"ci"`` (the default)
    Deterministic: ``derandomize=True``, 50 examples, no deadline, no
    example database, failing examples printed with a reproduction blob.
``"thorough"``
    2000 examples, no deadline (for hunting counterexamples locally).

:func:`load_profile` registers both and loads the one named by its argument,
else by the environment variable ``HYPOTHESIS_PROFILE``, else ``"ci"``.

Examples
--------
>>> from hypothesis import settings
>>> register_profiles()
>>> settings.get_profile("ci").max_examples, settings.get_profile("thorough").max_examples
(50, 2000)
>>> load_profile("nightly")
Traceback (most recent call last):
...
symgame.errors.InvalidSearchError: unknown Hypothesis profile 'nightly'; registered symgame profiles are 'ci', 'thorough'
"""

import os

from hypothesis import settings
from hypothesis.errors import InvalidArgument

from .errors import InvalidSearchError

__all__ = ["PROFILES", "DEFAULT_PROFILE", "ENV_VAR", "register_profiles", "load_profile"]

#: Keyword arguments of :func:`hypothesis.settings.register_profile` for each profile.
PROFILES = {
    "ci": {"derandomize": True, "max_examples": 50, "deadline": None, "database": None, "print_blob": True},
    "thorough": {"max_examples": 2000, "deadline": None},
}
#: The profile loaded when neither an argument nor the environment names one.
DEFAULT_PROFILE = "ci"
#: The environment variable naming the profile to load.
ENV_VAR = "HYPOTHESIS_PROFILE"


def register_profiles():
    """Register the profiles of :data:`PROFILES` with Hypothesis (idempotent)."""
    for name, kwargs in PROFILES.items():
        settings.register_profile(name, **kwargs)


def load_profile(name=None):
    """Register the profiles and load ``name`` (default: ``$HYPOTHESIS_PROFILE``, else ``"ci"``).

    A profile registered elsewhere with Hypothesis may be named too.

    Returns
    -------
    str
        The name of the loaded profile.

    Raises
    ------
    InvalidSearchError
        If no profile of that name is registered.

    Examples
    --------
    >>> from hypothesis import settings
    >>> name = load_profile()  # what the test suite's conftest loads, too
    >>> settings().max_examples == settings.get_profile(name).max_examples
    True
    """
    register_profiles()
    if name is None:
        name = os.environ.get(ENV_VAR) or DEFAULT_PROFILE
    try:
        settings.get_profile(name)
    except InvalidArgument:
        known = ", ".join(repr(p) for p in PROFILES)
        raise InvalidSearchError(
            f"unknown Hypothesis profile {name!r}; registered symgame profiles are {known}"
        ) from None
    settings.load_profile(name)
    return name
