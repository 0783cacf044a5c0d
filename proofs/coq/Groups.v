(** * Additive games and their quotients (G.additive) for every n. *)
From mathcomp Require Import all_ssreflect all_algebra.
From Symgame Require Import Shapley Uniqueness.
Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(** [v S = sum_{i in S} a i]. *)
Definition additive_game n (a : 'I_n -> rat) : game n := fun S => \sum_(i in S) a i.

Lemma shapley_additive n (a : 'I_n -> rat) i : shapley n (additive_game a) i = a i.
Proof.
case: (shapley_axioms n) => sext slin _ _ _.
have e : additive_game a =1 (fun S => \sum_(j < n) a j * unanimity [set j] S).
  move=> S; rewrite /additive_game [RHS](bigID (fun j => j \in S)) /= [X in _ = _ + X]big1 ?addr0.
    by apply: eq_bigr => j jS; rewrite /unanimity sub1set jS mulr1.
  by move=> j /negbTE jS; rewrite /unanimity sub1set jS mulr0.
rewrite (sext _ _ e) value_linear_sum // (bigD1 i) //= big1 ?addr0.
  by rewrite shapley_unanimity set11 cards1 invr1 mulr1.
by move=> j ji; rewrite shapley_unanimity inE eq_sym (negbTE ji) mulr0.
Qed.

(** Groups: player [i] of the original game belongs to group [g i]; the quotient game lets a
    coalition of groups [Q] play with all members of its groups.  ([Game.merge] merging one
    group is the case where [g] is injective outside the group.) *)
Definition quotient n m (g : 'I_n -> 'I_m) (v : game n) : game m := fun Q => v (g @^-1: Q).

(** ** G.additive: in the quotient of an additive game a group's Shapley value is the sum of
    its members' Shapley values. *)
Theorem quotient_additive n m (g : 'I_n -> 'I_m) (a : 'I_n -> rat) (k : 'I_m) :
  shapley m (quotient g (additive_game a)) k = \sum_(i | g i == k) shapley n (additive_game a) i.
Proof.
have e : quotient g (additive_game a) =1 additive_game (fun k => \sum_(i | g i == k) a i).
  move=> Q; rewrite /quotient /additive_game (partition_big g (fun k => k \in Q)) => [|i].
    by apply: eq_bigr => l lQ; apply: eq_bigl => i; rewrite inE; have [->|] := eqVneq (g i) l; rewrite ?lQ ?andbF.
  by rewrite inE.
rewrite (eq_shapley _ e) shapley_additive.
by apply: eq_bigr => i _; rewrite shapley_additive.
Qed.
