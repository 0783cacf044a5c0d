"""Everything behind the ``[transformers]`` extra: real encoders, the model masking game, real-model checks, faithfulness.

``torch`` and ``transformers`` are imported lazily inside the functions (as before this became a
package), so ``import symgame.models`` works without the extra; calling a function that needs them
raises :class:`~symgame.errors.MissingDependencyError` naming it.  Modules:
:mod:`~symgame.models.encoders` (loading, tokens, attention tensors),
:mod:`~symgame.models.decoders` (a causal language model from a GGUF file, SmolLM2-135M),
:mod:`~symgame.models.masking` (the model masking game and its Shapley values),
:mod:`~symgame.models.checks` (Proposition 2 on a real attention graph),
:mod:`~symgame.models.explanation` (one sentence explained every way) and
:mod:`~symgame.models.faithfulness` (rank correlations with the model's Shapley values).
``symgame.models`` itself re-exports the encoder API it had as a module.

Examples
--------
>>> import sys, symgame.models
>>> symgame.models.DEFAULT_MODEL_NAME
'all-MiniLM-L6-v2'
>>> symgame.models.sentence_attention("")
Traceback (most recent call last):
...
symgame.errors.ModelInputError: sentence '' has no words; expected a non-empty string
"""

from . import encoders

#: The encoder API, as ``symgame.models`` exported it when it was a module.
__all__ = list(encoders.__all__)


def __getattr__(name):
    """The rest of the encoder API, looked up in :mod:`~symgame.models.encoders` (PEP 562)."""
    if name in encoders.__all__:
        return getattr(encoders, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
