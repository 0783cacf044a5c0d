"""The multi-level attention-masking game: a token's attention scores shifted so its weight is a fraction of full.

Level ``l`` of a token multiplies its unnormalised softmax weight ``exp(s_i)`` by a fraction
``f_l`` (its scores are shifted by ``log f_l``): ``f_0 = 0`` hides it, ``f_m = 1`` is full
attention, and the levels in between give it reduced weight.  For one attention row with weights
``w_i = exp(s_i)`` and scalar values ``x_i``::

    v(x) = sum_i f_{x_i} w_i x_i / sum_i f_{x_i} w_i        (v(0) = 0)

or, without values, the total attention of the visible tokens (1 whenever some token is visible).
With the single fraction ``(1,)`` this is the two-level attention-masking game
:func:`symgame.attention.masking.attention_masking_game`.  The real-model version is
:func:`symgame.models.multilevel.model_multilevel_game`.

Examples
--------
>>> from fractions import Fraction
>>> g = attention_multilevel_game(weights=[1, 1], values=[1, 0], fractions=[Fraction(1, 2), 1])
>>> g[(1, 2)], g[(2, 1)], g[(2, 2)]
(1/3, 2/3, 1/2)
"""

from collections.abc import Mapping

import sympy as sp

from ..errors import InvalidGameError
from ..attention.masking import attention_row
from ..exact import to_expr
from .game import MultiChoiceGame

__all__ = ["check_fractions", "attention_multilevel_game", "DEFAULT_FRACTIONS"]

#: The levels of the talk's slide: hidden (0), attended with half weight, fully present.
DEFAULT_FRACTIONS = (sp.Rational(1, 2), sp.Integer(1))


def check_fractions(fractions):
    """The attention fractions ``f_1 < ... < f_m = 1`` of levels ``1..m`` (level 0 is ``f_0 = 0``), exact.

    Examples
    --------
    >>> check_fractions(["1/4", 0.5, 1])
    (1/4, 1/2, 1)
    >>> check_fractions([1, "1/2"])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: attention fractions must increase strictly from above 0 to exactly 1 (level m is full attention), got (1, 1/2)
    """
    if isinstance(fractions, (str, bytes, Mapping)) or not hasattr(fractions, "__iter__"):
        raise InvalidGameError(f"attention fractions must be a list f_1 < ... < f_m = 1, got {fractions!r}")
    fs = tuple(to_expr(f, what="attention fraction") for f in fractions)
    ok = bool(fs) and all(f.is_Rational for f in fs) and fs[0] > 0 and fs[-1] == 1 \
        and all(a < b for a, b in zip(fs, fs[1:]))
    if not ok:
        raise InvalidGameError(f"attention fractions must increase strictly from above 0 to exactly 1 (level m is "
                               f"full attention), got {fs!r}")
    return fs


def attention_multilevel_game(scores=None, *, weights=None, values=None, players=None,
                              fractions=DEFAULT_FRACTIONS):
    """The multi-level attention-masking game of one attention row.

    Parameters
    ----------
    scores : sequence or Mapping, optional
        Attention scores ``s_i`` (weights ``exp(s_i)``); a Mapping names the players.
    weights : sequence or Mapping, optional
        Positive unnormalised weights instead of scores (exactly one of the two).
    values : sequence or Mapping, optional
        Scalar values ``x_i``; without them the payoff is the total attention of the visible tokens.
    players : sequence, optional
        Player names (default ``0..n-1`` or the Mapping's keys).
    fractions : sequence
        ``f_1 < ... < f_m = 1`` (see :func:`check_fractions`); every token gets ``m`` levels.

    Returns
    -------
    MultiChoiceGame

    Examples
    --------
    >>> from symgame.attention.masking import attention_masking_game
    >>> two = attention_masking_game(weights=[1, 3], values=[4, 0])
    >>> attention_multilevel_game(weights=[1, 3], values=[4, 0], fractions=[1]) == MultiChoiceGame.from_game(two)
    True
    >>> attention_multilevel_game([0, 1], weights=[1, 1])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: give exactly one of scores and weights
    """
    fs = check_fractions(fractions)
    names, w, x = attention_row(scores, weights=weights, values=values, players=players)
    level_fraction = (sp.S.Zero,) + fs

    def payoff(levels):
        if not any(levels):
            return 0
        scaled = [level_fraction[l] * wk for l, wk in zip(levels, w)]
        den = sp.Add(*scaled)
        num = den if x is None else sp.Add(*(s * xk for s, xk in zip(scaled, x)))
        value = num / den
        return sp.cancel(value) if value.free_symbols else value

    return MultiChoiceGame.from_function(names, [len(fs)] * len(names), payoff)
