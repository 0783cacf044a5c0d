"""Coq refutation certificates: each REFUTED verdict's witness written as a ``.v`` file that Coq checks by computation.

A certificate file states the concrete counterexample of a verdict in exact rationals — the game
table or the attention graph, taken from the verdict's certificate object, never typed — applies
the value rule to it with the definitions of the Coq development (``Symgame.Shapley``: ``shapley``
on ``{set 'I_n}``, evaluated through the proved equation ``shapley_bits``), and proves the failing
equation with ``vm_compute``.  A flow witness carries, for every coalition ``S`` it needs, a flow
and a cut of the graph without the player layer's nodes outside ``S``; Coq checks capacities,
conservation, that the cut separates source and sink and that the flow's value equals the cut's
capacity, so ``v*(S)`` is certified by a max flow and a min cut of equal value.

:func:`certificate_for` builds the file text of one :class:`~symgame.checks.CheckResult`;
:func:`certify_results` writes (atomically) and compiles them.  Numbers the verdict reports
(``lhs``, ``shapley_by_permutations``, ``v_star``...) are restated in the file and checked
against the values Coq computes, so a certificate whose number is wrong does not compile.

Examples
--------
>>> coq_rational("-3/4"), coq_rational(2)
('(-(3%:R / 4%:R) : rat)', '(2%:R : rat)')
>>> coq_table([0, 1, "1/2", 2])
'[:: (0%:R : rat); (1%:R : rat); (1%:R / 2%:R : rat); (2%:R : rat)]'
"""

import re
from fractions import Fraction
from pathlib import Path

import sympy as sp

from .errors import CoqError
from .jsonio import write_text_atomic

__all__ = ["PRELUDE", "coq_rational", "coq_table", "game_table", "certificate_for", "certify_results",
           "compile_certificate", "link_file", "parse_rationals"]

#: Definitions every certificate (and the link test) starts with: tables of coalition values
#: indexed by bitmask (player i is in coalition m iff bit i of m is set), read as games of the
#: development (``of_bits (tab t)``), and a small flow checker.
PRELUDE = r"""From mathcomp Require Import all_ssreflect all_algebra.
From Symgame Require Import Shapley.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(* Coalition tables: entry m is the value of the coalition with bitmask m (player i in m iff bit i is set). *)
Definition code (b : seq bool) : nat := foldr (fun (x : bool) (acc : nat) => (nat_of_bool x + 2 * acc)%N) 0%N b.
Definition tab (t : seq rat) (b : seq bool) : rat := nth 0 t (code b).
Definition inb (m i : nat) : bool := odd (m %/ 2 ^ i)%N.
Definition masks (n : nat) : seq nat := iota 0 (2 ^ n)%N.
Definition full (n : nat) : nat := (2 ^ n).-1%N.
Definition pw (i : nat) : nat := (2 ^ i)%N.
Definition val (t : seq rat) (m : nat) : rat := nth 0 t m.
Definition players n := iota 0 n.

(* Flow networks: edges (tail, head, capacity); None is an uncapacitated edge. *)
Definition edge := ((nat * nat) * option rat)%type.
Definition capok (e : edge) (f : rat) : bool := (0 <= f) && (if e.2 is Some c then f <= c else true).
Definition outf (E : seq edge) (F : seq rat) (x : nat) : rat :=
  sumq [seq p.2 | p <- zip E F & p.1.1.1 == x].
Definition inf (E : seq edge) (F : seq rat) (x : nat) : rat :=
  sumq [seq p.2 | p <- zip E F & p.1.1.2 == x].
Definition fvalue E F s := outf E F s - inf E F s.
Definition feasible (N s t : nat) (E : seq edge) (F : seq rat) : bool :=
  (size F == size E) && all (fun p => capok p.1 p.2) (zip E F)
  && all (fun x => (x == s) || (x == t) || (inf E F x == outf E F x)) (iota 0 N).
Definition crossing (E : seq edge) (C : seq nat) := [seq e <- E | (e.1.1 \in C) && (e.1.2 \notin C)].
Definition cutcap (E : seq edge) (C : seq nat) : option rat :=
  foldr (fun e acc => match e.2, acc with Some c, Some a => Some (c + a) | _, _ => None end)
        (Some 0) (crossing E C).
(* F is a flow of value w from s to t and C an s-t cut of capacity w: by weak duality F is maximum. *)
Definition maxflow (N s t : nat) (E : seq edge) (F : seq rat) (C : seq nat) (w : rat) : bool :=
  feasible N s t E F && (s \in C) && (t \notin C) && (fvalue E F s == w) && (cutcap E C == Some w).
Definition restrict (E : seq edge) (drop : seq nat) : seq edge :=
  [seq e <- E | (e.1.1 \notin drop) && (e.1.2 \notin drop)].
"""


