"""Atomic writes and the JSON conversion of symgame.jsonio."""

import json
import os
from fractions import Fraction

import pytest
import sympy as sp

from symgame.jsonio import atomic_path, to_jsonable, write_json_atomic, write_text_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_replacing_keeps_the_old_permissions(tmp_path):
    target = tmp_path / "r.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640


def test_json_is_exact_and_round_trips(tmp_path):
    path = tmp_path / "v.json"
    write_json_atomic(path, {"phi": {frozenset({2, 1}): sp.Rational(1, 3)}, "x": Fraction(2, 7), "f": 0.5})
    assert json.loads(path.read_text()) == {"phi": {"[1, 2]": "1/3"}, "x": "2/7", "f": 0.5}
    assert to_jsonable({"s": {3, 1, 2}}) == {"s": [1, 2, 3]}
