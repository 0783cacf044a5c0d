"""Tests for symgame.verdicts: verdict kinds, expected-verdict matching, exact JSON certificates."""

import dataclasses
import json
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symgame import Game
from symgame.errors import InvalidVerdictError, SymgameError
from symgame.verdicts import MIN_CHECKED, Kind, Verdict, jsonable, missing_dependency, parse_expected


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
    ("PROVED (all n)", {"PROVED (all n)": True, "PROVED (n <= N)": True, "PROVED (n <= 5)": True, "PROVED": True,
                        "CHECKED": False}),
    ("PROVED (n <= 8)", {"PROVED (all n)": False, "PROVED (n <= N)": True, "PROVED (n <= 5)": True,
                         "PROVED (n <= 8)": True, "PROVED (n <= 9)": False, "PROVED": True, "REFUTED": False}),
    ("PROVED (n <= 1)", {"PROVED (n <= 5)": False, "PROVED (n <= 1)": True}),
    ("CHECKED (10 instances)", {"CHECKED": False, "CHECKED (k instances)": False, "CHECKED (k >= 10)": True,
                                "CHECKED (k >= 11)": False, "PROVED": False}),
    ("CHECKED (300 instances)", {"CHECKED": True, "CHECKED (k >= 200)": True}),
    ("CHECKED (0 instances, 300 skipped)", {"CHECKED": False, "CHECKED (k >= 0)": False}),
    ("CHECKED (250 instances, 1 skipped)", {"CHECKED": False, "CHECKED (k >= 200)": False}),
    ("REFUTED", {"REFUTED": True, "CHECKED": False, "PROVED (all n)": False}),
    ("UNDECIDED", {"REFUTED": False, "CHECKED": False, "PROVED (all n)": False, "PROVED (n <= N)": False}),
]


@pytest.mark.parametrize("text, table", MATCHES)
def test_matches(text, table):
    verdict = {
        "PROVED (all n)": Verdict.proved_for_all({}),
        "PROVED (n <= 8)": Verdict.proved_up_to(8, {}),
        "PROVED (n <= 1)": Verdict.proved_up_to(1, {}),
        "CHECKED (10 instances)": Verdict.checked(10, {}),
        "CHECKED (300 instances)": Verdict.checked(300, {}),
        "CHECKED (0 instances, 300 skipped)": Verdict.checked(0, {}, skipped=300),
        "CHECKED (250 instances, 1 skipped)": Verdict.checked(250, {}, skipped=1),
        "REFUTED": Verdict.refuted({}),
        "UNDECIDED": Verdict.undecided("?"),
    }[text]
    assert str(verdict) == text
    for expected, result in table.items():
        assert verdict.matches(expected) is result, (text, expected)


def test_parse_expected():
    assert parse_expected("PROVED (all n)") == (Kind.PROVED, "all n", None)
    assert parse_expected("  PROVED (n <= N) ") == (Kind.PROVED, "bounded", 1)
    assert parse_expected("PROVED (n <= 5)") == (Kind.PROVED, "bounded", 5)
    assert parse_expected("PROVED") == (Kind.PROVED, None, None)
    assert parse_expected("CHECKED (k instances)") == (Kind.CHECKED, None, MIN_CHECKED)
    assert parse_expected("CHECKED (k >= 6)") == (Kind.CHECKED, None, 6)
    assert parse_expected("REFUTED") == (Kind.REFUTED, None, None)


@pytest.mark.parametrize("bad", ["PROVED (n <= five)", "PROVED (some n)", "CHECKED (lots)", "CHECKED (k >= -1)"])
def test_bad_strengths_are_named(bad):
    with pytest.raises(InvalidVerdictError, match="the strength of"):
        parse_expected(bad)


def test_strength_properties_and_missing_dependency():
    assert Verdict.checked(7, {}, skipped=2).instances == 7 and Verdict.checked(7, {}, skipped=2).skipped == 2
    assert Verdict.proved_up_to(4, {}).bound == 4 and Verdict.proved_for_all({}).bound == float("inf")
    assert Verdict.refuted({}).instances is None and Verdict.refuted({}).bound is None
    v = Verdict.missing("transformers")
    assert v.kind is Kind.UNDECIDED and missing_dependency(v) == "transformers"
    assert missing_dependency(Verdict.undecided("?")) is None and not v.matches("CHECKED (k >= 0)")


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
