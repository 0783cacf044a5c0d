"""Mutation suite: each test injects one deliberate bug into the implementation and asserts that the
checks of ``symgame prove`` (the affected ones, quick profile) no longer all reach their expected
verdicts.  A mutant that survives means a proof that cannot fail.  The mutants are listed in
``proofs/README.md``; every one must be killed.

A mutant replaces a function or method by a wrong one *everywhere it was imported* (every module of
``symgame`` and ``proofs`` that holds the original object), so a ``from x import f`` elsewhere does
not hide it.
"""

import sys
from fractions import Fraction

import pytest
import sympy as sp

from symgame import values as values_module
from symgame.checks import REGISTRY, load_proofs


@pytest.fixture(scope="module", autouse=True)
def _proofs():
    load_proofs()


def patch_everywhere(monkeypatch, original, replacement):
    """Replace ``original`` by ``replacement`` in every loaded symgame/proofs module that holds it."""
    hits = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "symgame" or name.startswith(("symgame.", "proofs"))):
            continue
        for attr, value in list(vars(module).items()):
            if value is original:
                monkeypatch.setattr(module, attr, replacement)
                hits += 1
    assert hits, f"{original!r} is held by no module: the mutant would not be injected"
    return hits


def killed(names):
    """True when some selected check misses its expected verdict (or its dependency does)."""
    results = REGISTRY.run(list(names), profile="quick")
    return any(not r.ok for r in results), [(r.check.name, str(r.verdict), r.error) for r in results]


def assert_killed(names):
    dead, table = killed(names)
    assert dead, f"mutant survived {names}: {table}"


# ---------------------------------------------------------------------- values
def test_banzhaf_normalised_by_2_to_the_n(monkeypatch):
    original = values_module.banzhaf

    def banzhaf(game):
        return {p: v / 2 for p, v in original(game).items()}

    patch_everywhere(monkeypatch, original, banzhaf)
    assert_killed(["S0.c.efficiency"])


def test_wrong_shapley_weight(monkeypatch):
    from math import factorial

    def shapley_weight(size, n):
        if isinstance(size, sp.Basic) or isinstance(n, sp.Basic):
            return sp.factorial(size + 1) * sp.factorial(n - size - 1) / sp.factorial(n)
        return Fraction(factorial(size + 1) * factorial(n - size - 1), factorial(n))

    patch_everywhere(monkeypatch, values_module.shapley_weight, shapley_weight)
    assert_killed(["S0.a"])


def test_shapley_value_swapping_two_players(monkeypatch):
    original = values_module.shapley

    def shapley(game):
        phi = original(game)
        keys = list(phi)
        if len(keys) >= 2:
            phi[keys[0]], phi[keys[1]] = phi[keys[1]], phi[keys[0]]
        return phi

    patch_everywhere(monkeypatch, original, shapley)
    assert_killed(["P2.exists.input"])


def test_leave_one_out_of_singletons(monkeypatch):
    def leave_one_out(game):
        return {p: sp.expand(game.value_at(1 << i)) for i, p in enumerate(game.players)}

    patch_everywhere(monkeypatch, values_module.leave_one_out, leave_one_out)
    assert_killed(["P3.precise"])


def test_a_failed_dependency_fails_the_statement_resting_on_it(monkeypatch):
    def leave_one_out(game):
        return {p: sp.expand(game.value_at(1 << i)) for i, p in enumerate(game.players)}

    patch_everywhere(monkeypatch, values_module.leave_one_out, leave_one_out)
    [monotone] = REGISTRY.run(["P3.monotone"], profile="quick")
    assert not monotone.ok and monotone.failed_dependencies == ["P3.precise"]


def test_dividends_with_the_wrong_sign_on_pairs(monkeypatch):
    original = values_module.dividends

    def dividends(game):
        return {T: (-d if len(T) == 2 else d) for T, d in original(game).items()}

    patch_everywhere(monkeypatch, original, dividends)
    assert_killed(["P3.precise"])


def test_merge_leaving_one_member_outside(monkeypatch):
    from symgame.game import Game

    original = Game.merge

    def merge(self, group, label=None):
        group = list(group)
        return original(self, group[:-1] if len(group) > 2 else group, label)

    monkeypatch.setattr(Game, "merge", merge)
    assert_killed(["G.additive"])


