"""Explanations at dataset scale: a file of attention tensors or sentences in, one JSON per item out.

:func:`read_items` reads the items; :func:`run_batch` explains every item — in this process or as
Dask tasks through :mod:`symgame.distributed` (a ``LocalCluster``, or a scheduler address) — and
writes ``OUT/<id>.json`` for each, atomically, as results stream back.  A run is **resumable**: an
item whose file exists and was written with the same options and input (its ``fingerprint``) is
skipped, so an interrupted run continues where it stopped.  Files hold no timings or worker names,
so a serial and a distributed run write identical files (a test checks it).

Input files:

``.txt``
    One sentence a line (blank lines skipped); ids ``line-0001``, ...  Needs the ``[transformers]`` extra.
``.jsonl``
    One JSON value a line: a nested list (an attention tensor), a string (a sentence), or an object
    ``{"id": ..., "attention": ..., "tokens": [...]}`` / ``{"id": ..., "sentence": ...}``.
``.json``
    A JSON list of the same values.  JSON decimals are read exactly (``0.1`` is 1/10).
``.npz``
    One attention tensor per array (the array's name is the id).
``.npy``
    One array whose first axis runs over the items (``(items, L, n, n)`` or ``(items, L, H, n, n)``).

What is computed per item: an attention tensor gets :func:`symgame.attention.explain` for each
output token in ``outputs`` (``"all"``: every token); a sentence gets
:func:`symgame.models.explanation.explain_sentence`, and, when its masking game is too large for
the exact model Shapley value and ``estimator`` is set, a sampled estimate
(:mod:`symgame.sampling`) on the same payoff.

Examples
--------
>>> import json, pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "in.jsonl").write_text('[[[1, 0], ["1/4", "3/4"]]]\\n{"id": "b", "attention": [[[1, 0], [0, 1]]]}\\n')
>>> run_batch(d / "in.jsonl", d / "out", options=BatchOptions(outputs=(1,)))
BatchReport(items=2, written=2, skipped=0, failed={})
>>> sorted(p.name for p in (d / "out").iterdir())
['b.json', 'item-0000.json', 'manifest.json']
>>> json.loads((d / "out" / "item-0000.json").read_text())["result"]["outputs"]["1"]["players"][1]["shapley"]
'3/4'
>>> run_batch(d / "in.jsonl", d / "out", options=BatchOptions(outputs=(1,)))   # resumed: nothing to do
BatchReport(items=2, written=0, skipped=2, failed={})
"""

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction

import numpy as np

from .errors import GameFormatError, InvalidAttentionError, InvalidEstimatorError
from .guards import check_int
from .jsonio import to_jsonable, write_json_atomic
from .results import TupleResult
from .sampling import METHODS as ESTIMATORS

__all__ = ["BatchItem", "BatchOptions", "BatchReport", "read_items", "explain_item", "run_batch", "fingerprint", "FORMATS"]

#: Input file suffixes :func:`read_items` reads.
FORMATS = (".txt", ".jsonl", ".json", ".npz", ".npy")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class BatchItem:
    """One item of a batch: ``kind`` is ``"attention"`` (``data`` a nested list or array) or ``"sentence"``."""

    id: str
    kind: str
    data: object
    tokens: tuple = None

    def digest(self):
        """A SHA-256 of the item's content (part of the fingerprint that makes resuming safe)."""
        h = hashlib.sha256(self.kind.encode())
        if isinstance(self.data, np.ndarray):
            h.update(str(self.data.dtype).encode() + str(self.data.shape).encode())
            h.update(np.ascontiguousarray(self.data).tobytes())
        else:
            h.update(json.dumps(to_jsonable(self.data)).encode())
        h.update(json.dumps(list(self.tokens) if self.tokens is not None else None).encode())
        return h.hexdigest()


@dataclass(frozen=True)
class BatchOptions:
    """What :func:`explain_item` computes (the options are part of every output file's fingerprint).

    Attributes
    ----------
    outputs : tuple of int or "all"
        Output tokens of an attention tensor (default ``(0,)``).
    layer, source, residual, permutations, seed, shapley
        As in :func:`symgame.attention.explain` (``shapley=False`` skips ``v*``).
    model : str, optional
        Encoder of the sentences (default: the packaged MiniLM).
    max_players : int
        Exact model Shapley value (``2^n`` forward passes) up to this many players.
    estimator : str, optional
        One of :data:`symgame.sampling.METHODS`: past ``max_players`` estimate the model Shapley value.
    samples : int
        Samples of that estimate.
    """

    outputs: object = (0,)
    layer: int = 0
    source: object = "all"
    residual: bool = False
    permutations: int = 200
    seed: int = 0
    shapley: bool = True
    model: str = None
    max_players: int = 10
    estimator: str = None
    samples: int = 200

    def __post_init__(self):
        if self.outputs != "all":
            outs = (self.outputs,) if isinstance(self.outputs, int) else tuple(self.outputs)
            if not outs or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in outs):
                raise InvalidAttentionError(f"outputs must be 'all' or non-negative token indices, got {self.outputs!r}")
            object.__setattr__(self, "outputs", outs)
        if self.estimator is not None and self.estimator not in ESTIMATORS:
            raise InvalidEstimatorError(f"unknown estimator {self.estimator!r}; expected one of {', '.join(ESTIMATORS)}")
        # every option is checked here, before any item runs, also those a given file may never use
        for name, low, error in (("layer", 0, InvalidAttentionError), ("permutations", 1, InvalidAttentionError),
                                 ("seed", None, InvalidAttentionError), ("max_players", 1, InvalidEstimatorError),
                                 ("samples", 1, InvalidEstimatorError)):
            check_int(getattr(self, name), name, low=low, numpy=False, error=error)
        if self.source != "all":
            check_int(self.source, "source", low=0, numpy=False, error=InvalidAttentionError,
                      message="{what} must be 'all' or a non-negative token index, got {value!r}")

    def to_json(self):
        """The options as JSON data."""
        d = asdict(self)
        d["outputs"] = self.outputs if self.outputs == "all" else list(self.outputs)
        return d


