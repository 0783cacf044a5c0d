(** * Shapley values, Banzhaf values, leave-one-out values and Harsanyi
    dividends of TU games with players ['I_n] and rational payoffs.

    The definitions below are the ones every theorem of the development is
    about.  MathComp's finite-set enumerations do not reduce under
    [vm_compute] (they go through the opaque lemma [idP]), so for computing on
    concrete games this file also gives list-based versions ([shapley_l],
    [banzhaf_l], [loo_l], [dividend_l]) on coalitions written as bit lists, and
    PROVES them equal to the set-based definitions ([shapley_bits] etc.).
    [Eval vm_compute in q (shapley_l 3 v 0)] therefore prints the Shapley value
    of the game [of_bits v] as a pair (numerator, denominator). *)
From mathcomp Require Import all_ssreflect all_algebra.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(** ** Games and values *)

Definition game n := {set 'I_n} -> rat.

(** The weight of a coalition of size [s] not containing the player. *)
Definition shapley_weight (n s : nat) : rat :=
  (s`! * (n - s - 1)`!)%:R / (n`!)%:R.

Definition shapley n (v : game n) (i : 'I_n) : rat :=
  \sum_(S : {set 'I_n} | i \notin S) shapley_weight n #|S| * (v (i |: S) - v S).

Definition banzhaf n (v : game n) (i : 'I_n) : rat :=
  (2 ^ n.-1)%:R^-1 * \sum_(S : {set 'I_n} | i \notin S) (v (i |: S) - v S).

Definition loo n (v : game n) (i : 'I_n) : rat := v setT - v (setT :\ i).

Definition dividend n (v : game n) (T : {set 'I_n}) : rat :=
  \sum_(S : {set 'I_n} | S \subset T) (-1) ^+ (#|T| - #|S|) * v S.

Arguments shapley : clear implicits.
Arguments banzhaf : clear implicits.
Arguments loo : clear implicits.
Arguments dividend : clear implicits.

(** ** Computable versions on bit lists, proved equal to the definitions *)

(** All bit lists of length [n]. *)
Fixpoint allbits (n : nat) : seq (seq bool) :=
  if n is m.+1 then [seq false :: b | b <- allbits m] ++ [seq true :: b | b <- allbits m]
  else [:: [::]].

Definition sumq (l : seq rat) : rat := foldr +%R 0 l.

(** Bit [j] of [bits S] says whether player [j] is in [S]. *)
Definition bits n (S : {set 'I_n}) : seq bool := [seq j \in S | j <- enum 'I_n].

(** The game on ['I_n] given by a function of bit lists. *)
Definition of_bits n (v : seq bool -> rat) : game n := fun S => v (bits S).

Definition shapley_l n (v : seq bool -> rat) (i : nat) : rat :=
  sumq [seq shapley_weight n (count id b) * (v (set_nth false b i true) - v b)
       | b <- allbits n & ~~ nth false b i].

Definition banzhaf_l n (v : seq bool -> rat) (i : nat) : rat :=
  (2 ^ n.-1)%:R^-1 *
  sumq [seq v (set_nth false b i true) - v b | b <- allbits n & ~~ nth false b i].

Definition loo_l n (v : seq bool -> rat) (i : nat) : rat :=
  v (nseq n true) - v (set_nth false (nseq n true) i false).

Definition subbits (b t : seq bool) : bool :=
  all (fun k => nth false b k ==> nth false t k) (iota 0 (size b)).

Definition dividend_l n (v : seq bool -> rat) (t : seq bool) : rat :=
  sumq [seq (-1) ^+ (count id t - count id b) * v b | b <- allbits n & subbits b t].

(** A rational as (numerator, denominator), for printing. *)
Definition q (x : rat) : int * int := (numq x, denq x).

(** The compute check: Shapley value of player 0 in [v(S) = |S|], n = 3. *)
Eval vm_compute in q (shapley_l 3 (fun b => (count id b)%:R) 0).

Lemma size_bits n (S : {set 'I_n}) : size (bits S) = n.
Proof. by rewrite size_map size_enum_ord. Qed.

Lemma nth_bits n (S : {set 'I_n}) (i : 'I_n) : nth false (bits S) i = (i \in S).
Proof.
rewrite /bits (nth_map i) ?size_enum_ord //.
by congr (_ \in S); apply: val_inj; rewrite /= nth_enum_ord.
Qed.

Lemma bits_inj n : injective (@bits n).
Proof. by move=> S T e; apply/setP => i; rewrite -!nth_bits e. Qed.

Definition set_of_bits n (b : seq bool) : {set 'I_n} := [set i : 'I_n | nth false b i].

Lemma bits_set_of n (b : seq bool) : size b = n -> bits (set_of_bits n b) = b.
Proof.
move=> sb; apply: (@eq_from_nth _ false); first by rewrite size_bits.
move=> k; rewrite size_bits => kn.
by rewrite (nth_bits _ (Ordinal kn)) inE.
Qed.

Lemma mem_cons_map (x y : bool) (b : seq bool) (A : seq (seq bool)) :
  (x :: b \in [seq y :: c | c <- A]) = (x == y) && (b \in A).
Proof.
apply/mapP/andP => [[c cA [-> ->]]|[/eqP -> bA]]; first by rewrite eqxx.
by exists b.
Qed.

Lemma mem_allbits n (b : seq bool) : (b \in allbits n) = (size b == n).
Proof.
elim: n b => [|n IH] b; first by case: b.
rewrite /= mem_cat; case: b => [|x b] /=.
  by apply/norP; split; apply/negP => /mapP [].
by rewrite !mem_cons_map !IH; case: x => /=; rewrite ?orbF.
Qed.

Lemma allbits_uniq n : uniq (allbits n).
Proof.
elim: n => //= n IH; rewrite cat_uniq !map_inj_uniq ?IH //=; try by move=> ? ? [].
rewrite andbT; apply/hasPn => b /mapP [c _ ->]; by apply/negP => /mapP [d _] [].
Qed.

Lemma perm_bits n :
  perm_eq [seq bits S | S <- index_enum [finType of {set 'I_n}]] (allbits n).
Proof.
apply: uniq_perm; first by rewrite map_inj_uniq ?index_enum_uniq //; exact: bits_inj.
exact: allbits_uniq.
move=> b; rewrite mem_allbits; apply/mapP/eqP => [[S _ ->]|sb]; first exact: size_bits.
by exists (set_of_bits n b); rewrite ?mem_index_enum ?bits_set_of.
Qed.

Lemma sum_bits n (P : pred (seq bool)) (F : seq bool -> rat) :
  \sum_(S : {set 'I_n} | P (bits S)) F (bits S) = sumq [seq F b | b <- allbits n & P b].
Proof.
rewrite /sumq foldrE big_map big_filter -(perm_big _ (perm_bits n)) big_map.
by [].
Qed.

Lemma count_bits n (S : {set 'I_n}) : count id (bits S) = #|S|.
Proof.
rewrite count_map cardE /enum_mem size_filter count_filter.
by apply: eq_count => x; rewrite /= andbT.
Qed.

Lemma bitsU1 n (S : {set 'I_n}) (i : 'I_n) :
  bits (i |: S) = set_nth false (bits S) i true.
Proof.
apply: (@eq_from_nth _ false).
  by rewrite size_set_nth !size_bits (maxn_idPr (ltn_ord i)).
move=> k; rewrite size_bits => kn; rewrite nth_set_nth /=.
rewrite (nth_bits _ (Ordinal kn)) (nth_bits _ (Ordinal kn)) !inE.
by have -> : (Ordinal kn == i) = (k == i) by []; case: (k == i).
Qed.

Lemma bitsD1 n (S : {set 'I_n}) (i : 'I_n) :
  bits (S :\ i) = set_nth false (bits S) i false.
Proof.
apply: (@eq_from_nth _ false).
  by rewrite size_set_nth !size_bits (maxn_idPr (ltn_ord i)).
move=> k; rewrite size_bits => kn; rewrite nth_set_nth /=.
rewrite (nth_bits _ (Ordinal kn)) (nth_bits _ (Ordinal kn)) !inE.
by have -> : (Ordinal kn != i) = (k != i) by []; case: (k == i).
Qed.

Lemma bitsT n : bits [set: 'I_n] = nseq n true.
Proof.
apply: (@eq_from_nth _ false); first by rewrite size_bits size_nseq.
move=> k; rewrite size_bits => kn.
by rewrite (nth_bits _ (Ordinal kn)) inE nth_nseq kn.
Qed.

Lemma subbitsE n (S T : {set 'I_n}) : subbits (bits S) (bits T) = (S \subset T).
Proof.
rewrite /subbits size_bits; apply/allP/subsetP => [h i iS|h k].
  by have := h i; rewrite mem_iota ltn_ord !nth_bits iS => /(_ isT).
rewrite mem_iota /= => kn.
by rewrite (nth_bits _ (Ordinal kn)) (nth_bits _ (Ordinal kn)); apply/implyP => /h.
Qed.

(** The computable versions are the definitions. *)
Theorem shapley_bits n (v : seq bool -> rat) (i : 'I_n) :
  shapley n (of_bits v) i = shapley_l n v i.
Proof.
rewrite /shapley /shapley_l -sum_bits.
apply: eq_big => [S|S _]; first by rewrite nth_bits.
by rewrite /of_bits bitsU1 count_bits.
Qed.

Theorem banzhaf_bits n (v : seq bool -> rat) (i : 'I_n) :
  banzhaf n (of_bits v) i = banzhaf_l n v i.
Proof.
rewrite /banzhaf /banzhaf_l -sum_bits; congr (_ * _).
apply: eq_big => [S|S _]; first by rewrite nth_bits.
by rewrite /of_bits bitsU1.
Qed.

Theorem loo_bits n (v : seq bool -> rat) (i : 'I_n) :
  loo n (of_bits v) i = loo_l n v i.
Proof. by rewrite /loo /loo_l /of_bits bitsD1 bitsT. Qed.

Theorem dividend_bits n (v : seq bool -> rat) (T : {set 'I_n}) :
  dividend n (of_bits v) T = dividend_l n v (bits T).
Proof.
rewrite /dividend /dividend_l -sum_bits.
apply: eq_big => [S|S _]; first by rewrite subbitsE.
by rewrite /of_bits !count_bits.
Qed.
