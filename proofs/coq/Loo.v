(** * Leave-one-out values: when they equal Shapley values (P3.precise, P3.monotone) and the
    redundancy example (P3.redundancy), for every n. *)
From mathcomp Require Import all_ssreflect all_algebra.
From Symgame Require Import Shapley Uniqueness.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Loo.
Variable n : nat.
Implicit Types (v : game n) (S T K : {set 'I_n}) (i j : 'I_n).

(** LOO is the sum of the dividends of the coalitions containing the player. *)
Lemma loo_dividends v i : loo n v i = \sum_(T : {set 'I_n} | i \in T) dividend n v T.
Proof.
have eA : \sum_(T : {set 'I_n} | T \subset setT) dividend n v T
    = \sum_(T : {set 'I_n} | i \in T) dividend n v T + \sum_(T : {set 'I_n} | i \notin T) dividend n v T.
  by rewrite (eq_bigl xpredT) => [|T]; [rewrite (bigID (fun T => i \in T)) | rewrite subsetT].
have eB : \sum_(T : {set 'I_n} | T \subset setT :\ i) dividend n v T
    = \sum_(T : {set 'I_n} | i \notin T) dividend n v T.
  by apply: eq_bigl => T; rewrite subsetD1 subsetT.
by rewrite /loo !moebius_inversion eA eB addrK.
Qed.

(** The weight of a dividend in [LOO_i - phi_i]. *)
Definition loo_gap v i : rat :=
  \sum_(T : {set 'I_n} | (i \in T) && (1 < #|T|)%N) dividend n v T * ((#|T| - 1)%:R / #|T|%:R).

Lemma loo_minus_shapley v i : loo n v i - shapley n v i = loo_gap v i.
Proof.
rewrite loo_dividends shapley_dividend_formula -sumrB.
rewrite (bigID (fun T : {set 'I_n} => (1 < #|T|)%N)) /= [X in _ + X]big1 ?addr0.
  apply: eq_bigr => T /andP [iT _].
  have T0 : (#|T|%:R : rat) != 0 by rewrite pnatr_eq0 -lt0n card_gt0; apply/set0Pn; exists i.
  rewrite -{1}[dividend n v T]mulr1 -mulrBr; congr (_ * _).
  rewrite natrB ?card_gt0; last by apply/set0Pn; exists i.
  by rewrite mulrBl divff // mul1r.
move=> T /andP [iT]; rewrite -leqNgt => T1.
have -> : #|T| = 1%N by apply/eqP; rewrite eqn_leq T1 card_gt0; apply/set0Pn; exists i.
by rewrite invr1 mulr1 subrr.
Qed.

(** ** P3.precise: LOO = Shapley iff the dividend condition holds, player by player and for all. *)
Theorem loo_precise_player v i : loo n v i = shapley n v i <-> loo_gap v i = 0.
Proof. by rewrite -loo_minus_shapley; split => [->|/eqP]; rewrite ?subrr // subr_eq0 => /eqP. Qed.

Theorem loo_precise v :
  (forall i, loo n v i = shapley n v i) <->
  (forall i, \sum_(T : {set 'I_n} | (i \in T) && (1 < #|T|)%N)
                 dividend n v T * ((#|T| - 1)%:R / #|T|%:R) = 0).
Proof. by split => h i; apply/loo_precise_player; apply: h. Qed.

(** ** P3.monotone: with non-negative dividends, LOO = Shapley iff the game is additive
    (no dividend on a coalition of two or more players). *)
Theorem loo_monotone v :
  (forall T, 0 <= dividend n v T) ->
  (forall i, loo n v i = shapley n v i) <-> (forall T, (1 < #|T|)%N -> dividend n v T = 0).
Proof.
move=> pos; rewrite loo_precise; split => [h T T1|h i]; last first.
  by rewrite big1 // => T /andP [_ T1]; rewrite h ?mul0r.
have /set0Pn [i iT] : T != set0 by rewrite -card_gt0 (ltn_trans _ T1).
have := h i; move/eqP; rewrite psumr_eq0 => [/allP|S _]; last first.
  rewrite mulr_ge0 ?pos // divr_ge0 ?ler0n //.
move=> /(_ T); rewrite mem_index_enum iT T1 => /(_ isT) /eqP /eqP.
rewrite mulf_eq0 => /orP [/eqP //|]; rewrite mulf_eq0 invr_eq0 !pnatr_eq0.
by rewrite subn_eq0 leqNgt T1 /= -leqn0 leqNgt (ltn_trans _ T1).
Qed.

(** ** P3.redundancy: k >= 2 interchangeable critical players, any number of null players:
    [v S = 1] iff [S] meets [K].  LOO is 0 for everyone, Shapley is [1/k] on [K], 0 off it. *)
Definition redundancy_game K : game n := fun S => (S :&: K != set0)%:R.

Lemma big_block K i : (1 < #|K|)%N -> exists2 j, j \in K & j != i.
Proof.
move=> K2; have : (0 < #|K :\ i|)%N.
  rewrite (cardsD1 i K) in K2; move: K2; case: (i \in K) => /=.
    by rewrite add1n ltnS.
  by rewrite add0n => /ltnW.
by rewrite card_gt0 => /set0Pn [j]; rewrite !inE => /andP [ji jK]; exists j.
Qed.

Theorem loo_redundancy K i : (1 < #|K|)%N ->
  loo n (redundancy_game K) i = 0 /\
  shapley n (redundancy_game K) i = if i \in K then #|K|%:R^-1 else 0.
Proof.
move=> K2; have K0 : K != set0 by rewrite -card_gt0 (ltn_trans _ K2).
split.
  rewrite /loo /redundancy_game setTI K0.
  have [j jK ji] := big_block i K2.
  have -> : (setT :\ i) :&: K != set0 by apply/set0Pn; exists j; rewrite !inE ji jK.
  by rewrite subrr.
rewrite (shapley_block (K := K)).
- by case: ifP => // _; rewrite /redundancy_game setTI set0I eqxx K0 subr0 mul1r.
- move=> j jK S; rewrite /redundancy_game setIUl.
  have -> : [set j] :&: K = set0.
    by apply/setP => x; rewrite !inE; case: eqVneq => // ->; rewrite (negbTE jK).
  by rewrite set0U.
- move=> j k jK kK S _ _; rewrite /redundancy_game.
  have -> : (j |: S) :&: K != set0 by apply/set0Pn; exists j; rewrite !inE eqxx jK.
  by have -> : (k |: S) :&: K != set0 by apply/set0Pn; exists k; rewrite !inE eqxx kK.
Qed.

End Loo.
