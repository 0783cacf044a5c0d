"""Axiom checkers for value rules (efficiency, null player, symmetry, linearity) and the axioms' independence.

A *value rule* is any callable ``rule(game) -> dict[player, value]``
(:func:`symgame.values.shapley`, :func:`symgame.values.banzhaf`, your own).
The checkers decide, for every size ``n = 1..max_n``, whether the rule
satisfies

* **Efficiency**: ``sum_i phi_i(v) = v(N)``;
* **Null player**: ``phi_i(v) = 0`` whenever ``v(S ∪ i) = v(S)`` for every ``S``;
* **Symmetry**: ``phi_i(v) = phi_j(v)`` whenever ``v(S ∪ i) = v(S ∪ j)`` for every ``S ∌ i, j``;
* **Linearity**: additivity ``phi(v + w) = phi(v) + phi(w)`` and homogeneity
  ``phi(a v) = a phi(v)`` with ``a`` a symbol.

How a size is decided (STATEMENTS.md, S0):

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

Beyond the checkers, re-exported here from :mod:`symgame.derivations` and
:mod:`symgame.rules`:

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
from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

from .derivations import (
    EQUATIONS,
    MAX_CHECK_PLAYERS,
    MAX_UNIQUENESS_PLAYERS,
    derive_shapley_axioms_all_n,
    derive_uniqueness,
    derive_uniqueness_all_n,
    uniqueness_solution,
)
from .errors import InvalidGameError, InvalidRuleError, NotExactError, UndecidedError
from .exact import exact_str, to_expr, to_fraction
from .game import Game
from .guards import check_player_count
from .linear import LinearForm
from .properties import is_null_player, is_symmetric_pair
from .rules import egalitarian_nonnull, equal_split, quadratic_shapley, weighted_shapley
from .values import banzhaf
from .verdicts import Verdict, Verdicts

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
    "derive_uniqueness_all_n",
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

_A = sp.Symbol("a", real=True)  # the scalar of the homogeneity check
_SCALARS = (2, -1, 3, Fraction(1, 2), -2)  # scalars tried by the search fallback

# ---------------------------------------------------------------------- argument checks
def _rule_name(rule):
    return getattr(rule, "__name__", None) or type(rule).__name__


def _check_rule(rule):
    if not callable(rule):
        raise InvalidRuleError(
            f"rule must be a callable game -> dict[player, value], got {type(rule).__name__} {rule!r}"
        )


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
                parts = ((rest, to_fraction(c)),)
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
        "equation": EQUATIONS[case.kind],
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
    check_player_count(max_n, "max_n", MAX_CHECK_PLAYERS,
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
        "equation": (EQUATIONS[axiom] if axiom != "linearity"
                     else f"{EQUATIONS['additivity']} and {EQUATIONS['homogeneity']}"),
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
    check_player_count(max_n, "max_n", MAX_CHECK_PLAYERS, "check fewer players")
    return Verdicts({axiom: check(rule, max_n, **options) for axiom, check in _CHECKERS.items()})


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
    """Run the four axiom checkers on each independence witness (STATEMENTS.md, S0.c).

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
    check_player_count(max_n, "max_n", MAX_CHECK_PLAYERS, "check fewer players")
    return {
        axiom: {"rule": _rule_name(rule), "verdicts": check_axioms(rule, max_n, **options)}
        for axiom, rule in witnesses.items()
    }


