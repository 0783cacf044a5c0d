"""Tests for symgame.axioms: axiom checkers, the all-n derivation, uniqueness and independence."""

from fractions import Fraction
from math import factorial

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame.axioms import (
    AXIOMS,
    check_axioms,
    check_efficiency,
    check_independence,
    check_linearity,
    check_null_player,
    check_symmetry,
    derive_shapley_axioms_all_n,
    derive_uniqueness,
    egalitarian_nonnull,
    equal_split,
    independence_witnesses,
    quadratic_shapley,
    uniqueness_solution,
    weighted_shapley,
)
from symgame.errors import (
    GameTooLargeError,
    InvalidGameError,
    InvalidRuleError,
    InvalidValueError,
    SymgameError,
    UndecidedError,
)
from symgame.game import Game
from symgame.properties import is_null_player, is_symmetric_pair
from symgame.strategies import games
from symgame.values import banzhaf, leave_one_out, linear_value, shapley, shapley_permutations
from symgame.verdicts import Kind


def _witness_sides(rule, cert):
    """Independently re-evaluate a REFUTED certificate: rebuild its game(s), apply the rule, return (lhs, rhs)."""
    if cert["axiom"] == "linearity":
        v = Game.from_json(cert["games"]["v"])
        w = Game.from_json(cert["games"]["w"])
        (p,) = cert["players"]
        if cert["case"] == "additivity":
            return rule(v + w)[p], rule(v)[p] + rule(w)[p]
        a = sp.sympify(cert["scalar"], rational=True)
        return rule(v * a)[p], a * rule(v)[p]
    game = Game.from_json(cert["game"])
    phi = rule(game)
    if cert["axiom"] == "efficiency":
        return sum(phi.values(), sp.S.Zero), game[game.players]
    if cert["axiom"] == "null_player":
        (p,) = cert["players"]
        assert is_null_player(game, p) is True
        return phi[p], sp.S.Zero
    p, q = cert["players"]
    assert is_symmetric_pair(game, p, q) is True
    return phi[p], phi[q]


def _assert_witness(rule, verdict):
    assert verdict.kind is Kind.REFUTED
    cert = verdict.certificate
    lhs, rhs = _witness_sides(rule, cert)
    assert sp.expand(lhs - rhs) != 0
    assert sp.sympify(cert["lhs"], rational=True) == lhs
    assert sp.sympify(cert["rhs"], rational=True) == rhs
    assert Game.from_json(cert["game"]).n == cert["n"]


# ---------------------------------------------------------------------- the standard rules
def test_shapley_satisfies_all_axioms_up_to_5():
    verdicts = check_axioms(shapley, 5)
    assert list(verdicts) == list(AXIOMS)
    for axiom, verdict in verdicts.items():
        assert str(verdict) == "PROVED (n <= 5)", axiom
        assert verdict.certificate["sizes"] == [1, 2, 3, 4, 5]
        assert all(info["searched_instances"] == 0 for info in verdict.certificate["per_n"].values())
    # one identity per pair of players at n = 5
    assert verdicts["symmetry"].certificate["per_n"][5]["cases"] == 10
    assert verdicts["null_player"].certificate["per_n"][5]["cases"] == 5


def test_banzhaf_is_refuted_on_efficiency_at_three_players_only():
    verdict = check_efficiency(banzhaf, 4)
    _assert_witness(banzhaf, verdict)
    assert verdict.certificate["n"] == 3  # Banzhaf is efficient for n <= 2
    assert str(check_efficiency(banzhaf, 2)) == "PROVED (n <= 2)"
    for check in (check_null_player, check_symmetry, check_linearity):
        assert str(check(banzhaf, 4)) == "PROVED (n <= 4)"


def test_equal_split_is_refuted_on_null_player():
    verdict = check_null_player(equal_split, 3)
    _assert_witness(equal_split, verdict)
    cert = verdict.certificate
    assert cert["n"] == 2 and cert["players"] == [1]
    assert str(check_efficiency(equal_split, 3)) == "PROVED (n <= 3)"