def _fraction(x):
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, str) and re.fullmatch(r"\s*-?\d+(\s*/\s*\d+)?\s*", x):
        return Fraction(x.replace(" ", ""))
    e = sp.sympify(x)
    if not e.is_Rational:
        raise CoqError(f"a Coq certificate needs exact rationals, got {x!r}")
    return Fraction(int(e.p), int(e.q))


def coq_rational(x):
    """The Coq ``rat`` literal of a rational (Fraction, int, SymPy Rational or ``"p/q"`` text)."""
    f = _fraction(x)
    body = f"{abs(f.numerator)}%:R" + (f" / {f.denominator}%:R" if f.denominator != 1 else "")
    return f"(-({body}) : rat)" if f < 0 else f"({body} : rat)"


def coq_table(values):
    """A Coq ``seq rat`` literal."""
    return "[:: " + "; ".join(coq_rational(v) for v in values) + "]"


def game_table(game):
    """The values of ``game`` (a :class:`~symgame.game.Game` or its JSON document) by bitmask over ``game.players``."""
    from .game import Game

    if isinstance(game, dict):
        game = Game.from_json(game)
    return game, [_fraction(game.value_at(m)) for m in range(1 << game.n)]


def parse_rationals(text):
    """The ``(numerator, denominator)`` pairs Coq printed for ``Eval vm_compute in q x`` lines, in order.

    Examples
    --------
    >>> parse_rationals("     = (7%Z, 6%Z)\\n     : int * int\\n     = ((-1)%Z, 2%Z)\\n")
    [Fraction(7, 6), Fraction(-1, 2)]
    """
    pairs = re.findall(r"=\s*\(\s*\(?(-?\d+)\)?%Z\s*,\s*\(?(-?\d+)\)?%Z\s*\)", text)
    return [Fraction(int(a), int(b)) for a, b in pairs]


def link_file(tables, terms):
    """Coq text that prints ``q (term)`` for each term, after defining ``g0, g1, ...`` as the ``tables``."""
    lines = [PRELUDE]
    for k, t in enumerate(tables):
        lines.append(f"Definition g{k} : seq rat := {coq_table(t)}.")
    for term in terms:
        lines.append(f"Eval vm_compute in q ({term}).")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- certificates of game witnesses
def _lemma(name, prop, proof="by vm_compute"):
    return f"Lemma {name} : {prop}.\nProof. {proof}. Qed.\n"


def _shapley_claim(n, tname, i, value):
    """``shapley n (of_bits (tab t)) i = value`` about the development's set-based definition."""
    return (f"shapley {n} (of_bits (tab {tname})) (inord {i}) = {coq_rational(value)}",
            "by rewrite shapley_bits inordK //; vm_compute")


RULES_COQ = {
    "banzhaf": "Definition rule (n : nat) (t : seq rat) (i : nat) := banzhaf_l n (tab t) i.",
    "equal_split": "Definition rule (n : nat) (t : seq rat) (i : nat) : rat := val t (full n) / n%:R.",
    "quadratic_shapley": ("Definition rule (n : nat) (t : seq rat) (i : nat) : rat := shapley_l n (tab t) i + val t (full n) * val t (pw i)\n"
                          "  - shapley_l n (tab t) i * sumq [seq val t (pw j) | j <- players n]."),
}


