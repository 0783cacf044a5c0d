"""The attention-masking game of one attention row: coalition ``S`` sees only its own tokens (softmax restricted to ``S``)."""

from collections.abc import Mapping

import sympy as sp

from ..errors import InvalidGameError
from ..exact import to_expr
from ..game import Game

__all__ = ["masking_game", "attention_masking_game", "attention_row"]


def attention_masking_game(scores=None, *, weights=None, values=None, players=None):
    """The attention-masking game of one attention row.

    Coalition ``S`` sees only its own tokens: ``alpha^S_i = w_i / sum_{j in S} w_j``
    with ``w_i = exp(s_i)`` (softmax of the scores restricted to ``S``), or
    given positive ``weights`` directly.  Payoff: the total attention
    ``sum_{i in S} alpha^S_i`` (= 1 for non-empty ``S``) or, with scalar
    ``values`` ``x_i``, the head output ``sum_{i in S} alpha^S_i x_i``.
    Symbols are allowed throughout.

    Parameters
    ----------
    scores : sequence or Mapping, optional
        Attention scores ``s_i`` (a Mapping names the players).
    weights : sequence or Mapping, optional
        Unnormalised positive weights instead of scores.
    values : sequence or Mapping, optional
        Scalar values ``x_i``; without them the payoff is total attention.
    players : sequence, optional
        Player names (default ``0..n-1`` or the Mapping's keys).

    Examples
    --------
    >>> from symgame.values import shapley
    >>> shapley(attention_masking_game([0, 0, 0]))
    {0: 1/3, 1: 1/3, 2: 1/3}
    >>> g = attention_masking_game(weights=[1, 3], values=[4, 0])
    >>> g[{0}], g[{1}], g[{0, 1}]
    (4, 0, 1)
    >>> attention_masking_game([0, 1], weights=[1, 1])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: give exactly one of scores and weights
    """
    names, w, x = attention_row(scores, weights=weights, values=values, players=players)
    index = {p: k for k, p in enumerate(names)}

    def payoff(S):
        if not S:
            return 0
        ks = [index[p] for p in S]
        den = sp.Add(*[w[k] for k in ks])
        if x is None:
            return sp.Add(*[w[k] for k in ks]) / den
        return sp.cancel(sp.Add(*[w[k] * x[k] for k in ks]) / den) if den.free_symbols else (
            sp.Add(*[w[k] * x[k] for k in ks]) / den)

    return Game.from_function(names, payoff)


#: The name this game had in :mod:`symgame.flowgames` (kept; :func:`symgame.models.masking_game` is the
#: *model* masking game, a different game).
masking_game = attention_masking_game


def attention_row(scores=None, *, weights=None, values=None, players=None):
    """Read one attention row: its players, unnormalised weights and (optional) values, exactly.

    The one reader behind :func:`attention_masking_game` and the multi-level game of
    :mod:`symgame.multichoice.attention`.

    Parameters
    ----------
    scores, weights, values, players
        As in :func:`attention_masking_game`: exactly one of ``scores`` (weights ``exp(s_i)``) and
        ``weights`` (positive, or symbols of unknown sign); a Mapping names the players.

    Returns
    -------
    (names, w, x) : list, list of sympy.Expr, list of sympy.Expr or None
        The players, ``w_i`` and ``x_i`` (``None`` without values).

    Examples
    --------
    >>> attention_row(weights={"a": 1, "b": "1/2"}, values=[3, 4])
    (['a', 'b'], [1, 1/2], [3, 4])
    >>> attention_row([0, 1], weights=[1, 1])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: give exactly one of scores and weights
    >>> attention_row(weights=[1, -1])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: weight of 1 is -1; expected a positive number
    """
    if (scores is None) == (weights is None):
        raise InvalidGameError("give exactly one of scores and weights")
    raw = scores if weights is None else weights
    what = "score" if weights is None else "weight"
    if isinstance(raw, Mapping):
        names = list(raw) if players is None else list(players)
        entries = [raw[p] for p in names]
    else:
        entries = list(raw)
        names = list(range(len(entries))) if players is None else list(players)
    if len(names) != len(entries):
        raise InvalidGameError(f"{len(names)} players but {len(entries)} {what}s")
    w = []
    for p, entry in zip(names, entries):
        e = to_expr(entry, what=f"{what} of {p!r}")
        if weights is not None and (e.is_positive is False):
            raise InvalidGameError(f"weight of {p!r} is {e}; expected a positive number")
        w.append(sp.exp(e) if weights is None else e)
    if values is None:
        x = None
    else:
        vals = [values[p] for p in names] if isinstance(values, Mapping) else list(values)
        if len(vals) != len(names):
            raise InvalidGameError(f"{len(names)} players but {len(vals)} values")
        x = [to_expr(v, what=f"value of {p!r}") for p, v in zip(names, vals)]
    return names, w, x
