"""Alternative value rules, the witnesses of the axioms' independence: equal split, weighted and quadratic Shapley, ..."""

from collections.abc import Mapping, Sequence
from fractions import Fraction

import sympy as sp

from .errors import InvalidGameError, InvalidValueError, UndecidedError
from .exact import exact_str, to_expr, to_fraction
from .guards import require_game
from .properties import is_null_player
from .values import linear_value, shapley

__all__ = ["equal_split", "weighted_shapley", "quadratic_shapley", "egalitarian_nonnull"]


def equal_split(game):
    """Equal split ``phi_i(v) = v(N) / n``: linear, efficient and symmetric, but not null-player.

    Examples
    --------
    >>> from symgame.game import Game
    >>> equal_split(Game.glove(["L"], ["R1", "R2"]))
    {'L': 1/3, 'R1': 1/3, 'R2': 1/3}
    >>> equal_split([1, 2])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: equal_split expects a symgame.Game, got list
    """
    require_game(game, "equal_split")
    if not game.n:
        return {}
    share = game[game.players] / game.n
    return {p: share for p in game.players}



def weighted_shapley(weights):
    """The weighted Shapley value with positive weights ``λ`` (Kalai & Samet 1987), as a rule.

    ``phi_i(v) = sum_{T ∋ i} d(T) λ_i / λ(T)`` with Harsanyi dividends ``d(T)``
    and ``λ(T) = sum_{j in T} λ_j``: each unanimity game ``u_T`` is split in
    proportion to the weights.  Linear, efficient and null-player; symmetric
    only when the weights of interchangeable players agree.

    Parameters
    ----------
    weights : Mapping or Sequence
        Positive rational weights: player -> weight, or a sequence giving the
        weight of the k-th player of the game (in the game's order).

    Returns
    -------
    callable
        A rule ``game -> dict[player, value]``.

    Notes
    -----
    The coefficient of ``v(S)`` in ``phi_i`` is
    ``sum_{T ⊇ S ∪ i} (-1)^{|T|-|S|} λ_i / λ(T)``: O(n 3^n) once per game size.

    Examples
    --------
    >>> from symgame.game import Game
    >>> rule = weighted_shapley({"a": 1, "b": 3})
    >>> rule(Game.unanimity(["a", "b"], ["a", "b"]))
    {'a': 1/4, 'b': 3/4}
    >>> weighted_shapley([1, 0])
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: weight 0 of player #2 is not a positive rational number
    """
    if isinstance(weights, Mapping):
        items = list(weights.items())
        labels = [f"player {p!r}" for p, _ in items]
    elif isinstance(weights, Sequence) and not isinstance(weights, (str, bytes)):
        items = list(enumerate(weights))
        labels = [f"player #{k + 1}" for k, _ in items]
    else:
        raise InvalidValueError(
            f"weights must be a mapping player -> weight or a sequence of weights, got {type(weights).__name__}"
        )
    clean = {}
    for (key, w), label in zip(items, labels):
        x = to_expr(w, what=f"weight of {label}")
        if not (x.is_Rational and x > 0):
            raise InvalidValueError(f"weight {x} of {label} is not a positive rational number")
        clean[key] = to_fraction(x)
    by_position = not isinstance(weights, Mapping)
    cache = {}

    def rule(game):
        require_game(game, "weighted_shapley")
        n = game.n
        if by_position:
            if n > len(clean):
                raise InvalidGameError(
                    f"weighted_shapley has {len(clean)} weights but the game has {n} players"
                )
            lam = [clean[k] for k in range(n)]
        else:
            missing = [p for p in game.players if p not in clean]
            if missing:
                raise InvalidGameError(f"weighted_shapley has no weight for players {missing!r}")
            lam = [clean[p] for p in game.players]
        key = tuple(lam)
        coeff = cache.get(key)
        if coeff is None:
            coeff = cache[key] = _weighted_coefficients(lam)
        return linear_value(game, lambda i, mask: coeff[i].get(mask, 0))

    rule.__name__ = rule.__qualname__ = f"weighted_shapley({_weights_repr(weights)})"
    return rule


