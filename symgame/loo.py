"""When is leave-one-out safe? An exact answer for one game: does LOO equal Shapley, and if not, why.

Leave-one-out ``LOO_i = v(N) - v(N \\ {i})`` is the cheap explanation (``n + 1`` payoff calls
instead of ``2^n``).  It equals the Shapley value exactly when, for every player ``i``,

    ``sum_{T ∋ i, |T| >= 2} d(T) (|T| - 1)/|T| = 0``

with ``d`` the Harsanyi dividends: the statement ``P3.precise`` of ``proofs/STATEMENTS.md``
(``symgame prove P3.precise`` proves it for all n).  In words: LOO counts every dividend a
player shares in full, Shapley counts ``1/|T|`` of it, so each shared dividend ``d(T)`` makes
LOO exceed Shapley by ``d(T)(|T|-1)/|T|`` for each member of ``T``.  :func:`loo_agreement`
decides the condition exactly and names, for every player where LOO and Shapley differ, the
difference and the dividends that cause it.

Examples
--------
The talk's redundancy example: two interchangeable critical tokens.  LOO gives both 0; the
dividend ``d({a, b}) = -1`` they share is the cause:

>>> from symgame.game import Game
>>> answer = loo_agreement(Game.from_function(["a", "b"], lambda S: 1 if S else 0))
>>> answer.agrees, answer.differences
(False, {'a': -1/2, 'b': -1/2})
>>> print(answer)
LOO = Shapley: no (2 of 2 players differ; P3.precise: LOO_i - phi_i = sum_{T ∋ i, |T| >= 2} d(T)(|T|-1)/|T|)
player  LOO  Shapley  LOO - Shapley  caused by d(T) * (|T|-1)/|T|
a       0    1/2      -1/2           d(a,b) = -1 (* 1/2 = -1/2)
b       0    1/2      -1/2           d(a,b) = -1 (* 1/2 = -1/2)
>>> loo_agreement(Game.additive({"a": 1, "b": 2})).agrees  # additive games: always safe
True
"""

import heapq
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np
import sympy as sp

from .exact import exact_str
from .guards import check_int, require_game
from .linear import LinearForm
from .transforms import mobius, popcounts
from .values import dividends, leave_one_out, shapley

__all__ = ["LooCause", "LooAgreement", "loo_agreement", "CONDITION"]

#: The P3.precise condition in words, as the reports print it.
CONDITION = "P3.precise: LOO_i - phi_i = sum_{T ∋ i, |T| >= 2} d(T)(|T|-1)/|T|"


@dataclass(frozen=True)
class LooCause:
    """One dividend that makes a player's LOO differ from its Shapley value.

    Attributes
    ----------
    coalition : tuple
        ``T`` (players in the game's order), ``|T| >= 2``.
    dividend : sympy.Expr
        ``d(T)``.
    weight : fractions.Fraction
        ``(|T| - 1)/|T|``.
    contribution : sympy.Expr
        ``d(T) (|T| - 1)/|T|``, its share of ``LOO_i - phi_i`` for each member ``i``.
    """

    coalition: tuple
    dividend: object
    weight: Fraction
    contribution: object

    def to_json(self):
        """JSON-ready dict, numbers as exact strings."""
        return {"coalition": [str(p) for p in self.coalition], "dividend": exact_str(self.dividend),
                "weight": f"{self.weight.numerator}/{self.weight.denominator}" if self.weight.denominator != 1
                else str(self.weight.numerator),
                "contribution": exact_str(self.contribution)}