def _weighted_rule(weights):
    return ("Definition lam : seq rat := " + coq_table(weights) + ".\n"
            "Definition rule (n : nat) (t : seq rat) (i : nat) : rat :=\n"
            "  sumq [seq (if inb T i then nth 0 lam i / sumq [seq nth 0 lam j | j <- players n & inb T j]\n"
            "             * dividend_l n (tab t) [seq inb T j | j <- players n] else 0) | T <- masks n].")


def _rule_definition(rule):
    if rule in RULES_COQ:
        return RULES_COQ[rule]
    m = re.fullmatch(r"weighted_shapley\(\[(.*)\]\)", rule)
    if m:
        return _weighted_rule([w.strip() for w in m.group(1).split(",")])
    return None


def _cert_axiom_witness(cert):
    """S0.c: a rule satisfying three axioms violates the fourth on a witness game."""
    refuted = [v["certificate"] for v in cert["verdicts"].values() if v.get("verdict") == "REFUTED"]
    if len(refuted) != 1:
        return None, "no single refuted axiom in the certificate"
    w = refuted[0]
    rule = _rule_definition(w["rule"])
    if rule is None:
        return None, f"no Coq definition of the rule {w['rule']}"
    game, t = game_table(w["game"])
    n = game.n
    idx = {p: k for k, p in enumerate(game.players)}
    out = [f"(* {w['rule']} violates {w['axiom']} ({w['case']}): {w['equation']}, lhs {w['lhs']}, rhs {w['rhs']}.",
           "   The rule is restated here in Coq (Banzhaf and the Shapley value through the development's",
           "   banzhaf_l/shapley_l/dividend_l, proved equal to the set-based definitions); that it satisfies",
           "   the other three axioms is the SymPy part of the verdict, not certified here. *)",
           rule, f"Definition g : seq rat := {coq_table(t)}.", f"Definition n := {n}%N."]
    lhs, rhs = coq_rational(w["lhs"]), coq_rational(w["rhs"])
    claims = []
    ax = w["axiom"]
    if ax == "efficiency":
        claims += [("lhs_computed", f"sumq [seq rule n g i | i <- players n] == {lhs}"),
                   ("rhs_computed", f"val g (full n) == {rhs}")]
    elif ax == "null_player":
        [p] = w["players"]
        i = idx[p]
        claims += [("premise_null", f"all (fun m => inb m {i} || (val g (m + pw {i})%N == val g m)) (masks n)"),
                   ("lhs_computed", f"rule n g {i} == {lhs}"), ("rhs_is_zero", f"{rhs} == 0")]
    elif ax == "symmetry":
        p, q = w["players"]
        i, j = idx[p], idx[q]
        claims += [("premise_interchangeable",
                    f"all (fun m => inb m {i} || inb m {j} || (val g (m + pw {i})%N == val g (m + pw {j})%N)) (masks n)"),
                   ("lhs_computed", f"rule n g {i} == {lhs}"), ("rhs_computed", f"rule n g {j} == {rhs}")]
    elif ax == "linearity" and w.get("case") == "additivity" and "games" in w:
        gv, tv = game_table(w["games"]["v"])
        gw, tw = game_table(w["games"]["w"])
        if list(gv.players) != list(game.players) or list(gw.players) != list(game.players):
            return None, "the games v and w have other players"
        [p] = w["players"]
        i = idx[p]
        out += [f"Definition v : seq rat := {coq_table(tv)}.", f"Definition w : seq rat := {coq_table(tw)}.",
                "Definition vw : seq rat := [seq val v m + val w m | m <- masks n]."]
        claims += [("lhs_computed", f"rule n vw {i} == {lhs}"),
                   ("rhs_computed", f"rule n v {i} + rule n w {i} == {rhs}")]
    else:
        return None, f"no Coq certificate for the axiom case {ax} / {w.get('case')}"
    claims.append(("equation_fails", f"{lhs} != {rhs}"))
    return out + [_lemma(a, b) for a, b in claims], ""


