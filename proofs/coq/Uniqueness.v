(** * Moebius inversion, unanimity games, uniqueness of the Shapley value (S0.b for every n)
    and the dividend formula. *)
From mathcomp Require Import all_ssreflect all_algebra.
From Symgame Require Import Shapley.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Uniqueness.
Variable n : nat.
Implicit Types (v w : game n) (S T R : {set 'I_n}) (i j : 'I_n).

(** ** Moebius inversion: [v S = sum_{T ⊆ S} dividend v T] *)

Lemma sign_step (a b : nat) : b = a.+1 -> (-1) ^+ b = - (-1) ^+ a :> rat.
Proof. by move->; rewrite exprS mulN1r. Qed.

(** The alternating sum over the interval [R ⊆ T ⊆ S] is [R == S]. *)
Lemma alternating_interval R S : R \subset S ->
  \sum_(T : {set 'I_n} | (T \subset S) && (R \subset T)) (-1) ^+ (#|T| - #|R|) = (R == S)%:R :> rat.
Proof.
move=> RS; have [<-|neq] := eqVneq R S.
  rewrite (big_pred1 R) ?subnn ?expr0 // => T.
  by rewrite /pred1 /= eqEsubset.
have [x xS xR] : exists2 x, x \in S & x \notin R.
  have /subsetPn [x xS xR] : ~~ (S \subset R) by rewrite eqEsubset RS /= in neq.
  by exists x.
pose tog T := if x \in T then T :\ x else x |: T.
have togK : involutive tog.
  move=> T; rewrite /tog; have [xT|xT] := boolP (x \in T).
    by rewrite !inE eqxx /= setD1K.
  by rewrite setU11 setU1K.
pose P T := (T \subset S) && (R \subset T).
have Ptog T : P (tog T) = P T.
  rewrite /P /tog; case: ifP => xT.
    have -> : (T \subset S) = (T :\ x \subset S).
      by rewrite -{1}(setD1K xT) subUset sub1set xS.
    by rewrite subsetD1 xR andbT.
  rewrite subUset sub1set xS /=; congr (_ && _).
  apply/idP/idP => [/subsetP h|h]; last exact: subset_trans h (subsetU1 x T).
  apply/subsetP => r rR; have := h r rR; rewrite !inE => /orP [/eqP e|//].
  by move: xR; rewrite -e rR.
have Ftog T : P T -> (-1) ^+ (#|tog T| - #|R|) = - (-1) ^+ (#|T| - #|R|) :> rat.
  rewrite /P /tog => /andP [TS RT]; case: ifP => xT.
    have RT' : R \subset T :\ x by rewrite subsetD1 RT xR.
    apply/eqP; rewrite eq_sym -(inj_eq (@oppr_inj _)) opprK; apply/eqP/sign_step.
    by rewrite [#|T|](cardsD1 x) xT add1n subSn // subset_leq_card.
  apply: sign_step; rewrite cardsU1 xT add1n subSn //; exact: subset_leq_card.
set F := fun T => (-1) ^+ (#|T| - #|R|) : rat.
have E : \sum_(T : {set 'I_n} | P T) F T = - \sum_(T : {set 'I_n} | P T) F T.
  rewrite {1}(reindex_inj (inv_inj togK)) /= -sumrN.
  by apply: eq_big => [T|T PT]; [rewrite Ptog | rewrite /F Ftog // -Ptog].
have : (\sum_(T : {set 'I_n} | P T) F T) *+ 2 == 0 by rewrite mulr2n {2}E subrr.
by rewrite mulrn_eq0 /= => /eqP ->.
Qed.

Theorem moebius_inversion v S :
  v S = \sum_(T : {set 'I_n} | T \subset S) dividend n v T.
Proof.
rewrite /dividend (exchange_big_dep (fun R => R \subset S)) /=; last first.
  by move=> T R TS RT; apply: subset_trans RT TS.
transitivity (\sum_(R : {set 'I_n} | R \subset S) (R == S)%:R * v R).
  rewrite (bigD1 S) //= eqxx mul1r big1 ?addr0 // => R /andP [_ /negbTE ->].
  by rewrite mul0r.
apply: eq_bigr => R RS.
by rewrite -big_distrl /= alternating_interval.
Qed.

(** ** Value rules and Shapley's axioms *)

Definition value_rule := game n -> 'I_n -> rat.

(** A value depends on the game only through its values (true of every formula). *)
Definition extensional_rule (psi : value_rule) := forall v w, v =1 w -> forall i, psi v i = psi w i.
Definition linear_rule (psi : value_rule) :=
  forall a v w i, psi (fun S => a * v S + w S) i = a * psi v i + psi w i.
Definition efficient_rule (psi : value_rule) := forall v, \sum_(i < n) psi v i = v setT - v set0.
Definition null_player_rule (psi : value_rule) :=
  forall v i, (forall S, v (i |: S) = v S) -> psi v i = 0.
Definition symmetric_rule (psi : value_rule) :=
  forall v i j, (forall S, i \notin S -> j \notin S -> v (i |: S) = v (j |: S)) -> psi v i = psi v j.

Definition unanimity T : game n := fun S => (T \subset S)%:R.

Lemma value_linear_sum (psi : value_rule) (I : Type) (r : seq I) (c : I -> rat) (g : I -> game n) i :
  extensional_rule psi -> linear_rule psi ->
  psi (fun S => \sum_(k <- r) c k * g k S) i = \sum_(k <- r) c k * psi (g k) i.
Proof.
move=> ext lin; elim: r => [|k r IH].
  rewrite big_nil (ext _ (fun S => -1 * (fun _ => 0) S + (fun _ => 0) S)).
    by rewrite lin mulN1r addNr.
  by move=> S; rewrite big_nil mulr0 addr0.
rewrite big_cons -IH -lin; apply: ext => S; by rewrite big_cons.
Qed.

(** The axioms alone fix the value of every unanimity game. *)
Lemma axioms_unanimity (psi : value_rule) T i :
  extensional_rule psi -> efficient_rule psi -> symmetric_rule psi -> null_player_rule psi ->
  psi (unanimity T) i = if i \in T then #|T|%:R^-1 else 0.
Proof.
move=> ext eff sym null.
have nullT j : j \notin T -> psi (unanimity T) j = 0.
  move=> jT; apply: null => S; rewrite /unanimity.
  suff -> : (T \subset j |: S) = (T \subset S) by [].
  apply/idP/idP => [/subsetP h|h]; last exact: subset_trans h (subsetU1 j S).
  apply/subsetP => t tT; have := h t tT; rewrite !inE => /orP [/eqP e|//].
  by move: jT; rewrite -e tT.
have symT j k : j \in T -> k \in T -> psi (unanimity T) j = psi (unanimity T) k.
  move=> jT kT; have [<-|jk] := eqVneq j k; first by [].
  apply: sym => S jS kS; rewrite /unanimity.
  have -> : (T \subset j |: S) = false.
    by apply/negbTE/negP => /subsetP /(_ k kT); rewrite !inE eq_sym (negbTE jk) (negbTE kS).
  have -> : (T \subset k |: S) = false.
    by apply/negbTE/negP => /subsetP /(_ j jT); rewrite !inE (negbTE jk) (negbTE jS).
  by [].
case: ifP => iT; last by apply: nullT; rewrite iT.
have := eff (unanimity T); rewrite /unanimity subsetT.
rewrite (bigID (fun j => j \in T)) /= [X in _ + X]big1 ?addr0; last first.
  by move=> j /nullT.
rewrite (eq_bigr (fun _ => psi (unanimity T) i)); last by move=> j jT; apply: symT.
rewrite sumr_const.
have -> : (T \subset set0) = false.
  by apply/negbTE/negP => /subsetP /(_ i iT); rewrite inE.
rewrite subr0 => h.
have T0 : (#|T|%:R : rat) != 0 by rewrite pnatr_eq0 -lt0n card_gt0; apply/set0Pn; exists i.
by apply: (mulfI T0); rewrite divff // mulr_natl; exact: h.
Qed.

(** The Shapley value satisfies the axioms (Shapley.v). *)
Lemma shapley_axioms :
  [/\ extensional_rule (shapley n), linear_rule (shapley n), efficient_rule (shapley n),
      symmetric_rule (shapley n) & null_player_rule (shapley n)].
Proof.
split.
- by move=> v w e i; apply: eq_shapley.
- by move=> a v w i; apply: shapley_linearity.
- by move=> v; apply: shapley_efficiency.
- by move=> v i j; apply: shapley_symmetry.
- by move=> v i; apply: shapley_null.
Qed.

Lemma shapley_unanimity T i : shapley n (unanimity T) i = if i \in T then #|T|%:R^-1 else 0.
Proof. by case: shapley_axioms => ext _ eff sym null; apply: axioms_unanimity. Qed.

(** Every game is a combination of unanimity games, with its dividends as coefficients. *)
Lemma unanimity_basis v : v =1 (fun S => \sum_(T : {set 'I_n}) dividend n v T * unanimity T S).
Proof.
move=> S; rewrite moebius_inversion [RHS](bigID (fun T => T \subset S)) /=.
rewrite [X in _ = _ + X]big1 ?addr0 => [|T /negbTE TS]; last by rewrite /unanimity TS mulr0.
by apply: eq_bigr => T TS; rewrite /unanimity TS mulr1.
Qed.

(** ** S0.b for every n: uniqueness *)
Theorem shapley_unique (psi : value_rule) :
  extensional_rule psi -> linear_rule psi -> efficient_rule psi -> symmetric_rule psi -> null_player_rule psi ->
  forall v i, psi v i = shapley n v i.
Proof.
move=> ext lin eff sym null v i.
case: shapley_axioms => sext slin _ _ _.
rewrite (ext _ _ (unanimity_basis v)) (sext _ _ (unanimity_basis v)).
rewrite !value_linear_sum //; apply: eq_bigr => T _.
by rewrite shapley_unanimity axioms_unanimity.
Qed.

(** ** The dividend formula *)
Theorem shapley_dividend_formula v i :
  shapley n v i = \sum_(T : {set 'I_n} | i \in T) dividend n v T / #|T|%:R.
Proof.
case: shapley_axioms => sext slin _ _ _.
rewrite (sext _ _ (unanimity_basis v)) value_linear_sum // (bigID (fun T => i \in T)) /=.
rewrite [X in _ + X]big1 ?addr0 => [|T /negbTE iT]; last by rewrite shapley_unanimity iT mulr0.
by apply: eq_bigr => T iT; rewrite shapley_unanimity iT.
Qed.

(** A block [K] of pairwise interchangeable players, every other player null:
    the block shares [v N - v {}] equally. *)
Lemma shapley_block v (K : {set 'I_n}) i :
  (forall j, j \notin K -> forall S, v (j |: S) = v S) ->
  (forall j k, j \in K -> k \in K -> forall S, j \notin S -> k \notin S -> v (j |: S) = v (k |: S)) ->
  shapley n v i = if i \in K then (v setT - v set0) / #|K|%:R else 0.
Proof.
move=> nullK symK.
case: ifP => iK; last by apply: shapley_null; apply: nullK; rewrite iK.
have := shapley_efficiency v.
rewrite (bigID (fun j => j \in K)) /= [X in _ + X]big1 ?addr0; last first.
  by move=> j jK; apply: shapley_null; apply: nullK.
rewrite (eq_bigr (fun _ => shapley n v i)); last first.
  by move=> j jK; apply: shapley_symmetry => S jS iS; apply: symK.
rewrite sumr_const => <-.
have K0 : (#|K|%:R : rat) != 0 by rewrite pnatr_eq0 -lt0n card_gt0; apply/set0Pn; exists i.
by rewrite -[shapley n v i *+ _]mulr_natr mulfK.
Qed.

End Uniqueness.
