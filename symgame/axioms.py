"""Axiom checkers for value rules, Shapley's uniqueness theorem and the independence of the axioms.

A *value rule* is any callable ``rule(game) -> dict[player, value]``
(:func:`symgame.values.shapley`, :func:`symgame.values.banzhaf`, your own).
The checkers decide, for every size ``n = 1..max_n``, whether the rule
satisfies

* **Efficiency**: ``sum_i phi_i(v) = v(N)``;
* **Null player**: ``phi_i(v) = 0`` whenever ``v(S ∪ i) = v(S)`` for every ``S``;
* **Symmetry**: ``phi_i(v) = phi_j(v)`` whenever ``v(S ∪ i) = v(S ∪ j)`` for every ``S ∌ i, j``;
* **Linearity**: additivity ``phi(v + w) = phi(v) + phi(w)`` and homogeneity
  ``phi(a v) = a phi(v)`` with ``a`` a symbol.

How a size is decided (PROPOSITIONS.md, S0):

1. The rule is applied to the *generic* game of the axiom's family: one real
   symbol per coalition (:meth:`Game.generic`), with the symbols identified so
   that player ``i`` is null (``v(S ∪ i) := v(S)``) or ``i, j`` are
   interchangeable (``v(S ∪ j) := v(S ∪ i)``).  The identity is compared
   coefficient by coefficient as exact :class:`~symgame.linear.LinearForm`\\ s
   (DESIGN.md rule 4, no ``simplify``).  Polynomial rule outputs are
   expanded into monomials, so a non-zero difference is a non-zero
   polynomial: the identity is then *false*, and a point where the
   polynomial does not vanish is found on a small integer grid (a non-zero
   polynomial of degree ``d_x`` in each variable ``x`` cannot vanish on a grid
   with ``d_x + 1`` values per variable).
2. A counterexample is re-verified on an independent path: the witness game is
   rebuilt from its JSON document, the rule is evaluated on that concrete game
   (the rule's own numeric path), the premise (null player, interchangeable
   pair) is re-checked with :mod:`symgame.properties`, and the two sides of the
   equation are compared exactly.
3. If the symbolic identity cannot be decided (the rule raises
   :class:`~symgame.errors.UndecidedError` or a SymPy ``TypeError`` on the
   symbolic game, or returns non-polynomial expressions), the checker falls
   back to a deterministic search over small integer games of the family
   (seeded, so reproducible) and returns ``CHECKED (k instances)`` if it finds
   no counterexample.

The symbolic path treats the rule as the function its symbolic output
describes: it assumes that ``rule(generic game)`` specialises to
``rule(concrete game)``, which holds for rules computed by arithmetic (no
branching on values).  Rules that branch must refuse undecidable conditions
(DESIGN.md rule 5).  As a guard, every proved case is also spot-checked on a
few concrete games.

Beyond the checkers the module derives

* :func:`derive_shapley_axioms_all_n`: the four axioms for the Shapley formula
  with ``n`` a SymPy integer symbol (``PROVED (all n)``), each closed form
  cross-checked at concrete sizes;
* :func:`derive_uniqueness`: Shapley's uniqueness theorem, by solving the
  axioms as a linear system over the coefficients of a general linear value;
* :func:`check_independence`: for each axiom a rule satisfying the other three
  and violating it (:func:`symgame.values.banzhaf`, :func:`equal_split`,
  :func:`weighted_shapley`, :func:`quadratic_shapley`).

Examples
--------
>>> from symgame.values import shapley, banzhaf
>>> {axiom: str(v) for axiom, v in check_axioms(shapley, 4).items()}
{'efficiency': 'PROVED (n <= 4)', 'null_player': 'PROVED (n <= 4)', 'symmetry': 'PROVED (n <= 4)', 'linearity': 'PROVED (n <= 4)'}
>>> v = check_efficiency(banzhaf, 3)
>>> str(v), v.certificate["n"], v.certificate["lhs"], v.certificate["rhs"]
('REFUTED', 3, '3/4', '1')
>>> check_efficiency("shapley", 3)
Traceback (most recent call last):
...
symgame.errors.InvalidRuleError: rule must be a callable game -> dict[player, value], got str 'shapley'
"""

import itertools
import random
import time
from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import factorial

import sympy as sp

from .errors import (
    GameTooLargeError,
    InvalidGameError,
    InvalidRuleError,
    InvalidValueError,
    NotExactError,
    UndecidedError,
)
from .exact import exact_str, to_expr
from .game import Game
from .linear import LinearForm
from .properties import is_null_player, is_symmetric_pair
from .values import banzhaf, linear_value, shapley, shapley_forms
from .verdicts import Verdict

__all__ = [
    "AXIOMS",
    "MAX_CHECK_PLAYERS",
    "MAX_UNIQUENESS_PLAYERS",
    "check_efficiency",
    "check_null_player",
    "check_symmetry",
    "check_linearity",
    "check_axioms",
    "derive_shapley_axioms_all_n",
    "derive_uniqueness",
    "uniqueness_solution",
    "independence_witnesses",
    "check_independence",
    "equal_split",
    "weighted_shapley",
    "quadratic_shapley",
    "egalitarian_nonnull",
]

#: The four axioms, in the order :func:`check_axioms` reports them.
AXIOMS = ("efficiency", "null_player", "symmetry", "linearity")

#: Largest size the axiom checkers accept (the generic game has 2^n - 1 symbols and
#: the symmetry check evaluates the rule on C(n, 2) families).
MAX_CHECK_PLAYERS = 10

#: Largest size for :func:`derive_uniqueness` (n (2^n - 1) unknowns; n = 10 takes about 20 s).
MAX_UNIQUENESS_PLAYERS = 10

_A = sp.Symbol("a", real=True)  # the scalar of the homogeneity check
_SCALARS = (2, -1, 3, Fraction(1, 2), -2)  # scalars tried by the search fallback

_EQUATIONS = {
    "efficiency": "sum_i phi_i(v) = v(N)",
    "null_player": "phi_i(v) = 0 when i is a null player of v",
    "symmetry": "phi_i(v) = phi_j(v) when i and j are interchangeable in v",
    "additivity": "phi_i(v + w) = phi_i(v) + phi_i(w)",
    "homogeneity": "phi_i(a v) = a phi_i(v)",
}


# ---------------------------------------------------------------------- argument checks
def _rule_name(rule):
    return getattr(rule, "__name__", None) or type(rule).__name__


def _check_rule(rule):
    if not callable(rule):
        raise InvalidRuleError(
            f"rule must be a callable game -> dict[player, value], got {type(rule).__name__} {rule!r}"
        )


def _check_size(value, what, limit, alternative):
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidGameError(f"{what} must be an integer number of players >= 1, got {value!r}")
    if value < 1:
        raise InvalidGameError(f"{what} must be an integer number of players >= 1, got {value}")
    if value > limit:
        raise GameTooLargeError(f"{what} = {value} exceeds the limit of {limit} players; {alternative}")


