"""Argument guards shared by every module: whole numbers in a range, and Game arguments.

Each guard raises a :class:`~symgame.errors.SymgameError` subclass (the caller picks which, so a
strategy still raises :class:`~symgame.errors.InvalidStrategyError` and a flow function
:class:`~symgame.errors.InvalidFlowError`) whose message names the argument, the bad value and what
was expected.  ``bool`` is never a whole number here, although Python counts it as one.

Examples
--------
>>> check_int(3, "max_n", low=1)
3
>>> check_int(True, "max_n", low=1)
Traceback (most recent call last):
...
symgame.errors.InvalidValueError: max_n must be an integer >= 1, got True
>>> require_game({}, "shapley")
Traceback (most recent call last):
...
symgame.errors.InvalidGameError: shapley expects a symgame.Game, got dict
"""

import numpy as np

from .errors import GameTooLargeError, InvalidGameError, InvalidValueError
from .game import Game

__all__ = ["is_int", "check_int", "check_player_count", "require_game", "renamed"]


def is_int(value, *, numpy=True):
    """True for a Python ``int`` (or, with ``numpy``, a NumPy integer), never for a ``bool``.

    Examples
    --------
    >>> is_int(2), is_int(np.int64(2)), is_int(np.int64(2), numpy=False), is_int(False), is_int(2.0)
    (True, True, False, False, False)
    """
    kinds = (int, np.integer) if numpy else int
    return isinstance(value, kinds) and not isinstance(value, (bool, np.bool_))


def check_int(value, what, *, low=None, high=None, error=InvalidValueError, numpy=True, message=None):
    """``value`` as an ``int`` when it is a whole number in ``low..high`` (either end optional).

    Parameters
    ----------
    value : object
    what : str
        The argument's name, for the message.
    low, high : int, optional
        Inclusive bounds.
    error : type
        The :class:`~symgame.errors.SymgameError` subclass to raise.
    numpy : bool
        Accept NumPy integers too.
    message : str, optional
        The message to raise instead of the default, formatted with ``what``, ``value``, ``low`` and
        ``high`` (``"{what} must be a positive integer, got {value!r}"``).

    Examples
    --------
    >>> check_int(np.int64(4), "layer", low=0, high=5)
    4
    >>> check_int(7, "layer", low=0, high=5)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: layer must be an integer in 0..5, got 7
    """
    ok = is_int(value, numpy=numpy) and (low is None or value >= low) and (high is None or value <= high)
    if ok:
        return int(value)
    if message is None:
        if low is not None and high is not None:
            expected = f"an integer in {low}..{high}"
        elif low is not None:
            expected = f"an integer >= {low}"
        elif high is not None:
            expected = f"an integer <= {high}"
        else:
            expected = "an integer"
        message = "{what} must be " + expected + ", got {value!r}"
    raise error(message.format(what=what, value=value, low=low, high=high))


def check_player_count(value, what, limit, alternative):
    """``value`` as a number of players ``1..limit``; above ``limit`` a :class:`GameTooLargeError`
    that says what to do instead (``alternative``).

    Examples
    --------
    >>> check_player_count(4, "max_n", 10, "check fewer sizes")
    4
    >>> check_player_count(12, "max_n", 10, "check fewer sizes")
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: max_n = 12 exceeds the limit of 10 players; check fewer sizes
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidGameError(f"{what} must be an integer number of players >= 1, got {value!r}")
    if value < 1:
        raise InvalidGameError(f"{what} must be an integer number of players >= 1, got {value}")
    if value > limit:
        raise GameTooLargeError(f"{what} = {value} exceeds the limit of {limit} players; {alternative}")
    return value


def require_game(game, func):
    """Raise :class:`InvalidGameError` unless ``game`` is a :class:`~symgame.game.Game` (``func``
    names the function that needs it).

    Examples
    --------
    >>> from symgame.game import Game
    >>> require_game(Game.from_dict(["a"], {("a",): 1}), "shapley")
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"{func} expects a symgame.Game, got {type(game).__name__}")


def renamed(value, old_value, *, new, old, default, func):
    """The value of a keyword given under its name ``new`` or its deprecated spelling ``old`` (not both).

    Examples
    --------
    >>> renamed(None, 3, new="output", old="output_token", default=0, func="explain_sentence")
    3
    >>> renamed(None, None, new="output", old="output_token", default=0, func="explain_sentence")
    0
    >>> renamed(1, 2, new="output", old="output_token", default=0, func="explain_sentence")
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: explain_sentence got output=1 and its deprecated spelling output_token=2; give output= only
    """
    if old_value is None:
        return default if value is None else value
    if value is not None:
        raise InvalidValueError(f"{func} got {new}={value!r} and its deprecated spelling {old}={old_value!r}; "
                                f"give {new}= only")
    return old_value