def test_merge_gap_weight_giving_members_one_share(monkeypatch):
    from symgame import interactions

    def merge_gap_weight(size, inside):
        return Fraction(1, size - inside + 1) - Fraction(1, size)

    patch_everywhere(monkeypatch, interactions.merge_gap_weight, merge_gap_weight)
    assert_killed(["G.interaction"])


def test_quotient_interactions_in_the_unrestricted_game(monkeypatch):
    import itertools

    from symgame import interactions

    def quotient_value_by_interactions(game, group):
        members = [p for p in game.players if p in set(group)]
        return sp.Add(*[interactions.shapley_interaction(game, sub) for size in range(1, len(members) + 1)
                        for sub in itertools.combinations(members, size)])

    patch_everywhere(monkeypatch, interactions.quotient_value_by_interactions, quotient_value_by_interactions)
    assert_killed(["G.interaction"])


# ---------------------------------------------------------------------- attention and flows
def test_residual_mixing_0_3_0_7(monkeypatch):
    from symgame.attention.tensors import Attention

    def with_residual(self):
        layers = []
        for m in self._data:
            rows = []
            for i, row in enumerate(m):
                new = [Fraction(3, 10) * x + (Fraction(7, 10) if i == j else 0) for j, x in enumerate(row)]
                total = sum(new, Fraction(0))
                rows.append([x / total for x in new])
            layers.append(rows)
        import numpy as np

        data = np.empty((len(layers), self.n, self.n), dtype=object)
        data[...] = layers
        return Attention(self.kind, data, self.tokens, True)

    monkeypatch.setattr(Attention, "with_residual", with_residual)
    assert_killed(["P2.exists.input"])


def _graph_mutant(monkeypatch, change):
    from symgame.attention import graph as graph_module

    original = graph_module.attention_graph

    def attention_graph(*args, **kwargs):
        G = original(*args, **kwargs)
        inner = sorted(((u, v) for u, v, d in G.edges(data=True)
                        if isinstance(u, tuple) and isinstance(v, tuple) and d.get("capacity", 0) > 0), key=repr)
        if inner:
            change(G, inner[-1])
        return G

    patch_everywhere(monkeypatch, original, attention_graph)


def test_dropping_an_edge(monkeypatch):
    _graph_mutant(monkeypatch, lambda G, e: G.remove_edge(*e))
    assert_killed(["P2.exists.input"])


def test_halving_a_capacity(monkeypatch):
    def halve(G, e):
        G.edges[e]["capacity"] = G.edges[e]["capacity"] / 2

    _graph_mutant(monkeypatch, halve)
    assert_killed(["P2.exists.input"])


def test_symbolic_max_flow_over_a_subset_of_cuts(monkeypatch):
    import networkx as nx

    from symgame.flows import symbolic as symbolic_module

    def symbolic_max_flow_value(graph, source=None, sink=None):
        source = source if source is not None else graph.graph.get("source", "source")
        sink = sink if sink is not None else graph.graph["sink"]
        relevant = (nx.descendants(graph, source) | {source}) & (nx.ancestors(graph, sink) | {sink})
        inner = sorted((u for u in relevant if u not in (source, sink)), key=repr)
        edges = [(u, v, d.get("capacity")) for u, v, d in graph.edges(data=True) if u in relevant and v in relevant]
        layers = sorted({u[0] for u in inner})
        sums = []
        for r in range(len(layers) + 1):  # the mutation: only cuts made of whole layers
            side = {u for u in inner if u[0] in layers[:r]} | {source}
            crossing = [(u, v, c) for u, v, c in edges if u in side and v not in side]
            if all(c is not None for _u, _v, c in crossing):
                sums.append(sp.Add(*[sp.nsimplify(c) for _u, _v, c in crossing]))
        return sp.Min(*sums)

    patch_everywhere(monkeypatch, symbolic_module.symbolic_max_flow_value, symbolic_max_flow_value)
    assert_killed(["P2.exists.input"])


def test_validate_flow_never_flags(monkeypatch):
    from symgame.flows import maxflow

    original = maxflow.validate_flow

    def validate_flow(graph, flow, source=None, sink=None, *, maximum=True):
        return original(graph, flow, source, sink, maximum=False)

    patch_everywhere(monkeypatch, original, validate_flow)
    assert_killed(["P2.exists.input"])


