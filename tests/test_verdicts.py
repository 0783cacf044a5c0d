"""Tests for symgame.verdicts: verdict kinds, expected-verdict matching, exact JSON certificates."""

import dataclasses
import json
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symgame import Game
from symgame.errors import InvalidVerdictError, SymgameError
from symgame.verdicts import Kind, Verdict, jsonable, parse_expected


def test_constructors_kinds_and_strings():
    cases = [
        (Verdict.proved_for_all({}), Kind.PROVED, "all n", "PROVED (all n)"),
        (Verdict.proved_up_to(8, {}), Kind.PROVED, "n <= 8", "PROVED (n <= 8)"),
        (Verdict.checked(500, {}), Kind.CHECKED, "500 instances", "CHECKED (500 instances)"),
        (Verdict.refuted({}), Kind.REFUTED, "counterexample", "REFUTED"),
        (Verdict.undecided("sign of x unknown"), Kind.UNDECIDED, "sign of x unknown", "UNDECIDED"),
    ]
    for verdict, kind, strength, text in cases:
        assert verdict.kind is kind and verdict.strength == strength and str(verdict) == text
    assert Verdict("REFUTED", "counterexample").kind is Kind.REFUTED  # a string kind is accepted
    assert str(Kind.CHECKED) == "CHECKED"


MATCHES = [
    ("PROVED (all n)", {"PROVED (all n)": True, "PROVED (n <= N)": False, "PROVED": True, "CHECKED": False}),
    ("PROVED (n <= 8)", {"PROVED (all n)": False, "PROVED (n <= N)": True, "PROVED (n <= 5)": True,
                         "PROVED": True, "REFUTED": False}),
    ("CHECKED (10 instances)", {"CHECKED": True, "CHECKED (k instances)": True, "PROVED": False}),
    ("REFUTED", {"REFUTED": True, "CHECKED": False, "PROVED (all n)": False}),
    ("UNDECIDED", {"REFUTED": False, "CHECKED": False, "PROVED (all n)": False, "PROVED (n <= N)": False}),
]


@pytest.mark.parametrize("text, table", MATCHES)
def test_matches(text, table):
    verdict = {
        "PROVED (all n)": Verdict.proved_for_all({}),
        "PROVED (n <= 8)": Verdict.proved_up_to(8, {}),
        "CHECKED (10 instances)": Verdict.checked(10, {}),
        "REFUTED": Verdict.refuted({}),
        "UNDECIDED": Verdict.undecided("?"),
    }[text]
    for expected, result in table.items():
        assert verdict.matches(expected) is result, (text, expected)


def test_parse_expected():
    assert parse_expected("PROVED (all n)") == (Kind.PROVED, "all n")
    assert parse_expected("  PROVED (n <= N) ") == (Kind.PROVED, "bounded")
    assert parse_expected("PROVED") == (Kind.PROVED, None)
    assert parse_expected("CHECKED (k instances)") == (Kind.CHECKED, None)
    assert parse_expected("REFUTED") == (Kind.REFUTED, None)


@pytest.mark.parametrize("bad", ["UNDECIDED", "proved", "PROVED all n", "", "REFUTED!", None, 3])
def test_bad_expected_verdicts(bad):
    with pytest.raises(InvalidVerdictError, match="is not one of 'PROVED \\(all n\\)'"):
        parse_expected(bad)
    with pytest.raises(InvalidVerdictError):
        Verdict.refuted({}).matches(bad)


@pytest.mark.parametrize("bad", ["MAYBE", "", None, "proved"])
def test_bad_kinds(bad):
    with pytest.raises(InvalidVerdictError, match="verdict kind must be one of PROVED, CHECKED, REFUTED, UNDECIDED"):
        Verdict(bad, "x")
    assert issubclass(InvalidVerdictError, SymgameError) and issubclass(InvalidVerdictError, ValueError)


def test_verdicts_are_immutable():
    v = Verdict.refuted({"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.kind = Kind.PROVED


def test_jsonable_keeps_numbers_exact():
    x = sp.Symbol("x", positive=True)
    game = Game.additive({"a": sp.Rational(1, 3)})

    class Thing:
        def to_dict(self):
            return {"phi": sp.Rational(2, 7)}

    cert = {
        "phi": {"a": 6 * x, "b": sp.Rational(27, 500)},
        "fraction": Fraction(1, 3),
        "ints": [np.int64(3), 4],
        "float": 0.5,
        "flags": (True, None),
        "coalitions": {frozenset({2, 1}), frozenset()},
        "by_coalition": {frozenset({2, 1}): sp.Rational(1, 3), 3: "c"},
        "by_pair": {(1, "a"): 1},
        "game": game,
        "kind": Kind.REFUTED,
        "array": np.array([[1, 2], [3, 4]]),
        "thing": Thing(),
        "other": object,
    }
    out = jsonable(cert)
    assert out["phi"] == {"a": "6*x", "b": "27/500"}
    assert out["fraction"] == "1/3" and out["ints"] == [3, 4] and out["float"] == 0.5
    assert out["flags"] == [True, None]
    assert out["coalitions"] == [[], [1, 2]]
    assert out["by_coalition"] == {"[1, 2]": "1/3", "3": "c"}
    assert out["by_pair"] == {'[1, "a"]': 1}
    assert out["game"] == game.to_json() and out["kind"] == "REFUTED"
    assert out["array"] == [[1, 2], [3, 4]] and out["thing"] == {"phi": "2/7"}
    assert out["other"] == repr(object)
    json.dumps(out)  # serialisable


def test_to_dict_and_to_json():
    v = Verdict.proved_up_to(5, {"sizes": [1, 2], "phi": sp.Rational(1, 2)}, summary="checked exactly")
    d = v.to_dict()
    assert d == {"verdict": "PROVED", "strength": "n <= 5", "summary": "checked exactly",
                 "certificate": {"sizes": [1, 2], "phi": "1/2"}}
    assert json.loads(v.to_json()) == d
    assert json.loads(v.to_json(indent=2)) == d