def _weights_repr(weights):
    if isinstance(weights, Mapping):
        return "{" + ", ".join(f"{p!r}: {exact_str(to_expr(w))}" for p, w in weights.items()) + "}"
    return "[" + ", ".join(exact_str(to_expr(w)) for w in weights) + "]"


def _weighted_coefficients(lam):
    n = len(lam)
    full = (1 << n) - 1
    total = [Fraction(0)] * (1 << n)
    for m in range(1, 1 << n):
        total[m] = sum((lam[k] for k in range(n) if m >> k & 1), Fraction(0))
    coeff = [dict() for _ in range(n)]
    for i in range(n):
        bit = 1 << i
        for s in range(1, 1 << n):
            base = s | bit
            rest = full & ~base
            acc = Fraction(0)
            sub = rest
            while True:  # supersets T = base ∪ sub of S ∪ i
                t = base | sub
                sign = -1 if (t.bit_count() - s.bit_count()) & 1 else 1
                acc += sign * lam[i] / total[t]
                if not sub:
                    break
                sub = (sub - 1) & rest
            if acc:
                coeff[i][s] = acc
    return coeff


def quadratic_shapley(game):
    """A non-linear value that is efficient, null-player and symmetric.

    ``phi_i(v) = Sh_i(v) + v(N) v({i}) - Sh_i(v) sum_j v({j})``: the Shapley
    value plus a quadratic transfer that sums to zero (``sum_i Sh_i = v(N)``),
    vanishes for a null player (``Sh_i = v({i}) = 0``) and treats
    interchangeable players alike.  It is not homogeneous, which shows that
    Linearity is independent of the other three axioms.

    Examples
    --------
    >>> from symgame.game import Game
    >>> quadratic_shapley(Game.from_dict([1, 2], {(1,): 1, (2,): 0, (1, 2): 1}))
    {1: 1, 2: 0}
    >>> quadratic_shapley(Game.from_dict([1, 2], {(1,): 1, (2,): 0, (1, 2): 2}))
    {1: 2, 2: 0}
    >>> quadratic_shapley(None)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: quadratic_shapley expects a symgame.Game, got NoneType
    """
    require_game(game, "quadratic_shapley")
    sh = shapley(game)
    total = game[game.players]
    singles = {p: game[(p,)] for p in game.players}
    s = sp.Add(*singles.values())
    return {p: sp.expand(sh[p] + total * singles[p] - sh[p] * s) for p in game.players}


def egalitarian_nonnull(game):
    """Split ``v(N)`` equally among the players that are not null (null players get 0).

    Efficient, null-player and symmetric, but not linear.  Null players are
    decided exactly with :func:`symgame.properties.is_null_player`; on a
    symbolic game where that is undecided the rule refuses (DESIGN.md rule 5),
    so the axiom checkers fall back to their search over concrete games.

    Raises
    ------
    UndecidedError
        When some player's nullness is undecided on a symbolic game.

    Examples
    --------
    >>> from symgame.game import Game
    >>> egalitarian_nonnull(Game.unanimity([1, 2, 3], [1, 2], scale=6))
    {1: 3, 2: 3, 3: 0}
    >>> egalitarian_nonnull(Game.generic(2))
    Traceback (most recent call last):
    ...
    symgame.errors.UndecidedError: egalitarian_nonnull: whether player 1 is null is undecided on this symbolic game; substitute numbers or add assumptions
    """
    require_game(game, "egalitarian_nonnull")
    null = {}
    for p in game.players:
        verdict = is_null_player(game, p)
        if verdict is None:
            raise UndecidedError(
                f"egalitarian_nonnull: whether player {p!r} is null is undecided on this symbolic game; "
                f"substitute numbers or add assumptions"
            )
        null[p] = verdict
    active = [p for p in game.players if not null[p]]
    if not active:
        return {p: sp.S.Zero for p in game.players}
    share = game[game.players] / len(active)
    return {p: sp.S.Zero if null[p] else share for p in game.players}