@dataclass(frozen=True)
class LooAgreement:
    """The answer of :func:`loo_agreement`.

    Attributes
    ----------
    players : tuple
    loo, shapley : dict
        Player -> exact value (:func:`symgame.values.leave_one_out`, :func:`symgame.values.shapley`).
    differences : dict
        Player -> ``LOO_i - phi_i``, exact.
    equal : dict
        Player -> whether ``LOO_i = phi_i`` (decided from the dividends, identically in the
        game's symbols).
    causes : dict
        Player -> tuple of :class:`LooCause`, the dividends with a non-zero contribution, the
        largest first (numeric games), at most ``max_causes``.
    cause_counts : dict
        Player -> how many dividends contribute in all (``causes`` may list fewer).
    """

    players: tuple
    loo: dict
    shapley: dict
    differences: dict
    equal: dict
    causes: dict
    cause_counts: dict

    @property
    def agrees(self):
        """True when LOO equals Shapley for every player (the P3.precise condition holds)."""
        return all(self.equal.values())

    @property
    def differing(self):
        """The players whose LOO differs from their Shapley value, in the game's order."""
        return tuple(p for p in self.players if not self.equal[p])

    def to_json(self):
        """JSON-ready dict; exact numbers as strings (``"7*x"``, ``"-1/2"``).

        Examples
        --------
        >>> from symgame.game import Game
        >>> d = loo_agreement(Game.unanimity(["a", "b"], ["a", "b"])).to_json()
        >>> d["loo_equals_shapley"], d["differing"], d["players"][0]["causes"][0]["contribution"]
        (False, ['a', 'b'], '1/2')
        """
        rows = []
        for p in self.players:
            rows.append({
                "player": str(p), "loo": exact_str(self.loo[p]), "shapley": exact_str(self.shapley[p]),
                "difference": exact_str(self.differences[p]), "equal": self.equal[p],
                "causes": [c.to_json() for c in self.causes[p]],
                "causes_not_listed": self.cause_counts[p] - len(self.causes[p]),
            })
        return {"loo_equals_shapley": self.agrees, "condition": CONDITION,
                "differing": [str(p) for p in self.differing], "players": rows}

    def summary(self):
        """One line: whether LOO is safe here, and for how many players it is not."""
        if self.agrees:
            return f"LOO = Shapley: yes, for all {len(self.players)} players ({CONDITION} = 0)"
        return (f"LOO = Shapley: no ({len(self.differing)} of {len(self.players)} players differ; {CONDITION})")

    def line(self, labels=None, of="the game"):
        """The answer in one line, for reports that show LOO beside Shapley (``symgame explain``).

        Examples
        --------
        >>> from symgame.game import Game
        >>> loo_agreement(Game.unanimity([0, 1, 2], [0, 1])).line({0: "the", 1: "film"}, of="v*")
        'LOO = Shapley on v*: no; LOO - Shapley: 0 the 1/2 (largest cause d(0,1) = 1), 1 film 1/2 (largest cause d(0,1) = 1)'
        """
        if self.agrees:
            return f"LOO = Shapley on {of}: yes, for every player (P3.precise: shared dividends sum to 0)"
        labels = labels or {}
        parts = []
        for p in self.differing:
            name = f"{p} {labels[p]}" if p in labels and str(labels[p]) != str(p) else str(p)
            text = f"{name} {self.differences[p]}"
            if self.causes[p]:
                c = self.causes[p][0]
                text += f" (largest cause d({','.join(str(q) for q in c.coalition)}) = {c.dividend})"
            parts.append(text)
        return f"LOO = Shapley on {of}: no; LOO - Shapley: " + ", ".join(parts)

    def table(self, labels=None, causes=2):
        """The per-player lines of :meth:`__str__` (``labels``: player -> printed name)."""
        labels = labels or {}
        name = {p: str(labels.get(p, p)) for p in self.players}
        heads = ["player", "LOO", "Shapley", "LOO - Shapley", "caused by d(T) * (|T|-1)/|T|"]
        body = []
        for p in self.players:
            shown = [f"d({','.join(str(labels.get(q, q)) for q in c.coalition)}) = {c.dividend} "
                     f"(* {_frac(c.weight)} = {c.contribution})" for c in self.causes[p][:causes]]
            more = self.cause_counts[p] - len(shown)
            if more:
                shown.append(f"and {more} more")
            body.append([name[p], str(self.loo[p]), str(self.shapley[p]),
                         str(self.differences[p]) if not self.equal[p] else "0", "; ".join(shown)])
        widths = [max(len(h), *(len(r[k]) for r in body)) for k, h in enumerate(heads)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip()]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
        return lines

    def __str__(self):
        return "\n".join([self.summary()] + self.table())

    __repr__ = __str__


def _frac(f):
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _is_zero(form, expr):
    """Identically zero: as an exact linear form, or (non-polynomial atoms such as ``Max``) by ``simplify``."""
    if form.is_zero:
        return True
    if all(a.is_polynomial() for a, _ in form.items()):
        return False  # distinct monomials: a non-zero polynomial
    return sp.simplify(expr) == 0