def test_leave_one_out_is_linear_null_player_symmetric_but_not_efficient():
    verdicts = check_axioms(leave_one_out, 4)
    assert str(verdicts["null_player"]) == str(verdicts["symmetry"]) == str(verdicts["linearity"]) == "PROVED (n <= 4)"
    _assert_witness(leave_one_out, verdicts["efficiency"])
    assert verdicts["efficiency"].certificate["n"] == 2
    # the witness is the sparsest: a single non-zero coalition value
    values = [e["value"] for e in verdicts["efficiency"].certificate["game"]["values"]]
    assert sorted(values) == ["0", "0", "1"]


def test_refutation_certificate_is_json_and_names_the_equation():
    verdict = check_efficiency(leave_one_out, 3)
    data = verdict.to_dict()
    assert data["verdict"] == "REFUTED"
    assert data["certificate"]["equation"] == "sum_i phi_i(v) = v(N)"
    assert Game.from_json(data["certificate"]["game"]) == Game.from_dict([1, 2], {(1, 2): 1}, default=0)
    assert verdict.to_json()  # serialisable


def test_weighted_shapley_fails_symmetry_only():
    rule = weighted_shapley([1, 2, 3])
    verdicts = check_axioms(rule, 3)
    assert [k for k, v in verdicts.items() if v.kind is Kind.REFUTED] == ["symmetry"]
    _assert_witness(rule, verdicts["symmetry"])


def test_weighted_shapley_with_equal_weights_is_shapley():
    g = Game.generic(3)
    assert weighted_shapley([5, 5, 5])(g) == shapley(g)


# ---------------------------------------------------------------------- broken rules are caught
def _perturbed_shapley(n_bad, i_bad, mask_bad, delta):
    """Shapley value with the coefficient of v(S) in phi_i changed by delta on n_bad-player games."""

    def rule(game):
        n = game.n

        def coefficient(i, mask):
            size = mask.bit_count()
            if mask >> i & 1:
                c = Fraction(factorial(size - 1) * factorial(n - size), factorial(n))
            else:
                c = -Fraction(factorial(size) * factorial(n - size - 1), factorial(n)) if size < n else 0
            if n == n_bad and i == i_bad and mask == mask_bad:
                c += delta
            return c

        return linear_value(game, coefficient)

    return rule


def test_unperturbed_linear_value_is_shapley():
    rule = _perturbed_shapley(3, 0, 3, 0)
    assert rule(Game.generic(3)) == shapley(Game.generic(3))


def test_perturbed_shapley_weight_is_caught():
    rule = _perturbed_shapley(3, 0, 0b011, Fraction(1, 7))
    verdicts = check_axioms(rule, 3)
    assert verdicts["efficiency"].kind is Kind.REFUTED
    assert verdicts["symmetry"].kind is Kind.REFUTED  # players 1 and 2 are treated differently
    assert str(verdicts["linearity"]) == "PROVED (n <= 3)"
    cert = verdicts["efficiency"].certificate
    assert cert["n"] == 3 and cert["difference"] == "1/7"
    _assert_witness(rule, verdicts["efficiency"])


@given(
    n=st.integers(2, 3),
    data=st.data(),
    delta=st.fractions(min_value=-3, max_value=3, max_denominator=12).filter(bool),
)
def test_any_single_perturbed_weight_breaks_efficiency_on_a_basis_game(n, data, delta):
    i = data.draw(st.integers(0, n - 1))
    mask = data.draw(st.integers(1, (1 << n) - 1))
    rule = _perturbed_shapley(n, i, mask, delta)
    verdict = check_efficiency(rule, n, spot_checks=0)
    _assert_witness(rule, verdict)
    cert = verdict.certificate
    assert cert["n"] == n
    assert Fraction(cert["difference"]) == delta
    nonzero = [tuple(e["coalition"]) for e in cert["game"]["values"] if e["value"] != "0"]
    assert nonzero == [tuple(k + 1 for k in range(n) if mask >> k & 1)]  # the basis game e_S