def test_is_submodular_always_true(monkeypatch):
    from symgame import properties

    patch_everywhere(monkeypatch, properties.is_submodular, lambda game: True)
    assert_killed(["P2.exists.input-single", "P2.exists.interior-single"])


def test_shapley_flow_construction_raising_on_every_instance(monkeypatch):
    from symgame.errors import InvalidFlowError
    from symgame.flows import shapley_flow

    def broken(*args, **kwargs):
        raise InvalidFlowError("mutant: no construction")

    patch_everywhere(monkeypatch, shapley_flow, broken)
    assert_killed(["P2.exists.near-output-super"])


def test_shrunk_search(monkeypatch):
    import proofs.attention_flow as af

    monkeypatch.setattr(af, "_exists_budget", lambda profile: 20)
    assert_killed(["P2.exists.input"])


def test_rollout_multiplied_in_the_wrong_order(monkeypatch):
    from symgame.attention import methods

    original = methods.rollout

    def rollout(attention, *, output, layer=0, **options):
        return original(list(attention)[::-1], output=output, layer=layer, **options)

    patch_everywhere(monkeypatch, original, rollout)
    assert_killed(["P2.rollout"])


def test_abnar_zuidema_flow_not_normalised(monkeypatch):
    from symgame.attention import methods

    original = methods.attention_flow_az

    def attention_flow_az(*args, **kwargs):
        out = original(*args, **kwargs)
        return {j: 2 * x for j, x in out.items()}

    patch_everywhere(monkeypatch, original, attention_flow_az)
    assert_killed(["P2.abnar"])


def test_reoptimised_game_of_the_complement(monkeypatch):
    from symgame.flows import games

    original = games.reoptimised_game

    def reoptimised_game(*args, **kwargs):
        g = original(*args, **kwargs)
        full = (1 << g.n) - 1
        vals = g.exprs()
        return type(g).from_vector([vals[full] - vals[full & ~m] if m else 0 for m in range(full + 1)],
                                   list(g.players))

    patch_everywhere(monkeypatch, original, reoptimised_game)
    assert_killed(["P2.exists.input"])


def test_reused_flow_solver_never_restoring_a_capacity(monkeypatch):
    # the Gray-code walk of v* on one OR-Tools solver: a player who rejoins keeps its arcs closed
    from symgame.flows.ortools import OrToolsSolver

    original = OrToolsSolver.set_capacities
    seen = set()

    def forgetful(self, arcs, capacities):
        import numpy as np

        key = id(self)
        if key in seen and np.any(np.asarray(capacities) > 0):
            return None  # the restore is lost
        seen.add(key)
        return original(self, arcs, capacities)

    monkeypatch.setattr(OrToolsSolver, "set_capacities", forgetful)
    assert_killed(["P2.exists.input"])


# ---------------------------------------------------------------------- multi-choice games (M)
def test_vdn_shares_taken_as_x_i_over_the_norm(monkeypatch):
    from symgame.multichoice import values as mc

    def vdn_unanimity_shares(x, top):  # the tempting wrong closed form (right only when x is the top)
        return {k: sp.Rational(level, sum(x)) for k, level in enumerate(x) if level}

    patch_everywhere(monkeypatch, mc.vdn_unanimity_shares, vdn_unanimity_shares)
    assert_killed(["M.vdn.independent"])


def test_multichoice_dividends_with_the_wrong_sign(monkeypatch):
    from symgame.multichoice import values as mc

    original = mc.dividends

    def dividends(game):
        return {x: (-d if sum(1 for l in x if l) == 2 else d) for x, d in original(game).items()}

    patch_everywhere(monkeypatch, original, dividends)
    assert_killed(["M.dp.independent"])


def test_multichoice_premise_never_rechecked(monkeypatch):
    from symgame.multichoice import axioms

    patch_everywhere(monkeypatch, axioms.premise_holds, lambda axiom, case, games: False)
    assert_killed(["M.dp.level_null"])


def test_multichoice_identity_test_always_true(monkeypatch):
    from symgame.multichoice import axioms

    patch_everywhere(monkeypatch, axioms.vanishes, lambda expr, parameters=(): True)
    assert_killed(["M.vdn.extra_level"])