def loo_agreement(game, *, max_causes=10):
    """Decide exactly whether leave-one-out equals the Shapley value on ``game``, and say why not.

    Parameters
    ----------
    game : Game
        Exact (rational or symbolic).  A symbolic game is decided identically in its symbols:
        a difference such as ``x - y`` counts as a difference (it vanishes only where ``x = y``).
    max_causes : int
        Keep at most this many causing dividends per player (the largest in absolute value
        first for rational games, ties in coalition order; in coalition order for symbolic
        ones); ``cause_counts`` has the full count.

    Returns
    -------
    LooAgreement
        ``agrees``, ``differing``, per player ``differences`` (exact) and ``causes``.

    Notes
    -----
    The decision is the P3.precise condition, computed from the dividends (one Möbius
    transform, integer arithmetic for rational games; exact linear forms over
    :func:`symgame.values.dividends` for symbolic ones); the reported differences are
    ``leave_one_out(game)[i] - shapley(game)[i]`` computed directly, and the two must agree
    (an internal consistency check: a mismatch raises ``AssertionError``).  Cost ``O(n 2^n)``.

    Examples
    --------
    >>> import sympy as sp
    >>> from symgame.game import Game
    >>> x = sp.Symbol("x", positive=True)
    >>> cookies = Game.from_dict(["Alice", "Bob"], {("Alice",): 5*x, ("Bob",): 3*x, ("Alice", "Bob"): 10*x})
    >>> answer = loo_agreement(cookies)
    >>> answer.agrees, answer.differences, answer.causes["Alice"][0].dividend
    (False, {'Alice': x, 'Bob': x}, 2*x)
    >>> loo_agreement(cookies, max_causes=-1)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidValueError: max_causes must be an integer >= 0, got -1
    """
    require_game(game, "loo_agreement")
    max_causes = check_int(max_causes, "max_causes", low=0)
    players = tuple(game.players)
    loo, phi = leave_one_out(game), shapley(game)
    table = game.rational_table()
    if table is not None:
        sums, causes, counts = _rational_causes(game, table, max_causes)
    else:
        sums, causes, counts = _symbolic_causes(game, max_causes)
    differences, equal = {}, {}
    for p in players:
        direct = sp.expand(loo[p] - phi[p])
        if not _is_zero(LinearForm.from_expr(direct) - sums[p], direct - sums[p].as_expr()):
            raise AssertionError(f"LOO - Shapley of {p!r} is {direct}, but the P3.precise dividend sum is "
                                 f"{sums[p].as_expr()}")
        equal[p] = _is_zero(sums[p], sums[p].as_expr())
        differences[p] = direct
        if equal[p]:
            causes[p], counts[p] = (), 0
    return LooAgreement(players=players, loo=loo, shapley=phi, differences=differences, equal=equal,
                        causes=causes, cause_counts=counts)


def _rational_causes(game, table, max_causes):
    """Rational games: the dividend sums and the largest causes in integer arithmetic (one Möbius transform)."""
    nums, den = table
    n = game.n
    d = np.asarray(mobius(nums), dtype=object)
    sizes = popcounts(n)
    big = lcm(*range(1, n + 1))
    # d(T) (|T|-1)/|T| = contrib[T] / (big * den), integers
    scale = np.array([0] + [(s - 1) * (big // s) for s in range(1, n + 1)], dtype=object)
    contrib = d * scale[sizes]
    masks = np.arange(1 << n)
    nonzero = contrib != 0
    sums, causes, counts = {}, {}, {}
    for i, p in enumerate(game.players):
        idx = np.nonzero(nonzero & ((masks >> i) & 1).astype(bool))[0].tolist()
        sums[p] = LinearForm.from_expr(sp.Rational(int(sum(contrib[m] for m in idx)), big * den))
        top = heapq.nlargest(max_causes, idx, key=lambda m: abs(contrib[m])) if max_causes else []
        causes[p] = tuple(LooCause(_members(game, m), sp.Rational(int(d[m]), den),
                                   Fraction(int(sizes[m]) - 1, int(sizes[m])),
                                   sp.Rational(int(contrib[m]), big * den)) for m in top)
        counts[p] = len(idx)
    return sums, causes, counts


def _members(game, mask):
    return tuple(p for k, p in enumerate(game.players) if mask >> k & 1)


def _symbolic_causes(game, max_causes):
    """Symbolic games: the dividend sums as exact linear forms, causes in coalition order."""
    players = tuple(game.players)
    sums = {p: LinearForm() for p in players}
    found = {p: [] for p in players}
    for coalition, d in dividends(game).items():
        if len(coalition) < 2:
            continue
        form = LinearForm.from_expr(d)
        if form.is_zero:
            continue
        t = len(coalition)
        weight = Fraction(t - 1, t)
        share = form * weight
        members = tuple(p for p in players if p in coalition)
        cause = LooCause(members, d, weight, share.as_expr())
        for p in members:
            sums[p] = sums[p] + share
            found[p].append(cause)
    causes = {p: tuple(found[p][:max_causes]) for p in players}
    counts = {p: len(found[p]) for p in players}
    return sums, causes, counts
