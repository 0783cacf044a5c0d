(** * The permutation (orders) formula for the Shapley value, for every n. *)
From mathcomp Require Import all_ssreflect all_algebra fingroup perm.
From Symgame Require Import Shapley Uniqueness.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Perm.
Variable n : nat.
Implicit Types (v : game n) (i j : 'I_n) (s : 'S_n).

(** In the order [s], player [j] comes before player [i] iff [s j < s i]. *)
Definition before s i : {set 'I_n} := [set j | (s j < s i)%N].

(** The average over all [n!] orders of [i]'s marginal contribution to its predecessors. *)
Definition shapley_perm v i : rat :=
  (n`!%:R)^-1 * \sum_(s : 'S_n) (v (i |: before s i) - v (before s i)).

Lemma perm_telescope v s :
  \sum_(i < n) (v (i |: before s i) - v (before s i)) = v setT - v set0.
Proof.
pose Q (m : nat) : {set 'I_n} := [set j | (s j < m)%N].
rewrite (reindex_inj (@perm_inj _ (s^-1)%g)) /=.
have eB k : before s ((s^-1)%g k) = Q k by apply/setP => x; rewrite !inE permKV.
have eU (k : 'I_n) : (s^-1)%g k |: Q k = Q k.+1.
  apply/setP => x; rewrite /Q !inE -(inj_eq (@perm_inj _ s)) permKV.
  by rewrite [RHS]ltnS [RHS]leq_eqVlt.
rewrite (eq_bigr (fun k : 'I_n => v (Q k.+1) - v (Q k))) => [|k _]; last by rewrite eB eU.
rewrite -(big_mkord xpredT (fun k => v (Q k.+1) - v (Q k))) telescope_sumr //.
congr (v _ - v _); apply/setP => x; rewrite !inE ?ltn_ord //.
Qed.

Lemma shapley_perm_extensional : extensional_rule shapley_perm.
Proof. by move=> v w e i; congr (_ * _); apply: eq_bigr => s _; rewrite !e. Qed.

Lemma shapley_perm_linear : linear_rule shapley_perm.
Proof.
move=> a v w i; rewrite /shapley_perm mulrCA -mulrDr; congr (_ * _).
rewrite big_distrr -big_split /=; apply: eq_bigr => s _.
by rewrite mulrBr opprD addrACA.
Qed.

Lemma shapley_perm_efficient : efficient_rule shapley_perm.
Proof.
move=> v; rewrite /shapley_perm -big_distrr /= exchange_big /=.
rewrite (eq_bigr (fun _ => v setT - v set0)) => [|s _]; last exact: perm_telescope.
rewrite sumr_const card_Sn ?card_ord -[(v _ - v _) *+ _]mulr_natl mulrA mulVf ?mul1r //.
by rewrite pnatr_eq0 -lt0n fact_gt0.
Qed.

Lemma shapley_perm_null : null_player_rule shapley_perm.
Proof. by move=> v i h; rewrite /shapley_perm big1 ?mulr0 // => s _; rewrite h subrr. Qed.

Lemma shapley_perm_symmetric : symmetric_rule shapley_perm.
Proof.
move=> v i j h; have [<-|ne] := eqVneq i j; first by [].
pose sw : 'S_n := perm (inv_inj (swapK i j)).
have swE x : sw x = swap i j x by rewrite permE.
have swi : swap i j i = j by rewrite /swap eqxx.
have swj : swap i j j = i by rewrite /swap eqxx eq_sym (negbTE ne).
have mem_sw (B : {set 'I_n}) x : (x \in swap i j @: B) = (swap i j x \in B).
  by rewrite -{1}(swapK i j x) mem_imset //; apply: inv_inj; apply: swapK.
rewrite /shapley_perm; congr (_ * _).
rewrite [RHS](reindex_inj (mulgI sw)) /=; apply: eq_bigr => s _.
have eB : before (sw * s)%g j = swap i j @: before s i.
  by apply/setP => x; rewrite mem_sw !inE !permM !swE swj.
have eU : j |: swap i j @: before s i = swap i j @: (i |: before s i) by rewrite imsetU1 swi.
by rewrite eB eU !(swap_invariant h).
Qed.

(** ** The permutation formula *)
Theorem shapley_perm_formula v i : shapley n v i = shapley_perm v i.
Proof.
symmetry; apply: shapley_unique.
- exact: shapley_perm_extensional.
- exact: shapley_perm_linear.
- exact: shapley_perm_efficient.
- exact: shapley_perm_symmetric.
- exact: shapley_perm_null.
Qed.

End Perm.