def _check_count(value, what, minimum):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidGameError(f"{what} must be an integer >= {minimum}, got {value!r}")


class _Undecidable(Exception):
    """Internal: the rule could not be evaluated on a symbolic game."""


def _evaluate(rule, game, name, symbolic=False):
    """``rule(game)`` validated: exactly the game's players, values converted exactly."""
    try:
        out = rule(game)
    except InvalidRuleError:
        raise
    except (UndecidedError, NotExactError, TypeError) as exc:
        if symbolic:
            raise _Undecidable(f"{type(exc).__name__}: {exc}") from exc
        raise
    if not isinstance(out, Mapping):
        raise InvalidRuleError(
            f"rule {name} returned {type(out).__name__} for a {game.n}-player game; "
            f"expected a dict player -> value"
        )
    keys = set(out)
    if keys != set(game.players):
        missing = [p for p in game.players if p not in keys]
        extra = sorted((p for p in keys if p not in set(game.players)), key=repr)
        raise InvalidRuleError(
            f"rule {name} returned values for players {sorted(keys, key=repr)!r}; expected exactly the "
            f"game's players {list(game.players)!r} (missing {missing!r}, unexpected {extra!r})"
        )
    return {p: _exact_output(out[p], f"rule {name}'s value for player {p!r}") for p in game.players}


_NOT_EXACT = (sp.Float, sp.nan, sp.zoo, sp.oo, -sp.oo)


def _exact_output(value, what):
    # to_expr's assumption query ``is_real`` costs seconds on sums with thousands of
    # terms; a SymPy expression without floats or infinities needs no conversion.
    if isinstance(value, sp.Expr) and not value.has(*_NOT_EXACT):
        return value
    return to_expr(value, what=what)


# ---------------------------------------------------------------------- families of games
def _game(n, table):
    return Game.from_vector(table, players=range(1, n + 1))


class _Family:
    """A linear family of ``n``-player games: ``v(S) = x[rep(S)]`` with free parameters ``x``."""

    __slots__ = ("n", "rep", "params", "symbols")

    def __init__(self, n, rep, prefix):
        self.n = n
        self.rep = rep
        self.params = sorted({r for r in rep if r})
        generic = Game.generic(n, name=prefix).exprs()
        self.symbols = {m: generic[m] for m in self.params}

    def symbolic(self):
        return _game(self.n, [self.symbols[r] if r else 0 for r in self.rep])

    def concrete(self, values):
        return _game(self.n, [values.get(r, 0) if r else 0 for r in self.rep])


def _generic(n, prefix="v"):
    return _Family(n, list(range(1 << n)), prefix)


def _null_family(n, i):
    bit = 1 << i
    return _Family(n, [m & ~bit for m in range(1 << n)], "v")


def _symmetric_family(n, i, j):
    bi, bj = 1 << i, 1 << j
    return _Family(n, [m ^ bi ^ bj if m & bj and not m & bi else m for m in range(1 << n)], "v")


class _Case:
    """One identity to decide at one size: ``kind`` on the ``families`` (``v`` and maybe ``w``)."""

    __slots__ = ("kind", "n", "label", "families", "pair")

    def __init__(self, kind, n, label, families, pair=()):
        self.kind, self.n, self.label, self.families, self.pair = kind, n, label, families, pair

    @property
    def scalar(self):
        return self.kind == "homogeneity"


def _cases(axiom, n):
    if axiom == "efficiency":
        yield _Case("efficiency", n, "efficiency", {"v": _generic(n)})
    elif axiom == "null_player":
        for i in range(n):
            yield _Case("null_player", n, f"player {i + 1} null", {"v": _null_family(n, i)}, (i,))
    elif axiom == "symmetry":
        for i, j in itertools.combinations(range(n), 2):
            yield _Case("symmetry", n, f"players {i + 1}, {j + 1} interchangeable",
                        {"v": _symmetric_family(n, i, j)}, (i, j))
    else:
        yield _Case("additivity", n, "additivity", {"v": _generic(n, "v"), "w": _generic(n, "w")})
        yield _Case("homogeneity", n, "homogeneity", {"v": _generic(n)})


def _run_case(case, rule, name, games, a, symbolic=False):
    """Evaluate the rule as the case needs; return ``[(players, lhs, rhs)]``.

    Each side is a tuple of ``(scale, expr)`` terms meaning ``sum scale * expr``.
    """
    v = games["v"]
    players = v.players
    one = sp.S.One
    if case.kind == "additivity":
        w = games["w"]
        pv = _evaluate(rule, v, name, symbolic)
        pw = _evaluate(rule, w, name, symbolic)
        ps = _evaluate(rule, v + w, name, symbolic)
        return [((p,), ((one, ps[p]),), ((one, pv[p]), (one, pw[p]))) for p in players]
    if case.kind == "homogeneity":
        a = to_expr(a)
        pv = _evaluate(rule, v, name, symbolic)
        pa = _evaluate(rule, v * a, name, symbolic)
        return [((p,), ((one, pa[p]),), ((a, pv[p]),)) for p in players]
    phi = _evaluate(rule, v, name, symbolic)
    if case.kind == "efficiency":
        return [(players, tuple((one, x) for x in phi.values()), ((one, v[players]),))]
    if case.kind == "null_player":
        p = players[case.pair[0]]
        return [((p,), ((one, phi[p]),), ())]
    p, q = players[case.pair[0]], players[case.pair[1]]
    return [((p, q), ((one, phi[p]),), ((one, phi[q]),))]


def _premise(case, games):
    """Independent check (symgame.properties) that the witness game is in the case's family."""
    v = games["v"]
    if case.kind == "null_player":
        return is_null_player(v, v.players[case.pair[0]]) is True
    if case.kind == "symmetry":
        return is_symmetric_pair(v, v.players[case.pair[0]], v.players[case.pair[1]]) is True
    return True


# ---------------------------------------------------------------------- symbolic decision
def _form(terms):
    """The exact linear form of ``sum scale * expr``.

    Built term by term: a term ``c * symbol`` (the common case) is read
    directly, anything else goes through :meth:`LinearForm.from_expr`.  This
    avoids SymPy assumption queries on sums with thousands of terms.
    """
    acc = {}
    for scale, expr in terms:
        for term in sp.Add.make_args(expr):
            c, rest = term.as_coeff_Mul()
            if c.is_Rational and (rest.is_Symbol or rest is sp.S.One):
                parts = ((rest, Fraction(int(c.p), int(c.q))),)
            else:
                parts = LinearForm.from_expr(term).terms.items()
            for atom, x in parts:
                if scale is not sp.S.One:
                    atom = scale * atom
                acc[atom] = acc.get(atom, 0) + x
    return LinearForm(acc)


def _monomial(atom, allowed):
    """``{symbol: exponent}`` if ``atom`` is a monomial in ``allowed`` symbols, else ``None``."""
    if atom is sp.S.One:
        return {}
    powers = atom.as_powers_dict()
    for base, exp in powers.items():
        if base not in allowed or not (exp.is_Integer and exp > 0):
            return None
    return dict(powers)