# ---------------------------------------------------------------------- computed derivation steps
def test_unanimity_games_scaled_by_two(monkeypatch):
    """S0.b reads u_T(N) from Game.unanimity: a basis game of the wrong scale makes psi(u_T) = 2/t != 1/t."""
    from symgame.game import Game

    original = Game.unanimity.__func__

    def unanimity(cls, players, carrier, scale=1):
        return original(cls, players, carrier, 2 * scale)

    monkeypatch.setattr(Game, "unanimity", classmethod(unanimity))
    assert_killed(["S0.b"])


def test_dividends_with_the_wrong_sign_kill_the_spanning_lemma(monkeypatch):
    original = values_module.dividends

    def dividends(game):
        return {T: (-d if len(T) == 2 else d) for T, d in original(game).items()}

    patch_everywhere(monkeypatch, original, dividends)
    assert_killed(["S0.b"])


def test_masking_game_payoff_doubled(monkeypatch):
    """P1.masking reads the constant value of the masking game from the code: doubled, phi = 2/n."""
    from symgame.attention import masking

    original = masking.attention_masking_game

    def attention_masking_game(*args, **kwargs):
        return original(*args, **kwargs) * 2

    patch_everywhere(monkeypatch, original, attention_masking_game)
    assert_killed(["P1.masking"])


def test_leave_one_out_doubled_kills_the_coefficient(monkeypatch):
    """P3.precise and P3.monotone take LOO_i(u_T) from the code: doubled, the coefficient is 2 - 1/t and the
    singleton term no longer vanishes, so P3.monotone fails on its own step, not only through its dependency."""
    original = values_module.leave_one_out

    def leave_one_out(game):
        return {p: 2 * x for p, x in original(game).items()}

    patch_everywhere(monkeypatch, original, leave_one_out)
    assert_killed(["P3.precise"])
    [monotone] = REGISTRY.run(["P3.monotone"], profile="quick")
    assert str(monotone.verdict) != "PROVED (all n)"


def test_attention_graph_with_a_layer_skipping_edge(monkeypatch):
    """P2.fixed reads the layer rise off the graphs the code builds: an edge (0, 0) -> (2, 0) rises 2 layers."""
    from symgame.attention import graph as graph_module

    original = graph_module.attention_graph

    def attention_graph(*args, **kwargs):
        G = original(*args, **kwargs)
        if G.graph["layers"] >= 2:
            G.add_edge((0, 0), (2, 0), capacity=Fraction(1, 2))
        return G

    patch_everywhere(monkeypatch, original, attention_graph)
    assert_killed(["P2.fixed"])


def test_super_source_missing_an_input_token(monkeypatch):
    """The super-source theorem's hypothesis is checked on the code's graph (and v* against the matrices)."""
    from symgame.attention import graph as graph_module

    original = graph_module.attention_graph

    def attention_graph(*args, **kwargs):
        G = original(*args, **kwargs)
        if G.has_edge("source", (0, 0)) and G.out_degree("source") > 1:
            G.remove_edge("source", (0, 0))
        return G

    patch_everywhere(monkeypatch, original, attention_graph)
    assert_killed(["P2.exists.input"])


# ---------------------------------------------------------------------- the Coq development (issue 12)
def test_wrong_shapley_weight_in_the_coq_definition(tmp_path, monkeypatch):
    """s!(n-s-1)!/n! -> (s+1)!(n-s-1)!/n! in a copy of proofs/coq/Shapley.v: the development no longer compiles
    (the proof of efficiency breaks), so symgame prove's kernel column would say FAILED (Coq)."""
    import shutil
    from pathlib import Path

    from symgame import coq
    from symgame.errors import CoqError

    monkeypatch.setenv("SYMGAME_COQ_CACHE", str(tmp_path / "cache"))
    root = Path(__file__).resolve().parent.parent / "proofs" / "coq"
    copy = tmp_path / "coq"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("*.vo", "*.vok", "*.vos", "*.glob", ".*.aux"))
    text = (copy / "Shapley.v").read_text()
    weight = "(s`! * (n - s - 1)`!)%:R / (n`!)%:R"
    assert text.count(weight) == 1, "the Shapley weight of Shapley.v is not where the mutant expects it"
    (copy / "Shapley.v").write_text(text.replace(weight, "(s.+1`! * (n - s - 1)`!)%:R / (n`!)%:R"))
    with pytest.raises(CoqError, match="Shapley.v .*does not compile"):
        coq.compile_development(copy)
    report = coq.check_development(copy)
    assert not report.ok and report.results["S0.a"].status == coq.FAILED