@dataclass(frozen=True)
class BatchReport(TupleResult):
    """How :func:`run_batch` went: items read, files written, items skipped (already done), failures (id -> message)."""

    items: int
    written: int
    skipped: int
    failed: dict = field(default_factory=dict)


# ---------------------------------------------------------------------- reading
def _item_from_value(value, default_id, where):
    if isinstance(value, str):
        return BatchItem(default_id, "sentence", value)
    if isinstance(value, list):
        return BatchItem(default_id, "attention", value)
    if isinstance(value, dict):
        item_id = value.get("id", default_id)
        if not isinstance(item_id, (str, int)) or isinstance(item_id, bool):
            raise GameFormatError(f"{where}: id must be a string or integer, got {item_id!r}")
        if "sentence" in value and isinstance(value["sentence"], str):
            return BatchItem(str(item_id), "sentence", value["sentence"])
        if "attention" in value:
            tokens = value.get("tokens")
            return BatchItem(str(item_id), "attention", value["attention"],
                             tuple(tokens) if tokens is not None else None)
        raise GameFormatError(f"{where}: an object item needs 'attention' or 'sentence', got keys {sorted(value)}")
    raise GameFormatError(f"{where}: expected an attention tensor (nested list), a sentence (string) or an object, "
                          f"got {type(value).__name__}")


def read_items(path):
    """The items of a batch file (see the module's formats), with ids checked to be unique file names.

    Raises
    ------
    GameFormatError
        Unreadable file, unknown suffix, a malformed line, a bad or repeated id, or no items.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
    >>> _ = p.write_text("a good film\\n\\nbad acting\\n")
    >>> [(i.id, i.kind, i.data) for i in read_items(p)]
    [('line-0000', 'sentence', 'a good film'), ('line-0002', 'sentence', 'bad acting')]
    >>> read_items(p.with_suffix(".csv"))
    Traceback (most recent call last):
    ...
    symgame.errors.GameFormatError: batch file 's.csv' has suffix '.csv'; expected one of .txt, .jsonl, .json, .npz, .npy
    """
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    name = os.path.basename(path)
    if suffix not in FORMATS:
        raise GameFormatError(f"batch file {name!r} has suffix {suffix!r}; expected one of {', '.join(FORMATS)}")
    try:
        if suffix == ".npz":
            with np.load(path, allow_pickle=False) as data:
                items = [BatchItem(k, "attention", np.array(data[k])) for k in data.keys()]
        elif suffix == ".npy":
            arr = np.load(path, allow_pickle=False)
            if arr.ndim not in (4, 5):
                raise GameFormatError(f"batch file {name!r} has shape {arr.shape}; expected (items, L, n, n) or "
                                      f"(items, L, H, n, n)")
            items = [BatchItem(f"item-{k:04d}", "attention", arr[k]) for k in range(arr.shape[0])]
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if suffix == ".txt":
                items = [BatchItem(f"line-{k:04d}", "sentence", line.strip())
                         for k, line in enumerate(text.splitlines()) if line.strip()]
            elif suffix == ".jsonl":
                items = []
                for k, line in enumerate(text.splitlines()):
                    if line.strip():
                        items.append(_item_from_value(_json(line, f"{name} line {k + 1}"), f"item-{k:04d}",
                                                      f"{name} line {k + 1}"))
            else:
                doc = _json(text, name)
                if not isinstance(doc, list):
                    raise GameFormatError(f"batch file {name!r} must hold a JSON list of items, got {type(doc).__name__}")
                items = [_item_from_value(v, f"item-{k:04d}", f"{name} item {k}") for k, v in enumerate(doc)]
    except OSError as exc:
        raise GameFormatError(f"cannot read batch file {name!r}: {exc.strerror or exc}") from None
    except ValueError as exc:
        if isinstance(exc, GameFormatError):
            raise
        raise GameFormatError(f"cannot read batch file {name!r}: {exc}") from None
    if not items:
        raise GameFormatError(f"batch file {name!r} has no items")
    seen = set()
    for item in items:
        if not _ID.match(item.id) or item.id == "manifest":
            raise GameFormatError(f"item id {item.id!r} cannot be a file name; use letters, digits, '.', '_', '-' "
                                  f"(not 'manifest')")
        if item.id in seen:
            raise GameFormatError(f"item id {item.id!r} appears twice in {name!r}")
        seen.add(item.id)
    return items