def _nonzero_point(poly):
    """A small integer point where the non-zero polynomial ``[(monomial, coeff)]`` does not vanish.

    Variables outside the sparsest monomial are set to 0 (what remains contains
    that monomial, so it is non-zero); the rest are searched on a grid with
    ``deg + 1`` values per variable, which must contain a non-root.
    """
    best = min(poly, key=lambda t: (len(t[0]), sum(t[0].values()), sorted(map(str, t[0]))))
    variables = sorted(best[0], key=str)
    keep = set(variables)
    rest = [(m, c) for m, c in poly if set(m) <= keep]
    grids = [_small_integers(int(max(m.get(x, 0) for m, _ in rest)) + 1) for x in variables]
    for point in itertools.product(*grids):
        env = dict(zip(variables, point))
        total = Fraction(0)
        for m, c in rest:
            term = c
            for x, e in m.items():
                term *= env[x] ** int(e)
            total += term
        if total:
            return env
    raise AssertionError("a non-zero polynomial vanished on its whole grid")  # pragma: no cover


def _small_integers(count):
    """``1, 0, -1, 2, -2, 3, ...``: the first ``count`` candidate values of a variable."""
    out = [1, 0]
    k = 1
    while len(out) < count:
        out += [-k, k + 1]
        k += 1
    return out[:count]


def _decide_symbolic(case, rule, name):
    """``("holds", k)``, ``("violated", point)`` or ``("undecided", reason)``."""
    games = {k: f.symbolic() for k, f in case.families.items()}
    try:
        equations = _run_case(case, rule, name, games, _A, symbolic=True)
    except _Undecidable as exc:
        return "undecided", f"the rule cannot be evaluated on the symbolic game ({exc})"
    allowed = {s for f in case.families.values() for s in f.symbols.values()}
    if case.scalar:
        allowed.add(_A)
    for _players, lhs, rhs in equations:
        diff = _form(lhs) - _form(rhs)
        if diff.is_zero:
            continue
        poly = []
        for atom, c in diff.terms.items():
            mono = _monomial(atom, allowed)
            if mono is None:
                return "undecided", (
                    f"the rule's symbolic output is not a polynomial in the coalition values (term {atom}); "
                    f"the identity is not decided by comparing coefficients"
                )
            poly.append((mono, c))
        return "violated", _nonzero_point(poly)
    return "holds", len(equations)


# ---------------------------------------------------------------------- concrete games
def _instantiate(case, assignment, a):
    """Concrete games from parameter values ``{family: {mask: value}}``."""
    return {k: f.concrete(assignment.get(k, {})) for k, f in case.families.items()}


def _violation(case, rule, name, games, a):
    """The first violated equation on concrete games, as ``(players, lhs, rhs, difference)``, else ``None``."""
    for players, lhs, rhs in _run_case(case, rule, name, games, a):
        left = to_expr(sp.Add(*[c * x for c, x in lhs]))
        right = to_expr(sp.Add(*[c * x for c, x in rhs]))
        diff = sp.expand(left - right)
        if diff.is_zero is False:
            return players, left, right, diff
    return None


def _reverify(case, rule, name, games, a):
    """Rebuild the witness from JSON, re-check the premise and re-evaluate the rule."""
    rebuilt = {k: Game.from_json(g.to_json()) for k, g in games.items()}
    if not _premise(case, rebuilt):
        return None
    found = _violation(case, rule, name, rebuilt, a)
    return None if found is None else (rebuilt, found)


def _refutation(axiom, case, name, games, a, found, how):
    players, lhs, rhs, diff = found
    n = case.n
    cert = {
        "axiom": axiom,
        "rule": name,
        "n": n,
        "case": case.label,
        "equation": _EQUATIONS[case.kind],
        "players": list(players),
        "game": games["v"].to_json(),
        "lhs": exact_str(lhs),
        "rhs": exact_str(rhs),
        "difference": exact_str(diff),
        "found_by": how,
        "reverified": (
            "rule re-evaluated on the witness rebuilt from its JSON document"
            + ("; premise re-checked with symgame.properties" if case.kind in ("null_player", "symmetry") else "")
            + "; lhs - rhs is exactly non-zero"
        ),
    }
    if "w" in games:
        cert["games"] = {k: g.to_json() for k, g in games.items()}
    if case.scalar:
        cert["scalar"] = exact_str(to_expr(a))
    summary = f"{name} violates {axiom} ({case.label}) on a {n}-player game: {lhs} != {rhs}"
    return Verdict.refuted(cert, summary)


def _random_assignment(case, rng):
    out = {}
    for key, fam in case.families.items():
        dense = rng.random() < 0.5
        vals = {}
        for m in fam.params:
            if dense or rng.random() < 0.4:
                x = rng.randint(-3, 3)
                if x:
                    vals[m] = x
        out[key] = vals
    a = rng.choice(_SCALARS) if case.scalar else None
    return out, a


def _shrink(case, rule, name, assignment, a):
    """Greedily zero parameters while the violation persists."""
    for key in sorted(assignment):
        for m in sorted(assignment[key]):
            trial = {k: dict(v) for k, v in assignment.items()}
            del trial[key][m]
            if _violation(case, rule, name, _instantiate(case, trial, a), a) is not None:
                assignment = trial
    return assignment


def _search(case, rule, name, instances, seed):
    """Deterministic search over small integer games of the case's family.

    Returns ``(witness or None, number of games tried)``; a witness is
    ``(games, a, found)`` after shrinking and re-verification.
    """
    rng = random.Random(f"{seed}:{case.kind}:{case.n}:{case.label}")
    for k in range(instances):
        assignment, a = _random_assignment(case, rng)
        games = _instantiate(case, assignment, a)
        if _violation(case, rule, name, games, a) is None:
            continue
        assignment = _shrink(case, rule, name, assignment, a)
        again = _reverify(case, rule, name, _instantiate(case, assignment, a), a)
        if again is not None:
            return (again[0], a, again[1]), k + 1
    return None, instances