def test_rule_that_differs_on_concrete_games_is_caught_by_spot_checks():
    def two_faced(game):
        return shapley(game) if game.is_symbolic else banzhaf(game)

    verdict = check_efficiency(two_faced, 3)
    assert verdict.kind is Kind.REFUTED
    assert verdict.certificate["found_by"].startswith("spot check")
    _assert_witness(two_faced, verdict)


def test_symbolic_counterexample_that_does_not_reproduce_falls_back_to_search():
    def two_faced(game):
        return banzhaf(game) if game.is_symbolic else shapley(game)

    verdict = check_efficiency(two_faced, 3, instances=10)
    assert str(verdict) == "CHECKED (10 instances)"  # n = 1, 2 are proved; only n = 3 is searched
    assert verdict.certificate["per_n"][2]["symbolic"] == 1
    assert "did not reproduce" in verdict.certificate["per_n"][3]["undecided"]


# ---------------------------------------------------------------------- non-linear rules
def test_quadratic_shapley_fails_linearity_only():
    verdicts = check_axioms(quadratic_shapley, 4)
    assert [k for k, v in verdicts.items() if v.kind is Kind.REFUTED] == ["linearity"]
    assert all(str(verdicts[k]) == "PROVED (n <= 4)" for k in ("efficiency", "null_player", "symmetry"))
    _assert_witness(quadratic_shapley, verdicts["linearity"])


def test_egalitarian_nonnull_is_checked_by_search_and_refuted_on_linearity():
    verdicts = check_axioms(egalitarian_nonnull, 3, instances=20)
    for axiom in ("efficiency", "null_player", "symmetry"):
        verdict = verdicts[axiom]
        assert verdict.kind is Kind.CHECKED, axiom
        assert verdict.certificate["seed"] == 0
        assert "UndecidedError" in verdict.certificate["per_n"][2]["undecided"]
    assert str(verdicts["efficiency"]) == "CHECKED (60 instances)"  # 20 games at each of 3 sizes
    linear = verdicts["linearity"]
    _assert_witness(egalitarian_nonnull, linear)
    assert linear.certificate["found_by"].startswith("deterministic search")


def test_search_is_deterministic():
    a = check_linearity(egalitarian_nonnull, 3).certificate
    b = check_linearity(egalitarian_nonnull, 3).certificate
    assert a == b


def test_egalitarian_nonnull_refuses_undecided_symbolic_games():
    with pytest.raises(UndecidedError, match="player 1 is null is undecided"):
        egalitarian_nonnull(Game.generic(2))
    x = sp.Symbol("x", positive=True)
    assert egalitarian_nonnull(Game.from_dict(["a", "b"], {("a",): x, ("b",): 0, ("a", "b"): x})) == {"a": x, "b": 0}


def _with_null(game, player):
    return Game.from_function(game.players, lambda S: game[S - {player}])


@given(g=games(min_players=1, max_players=4), data=st.data())
def test_nonlinear_witnesses_keep_the_other_axioms_on_concrete_games(g, data):
    player = data.draw(st.sampled_from(g.players))
    h = _with_null(g, player)
    for rule in (quadratic_shapley, egalitarian_nonnull):
        assert sum(rule(g).values(), sp.S.Zero) == g[g.players]
        assert rule(h)[player] == 0


# ---------------------------------------------------------------------- all-n derivation
def test_all_n_derivation_proves_every_axiom_with_computed_steps():
    result = derive_shapley_axioms_all_n(check_up_to=5)
    assert list(result) == list(AXIOMS)
    for verdict in result.values():
        assert verdict.matches("PROVED (all n)")
        steps = verdict.certificate["derivation"]
        assert steps and all(step["holds"] and step["result"] == step["expected"] for step in steps)
        checks = verdict.certificate["cross_checks"]
        assert len(checks) == 10 and all(all(v for k, v in c.items() if k != "n") for c in checks)
    efficiency = result["efficiency"].certificate["derivation"]
    assert [s["result"] for s in efficiency] == ["0", "1", "1/t", "1", "1/n", "1"]