def _cert_p1_literal(cert):
    game, t = game_table(cert["game"])
    alpha = [coq_rational(a) for a in cert["alpha"]]
    out = ["(* P1.literal: a TU game whose Shapley values equal a non-uniform attention row alpha. *)",
           f"Definition g : seq rat := {coq_table(t)}.", f"Definition alpha : seq rat := {coq_table(cert['alpha'])}."]
    for i in range(game.n):
        prop, proof = _shapley_claim(game.n, "g", i, cert["alpha"][i])
        out.append(_lemma(f"shapley_is_alpha_{i}", prop, proof))
    out.append(_lemma("alpha_not_uniform", f"has (fun a => a != {alpha[0]}) alpha"))
    return out, ""


def _cert_p3_literal(cert):
    game, t = game_table(cert["game"])
    n = game.n
    out = ["(* P3.literal: the hypothesis holds (some player has a non-zero marginal contribution to a coalition",
           "   other than N minus itself), yet LOO = Shapley for every player. *)",
           f"Definition g : seq rat := {coq_table(t)}.", f"Definition n := {n}%N."]
    out.append(_lemma("hypothesis", "has (fun i => has (fun m => ~~ inb m i && (m != (full n - pw i)%N)"
                                    " && (val g (m + pw i)%N != val g m)) (masks n)) (players n)"))
    for i, p in enumerate(game.players):
        loo = cert["loo"][str(p)]
        out.append(_lemma(f"loo_{i}", f"loo n (of_bits (tab g)) (inord {i}) = {coq_rational(loo)}",
                          f"by rewrite loo_bits inordK //; vm_compute"))
        prop, proof = _shapley_claim(n, "g", i, loo)
        out.append(_lemma(f"shapley_equals_loo_{i}", prop, proof))
    return out, ""


def _cert_g_general(cert):
    game, t = game_table(cert["game"])
    n = game.n
    idx = {p: k for k, p in enumerate(game.players)}
    group = [idx[p] for p in cert["group"]]
    others = [k for k in range(n) if k not in group]
    gmask = sum(1 << k for k in group)
    m = len(others) + 1
    expand = f"(if inb m 0 then {gmask}%N else 0%N)" + "".join(
        f" + (if inb m {j + 1} then {1 << k}%N else 0%N)" for j, k in enumerate(others))
    out = ["(* G.general: the merged group (player 0 of the quotient game) gets a value other than the sum",
           "   of its members' values. The quotient game is computed here from the game's table. *)",
           f"Definition g : seq rat := {coq_table(t)}.",
           f"Definition merged : seq rat := [seq val g ({expand})%N | m <- masks {m}].",
           _lemma("merged_value", *_shapley_claim(m, "merged", 0, cert["merged_shapley"]))]
    out.append(_lemma("members_sum", f"sumq [seq shapley_l {n} (tab g) i | i <- {_nat_list(group)}] == "
                                     f"{coq_rational(cert['sum_of_members'])}"))
    out.append(_lemma("equation_fails", f"{coq_rational(cert['merged_shapley'])} != "
                                        f"{coq_rational(cert['sum_of_members'])}"))
    return out, ""


def _nat_list(xs):
    return "[:: " + "; ".join(f"{x}%N" for x in xs) + "]"


# ---------------------------------------------------------------------- flow witnesses
def _network(document):
    """Nodes and edges of the attention graph of a witness document (the code's attention_graph)."""
    from .attention import attention_graph

    G = attention_graph(document["attention"], output=document["output"], source=document["source"])
    nodes = ["source"] + sorted(x for x in G.nodes if x != "source")
    number = {x: k for k, x in enumerate(nodes)}
    edges = []
    for u, v, data in G.edges(data=True):
        cap = data.get("capacity")
        edges.append((number[u], number[v], None if cap is None else _fraction(cap)))
    edges.sort()
    return nodes, number, edges, number[G.graph["sink"]]