# ---------------------------------------------------------------------- the checkers
def _check(axiom, rule, max_n, instances, seed, spot_checks):
    _check_rule(rule)
    _check_size(max_n, "max_n", MAX_CHECK_PLAYERS,
                "the symbolic check evaluates the rule on games with 2^n symbols; check fewer players "
                "or use derive_shapley_axioms_all_n for the Shapley formula")
    _check_count(instances, "instances", 1)
    _check_count(spot_checks, "spot_checks", 0)
    name = _rule_name(rule)
    per_n = {}
    searched = 0
    for n in range(1, max_n + 1):
        start = time.perf_counter()
        info = {"cases": 0, "symbolic": 0, "searched_instances": 0, "spot_checks": 0}
        for case in _cases(axiom, n):
            info["cases"] += 1
            status, detail = _decide_symbolic(case, rule, name)
            if status == "violated":
                a = detail.get(_A, 2) if case.scalar else None
                assignment = {k: {m: detail.get(s, 0) for m, s in f.symbols.items() if detail.get(s, 0)}
                              for k, f in case.families.items()}
                again = _reverify(case, rule, name, _instantiate(case, assignment, a), a)
                if again is not None:
                    return _refutation(axiom, case, name, again[0], a, again[1],
                                       "exact comparison of coefficients on the generic game, then a non-root "
                                       "of the non-zero difference on a small integer grid")
                status, detail = "undecided", "the symbolic counterexample did not reproduce on the concrete game"
            if status == "holds":
                info["symbolic"] += 1
                rng = random.Random(f"spot:{seed}:{case.kind}:{n}:{case.label}")
                for _ in range(spot_checks):
                    assignment, a = _random_assignment(case, rng)
                    info["spot_checks"] += 1
                    games = _instantiate(case, assignment, a)
                    if _violation(case, rule, name, games, a) is not None:
                        again = _reverify(case, rule, name, games, a)
                        if again is not None:  # pragma: no branch - the rule branches on values
                            return _refutation(axiom, case, name, again[0], a, again[1],
                                               "spot check on a concrete game (the symbolic identity held)")
                continue
            info.setdefault("undecided", detail)
            witness, tried = _search(case, rule, name, instances, seed)
            info["searched_instances"] += tried
            searched += tried
            if witness is not None:
                games, a, found = witness
                return _refutation(axiom, case, name, games, a, found,
                                   f"deterministic search over small integer games (seed {seed}), shrunk")
        info["seconds"] = round(time.perf_counter() - start, 4)
        per_n[n] = info
    cert = {
        "axiom": axiom,
        "rule": name,
        "equation": (_EQUATIONS[axiom] if axiom != "linearity"
                     else f"{_EQUATIONS['additivity']} and {_EQUATIONS['homogeneity']}"),
        "sizes": list(range(1, max_n + 1)),
        "per_n": per_n,
    }
    if not searched:
        cert["method"] = (
            "rule applied to the generic symbolic game of each case's family; both sides compared "
            "coefficient by coefficient as exact linear forms (no simplify)"
        )
        return Verdict.proved_up_to(max_n, cert, f"{name} satisfies {axiom} for every game with n <= {max_n}")
    cert["method"] = (
        "symbolic where decidable, else a deterministic search over small integer games of the family "
        "(values in [-3, 3]); no counterexample found"
    )
    cert["strategy"] = "random small integer games of each case's family"
    cert["seed"] = seed
    return Verdict.checked(searched, cert, f"no violation of {axiom} by {name} among {searched} games")


def check_efficiency(rule, max_n, *, instances=50, seed=0, spot_checks=2):
    """Decide Efficiency ``sum_i phi_i(v) = v(N)`` for every game of each size ``n = 1..max_n``.

    Parameters
    ----------
    rule : callable
        ``rule(game) -> dict[player, value]``.
    max_n : int
        Largest number of players (``1 <= max_n <= MAX_CHECK_PLAYERS``).
    instances : int
        Games tried per case by the search fallback (used only when the
        symbolic identity cannot be decided).
    seed : int
        Seed of the search fallback and of the spot checks.
    spot_checks : int
        Concrete games evaluated per proved case, as a guard against rules
        that treat symbolic and concrete games differently.

    Returns
    -------
    Verdict
        ``PROVED (n <= max_n)``; ``REFUTED`` with the smallest-size witness
        game (``certificate["game"]`` is its JSON document, ``lhs`` and
        ``rhs`` the two sides); or ``CHECKED (k instances)`` when the search
        fallback ran.

    Notes
    -----
    One rule evaluation per size on the generic game (``2^n - 1`` symbols).

    Examples
    --------
    >>> from symgame.values import shapley, leave_one_out
    >>> str(check_efficiency(shapley, 5))
    'PROVED (n <= 5)'
    >>> v = check_efficiency(leave_one_out, 3)
    >>> v.certificate["n"], v.certificate["game"]["values"], v.certificate["lhs"]
    (2, [{'coalition': [1], 'value': '0'}, {'coalition': [2], 'value': '0'}, {'coalition': [1, 2], 'value': '1'}], '2')
    >>> check_efficiency(shapley, 0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: max_n must be an integer number of players >= 1, got 0
    """
    return _check("efficiency", rule, max_n, instances, seed, spot_checks)


def check_null_player(rule, max_n, *, instances=50, seed=0, spot_checks=2):
    """Decide the Null-player axiom ``phi_i(v) = 0`` if ``v(S ∪ i) = v(S)`` for all ``S``, for ``n = 1..max_n``.

    For each player ``i`` the rule is applied to the generic game in which
    ``i`` is null (the symbol of ``S ∪ i`` is that of ``S``; ``v({i}) = 0``).
    Parameters and result as :func:`check_efficiency`.

    Examples
    --------
    >>> from symgame.values import banzhaf
    >>> str(check_null_player(banzhaf, 4))
    'PROVED (n <= 4)'
    >>> v = check_null_player(equal_split, 3)
    >>> v.certificate["case"], v.certificate["lhs"], v.certificate["rhs"]
    ('player 1 null', '1/2', '0')
    >>> check_null_player(equal_split, 11)
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: max_n = 11 exceeds the limit of 10 players; the symbolic check evaluates the rule on games with 2^n symbols; check fewer players or use derive_shapley_axioms_all_n for the Shapley formula
    """
    return _check("null_player", rule, max_n, instances, seed, spot_checks)


def check_symmetry(rule, max_n, *, instances=50, seed=0, spot_checks=2):
    """Decide Symmetry ``phi_i(v) = phi_j(v)`` for interchangeable ``i, j``, for ``n = 1..max_n``.

    For each pair ``i < j`` the rule is applied to the generic game in which
    ``v(S ∪ j)`` and ``v(S ∪ i)`` are the same symbol for every ``S ∌ i, j``.
    Parameters and result as :func:`check_efficiency`.

    Examples
    --------
    >>> from symgame.values import shapley
    >>> str(check_symmetry(shapley, 5))
    'PROVED (n <= 5)'
    >>> v = check_symmetry(weighted_shapley([1, 2, 3]), 3)
    >>> v.certificate["players"], v.certificate["lhs"], v.certificate["rhs"]
    ([1, 2], '1/3', '2/3')
    >>> check_symmetry(lambda game: {1: 0}, 2)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidRuleError: rule <lambda> returned values for players [1]; expected exactly the game's players [1, 2] (missing [2], unexpected [])
    """
    return _check("symmetry", rule, max_n, instances, seed, spot_checks)


