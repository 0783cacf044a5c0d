(** * The attention-masking game (P1.masking): every player gets 1/n, for every n. *)
From mathcomp Require Import all_ssreflect all_algebra.
From Symgame Require Import Shapley Uniqueness.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(** Coalition [S] sees only its own tokens: token [i] gets attention [w i / sum_{j in S} w j]
    (the softmax of the scores restricted to [S], [w i = exp (s i)]); the payoff is the total
    attention.  Over any ordered field, so real weights [exp (s i)] are covered. *)
Definition masking_payoff (R : numFieldType) n (w : 'I_n -> R) (S : {set 'I_n}) : R :=
  \sum_(i in S) w i / \sum_(j in S) w j.

(** The game of rational weights. *)
Definition masking_game n (w : 'I_n -> rat) : game n := fun S => masking_payoff w S.

Lemma masking_payoff_one (R : numFieldType) n (w : 'I_n -> R) (S : {set 'I_n}) :
  (forall i, 0 < w i) -> masking_payoff w S = (S != set0)%:R.
Proof.
move=> pos; rewrite /masking_payoff; have [->|/set0Pn [i iS]] := eqVneq S set0.
  by rewrite big_set0.
have s0 : \sum_(j in S) w j != 0.
  apply: lt0r_neq0; rewrite (bigD1 i) //= ltr_paddr ?pos //.
  by apply: sumr_ge0 => j _; apply: Order.POrderTheory.ltW.
by rewrite -big_distrl /= divff.
Qed.

(** For positive weights over any ordered field (real scores included) the masking game is the
    rational game [S |-> (S != {})]; its Shapley value is [1/n] for every player. *)
Lemma shapley_nonempty n (i : 'I_n) : shapley n (fun S => (S != set0)%:R) i = n%:R^-1.
Proof.
rewrite (shapley_block (K := setT)).
- have -> : [set: 'I_n] != set0 by apply/set0Pn; exists i.
  by rewrite inE cardsT card_ord eqxx /= subr0 mul1r.
- by move=> j; rewrite inE.
- move=> j k _ _ S _ _.
  have -> : j |: S != set0 by apply/set0Pn; exists j; rewrite setU11.
  by have -> : k |: S != set0 by apply/set0Pn; exists k; rewrite setU11.
Qed.

(** ** P1.masking *)
Theorem masking_uniform n (w : 'I_n -> rat) (i : 'I_n) :
  (forall j, 0 < w j) -> shapley n (masking_game w) i = n%:R^-1.
Proof.
move=> pos; rewrite -(shapley_nonempty i); apply: eq_shapley => S.
exact: masking_payoff_one.
Qed.

(** Hence attention weights [alpha] are the masking game's Shapley values iff [alpha] is uniform. *)
Corollary masking_attention_iff n (w : 'I_n -> rat) :
  (forall j, 0 < w j) ->
  (forall i, w i / (\sum_(j < n) w j) = shapley n (masking_game w) i) <->
  (forall i j, w i = w j).
Proof.
move=> pos; split => [h i j|e i].
  have s0 : \sum_(k < n) w k != 0.
    apply: lt0r_neq0; rewrite (bigD1 i) //= ltr_paddr ?pos //.
    by apply: sumr_ge0 => k _; apply: Order.POrderTheory.ltW.
  rewrite -[w i](mulfVK s0) -[w j](mulfVK s0) h h.
  by rewrite !masking_uniform.
rewrite masking_uniform //.
rewrite (eq_bigr (fun _ => w i)) => [|k _]; last by rewrite (e k i).
rewrite sumr_const -[w i *+ _]mulr_natl invfM mulrCA divff ?mulr1 ?card_ord //.
by apply: lt0r_neq0.
Qed.