def _max_flow(num, edges, s, t):
    """Edmonds-Karp on the edge list (exact Fractions; None = uncapacitated): flow per edge and the source side."""
    flow = [Fraction(0)] * len(edges)
    adj = {x: [] for x in range(num)}
    for k, (u, v, _c) in enumerate(edges):
        adj[u].append((k, 1))
        adj[v].append((k, -1))

    def residual(k, d):
        c = edges[k][2]
        if d == 1:
            return None if c is None else c - flow[k]
        return flow[k]

    while True:
        prev, queue = {s: None}, [s]
        while queue and t not in prev:
            x = queue.pop(0)
            for k, d in adj[x]:
                y = edges[k][1] if d == 1 else edges[k][0]
                r = residual(k, d)
                if y not in prev and (r is None or r > 0):
                    prev[y] = (k, d, x)
                    queue.append(y)
        if t not in prev:
            return flow, sorted(prev)
        path, y = [], t
        while prev[y] is not None:
            k, d, x = prev[y]
            path.append((k, d))
            y = x
        amounts = [residual(k, d) for k, d in path]
        finite = [a for a in amounts if a is not None]
        if not finite:
            raise CoqError("the flow network has an uncapacitated source-sink path; no finite max flow")
        a = min(finite)
        for k, d in path:
            flow[k] += a * d


def _edges_coq(edges):
    return "[:: " + "; ".join(f"({u}%N, {v}%N, {'None' if c is None else 'Some ' + coq_rational(c)})"
                              for u, v, c in edges) + "]"


def _vstar_certificate(out, number, edges, sink, layer, n, vstar_game, s=0):
    """Append definitions certifying every v*(S) of ``vstar_game`` by a max flow and a cut of equal value."""
    game, vt = game_table(vstar_game)
    if game.n != n:
        raise CoqError(f"v* has {game.n} players, the layer has {n} tokens")
    num = len(number)
    out.append(f"Definition vstar : seq rat := {coq_table(vt)}.")
    out.append(f"Definition dropped (m : nat) : seq nat := [seq node {layer} j | j <- players {n} & ~~ inb m j].")
    for m in range(1 << n):
        dropped = {number[(layer, j)] for j in range(n) if not m >> j & 1}
        sub = [e for e in edges if e[0] not in dropped and e[1] not in dropped]
        flow, side = _max_flow(num, sub, s, sink)
        out.append(f"Definition flow_{m} : seq rat := {coq_table(flow)}.")
        out.append(f"Definition cut_{m} : seq nat := {_nat_list(side)}.")
        out.append(_lemma(f"vstar_{m}", f"maxflow N {s} {sink} (restrict E (dropped {m})) flow_{m} cut_{m} "
                                         f"(val vstar {m})"))


def _flow_header(doc, what):
    nodes, number, edges, sink = _network(doc)
    n = len(doc["attention"][0])
    layer = doc.get("layer", 0)
    out = [f"(* {_safe(what)}", f"   Attention graph of the witness (output {doc['output']}, source {doc['source']}, player "
                          f"layer {layer}); node 0 is the source, node 1 + l*n + i is token i of layer l. *)",
           f"Definition N := {len(nodes)}%N.", f"Definition node (l i : nat) : nat := (1 + l * {n} + i)%N.",
           f"Definition E : seq edge := {_edges_coq(edges)}."]
    return out, nodes, number, edges, sink, n, layer


def _shapley_vstar(out, n, shapley_values):
    for i in range(n):
        prop, proof = _shapley_claim(n, "vstar", i, shapley_values[str(i)])
        out.append(_lemma(f"shapley_vstar_{i}", prop, proof))