# ---------------------------------------------------------------------- uniqueness
def test_uniqueness_solution_equals_shapley_on_basis_games():
    for n in range(1, 5):
        coefficients = uniqueness_solution(n)
        players = list(range(1, n + 1))
        assert len(coefficients) == n * (2 ** n - 1)
        for (i, S), c in coefficients.items():
            basis = Game.from_dict(players, {tuple(S): 1}, default=0)  # e_S: phi_i(e_S) = c[i, S]
            assert shapley_permutations(basis)[i] == c


def test_derive_uniqueness_reports_a_single_solution():
    verdict = derive_uniqueness(4)
    assert str(verdict) == "PROVED (n <= 4)"
    for n, info in verdict.certificate["per_n"].items():
        assert info["rank"] == info["unknowns"] == n * (2 ** n - 1)
        assert info["consistent"] and info["equals_shapley_weights"]
        assert info["equations"]["total"] == sum(info["equations"][k] for k in ("efficiency", "null_player", "symmetry"))
    assert verdict.certificate["per_n"][2]["solution"] == {
        "i in S, |S| = 1": "1/2", "i in S, |S| = 2": "1/2", "i not in S, |S| = 1": "-1/2",
    }


def test_uniqueness_needs_every_axiom():
    # dropping symmetry leaves the weighted Shapley values: the remaining system is underdetermined
    from symgame.derivations import solve_exact_system as _solve, uniqueness_system as _uniqueness_system

    col, rows = _uniqueness_system(3)
    rank, consistent, _ = _solve(len(col), [r for r in rows if r[2] != "symmetry"])
    assert consistent and rank < len(col)


# ---------------------------------------------------------------------- independence
def test_independence_has_exactly_one_refuted_axiom_per_witness():
    result = check_independence(3)
    assert list(result) == list(AXIOMS)
    for axiom, entry in result.items():
        refuted = [k for k, v in entry["verdicts"].items() if v.kind is Kind.REFUTED]
        assert refuted == [axiom], entry["rule"]
        assert all(str(v) == "PROVED (n <= 3)" for k, v in entry["verdicts"].items() if k != axiom)
        _assert_witness(independence_witnesses()[axiom], entry["verdicts"][axiom])


# ---------------------------------------------------------------------- bad input
def test_non_callable_rule():
    with pytest.raises(InvalidRuleError, match="rule must be a callable") as info:
        check_symmetry({"a": 1}, 2)
    assert isinstance(info.value, TypeError) and isinstance(info.value, SymgameError)


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "3"])
def test_bad_sizes(bad):
    with pytest.raises(InvalidGameError, match="max_n must be an integer number of players >= 1"):
        check_efficiency(shapley, bad)


def test_too_large_sizes():
    with pytest.raises(GameTooLargeError, match="limit of 10 players"):
        check_linearity(shapley, 11)
    with pytest.raises(GameTooLargeError, match="limit of 10 players"):
        derive_uniqueness(11)


def test_rule_returning_wrong_players():
    with pytest.raises(InvalidRuleError, match=r"missing \[2\], unexpected \['x'\]"):
        check_efficiency(lambda g: {1: 0, "x": 0} if g.n == 2 else shapley(g), 3)


def test_rule_returning_non_mapping_or_non_values():
    with pytest.raises(InvalidRuleError, match="returned list for a 1-player game"):
        check_null_player(lambda g: [0] * g.n, 2)
    with pytest.raises(InvalidValueError, match="rule <lambda>'s value for player 1"):
        check_null_player(lambda g: {p: object() for p in g.players}, 2)


def test_bad_weights_and_witness_arguments():
    with pytest.raises(InvalidValueError, match="not a positive rational"):
        weighted_shapley({"a": -1})
    with pytest.raises(InvalidValueError, match="weights must be a mapping"):
        weighted_shapley(3)
    with pytest.raises(InvalidGameError, match="has 2 weights but the game has 3 players"):
        weighted_shapley([1, 2])(Game.generic(3))
    with pytest.raises(InvalidRuleError):
        check_independence(3, witnesses={"efficiency": "banzhaf"})
    with pytest.raises(InvalidGameError, match="instances must be an integer >= 1"):
        check_efficiency(shapley, 2, instances=0)
