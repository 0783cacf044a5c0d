"""The multi-level attention-masking game (issue 14): synthetic rows exactly, and a real encoder whose
attention towards a token is scaled to a fraction of full."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgame import shapley
from symgame.attention.masking import attention_masking_game
from symgame.errors import GameTooLargeError, InvalidGameError
from symgame.multichoice import MultiChoiceGame, derks_peters, hsiao_raghavan, van_den_nouweland
from symgame.multichoice.attention import attention_multilevel_game, check_fractions

positive = st.fractions(Fraction(1, 4), 4, max_denominator=4).filter(lambda f: f > 0)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(st.lists(positive, min_size=n, max_size=n),
                                                     st.lists(st.fractions(-3, 3, max_denominator=3),
                                                              min_size=n, max_size=n))))
def test_one_level_is_the_two_level_attention_masking_game(row):
    w, x = row
    one = attention_multilevel_game(weights=w, values=x, fractions=[1])
    two = attention_masking_game(weights=w, values=x)
    assert one == MultiChoiceGame.from_game(two)
    phi = shapley(two)
    for value in (derks_peters(one), van_den_nouweland(one), hsiao_raghavan(one, [3])):
        assert {p: value[(p, 1)] for p in two.players} == phi


def test_levels_scale_the_unnormalised_weight():
    g = attention_multilevel_game(weights=[2, 1, 1], values=[1, 0, 3], fractions=["1/4", "1/2", 1])
    # token 0 at level 1 (weight 2/4), token 1 hidden, token 2 at level 3 (weight 1)
    assert g[(1, 0, 3)] == (Fraction(2, 4) * 1 + 1 * 3) / (Fraction(2, 4) + 1)
    assert g[(3, 3, 3)] == Fraction(2 * 1 + 3, 4)
    assert attention_multilevel_game(weights=[2, 1], fractions=["1/2", 1])[(1, 0)] == 1  # total attention


def test_symbolic_scores():
    s = sp.symbols("s0 s1", real=True)
    g = attention_multilevel_game(scores=s, values=[1, 0])
    assert sp.simplify(g[(1, 2)] - sp.exp(s[0]) / 2 / (sp.exp(s[0]) / 2 + sp.exp(s[1]))) == 0


def test_bad_fractions_and_rows():
    for bad in ([], [0, 1], ["1/2"], [1, "1/2"], ["1/2", "1/2", 1], [sp.Symbol("f"), 1], "1"):
        with pytest.raises(InvalidGameError, match="attention fractions"):
            check_fractions(bad)
    with pytest.raises(InvalidGameError, match="weight of 1 is -1"):
        attention_multilevel_game(weights=[1, -1])
    with pytest.raises(InvalidGameError, match="2 players but 1 values"):
        attention_multilevel_game(weights=[1, 1], values=[1])


# ---------------------------------------------------------------------- a real encoder ([transformers] extra)
SENTENCE = "the film was great"


@pytest.fixture(scope="module")
def encoder():
    from symgame.models.encoders import load_encoder

    return load_encoder(None)


def test_model_game_with_one_level_is_the_two_level_masking_game(encoder):
    from symgame.models.masking import masking_game
    from symgame.models.multilevel import model_multilevel_game

    one = model_multilevel_game(SENTENCE, fractions=[1])
    two = masking_game(SENTENCE, target=0, progress=False)
    assert one.players == two.players
    # the same numbers up to float32 batching noise (a consistency check of the pipeline, not a claim)
    assert max(abs(float(a - b)) for a, b in zip(one.exprs(), MultiChoiceGame.from_game(two).exprs())) < 1e-5


def test_model_levels_scale_the_attention_towards_a_token(encoder):
    import torch

    from symgame.models.encoders import tokenize
    from symgame.models.multilevel import level_bias

    tok, mod = encoder
    ids = torch.tensor([list(tokenize(SENTENCE, model=encoder)["input_ids"])])
    n = ids.shape[1]
    special = [True] + [False] * (n - 2) + [True]
    bias = torch.from_numpy(level_bias(special, [2, 1, 2, 2], [0.5, 1.0]).astype(np.float32))
    with torch.inference_mode():
        full = mod(input_ids=ids, output_attentions=True).attentions[0][0]
        half = mod(input_ids=ids, attention_mask=bias[None, None, None, :].expand(1, 1, n, n),
                   output_attentions=True).attentions[0][0]
    a = full[:, :, 2].double()  # layer 0: the input is the same, so the scores are too
    expected = 0.5 * a / (1 - 0.5 * a)  # weight halved, then every row renormalised
    assert torch.allclose(half[:, :, 2].double(), expected, atol=1e-6)


def test_model_game_limits_and_values(encoder):
    from symgame.models.multilevel import model_multilevel_game

    with pytest.raises(GameTooLargeError, match="forward passes"):
        model_multilevel_game(SENTENCE, fractions=["1/4", "1/2", 1], max_passes=100)
    g = model_multilevel_game("bad film", fractions=["1/2", 1])
    assert g.levels == (2, 2) and g[(0, 0)] == 0
    for phi in (derks_peters(g), van_den_nouweland(g), hsiao_raghavan(g, [1, 2])):
        assert sum(phi.values()) == g[(2, 2)]  # exact efficiency on the model's numbers