def _cert_p2_algorithm(cert):
    doc = cert["document"]
    out, nodes, number, edges, sink, n, layer = _flow_header(
        doc, "P2.algorithm: the outflows of the engine's maximum flow are not the Shapley values of v*.")
    names = {str(x): number[x] for x in nodes[1:]}
    names["source"] = 0
    engine = {}
    for u, row in cert["engine_flow"].items():
        for v, f in row.items():
            engine[(names[u], names[v])] = _fraction(f)
    unknown = [k for k in engine if k not in {(u, v) for u, v, _c in edges}]
    if unknown:
        return None, f"the engine flow uses edges {unknown} that are not in the graph"
    F = [engine.get((u, v), Fraction(0)) for u, v, _c in edges]
    _, side = _max_flow(len(nodes), edges, 0, sink)
    out += [f"Definition engine : seq rat := {coq_table(F)}.", f"Definition cut : seq nat := {_nat_list(side)}.",
            _lemma("engine_flow_is_maximum", f"maxflow N 0 {sink} E engine cut {coq_rational(cert['flow_value'])}")]
    for j in range(n):
        out.append(_lemma(f"engine_outflow_{j}", f"outf E engine (node {layer} {j}) == "
                                                 f"{coq_rational(cert['engine_outflows'][str(j)])}"))
    _vstar_certificate(out, number, edges, sink, layer, n, cert["v_star"])
    _shapley_vstar(out, n, cert["shapley_by_permutations"])
    out.append(_lemma("equation_fails", "has (fun j => shapley_l {n} (tab vstar) j != outf E engine (node {l} j)) "
                                        "(players {n})".format(n=n, l=layer)))
    return out, ""


def _cert_p2_abnar(cert):
    doc = cert["document"]
    out, nodes, number, edges, sink, n, layer = _flow_header(
        doc, "P2.abnar: Abnar & Zuidema's normalised per-pair max flows are not the Shapley values of v*.")
    pairs = []
    for j in range(n):
        s = number[(0, j)]
        flow, side = _max_flow(len(nodes), edges, s, sink)
        value = cert["per_pair_max_flows"][str(j)]
        pairs.append(value)
        out += [f"Definition pair_flow_{j} : seq rat := {coq_table(flow)}.",
                f"Definition pair_cut_{j} : seq nat := {_nat_list(side)}.",
                _lemma(f"pair_max_flow_{j}", f"maxflow N {s} {sink} E pair_flow_{j} pair_cut_{j} {coq_rational(value)}")]
    out.append(f"Definition pairs : seq rat := {coq_table(pairs)}.")
    out.append("Definition az (j : nat) : rat := nth 0 pairs j / sumq pairs.")
    for j in range(n):
        out.append(_lemma(f"az_{j}", f"az {j} == {coq_rational(cert['az_normalised'][str(j)])}"))
    _vstar_certificate(out, number, edges, sink, layer, n, cert["v_star"])
    _shapley_vstar(out, n, cert["shapley_by_permutations"])
    out.append(_lemma("equation_fails", f"has (fun j => shapley_l {n} (tab vstar) j != az j) (players {n})"))
    return out, ""


def _cert_p2_rollout(cert):
    doc = cert["document"]
    out, nodes, number, edges, sink, n, layer = _flow_header(
        doc, "P2.rollout: attention rollout (row k of A^L ... A^1) is not the Shapley value of v*.")
    mats = "[:: " + "; ".join("[:: " + "; ".join(coq_table(row) for row in A) + "]" for A in doc["attention"]) + "]"
    k = doc["output"]
    out += [f"Definition A : seq (seq (seq rat)) := {mats}.",
            f"Definition step (M : seq (seq rat)) (r : seq rat) : seq rat :=\n"
            f"  [seq sumq [seq nth 0 r i * nth 0 (nth [::] M i) j | i <- players {n}] | j <- players {n}].",
            f"Definition rollout : seq rat := foldr step [seq (if j == {k}%N then 1 else 0) | j <- players {n}] A."]
    for j in range(n):
        out.append(_lemma(f"rollout_{j}", f"nth 0 rollout {j} == {coq_rational(cert['rollout'][str(j)])}"))
    _vstar_certificate(out, number, edges, sink, layer, n, cert["v_star"])
    _shapley_vstar(out, n, cert["shapley_by_permutations"])
    out.append(_lemma("equation_fails", f"has (fun j => shapley_l {n} (tab vstar) j != nth 0 rollout j) "
                                        f"(players {n})"))
    return out, ""


