(** * Fixed-flow games of a layered attention graph (P2.fixed), for every L and n.

    The graph has layers [0..L] of [n] tokens; edges go from layer [l] to layer [l+1].  A
    source-sink flow [f] is given by a path decomposition: a list of paths with amounts, a path
    being its node at every layer ([lpath := 'I_L.+1 -> 'I_n]).  (Every flow of an acyclic
    network has such a decomposition; that theorem is not formalised here.)  The flow on the edge
    [(l, j) -> (l+1, k)] is the amount of the paths using it, the fixed-flow game of layer [l]
    pays for [S] the amount of the paths passing through [S].  Because a path has exactly one
    node in each layer, the game is additive, so each node's Shapley value is its outflow. *)
From mathcomp Require Import all_ssreflect all_algebra.
From Symgame Require Import Shapley Uniqueness Groups.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Flows.
Variables (L n : nat).

Definition lpath := 'I_L.+1 -> 'I_n.

Variable paths : seq (lpath * rat).

(** Layer [l] and layer [l+1] as elements of ['I_L.+1], for [l : 'I_L]. *)
Definition here (l : 'I_L) : 'I_L.+1 := widen_ord (leqnSn L) l.
Definition next (l : 'I_L) : 'I_L.+1 := lift ord0 l.

Definition edge_flow (l : 'I_L) (j k : 'I_n) : rat :=
  \sum_(p <- paths | (p.1 (here l) == j) && (p.1 (next l) == k)) p.2.

Definition outflow (l : 'I_L) (j : 'I_n) : rat := \sum_(k < n) edge_flow l j k.

Definition throughput (l : 'I_L.+1) (j : 'I_n) : rat := \sum_(p <- paths | p.1 l == j) p.2.

(** [v_f(S)]: the part of [f] passing through the nodes [S] of layer [l]. *)
Definition fixed_flow_game (l : 'I_L.+1) : game n :=
  fun S => \sum_(p <- paths | p.1 l \in S) p.2.

Lemma fixed_flow_is_additive (l : 'I_L.+1) :
  fixed_flow_game l =1 additive_game (throughput l).
Proof.
move=> S; rewrite /fixed_flow_game /additive_game.
rewrite (partition_big (fun p : lpath * rat => p.1 l) (fun j => j \in S)) //=.
apply: eq_bigr => j jS; apply: eq_bigl => p.
by case: eqVneq => [->|]; rewrite ?jS ?andbF.
Qed.

Lemma outflow_throughput (l : 'I_L) (j : 'I_n) : outflow l j = throughput (here l) j.
Proof.
rewrite /outflow /edge_flow /throughput.
by rewrite [RHS](partition_big (fun p : lpath * rat => p.1 (next l)) xpredT).
Qed.

(** ** P2.fixed: with players the nodes of one layer, [phi_j (v_f)] is node [j]'s outflow. *)
Theorem fixed_flow_additive (l : 'I_L) (j : 'I_n) :
  shapley n (fixed_flow_game (here l)) j = outflow l j.
Proof.
by rewrite (eq_shapley _ (fixed_flow_is_additive (here l))) shapley_additive outflow_throughput.
Qed.

(** The same for every layer, the output layer included, with throughputs. *)
Theorem fixed_flow_throughput (l : 'I_L.+1) (j : 'I_n) :
  shapley n (fixed_flow_game l) j = throughput l j.
Proof. by rewrite (eq_shapley _ (fixed_flow_is_additive l)) shapley_additive. Qed.

End Flows.