def check_linearity(rule, max_n, *, instances=50, seed=0, spot_checks=2):
    """Decide Linearity: additivity ``phi(v + w) = phi(v) + phi(w)`` and homogeneity ``phi(a v) = a phi(v)``.

    Additivity uses two independent generic games (symbols ``v_S`` and
    ``w_S``); homogeneity uses the real symbol ``a``.  A counterexample
    records the part that failed in ``certificate["case"]``, the scalar in
    ``certificate["scalar"]`` and both games in ``certificate["games"]``.
    Parameters and result as :func:`check_efficiency`.

    Examples
    --------
    >>> from symgame.values import shapley
    >>> str(check_linearity(shapley, 4))
    'PROVED (n <= 4)'
    >>> v = check_linearity(quadratic_shapley, 3)
    >>> v.certificate["case"], v.certificate["n"], v.certificate["lhs"], v.certificate["rhs"]
    ('additivity', 2, '1', '1/2')
    >>> [g["values"] for g in v.certificate["games"].values()][1]
    [{'coalition': [1], 'value': '1'}, {'coalition': [2], 'value': '0'}, {'coalition': [1, 2], 'value': '0'}]
    >>> check_linearity(shapley, 2, instances=0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: instances must be an integer >= 1, got 0
    """
    return _check("linearity", rule, max_n, instances, seed, spot_checks)


_CHECKERS = {
    "efficiency": check_efficiency,
    "null_player": check_null_player,
    "symmetry": check_symmetry,
    "linearity": check_linearity,
}


def check_axioms(rule, max_n, **options):
    """Run the four checkers for ``n = 1..max_n``.

    Returns
    -------
    dict
        Axiom name (``"efficiency"``, ``"null_player"``, ``"symmetry"``,
        ``"linearity"``) -> :class:`~symgame.verdicts.Verdict`.  ``options``
        are passed to every checker.

    Examples
    --------
    >>> from symgame.values import leave_one_out
    >>> {k: str(v) for k, v in check_axioms(leave_one_out, 3).items()}
    {'efficiency': 'REFUTED', 'null_player': 'PROVED (n <= 3)', 'symmetry': 'PROVED (n <= 3)', 'linearity': 'PROVED (n <= 3)'}
    >>> check_axioms(leave_one_out, 2.5)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: max_n must be an integer number of players >= 1, got 2.5
    """
    _check_rule(rule)
    _check_size(max_n, "max_n", MAX_CHECK_PLAYERS, "check fewer players")
    return {axiom: check(rule, max_n, **options) for axiom, check in _CHECKERS.items()}


# ---------------------------------------------------------------------- witness rules
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
    _require_game(game, "equal_split")
    if not game.n:
        return {}
    share = game[game.players] / game.n
    return {p: share for p in game.players}


def _require_game(game, func):
    if not isinstance(game, Game):
        raise InvalidGameError(f"{func} expects a symgame.Game, got {type(game).__name__}")


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
        clean[key] = Fraction(int(x.p), int(x.q))
    by_position = not isinstance(weights, Mapping)
    cache = {}

    def rule(game):
        _require_game(game, "weighted_shapley")
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
    _require_game(game, "quadratic_shapley")
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
    _require_game(game, "egalitarian_nonnull")
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


# ---------------------------------------------------------------------- independence
def independence_witnesses():
    """For each axiom, a rule that satisfies the other three axioms and violates it (S0.c).

    Returns
    -------
    dict
        Axiom -> rule: Banzhaf (not efficient), :func:`equal_split` (not
        null-player), ``weighted_shapley([1, 2, ..., 10])`` (not symmetric),
        :func:`quadratic_shapley` (not linear).

    Examples
    --------
    >>> {axiom: rule.__name__ for axiom, rule in independence_witnesses().items()}
    {'efficiency': 'banzhaf', 'null_player': 'equal_split', 'symmetry': 'weighted_shapley([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])', 'linearity': 'quadratic_shapley'}
    """
    return {
        "efficiency": banzhaf,
        "null_player": equal_split,
        "symmetry": weighted_shapley(list(range(1, MAX_CHECK_PLAYERS + 1))),
        "linearity": quadratic_shapley,
    }


def check_independence(max_n=4, *, witnesses=None, **options):
    """Run the four axiom checkers on each independence witness (PROPOSITIONS.md, S0.c).

    Parameters
    ----------
    max_n : int
        Sizes ``1..max_n`` (at least 3: Banzhaf is efficient for ``n <= 2``).
    witnesses : Mapping, optional
        Axiom -> rule meant to violate exactly that axiom; defaults to
        :func:`independence_witnesses`.
    **options
        Passed to the checkers.

    Returns
    -------
    dict
        Axiom meant to fail -> ``{"rule": name, "verdicts": {axiom: Verdict}}``.
        For the default witnesses each entry has three ``PROVED (n <= max_n)``
        and one ``REFUTED`` verdict, the refuted one being the entry's axiom.

    Examples
    --------
    >>> result = check_independence(3)
    >>> {axiom: [k for k, v in entry["verdicts"].items() if str(v) == "REFUTED"]
    ...  for axiom, entry in result.items()}
    {'efficiency': ['efficiency'], 'null_player': ['null_player'], 'symmetry': ['symmetry'], 'linearity': ['linearity']}
    >>> check_independence(3, witnesses={"fairness": equal_split})
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: witnesses has unknown axiom 'fairness'; expected one of efficiency, null_player, symmetry, linearity
    """
    witnesses = independence_witnesses() if witnesses is None else witnesses
    if not isinstance(witnesses, Mapping):
        raise InvalidGameError(f"witnesses must be a mapping axiom -> rule, got {type(witnesses).__name__}")
    for axiom, rule in witnesses.items():
        if axiom not in _CHECKERS:
            raise InvalidGameError(
                f"witnesses has unknown axiom {axiom!r}; expected one of {', '.join(AXIOMS)}"
            )
        _check_rule(rule)
    _check_size(max_n, "max_n", MAX_CHECK_PLAYERS, "check fewer players")
    return {
        axiom: {"rule": _rule_name(rule), "verdicts": check_axioms(rule, max_n, **options)}
        for axiom, rule in witnesses.items()
    }


# ---------------------------------------------------------------------- all-n derivation
def _step(claim, expr, operation, result, expected):
    return {
        "claim": claim,
        "input": sp.sstr(expr),
        "operation": operation,
        "result": sp.sstr(result),
        "expected": sp.sstr(expected),
        "holds": bool(result == expected),
    }


def _shapley_weight(n, s):
    return Fraction(factorial(s) * factorial(n - s - 1), factorial(n))