def _cert_p2_exists(cert):
    doc = cert["document"]
    out, nodes, number, edges, sink, n, layer = _flow_header(
        doc, "P2.exists (refuted family): phi(S) > v*(S) for a coalition S, so no flow has throughputs phi.\n"
             "   (Any flow restricted to its paths through S is a flow of the graph without the layer's nodes\n"
             "   outside S, so its throughput at S is at most v*(S); that step is the verdict's argument.)")
    src = 0
    _vstar_certificate(out, number, edges, sink, layer, n, cert["v_star"], s=src)
    _shapley_vstar(out, n, cert["shapley_by_permutations"])
    S = cert["coalition"]
    mask = sum(1 << j for j in S)
    out += [_lemma("coalition_mass", f"sumq [seq shapley_l {n} (tab vstar) j | j <- {_nat_list(S)}] == "
                                     f"{coq_rational(cert['shapley_mass'])}"),
            _lemma("coalition_vstar", f"val vstar {mask} == {coq_rational(cert['v_star_of_coalition'])}"),
            _lemma("equation_fails", f"val vstar {mask} < sumq [seq shapley_l {n} (tab vstar) j | j <- {_nat_list(S)}]")]
    return out, ""


def _cert_p2_crosslayer(cert):
    players = [tuple(p) for p in cert["players"]]
    n = len(players)
    table = []
    for m in range(1 << n):
        key = ", ".join(str(players[k]) for k in range(n) if m >> k & 1)
        if key not in cert["v_f"]:
            return None, f"v_f has no coalition {key!r}"
        table.append(cert["v_f"][key])
    outflows = [cert["outflows"][str(p)] for p in players]
    out = ["(* P2.crosslayer: players from two layers; the fixed-flow game v_f of the verdict (its table, from",
           "   the code's path decomposition) has Shapley values other than the node outflows, and the outflows",
           "   are not even efficient: they sum to more than v_f(N). *)",
           f"Definition vf : seq rat := {coq_table(table)}.", f"Definition outflows : seq rat := {coq_table(outflows)}."]
    for i, p in enumerate(players):
        prop, proof = _shapley_claim(n, "vf", i, cert["shapley_by_permutations"][str(p)])
        out.append(_lemma(f"shapley_vf_{i}", prop, proof))
    out += [_lemma("outflow_total", f"sumq outflows == {coq_rational(cert['sum_outflows'])}"),
            _lemma("vf_total", f"val vf (full {n}) == {coq_rational(cert['v_f(N)'])}"),
            _lemma("equation_fails", f"has (fun i => shapley_l {n} (tab vf) i != nth 0 outflows i) (players {n})"),
            _lemma("not_efficient", f"sumq outflows != val vf (full {n})")]
    return out, ""


def _kind(name, cert):
    if not isinstance(cert, dict):
        return None
    if "verdicts" in cert and "rule" in cert:
        return _cert_axiom_witness
    if "engine_flow" in cert and "document" in cert:
        return _cert_p2_algorithm
    if "per_pair_max_flows" in cert and "document" in cert:
        return _cert_p2_abnar
    if "rollout" in cert and "document" in cert:
        return _cert_p2_rollout
    if "shapley_mass" in cert and "document" in cert:
        return _cert_p2_exists
    if "v_f" in cert and "outflows" in cert:
        return _cert_p2_crosslayer
    if "alpha" in cert and "game" in cert:
        return _cert_p1_literal
    if "loo" in cert and "game" in cert:
        return _cert_p3_literal
    if "merged_shapley" in cert and "game" in cert and "group" in cert:
        return _cert_g_general
    return None