def _json(text, where):
    try:
        return json.loads(text, parse_float=Fraction)
    except json.JSONDecodeError as exc:
        raise GameFormatError(f"{where} is not valid JSON: {exc}") from None


# ---------------------------------------------------------------------- work
def _explain_attention(item, options):
    from .attention import as_attention, explain

    att = as_attention(item.data, tokens=item.tokens)
    outputs = range(att.n) if options.outputs == "all" else options.outputs
    out = {}
    for k in outputs:
        r = explain(att, output=k, source=options.source, layer=options.layer, residual=options.residual,
                    permutations=options.permutations, seed=options.seed, shapley_value=options.shapley)
        out[str(k)] = r.to_json()
    return {"outputs": out}


def _explain_sentence(item, options):
    from .models.explanation import explain_sentence
    from .models.masking import masking_payoff
    from .sampling import estimate_shapley

    outputs = (0,) if options.outputs == "all" else options.outputs
    out = {}
    for k in outputs:
        r = explain_sentence(item.data, output=k, model=options.model, max_players=options.max_players,
                             progress=False).to_json()
        r.pop("seconds", None)  # timings differ run to run; files must not
        if r.get("model_shapley") is None and options.estimator is not None:
            payoff = masking_payoff(item.data, model=options.model, target=k)
            est = estimate_shapley(payoff, method=options.estimator, samples=options.samples, seed=options.seed)
            r["model_shapley_estimate"] = est.to_json()
        out[str(k)] = r
    return {"outputs": out}


def explain_item(item, options=None):
    """The JSON-ready result of one item (what :func:`run_batch` writes, without the header).

    Examples
    --------
    >>> explain_item(BatchItem("a", "attention", [[[1, 0], ["1/4", "3/4"]]]), BatchOptions(outputs=(1,), shapley=False))["outputs"]["1"]["players"][0]["ej_flow"]
    '1/4'
    """
    options = BatchOptions() if options is None else options
    if item.kind == "attention":
        return _explain_attention(item, options)
    return _explain_sentence(item, options)


def fingerprint(item, options):
    """SHA-256 of the item's content and the options: an output file is reused only when it matches."""
    h = hashlib.sha256(item.digest().encode())
    h.update(json.dumps(options.to_json(), sort_keys=True).encode())
    return h.hexdigest()


class _Task:
    """A picklable ``item -> result`` for :func:`symgame.distributed.run_tasks`."""

    def __init__(self, options):
        self.options = options

    def __call__(self, item):
        return explain_item(item, self.options)


def _done(path, fp):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh).get("fingerprint") == fp
    except (OSError, ValueError, AttributeError):
        return False


def run_batch(path, out_dir, *, options=None, client=None, resume=True, retries=2, progress=False):
    """Explain every item of ``path`` and write ``out_dir/<id>.json`` (atomically) plus ``manifest.json``.

    Parameters
    ----------
    path : str or path
        A batch file (see the module's formats).
    out_dir : str or path
        Created if missing.
    options : BatchOptions, optional
    client : dask.distributed.Client, optional
        Run the items as Dask tasks on it (:func:`symgame.distributed.cluster_client`); ``None``
        runs them here, one after another.
    resume : bool
        Skip items whose file exists with the same fingerprint.
    retries : int
        Extra attempts of a task whose worker failed.
    progress : bool or callable
        Items done and an estimate of the time left.

    Returns
    -------
    BatchReport
        Items whose input is bad (a SymgameError) are listed in ``failed`` and get no file.
    """
    from .distributed import run_tasks

    options = BatchOptions() if options is None else options
    items = read_items(path)
    out_dir = os.fspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    prints = {item.id: fingerprint(item, options) for item in items}
    todo = [item for item in items
            if not (resume and _done(os.path.join(out_dir, f"{item.id}.json"), prints[item.id]))]
    write_json_atomic(os.path.join(out_dir, "manifest.json"), {
        "source": os.path.basename(os.fspath(path)), "options": options.to_json(),
        "items": [{"id": i.id, "kind": i.kind, "fingerprint": prints[i.id]} for i in items],
    })

    def write(k, result):
        item = todo[k]
        write_json_atomic(os.path.join(out_dir, f"{item.id}.json"), {
            "id": item.id, "kind": item.kind, "fingerprint": prints[item.id], "options": options.to_json(),
            "result": result,
        })

    summary = run_tasks(_Task(options), todo, client=client, retries=retries, progress=progress, on_result=write)
    failed = {todo[k].id: msg for k, msg in sorted(summary.failed.items())}
    return BatchReport(len(items), summary.done, len(items) - len(todo), failed)