def derive_shapley_axioms_all_n(check_up_to=8):
    """Derive the four axioms for the Shapley formula with ``n`` a SymPy integer symbol (S0.a).

    With ``w(s) = s!(n-s-1)!/n!`` and ``phi_i = sum_{S ⊆ N\\i} w(|S|)(v(S ∪ i) - v(S))``:

    * **Efficiency.**  In ``sum_i phi_i`` the coefficient of ``v(S)``,
      ``|S| = s``, is ``s w(s-1) - (n-s) w(s)`` (``s`` members enter ``S``,
      ``n - s`` others leave it); ``combsimp`` gives 0 for ``1 <= s <= n-1``,
      and ``n w(n-1) = 1`` for ``S = N``.  Second route (unanimity basis):
      ``phi_i(u_T) = sum_{k=0}^{n-t} C(n-t, k) w(t-1+k) = 1/t`` for ``i ∈ T``
      (``sympy.summation``), 0 for ``i ∉ T``, so ``sum_i phi_i(u_T) = 1 =
      u_T(N)``; the ``u_T`` are a basis (Möbius inversion) and the formula is
      linear.  The weights also form a distribution:
      ``sum_{s=0}^{n-1} C(n-1, s) w(s) = 1``.
    * **Null player.**  Every term is a marginal contribution of ``i``; with
      ``v(S ∪ i) := v(S)`` each term is 0.
    * **Symmetry.**  The transposition ``π = (i j)`` maps the terms of ``phi_i``
      bijectively to those of ``phi_j`` preserving ``|S|``; for
      ``S ⊆ N \\ {i, j}`` and ``S = R ∪ j`` the paired terms agree once
      ``v(S ∪ j) := v(S ∪ i)``.
    * **Linearity.**  The coefficients ``w`` do not depend on ``v``; each term
      is linear in ``v``, checked for ``a v + b w`` with symbols ``a, b``.

    Every step is computed by SymPy with ``n``, ``s``, ``t``, ``k`` integer
    symbols (here symbolic simplification *is* the proof).  Every closed form
    is cross-checked against direct exact sums for ``n = 1..check_up_to``,
    and the weights against the coefficients :func:`symgame.values.shapley_forms`
    computes on the generic game.

    Parameters
    ----------
    check_up_to : int
        Largest size for the concrete cross-checks (1 to MAX_CHECK_PLAYERS).

    Returns
    -------
    dict
        Axiom -> ``Verdict`` (``PROVED (all n)`` when every step and
        cross-check holds, else ``UNDECIDED``), with the steps in
        ``certificate["derivation"]`` and ``certificate["cross_checks"]``.

    Examples
    --------
    >>> result = derive_shapley_axioms_all_n(check_up_to=4)
    >>> {axiom: str(v) for axiom, v in result.items()}
    {'efficiency': 'PROVED (all n)', 'null_player': 'PROVED (all n)', 'symmetry': 'PROVED (all n)', 'linearity': 'PROVED (all n)'}
    >>> [step["result"] for step in result["efficiency"].certificate["derivation"]]
    ['0', '1', '1/t', '1', '1/n', '1']
    >>> derive_shapley_axioms_all_n(check_up_to=0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: check_up_to must be an integer number of players >= 1, got 0
    """
    _check_size(check_up_to, "check_up_to", MAX_CHECK_PLAYERS, "cross-check fewer sizes")
    n = sp.Symbol("n", integer=True, positive=True)
    s = sp.Symbol("s", integer=True, positive=True)
    s0 = sp.Symbol("s", integer=True, nonnegative=True)
    t = sp.Symbol("t", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)

    def w(x):
        return sp.factorial(x) * sp.factorial(n - x - 1) / sp.factorial(n)

    sizes = range(1, check_up_to + 1)
    # --- efficiency
    coefficient = s * w(s - 1) - (n - s) * w(s)
    top = n * w(n - 1)
    unanimity = sp.binomial(n - t, k) * w(t - 1 + k)
    unanimity_sum = sp.summation(unanimity, (k, 0, n - t))
    unanimity_closed = sp.simplify(unanimity_sum)
    summand = sp.binomial(n - 1, s0) * w(s0)
    summand_closed = sp.combsimp(summand)
    distribution = sp.summation(summand_closed, (s0, 0, n - 1))
    efficiency_steps = [
        _step("coefficient of v(S), 1 <= |S| = s <= n-1, in sum_i phi_i vanishes", coefficient,
              "sympy.combsimp", sp.combsimp(coefficient), sp.S.Zero),
        _step("coefficient of v(N) in sum_i phi_i is 1", top, "sympy.combsimp", sp.combsimp(top), sp.S.One),
        _step("phi_i(u_T) = 1/t for i in T, |T| = t (sum over the coalitions S ⊇ T \\ i, |S| = t-1+k)",
              sp.Sum(unanimity, (k, 0, n - t)), "sympy.summation, then sympy.simplify",
              unanimity_closed, 1 / t),
        _step("sum_{i in T} phi_i(u_T) = t * (1/t) = u_T(N)", sp.Mul(t, unanimity_closed, evaluate=False),
              "sympy multiplication", t * unanimity_closed, sp.S.One),
        _step("summand C(n-1, s) w(s) of the weight distribution", summand, "sympy.combsimp",
              summand_closed, 1 / n),
        _step("sum_{s=0}^{n-1} C(n-1, s) s!(n-s-1)!/n! = 1", sp.Sum(summand_closed, (s0, 0, n - 1)),
              "sympy.summation", distribution, sp.S.One),
    ]
    cross = []
    ok = True
    for m in sizes:
        direct_distribution = sum(factorial(m - 1) // (factorial(q) * factorial(m - 1 - q)) * _shapley_weight(m, q)
                                  for q in range(m))
        good = direct_distribution == 1 and distribution.subs(n, m) == 1
        for q in range(1, m):
            direct = q * _shapley_weight(m, q - 1) - (m - q) * _shapley_weight(m, q)
            good &= direct == 0 and coefficient.subs({n: m, s: q}) == 0
        good &= m * _shapley_weight(m, m - 1) == 1
        for size in range(1, m + 1):
            direct = sum(factorial(m - size) // (factorial(j) * factorial(m - size - j))
                         * _shapley_weight(m, size - 1 + j) for j in range(m - size + 1))
            good &= direct == Fraction(1, size) and unanimity_sum.subs({n: m, t: size}) == sp.Rational(1, size)
            u = Game.unanimity(range(1, m + 1), range(1, size + 1))
            phi = shapley(u)
            good &= all(phi[p] == (sp.Rational(1, size) if p <= size else 0) for p in u.players)
        cross.append({"n": m, "closed forms equal direct exact sums; shapley(u_T) = 1/|T| on T": good})
        ok &= good
    forms_ok = []
    for m in sizes:
        forms = shapley_forms(Game.generic(m))
        g = Game.generic(m)
        good = True
        for i, p in enumerate(g.players):
            for mask in range(1, 1 << m):
                size = mask.bit_count()
                expected = _shapley_weight(m, size - 1) if mask >> i & 1 else -_shapley_weight(m, size)
                good &= forms[p].coefficient(g._expr(mask)) == expected
        forms_ok.append({"n": m, "shapley_forms coefficients equal w(|S|-1) on S ∋ i and -w(|S|) on S ∌ i": good})
        ok &= good

    # --- per-term identities for null player, symmetry, linearity
    vS, vSi, vSj, vSij, vR, vRi, vRj, vRij = sp.symbols("vS vSi vSj vSij vR vRi vRj vRij", real=True)
    a, b, v1, v0, u1, u0 = sp.symbols("a b v1 v0 u1 u0", real=True)
    term_null = (w(s0) * (vSi - vS)).subs(vSi, vS)
    case1 = w(s0) * (vRi - vR) - w(s0) * (vRj - vR)
    case2 = w(s0 + 1) * (vRij - vRj) - w(s0 + 1) * (vRij - vRi)
    lin = w(s0) * ((a * v1 + b * u1) - (a * v0 + b * u0)) - a * w(s0) * (v1 - v0) - b * w(s0) * (u1 - u0)
    null_steps = [
        _step("term w(|S|) (v(S ∪ i) - v(S)) with v(S ∪ i) := v(S)", w(s0) * (vSi - vS),
              "substitution v(S ∪ i) -> v(S)", term_null, sp.S.Zero),
    ]
    symmetry_steps = [
        _step("S = R ⊆ N \\ {i, j}: term of i at R minus term of j at π(R) = R", case1,
              "substitution v(R ∪ j) -> v(R ∪ i), sympy.expand", sp.expand(case1.subs(vRj, vRi)), sp.S.Zero),
        _step("S = R ∪ j: term of i at R ∪ j minus term of j at π(S) = R ∪ i (both of size |R| + 1)", case2,
              "substitution v(R ∪ j) -> v(R ∪ i), sympy.expand", sp.expand(case2.subs(vRj, vRi)), sp.S.Zero),
    ]
    linearity_steps = [
        _step("each term is linear: term(a v + b u) - a term(v) - b term(u)", lin, "sympy.expand",
              sp.expand(lin), sp.S.Zero),
    ]
    structural = {
        "null_player": "phi_i is a sum of terms w(|S|)(v(S ∪ i) - v(S)), one per S ⊆ N \\ i",
        "symmetry": ("S -> π(S) with π = (i j) is a bijection from the subsets of N \\ i to those of N \\ j "
                     "with |π(S)| = |S|; the subsets are R and R ∪ j with R ⊆ N \\ {i, j}"),
        "linearity": "the coefficients w(|S|) depend on n only, not on v",
        "efficiency": ("each S with |S| = s arises as (S \\ i) ∪ i for its s members (weight w(s-1)) and as "
                       "the coalition left by each of the n - s non-members (weight -w(s))"),
    }
    derivations = {
        "efficiency": efficiency_steps,
        "null_player": null_steps,
        "symmetry": symmetry_steps,
        "linearity": linearity_steps,
    }
    out = {}
    for axiom, steps in derivations.items():
        cert = {
            "statement": _EQUATIONS[axiom] if axiom != "linearity" else "phi(a v + b u) = a phi(v) + b phi(u)",
            "formula": "phi_i = sum_{S ⊆ N \\ i} w(|S|) (v(S ∪ i) - v(S)),  w(s) = s!(n-s-1)!/n!",
            "symbols": "n, s, t, k are SymPy integer symbols (n, t >= 1; s, k >= 0)",
            "structure": structural[axiom],
            "derivation": steps,
            "cross_checks": cross + forms_ok,
        }
        holds = all(st["holds"] for st in steps) and ok
        if holds:
            out[axiom] = Verdict.proved_for_all(cert, f"the Shapley formula satisfies {axiom} for every n")
        else:  # pragma: no cover - would mean SymPy or the formula changed
            out[axiom] = Verdict.undecided("a derivation step or cross-check did not hold", cert)
    return out