def _why_not(cert):
    """Why a witness has no Coq certificate (the kernel column and the note say it)."""
    import json

    text = json.dumps(cert)
    if "symgame-multichoice" in text:
        return ("multi-choice game values (Derks-Peters, van den Nouweland, Hsiao-Raghavan) are not defined in "
                "the Coq development")
    if isinstance(cert, dict) and ("model" in cert or "sentence" in cert):
        return ("a real-model witness: its numbers are float32 weights as rationals with denominators up to 2^54, "
                "beyond MathComp rat arithmetic (unary naturals), and the certificate does not carry a full game table")
    return "no Coq certificate for this kind of witness"


def _safe(text):
    """Text that can sit inside a Coq comment (no comment delimiters, no string quotes)."""
    return str(text).replace("(*", "( *").replace("*)", "* )").replace('"', "'")


def _file_name(name):
    return "Refute_" + re.sub(r"[^A-Za-z0-9]", "_", name) + ".v"


def certificate_for(result):
    """``(file name, Coq text)`` of the refutation certificate of a REFUTED result, or ``(None, reason)``.

    Examples
    --------
    >>> from symgame.checks import load_proofs
    >>> [r] = load_proofs().run(["P3.literal"])
    >>> name, text = certificate_for(r)
    >>> name, "Lemma hypothesis" in text
    ('Refute_P3_literal.v', True)
    """
    if result.verdict.kind.value != "REFUTED":
        return None, "not a REFUTED verdict"
    from .jsonio import to_jsonable

    cert = to_jsonable(result.verdict.certificate)
    builder = _kind(result.check.name, cert)
    if builder is None:
        return None, _why_not(cert)
    try:
        body, reason = builder(cert)
    except (KeyError, ValueError, TypeError) as exc:
        return None, f"the witness could not be restated in Coq ({type(exc).__name__}: {exc})"
    if body is None:
        return None, reason
    head = (f"(* Refutation certificate of {result.check.name}, written by symgame prove --coq from the verdict's\n"
            f"   certificate: {_safe(result.check.statement)}\n   Verdict: {_safe(result.verdict.summary)} *)\n")
    return _file_name(result.check.name), head + PRELUDE + "\n" + "\n".join(body) + "\n"


def compile_certificate(path, build, *, coqc=None):
    """Compile one certificate file against the compiled development ``build``; ``(ok, coqc output)``."""
    from .coq import run_coq_file

    path = Path(path)
    # compiled in a temporary directory, so DIR holds only the .v files
    code, output = run_coq_file(path.read_text(encoding="utf-8"), build=build, coqc=coqc, name=path.name)
    return code == 0, output


def certify_results(results, directory, *, root, coqc=None):
    """Write a certificate for every REFUTED result into ``directory`` and compile it (when ``coqc`` is given).

    Returns statement name -> record (``file``, ``status`` in ``compiled``/``failed``/``written``/``none``,
    ``column`` text for the kernel column, ``reason``).
    """
    from .coq import compile_development

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise CoqError(f"--coq {str(directory)!r} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CoqError(f"cannot create the certificate directory {str(directory)!r}: {exc.strerror or exc}") from None
    build = None
    if coqc is not None:
        build, _ = compile_development(root, coqc=coqc)
    records = {}
    for r in results:
        if r.verdict.kind.value != "REFUTED":
            continue
        name, text = certificate_for(r)
        if name is None:
            records[r.check.name] = {"file": None, "status": "none", "column": "no Coq certificate", "reason": text}
            continue
        path = directory / name
        write_text_atomic(path, text)
        if build is None:
            records[r.check.name] = {"file": str(path), "status": "written", "column": "certificate written",
                                     "reason": "coqc not found"}
            continue
        ok, output = compile_certificate(path, build, coqc=coqc)
        tail = "\n".join(output.strip().splitlines()[-12:])
        records[r.check.name] = {"file": str(path), "status": "compiled" if ok else "failed",
                                 "column": "refutation checked (Coq)" if ok else "certificate FAILED (Coq)",
                                 "reason": "" if ok else tail}
    return records
