"""Rebuild ``movie_review.json``: the exact-rational attention tensor used by the notebooks.

The tensor is the head-averaged attention of the first three layers of
sentence-transformers' *all-MiniLM-L6-v2* on "what a waste of time" (the end
of the talk's movie review), with every row rounded to multiples of 1/40
(largest-remainder rounding, so each row sums to exactly 1).  The rounding
makes the tensor a small exact stand-in for the model's attention, not the
model's own numbers; :func:`symgame.models.exact_attention` gives those.

Needs the optional extra ``symgame[transformers]``.  Run from the repository
root::

    python notebooks/data/make_movie_review.py

Examples
--------
>>> round_row([0.5, 0.26, 0.24], 4)
['1/2', '1/4', '1/4']
"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np

__all__ = ["SENTENCE", "LAYERS", "DENOMINATOR", "round_row", "build", "to_json"]

#: The sentence (the last words of the talk's movie review).
SENTENCE = "what a waste of time"
#: How many layers of the model are kept (from the input side).
LAYERS = 3
#: Every weight is a multiple of 1 / DENOMINATOR.
DENOMINATOR = 40


def round_row(row, denominator=DENOMINATOR):
    """Round a probability row to exact multiples of ``1/denominator`` that sum to exactly 1.

    Largest-remainder rounding: floor every entry, then give the missing units
    to the entries with the largest remainders (ties to the lower index).
    Returns the entries as strings such as ``"3/40"``.
    """
    row = np.asarray(row, dtype=np.float64)
    scaled = row / row.sum() * denominator
    units = np.floor(scaled).astype(int)
    missing = denominator - int(units.sum())
    for j in np.argsort(-(scaled - units), kind="stable")[:missing]:
        units[j] += 1
    return [str(Fraction(int(u), denominator)) for u in units]


def build():
    """The JSON document (a dict) for :data:`SENTENCE`, computed with the packaged MiniLM encoder."""
    from symgame.models import sentence_attention

    result = sentence_attention(SENTENCE)
    averaged = result.attention.astype(np.float64).mean(axis=1)[:LAYERS]
    return {
        "note": (f"head-averaged attention of the first {LAYERS} layers of all-MiniLM-L6-v2 on "
                 f"{SENTENCE!r}, rows rounded to multiples of 1/{DENOMINATOR} (exact, each row sums to 1); "
                 f"rebuilt by notebooks/data/make_movie_review.py"),
        "sentence": SENTENCE,
        "tokens": list(result.tokens),
        "attention": [[round_row(r) for r in layer] for layer in averaged],
    }


def to_json(document):
    """The document as JSON text with one attention row per line (readable diffs).

    Examples
    --------
    >>> print(to_json({"tokens": ["a"], "attention": [[["1"]]]}))
    {
     "tokens": ["a"],
     "attention": [
      [["1"]]
     ]
    }
    <BLANKLINE>
    """
    head = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in document.items() if k != "attention"]
    layers = ["  [" + ",\n   ".join(json.dumps(row) for row in layer) + "]" for layer in document["attention"]]
    return "{\n" + ",\n".join(head + [' "attention": [\n' + ",\n".join(layers) + "\n ]"]) + "\n}\n"


if __name__ == "__main__":
    document = build()
    path = Path(__file__).with_name("movie_review.json")
    path.write_text(to_json(document), encoding="utf-8")
    print(f"wrote {path}")