# ---------------------------------------------------------------------- uniqueness
def _uniqueness_system(n):
    """Columns ``(i, S)`` and the axioms as sparse rows ``({column: coeff}, rhs, axiom)``."""
    full = (1 << n) - 1
    keys = sorted(((i, m) for m in range(1, 1 << n) for i in range(n)),
                  key=lambda key: (-key[1].bit_count(), key[1], key[0]))
    col = {key: c for c, key in enumerate(keys)}
    rows = []
    for m in range(1, 1 << n):  # efficiency on the basis game e_S: sum_i c[i, S] = e_S(N)
        rows.append(({col[i, m]: 1 for i in range(n)}, 1 if m == full else 0, "efficiency"))
    for i in range(n):  # phi_i vanishes on e_T + e_{T ∪ i}, T ⊆ N \ i non-empty (games with i null)
        bit = 1 << i
        for t in range(1, 1 << n):
            if not t & bit:
                rows.append(({col[i, t]: 1, col[i, t | bit]: 1}, 0, "null_player"))
    for i, j in itertools.combinations(range(n), 2):  # phi_i - phi_j vanishes on games symmetric in i, j
        bi, bj = 1 << i, 1 << j
        for m in range(1, 1 << n):
            if bool(m & bi) == bool(m & bj):
                rows.append(({col[i, m]: 1, col[j, m]: -1}, 0, "symmetry"))
        for m in range(1 << n):
            if not m & (bi | bj):
                x, y = m | bi, m | bj
                rows.append(({col[i, x]: 1, col[i, y]: 1, col[j, x]: -1, col[j, y]: -1}, 0, "symmetry"))
    return col, rows


def _solve(num_cols, rows):
    """Sparse exact Gaussian elimination over QQ.

    Returns ``(rank, consistent, pivots)``; pivot rows are normalised and in
    echelon form (each row's first column is its pivot).  Rows are taken
    sparsest first and columns ordered by decreasing coalition size, which
    keeps fill-in small.
    """
    rhs_col = num_cols
    pivots = {}
    consistent = True
    for coeffs, rhs, _axiom in sorted(rows, key=lambda r: len(r[0])):
        row = {c: Fraction(x) for c, x in coeffs.items()}
        if rhs:
            row[rhs_col] = Fraction(rhs)
        while row:
            c = min(row)
            if c == rhs_col:
                consistent = False
                break
            p = pivots.get(c)
            if p is None:
                inv = 1 / row[c]
                pivots[c] = {k: x * inv for k, x in row.items()}
                break
            f = row[c]
            for k, x in p.items():
                y = row.get(k, 0) - f * x
                if y:
                    row[k] = y
                else:
                    row.pop(k, None)
    return len(pivots), consistent, pivots


def _back_substitute(num_cols, pivots, free=None):
    """The solution of the echelon system, or (with ``free``) the kernel vector with ``x[free] = 1``."""
    rhs_col = num_cols
    sol = {} if free is None else {free: Fraction(1)}
    for c in sorted(pivots, reverse=True):
        row = pivots[c]
        val = Fraction(0) if free is not None else row.get(rhs_col, Fraction(0))
        for k, x in row.items():
            if k != c and k != rhs_col:
                val -= x * sol.get(k, 0)
        sol[c] = val
    return sol


_UNIQUENESS_LIMIT = "the system has n (2^n - 1) unknowns (n = 10: 10230, about 20 s)"


def _uniqueness(n):
    """Build and solve the system at size ``n``: ``(col, counts, rank, consistent, pivots)``."""
    col, rows = _uniqueness_system(n)
    counts = {"efficiency": 0, "null_player": 0, "symmetry": 0}
    for _c, _r, axiom in rows:
        counts[axiom] += 1
    counts["total"] = len(rows)
    rank, consistent, pivots = _solve(len(col), rows)
    return col, counts, rank, consistent, pivots


