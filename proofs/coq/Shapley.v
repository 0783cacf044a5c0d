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

(** ** Shapley's axioms: efficiency, null player, symmetry, linearity (S0.a) *)

Lemma fact_neq0 k : (k`!%:R : rat) != 0.
Proof. by rewrite pnatr_eq0 -lt0n fact_gt0. Qed.

(** The coefficient of [v S] in [sum_i shapley n v i] is [|S| w(|S|-1) - (n-|S|) w(|S|)];
    it is 1 for [S = N], -1 for [S = {}] (n > 0) and 0 otherwise. *)
Lemma weight_coef n s : (s <= n)%N ->
  s%:R * shapley_weight n s.-1 - (n - s)%:R * shapley_weight n s
  = (s == n)%:R - (s == 0%N)%:R.
Proof.
move=> le; rewrite /shapley_weight !mulrA -!natrM -mulrBl.
have [k ->] : exists k, n = (s + k)%N by exists (n - s)%N; rewrite subnKC.
rewrite addKn; case: s le => [|s] _; case: k => [|k].
- by rewrite !mul0n subrr mul0r subrr.
- rewrite add0n mul0n sub0r ?subn0 subn1 /= fact0 mul1n -factS mulNr divff ?fact_neq0 //.
- rewrite addn0 mul0n mulr0n subr0 /= subSnn subnn fact0 muln1 -factS.
  by rewrite divff ?fact_neq0 // eqxx /= subr0.
- have e : (s.+1 + k.+1 - s - 1 = k.+1)%N.
    by rewrite addSn subSn ?leq_addr // addKn subn1.
  rewrite /= e subn1 /= mulnA -factS mulnCA -factS subrr mul0r.
  have -> : (s.+1 == s.+1 + k.+1)%N = false by rewrite -{1}[s.+1]addn0 eqn_add2l.
  by rewrite subrr.
Qed.

Lemma sum_pick n (A : {set 'I_n}) (F : {set 'I_n} -> rat) :
  \sum_(S : {set 'I_n}) (S == A)%:R * F S = F A.
Proof.
rewrite (bigD1 A) //= eqxx mul1r big1 ?addr0 // => S /negbTE ->.
by rewrite mul0r.
Qed.

Theorem shapley_efficiency n (v : game n) :
  \sum_(i < n) shapley n v i = v setT - v set0.
Proof.
pose w := shapley_weight n.
have E1 : \sum_(i < n) \sum_(S : {set 'I_n} | i \notin S) w #|S| * v (i |: S)
        = \sum_(S : {set 'I_n}) (#|S|%:R * w #|S|.-1) * v S.
  transitivity (\sum_(i < n) \sum_(S : {set 'I_n} | i \in S) w #|S|.-1 * v S).
    apply: eq_bigr => i _.
    rewrite (reindex_onto (fun T => T :\ i) (fun S => i |: S)) /=; last first.
      by move=> S iS; rewrite setU1K.
    apply: eq_big => [T|T /andP [_ /eqP e]].
      rewrite !inE eqxx /=; apply/eqP/idP => [<-|iT]; first by rewrite setU11.
      by rewrite setD1K.
    have iT : i \in T by rewrite -e setU11.
    by rewrite e [in RHS](cardsD1 i T) iT.
  rewrite (exchange_big_dep xpredT) //=; apply: eq_bigr => S _.
  by rewrite sumr_const; apply/esym; rewrite -mulrA mulr_natl.
have E2 : \sum_(i < n) \sum_(S : {set 'I_n} | i \notin S) w #|S| * v S
        = \sum_(S : {set 'I_n}) ((n - #|S|)%:R * w #|S|) * v S.
  rewrite (exchange_big_dep xpredT) //=; apply: eq_bigr => S _.
  rewrite (eq_bigl (fun i => i \in ~: S)); last by move=> i; rewrite !inE.
  rewrite sumr_const cardsCs setCK card_ord.
  by apply/esym; rewrite -mulrA mulr_natl.
transitivity (\sum_(i < n) \sum_(S : {set 'I_n} | i \notin S) w #|S| * v (i |: S)
            - \sum_(i < n) \sum_(S : {set 'I_n} | i \notin S) w #|S| * v S).
  rewrite -sumrB; apply: eq_bigr => i _; rewrite /shapley -sumrB.
  by apply: eq_bigr => S _; rewrite mulrBr.
rewrite E1 E2 -sumrB.
transitivity (\sum_(S : {set 'I_n}) ((S == setT)%:R - (S == set0)%:R) * v S).
  apply: eq_bigr => S _; rewrite -mulrBl; congr (_ * _).
  have le : (#|S| <= n)%N by have := max_card S; rewrite card_ord.
  rewrite weight_coef // cards_eq0; congr (_%:R - _).
  by rewrite eqEcard subsetT cardsT card_ord /= eqn_leq le.
rewrite (eq_bigr (fun S => (S == setT)%:R * v S - (S == set0)%:R * v S)); last first.
  by move=> S _; rewrite mulrBl.
by rewrite sumrB !sum_pick.
Qed.

Theorem shapley_null n (v : game n) (i : 'I_n) :
  (forall S : {set 'I_n}, v (i |: S) = v S) -> shapley n v i = 0.
Proof. by move=> h; rewrite /shapley big1 // => S _; rewrite h subrr mulr0. Qed.

Theorem shapley_linearity n (a : rat) (v w : game n) (i : 'I_n) :
  shapley n (fun S => a * v S + w S) i = a * shapley n v i + shapley n w i.
Proof.
rewrite /shapley big_distrr -big_split /=; apply: eq_bigr => S _.
rewrite [in RHS]mulrCA -mulrDr; congr (_ * _).
by rewrite mulrBr opprD addrACA.
Qed.

Lemma eq_shapley n (v w : game n) (i : 'I_n) : v =1 w -> shapley n v i = shapley n w i.
Proof. by move=> e; apply: eq_bigr => S _; rewrite !e. Qed.

(** Relabelling the players by an involution [f] relabels the Shapley value. *)
Lemma shapley_invol n (v : game n) (f : 'I_n -> 'I_n) (i : 'I_n) :
  involutive f -> shapley n (fun S => v (f @: S)) i = shapley n v (f i).
Proof.
move=> fK; have finj := inv_inj fK.
have imK : involutive (fun S : {set 'I_n} => f @: S).
  by move=> S; rewrite -imset_comp (eq_imset _ fK) imset_id.
rewrite /shapley [RHS](reindex (fun S : {set 'I_n} => f @: S)) /=; last first.
  by apply: onW_bij; exists (fun S : {set 'I_n} => f @: S).
apply: eq_big => [S|S _]; first by rewrite mem_imset.
by rewrite imsetU1 card_imset.
Qed.

Definition swap n (i j : 'I_n) (x : 'I_n) : 'I_n := if x == i then j else if x == j then i else x.

Lemma swapK n (i j : 'I_n) : involutive (swap i j).
Proof.
move=> x; rewrite /swap.
case: (x =P i) => [->|/eqP/negbTE xi]; first by rewrite eqxx; case: (j =P i) => [->|]; rewrite ?eqxx.
case: (x =P j) => [ej|/eqP/negbTE xj]; first by subst x; rewrite eqxx.
by rewrite xi xj.
Qed.

Lemma swap_id n (i j : 'I_n) (R : {set 'I_n}) :
  i \notin R -> j \notin R -> swap i j @: R = R.
Proof.
move=> iR jR; rewrite -[RHS]imset_id; apply: eq_in_imset => x xR.
have xi : x != i by apply: contraNneq iR => <-.
have xj : x != j by apply: contraNneq jR => <-.
by rewrite /swap (negbTE xi) (negbTE xj).
Qed.

(** Interchangeable players [i], [j]: the game is invariant under swapping them. *)
Lemma swap_invariant n (v : game n) (i j : 'I_n) :
  (forall S : {set 'I_n}, i \notin S -> j \notin S -> v (i |: S) = v (j |: S)) ->
  forall S : {set 'I_n}, v (swap i j @: S) = v S.
Proof.
move=> h S; have [<-|ne] := eqVneq i j.
  congr v; rewrite -[RHS]imset_id; apply: eq_imset => x.
  by rewrite /swap; case: eqVneq => [->|].
have swi : swap i j i = j by rewrite /swap eqxx.
have swj : swap i j j = i by rewrite /swap eqxx eq_sym (negbTE ne).
pose R := S :\ i :\ j.
have iR : i \notin R by rewrite !inE eqxx andbF.
have jR : j \notin R by rewrite !inE eqxx.
have [iS|iS] := boolP (i \in S); have [jS|jS] := boolP (j \in S).
- have -> : S = i |: (j |: R) by rewrite setD1K ?setD1K // !inE eq_sym ne.
  by rewrite !imsetU1 swi swj swap_id // setUCA.
- have -> : S = i |: R.
    rewrite -{1}(setD1K iS); congr (_ |: _); apply/setP => x; rewrite !inE.
    by case: (eqVneq x j) => // ->; rewrite (negbTE jS) !andbF.
  by rewrite imsetU1 swi swap_id // h.
- have -> : S = j |: R.
    rewrite -{1}(setD1K jS); congr (_ |: _); apply/setP => x; rewrite !inE.
    by case: (eqVneq x i) => // ->; rewrite (negbTE iS) !andbF.
  by rewrite imsetU1 swj swap_id // h.
- by rewrite swap_id.
Qed.

Theorem shapley_symmetry n (v : game n) (i j : 'I_n) :
  (forall S : {set 'I_n}, i \notin S -> j \notin S -> v (i |: S) = v (j |: S)) ->
  shapley n v i = shapley n v j.
Proof.
move=> h; have [<-|ne] := eqVneq i j; first by [].
have swi : swap i j i = j by rewrite /swap eqxx.
have swj : swap i j j = i by rewrite /swap eqxx eq_sym (negbTE ne).
have vs := swap_invariant h.
transitivity (shapley n (fun S => v (swap i j @: S)) i).
  by apply: eq_shapley => S; rewrite vs.
by rewrite shapley_invol ?swi //; exact: swapK.
Qed.