def uniqueness_solution(n):
    """The coefficients of the only linear value with Efficiency, Null player and Symmetry on ``n`` players.

    Solves the linear system of :func:`derive_uniqueness` at one size.

    Parameters
    ----------
    n : int
        Number of players ``1..n`` (1 to :data:`MAX_UNIQUENESS_PLAYERS`).

    Returns
    -------
    dict or None
        ``(i, frozenset(S)) -> Fraction``: the coefficient of ``v(S)`` in
        ``phi_i``, for every player ``i`` and non-empty ``S``; ``None`` if the
        system does not have exactly one solution.

    Examples
    --------
    >>> c = uniqueness_solution(3)
    >>> c[1, frozenset({1, 2})], c[3, frozenset({1, 2})]
    (Fraction(1, 6), Fraction(-1, 3))
    >>> uniqueness_solution(0)
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidGameError: n must be an integer number of players >= 1, got 0
    """
    _check_size(n, "n", MAX_UNIQUENESS_PLAYERS, _UNIQUENESS_LIMIT)
    col, _counts, rank, consistent, pivots = _uniqueness(n)
    if not consistent or rank < len(col):  # pragma: no cover - Shapley's theorem
        return None
    sol = _back_substitute(len(col), pivots)
    return {(i + 1, frozenset(_members(m, n))): sol[c] for (i, m), c in sorted(col.items())}


def derive_uniqueness(max_n=6):
    """Shapley's uniqueness theorem for ``n = 1..max_n`` by exact linear algebra (PROPOSITIONS.md, S0.b).

    A general linear value is ``phi_i(v) = sum_{S ≠ ∅} c[i, S] v(S)`` with
    ``n (2^n - 1)`` unknown coefficients.  The axioms are linear equations on
    them, imposed on spanning sets of the relevant subspaces:

    * Efficiency on each basis game ``e_S``: ``sum_i c[i, S] = [S = N]``;
    * Null player: ``phi_i`` vanishes on the games where ``i`` is null,
      spanned by ``e_T + e_{T ∪ i}`` for non-empty ``T ⊆ N \\ i`` (such games
      have ``v({i}) = v(∅) = 0``): ``c[i, T] + c[i, T ∪ i] = 0``;
    * Symmetry: ``phi_i - phi_j`` vanishes on the games where ``i, j`` are
      interchangeable, spanned by ``e_S`` (``S`` containing both or neither)
      and ``e_{S ∪ i} + e_{S ∪ j}`` (``S ⊆ N \\ {i, j}``).

    The system is solved exactly over QQ (sparse Fraction elimination).  The
    theorem holds at size ``n`` when the system is consistent with rank equal
    to the number of unknowns (one solution) and that solution is the Shapley
    weights ``c[i, S] = (|S|-1)!(n-|S|)!/n!`` for ``i ∈ S`` and
    ``-|S|!(n-|S|-1)!/n!`` for ``i ∉ S``, compared with both the closed form
    and the coefficients of :func:`symgame.values.shapley_forms` on the
    generic game.

    Parameters
    ----------
    max_n : int
        1 to :data:`MAX_UNIQUENESS_PLAYERS`.  About 1 s up to n = 8 and
        20 s up to n = 10 on one core.

    Returns
    -------
    Verdict
        ``PROVED (n <= max_n)`` with, per size, the number of unknowns and
        equations (by axiom), the rank and the timing; ``REFUTED`` with a
        second solution or the differing coefficients if the theorem failed.

    Examples
    --------
    >>> v = derive_uniqueness(4)
    >>> str(v), v.certificate["per_n"][4]["unknowns"], v.certificate["per_n"][4]["rank"]
    ('PROVED (n <= 4)', 60, 60)
    >>> v.certificate["per_n"][3]["solution"]
    {'i in S, |S| = 1': '1/3', 'i in S, |S| = 2': '1/6', 'i in S, |S| = 3': '1/3', 'i not in S, |S| = 1': '-1/6', 'i not in S, |S| = 2': '-1/3'}
    >>> derive_uniqueness(11)
    Traceback (most recent call last):
    ...
    symgame.errors.GameTooLargeError: max_n = 11 exceeds the limit of 10 players; the system has n (2^n - 1) unknowns (n = 10: 10230, about 20 s)
    """
    _check_size(max_n, "max_n", MAX_UNIQUENESS_PLAYERS, _UNIQUENESS_LIMIT)
    per_n = {}
    cert = {"statement": "a linear, efficient, null-player, symmetric value is the Shapley value", "per_n": per_n}
    for n in range(1, max_n + 1):
        start = time.perf_counter()
        col, counts, rank, consistent, pivots = _uniqueness(n)
        num = len(col)
        info = per_n[n] = {"unknowns": num, "equations": counts, "rank": rank, "consistent": consistent}
        if not consistent:  # pragma: no cover - Shapley's theorem
            return Verdict.refuted(cert, f"the axioms are inconsistent at n = {n}")
        if rank < num:  # pragma: no cover - Shapley's theorem
            free = min(set(range(num)) - set(pivots))
            kernel = _back_substitute(num, pivots, free)
            info["second_solution_direction"] = {f"c[{i + 1}, {_members(m, n)}]": x
                                                 for (i, m), c in col.items() if (x := kernel.get(c, 0))}
            return Verdict.refuted(cert, f"the axioms leave {num - rank} free coefficients at n = {n}")
        sol = _back_substitute(num, pivots)
        generic = Game.generic(n)
        forms = shapley_forms(generic)
        differing = []
        table = {}
        for (i, m), c in col.items():
            size = m.bit_count()
            inside = m >> i & 1
            expected = _shapley_weight(n, size - 1) if inside else -_shapley_weight(n, size)
            computed = forms[generic.players[i]].coefficient(generic._expr(m))
            if sol[c] != expected or computed != expected:
                differing.append({"i": i + 1, "S": _members(m, n), "solution": sol[c], "shapley": expected})
            table.setdefault(f"i {'in' if inside else 'not in'} S, |S| = {size}", str(sol[c]))
        info["solution"] = dict(sorted(table.items()))
        info["equals_shapley_weights"] = not differing
        info["seconds"] = round(time.perf_counter() - start, 4)
        if differing:  # pragma: no cover - Shapley's theorem
            info["differing"] = differing[:10]
            return Verdict.refuted(cert, f"the unique solution at n = {n} is not the Shapley value")
    cert["method"] = (
        "unknown coefficients c[i, S] of a linear value; Efficiency, Null player and Symmetry imposed on "
        "spanning sets of the basis games; exact sparse Gaussian elimination over QQ; rank = number of "
        "unknowns; the solution compared with the closed-form Shapley weights and with shapley_forms"
    )
    return Verdict.proved_up_to(
        max_n, cert, f"the Shapley value is the only linear value with E, N, S for n <= {max_n}"
    )


def _members(mask, n):
    return [k + 1 for k in range(n) if mask >> k & 1]
