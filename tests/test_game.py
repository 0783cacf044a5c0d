"""Tests for symgame.game: construction, validation, identity, operations and JSON."""

import json
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symgame import Game
from symgame.errors import (
    GameFormatError,
    GameTooLargeError,
    InvalidGameError,
    InvalidValueError,
    NotExactError,
    SymgameError,
    UnknownPlayerError,
)
from symgame.game import MAX_PLAYERS, MAX_SYMBOLIC_PLAYERS
from symgame.strategies import games, symbolic_games

x = sp.Symbol("x", positive=True)
y = sp.Symbol("y", real=True)


# ---------------------------------------------------------------------- construction
def test_from_dict_accepts_any_collection_as_coalition():
    g = Game.from_dict(["a", "b"], {("a",): 1, frozenset(["b"]): 2, ("b", "a"): 4})
    assert g[()] == 0 and g[{"a"}] == 1 and g[("b",)] == 2 and g[frozenset("ab")] == 4
    assert g.value(["b", "a"]) == 4
    assert g.players == ("a", "b") and g.n == 2 and len(g) == 2
    assert g.grand_coalition == frozenset({"a", "b"})


def test_explicit_empty_coalition_zero_is_accepted():
    assert Game.from_dict([1], {(): 0, (1,): 3})[{1}] == 3


def test_values_are_converted_exactly():
    g = Game.from_dict([1, 2, 3], {(1,): 0.1, (2,): "1/3", (3,): Fraction(2, 7), (1, 2): np.int64(5),
                                   (1, 3): np.float32(0.5), (2, 3): "0.1", (1, 2, 3): x})
    assert g[{1}] == sp.Rational(3602879701896397, 36028797018963968)
    assert g[{2}] == sp.Rational(1, 3) and g[{3}] == sp.Rational(2, 7) and g[{1, 2}] == 5
    assert g[{1, 3}] == sp.Rational(1, 2) and g[{2, 3}] == sp.Rational(1, 10) and g[{1, 2, 3}] == x
    assert all(isinstance(v, sp.Expr) for v in g.exprs())


def test_from_dict_default_fills_missing_coalitions():
    g = Game.from_dict(["a", "b", "c"], {("a", "b"): 1}, default=0)
    assert g[{"a", "b"}] == 1 and g[{"a", "b", "c"}] == 0 and g[{"c"}] == 0


def test_from_function_and_vector_layout():
    g = Game.from_function(["a", "b", "c"], lambda S: len(S) ** 2)
    assert g.exprs() == tuple(sp.Integer(bin(m).count("1") ** 2) for m in range(8))
    assert g.mask({"a", "c"}) == 5 and g.coalition(5) == frozenset({"a", "c"})
    v = Game.from_vector([0, 1, 2, 3], players=["p", "q"])
    assert v[{"p"}] == 1 and v[{"q"}] == 2 and v[{"p", "q"}] == 3


def test_numpy_backed_games():
    ints = Game.from_vector(np.array([0, 1, 2, 4]))
    floats = Game.from_vector(np.array([0.0, 1.0, 2.0, 4.0]))
    listed = Game.from_vector([0, 1, 2, 4])
    assert ints == floats == listed and hash(ints) == hash(floats) == hash(listed)
    assert isinstance(ints.to_vector(), np.ndarray) and isinstance(listed.to_vector(), tuple)
    assert ints.rational_table()[1] == 1
    nums, den = Game.from_vector(np.array([0.0, 0.5, 0.25, 0.125])).rational_table()
    assert den == 8 and nums.tolist() == [0, 4, 2, 1]
    assert Game.from_vector(np.array([0.0, 0.1])) != Game.from_vector([0, "1/10"])  # 0.1 is not 1/10


def test_generic_and_classic_constructors():
    g = Game.generic(3)
    assert g.players == (1, 2, 3) and len(g.free_symbols) == 7 and g.is_symbolic
    assert all(s.is_real for s in g.free_symbols)
    assert Game.generic(["a"], name="w")[{"a"}] == sp.Symbol("w_{a}", real=True)
    assert Game.additive({"a": 1, "b": x})[{"a", "b"}] == 1 + x
    u = Game.unanimity([1, 2, 3], [1, 3], scale=x)
    assert [u[c] for c in ([1, 3], [1, 2, 3], [1, 2], [3])] == [x, x, 0, 0]
    assert Game.glove(["L1", "L2"], ["R"])[{"L1", "L2", "R"}] == 1
    w = Game.weighted_voting({"a": 0.5, "b": 0.25, "c": 0.25}, 0.5)
    assert (w[{"a"}], w[{"b", "c"}], w[{"b"}]) == (1, 1, 0)
    assert Game.majority([1, 2, 3, 4])[{1, 2}] == 0 and Game.majority([1, 2, 3, 4])[{1, 2, 3}] == 1
    assert Game.airport({"s": 1, "m": 2, "l": 5})[{"s", "m"}] == 2
    assert not Game.glove(["L"], ["R"]).is_symbolic and Game.glove(["L"], ["R"]).free_symbols == set()


def test_zero_player_game():
    g = Game([], {})
    assert g.n == 0 and g.exprs() == (0,) and g == Game.from_vector([0])


# ---------------------------------------------------------------------- bad input
def test_nonzero_empty_coalition_is_rejected():
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0, got 1"):
        Game.from_dict([1], {(): 1, (1,): 1})
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0, got 3"):
        Game.from_vector([3, 1])
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0, got 2"):
        Game.from_vector(np.array([2, 1]))
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0, got 1/2"):
        Game.from_vector(np.array([0.5, 1.0]))
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0, got x"):
        Game.from_vector([x, 1])  # x is positive: definitely non-zero
    assert Game.from_vector([y - y, 1])[()] == 0


def test_undecided_empty_value_is_rejected():
    """v(∅) = y cannot be decided zero; accepting it made shapley (which assumes 0) and
    shapley_permutations (which reads v(∅)) disagree, so it is refused with a clear message."""
    with pytest.raises(InvalidGameError, match="not provably 0"):
        Game.from_vector([y, 1])
    assert Game.from_vector([y - y, 1])[()] == 0


def test_unknown_players_are_rejected():
    with pytest.raises(UnknownPlayerError, match="coalition \\(3,\\) contains 3, which is not a player"):
        Game.from_dict([1, 2], {(3,): 1})
    g = Game.glove(["L"], ["R"])
    with pytest.raises(UnknownPlayerError, match="contains 'Z', which is not a player"):
        g[{"Z"}]
    with pytest.raises(KeyError):  # UnknownPlayerError is also a KeyError
        g[["L", "Z"]]
    with pytest.raises(UnknownPlayerError, match="contains \\[1\\]"):
        g[[[1]]]  # unhashable label


def test_duplicate_players_and_coalitions_are_rejected():
    with pytest.raises(InvalidGameError, match="duplicate player 'a' in players \\('a', 'b', 'a'\\)"):
        Game(["a", "b", "a"], {})
    with pytest.raises(InvalidGameError, match="is given twice"):
        Game(["a"], {("a",): 1, frozenset(["a"]): 2})
    with pytest.raises(InvalidGameError, match="duplicate player"):
        Game.from_vector([0, 1, 2, 3], players=["p", "p"])


@pytest.mark.parametrize("players", ["ab", 3, None, [[1], [2]]])
def test_bad_player_collections(players):
    with pytest.raises(InvalidGameError, match="players must be an iterable|is not hashable"):
        Game(players, {})


def test_missing_coalitions_and_bad_keys():
    with pytest.raises(InvalidGameError, match="values is missing 2 coalition\\(s\\): \\{'b'\\}, \\{'a', 'b'\\}"):
        Game(["a", "b"], {("a",): 1})
    with pytest.raises(InvalidGameError, match="coalition 'a' is not a collection of players"):
        Game(["a"], {"a": 1})
    with pytest.raises(InvalidGameError, match="values must be a mapping"):
        Game(["a"], [1])


BAD_VALUES = [
    ([1, 2], "of type list is not a number or SymPy expression"),
    (True, "is a boolean"),
    (np.bool_(False), "is a boolean"),
    (1j, "of type complex is not a real number"),
    (np.complex128(1), "is not a real number"),
    (sp.I, "is not real"),
    (None, "of type NoneType is not a number"),
    ({"v": 1}, "of type dict is not a number"),
    (float("nan"), "is not finite"),
    (float("inf"), "is not finite"),
    (-math.inf, "is not finite"),
    (np.float64("nan"), "is not finite"),
    (np.float32("inf"), "is not finite"),
    ("nan", "is not finite"),
    ("oo", "is not finite"),
    (sp.zoo, "is not finite"),
    ("1/0", "is not finite"),
    ("1 +", "cannot be parsed"),
    ("[1, 2]", "is not a SymPy expression"),
    (sp.Eq(y, 1), "is not a number or SymPy expression"),
]


@pytest.mark.parametrize("value, message", BAD_VALUES, ids=[repr(v) for v, _ in BAD_VALUES])
def test_bad_values_are_rejected(value, message):
    with pytest.raises(InvalidValueError, match=message) as info:
        Game.from_dict(["a"], {("a",): value})
    assert "value of coalition {'a'}" in str(info.value)
    assert isinstance(info.value, SymgameError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_numpy_tables_are_rejected(bad):
    with pytest.raises(InvalidValueError, match="value of coalition \\{1\\} is .*; expected a finite number"):
        Game.from_vector(np.array([0.0, 1.0, bad, 2.0]))


def test_bad_vectors():
    for length in (0, 3, 5, 6, 12):
        with pytest.raises(InvalidGameError, match=f"vector has length {length}; expected a power of two"):
            Game.from_vector([0] * length)
    with pytest.raises(InvalidGameError, match="vector of length 4 needs 2 players, got 3"):
        Game.from_vector([0, 1, 2, 3], players=["a", "b", "c"])
    with pytest.raises(InvalidGameError, match="one-dimensional"):
        Game.from_vector(np.zeros((4, 4)))
    with pytest.raises(InvalidValueError, match="is a boolean"):
        Game.from_vector(np.array([False, True]))
    with pytest.raises(InvalidValueError, match="is not a real number"):
        Game.from_vector(np.array([0, 1j]))


def test_games_that_are_too_large_name_the_limit():
    with pytest.raises(GameTooLargeError, match=f"the limit for a stored game is {MAX_PLAYERS} players"):
        Game.from_vector(np.zeros(2, dtype=np.int8), players=range(MAX_PLAYERS + 1))
    with pytest.raises(GameTooLargeError, match=f"the limit for a stored game is {MAX_PLAYERS} players"):
        Game.from_vector(np.zeros(1 << (MAX_PLAYERS + 1), dtype=np.int8))
    n = MAX_SYMBOLIC_PLAYERS + 1
    with pytest.raises(GameTooLargeError, match=f"the limit is {MAX_SYMBOLIC_PLAYERS}"):
        Game.generic(n)
    with pytest.raises(GameTooLargeError, match=f"the limit is {MAX_SYMBOLIC_PLAYERS}.*NumPy"):
        Game(range(n), {})
    with pytest.raises(GameTooLargeError, match=f"the limit is {MAX_SYMBOLIC_PLAYERS} players.*from_vector"):
        Game.from_function(range(n), len)
    with pytest.raises(GameTooLargeError, match=f"limit of {MAX_SYMBOLIC_PLAYERS} players; pass a NumPy"):
        Game.from_vector([0] * (1 << n))
    big = Game.from_vector(np.zeros(1 << n, dtype=np.int64))
    with pytest.raises(GameTooLargeError, match=f"limit of {MAX_SYMBOLIC_PLAYERS}.*array paths"):
        big.exprs()
    assert big[range(n)] == 0  # single lookups stay cheap


def test_constructor_arguments_are_validated():
    with pytest.raises(InvalidGameError, match="non-negative"):
        Game.generic(-1)
    with pytest.raises(InvalidGameError, match="carrier of a unanimity game must be non-empty"):
        Game.unanimity([1, 2], [])
    with pytest.raises(UnknownPlayerError):
        Game.unanimity([1, 2], [3])
    with pytest.raises(InvalidGameError, match="cannot own both gloves"):
        Game.glove(["a"], ["a"])
    with pytest.raises(NotExactError, match="rational weights"):
        Game.weighted_voting({"a": x}, 1)
    for ctor in (Game.additive, Game.airport):
        with pytest.raises(InvalidGameError, match="must be a mapping"):
            ctor([1, 2])
    with pytest.raises(InvalidGameError, match="must be a mapping"):
        Game.weighted_voting([1, 2], 1)
    with pytest.raises(InvalidGameError, match="mask 4 out of range for 2 players"):
        Game.generic(2).coalition(4)


# ---------------------------------------------------------------------- identity
def test_equality_ignores_player_order_but_not_values():
    a = Game.from_dict(["a", "b"], {("a",): 1, ("b",): 2, ("a", "b"): 4})
    b = Game.from_dict(["b", "a"], {("a",): 1, ("b",): 2, ("a", "b"): 4})
    assert a == b and hash(a) == hash(b)
    assert a != Game.from_dict(["a", "b"], {("a",): 1, ("b",): 2, ("a", "b"): 5})
    assert a != Game.from_dict(["a", "c"], {("a",): 1, ("c",): 2, ("a", "c"): 4})
    assert a != "game" and len({a, b}) == 1


@given(games(max_players=4, values="rationals"))
def test_rebuilt_games_are_equal_with_equal_hashes(g):
    same = Game.from_vector(list(g.exprs()))
    assert same == g and hash(same) == hash(g)
    reordered = Game(tuple(reversed(g.players)), {c: v for c, v in g.items()})
    assert reordered == g and hash(reordered) == hash(g)
    assert Game(g.players, g.to_dict()) == g


def test_table_repr_and_views():
    g = Game.additive({"a": 1, "b": sp.Rational(1, 2)})
    assert g.table().splitlines() == ["coalition  value", "{}         0", "{a}        1", "{b}        1/2",
                                      "{a, b}     3/2"]
    assert repr(g) == "Game(players=('a', 'b'), values={{'a'}: 1, {'b'}: 1/2, {'a', 'b'}: 3/2})"
    assert "..." in repr(Game.generic(4))
    assert list(g.coalitions()) == [frozenset(), {"a"}, {"b"}, {"a", "b"}]
    assert dict(g.items()) == g.to_dict() and g.to_dict()[frozenset({"a", "b"})] == sp.Rational(3, 2)
    assert g.float_table().tolist() == [0.0, 1.0, 0.5, 1.5]
    with pytest.raises(NotExactError, match="free symbols \\['x'\\]; substitute numbers"):
        Game.additive({"a": x}).float_table()
    assert Game.additive({"a": x}).rational_table() is None


# ---------------------------------------------------------------------- operations
def test_arithmetic_is_pointwise_and_aligns_players():
    a = Game.from_dict(["p", "q"], {("p",): 1, ("q",): 2, ("p", "q"): 3})
    b = Game.from_dict(["q", "p"], {("p",): x, ("q",): 0, ("p", "q"): 1})
    s = a + b
    assert s.players == ("p", "q") and s[{"p"}] == 1 + x and s[{"p", "q"}] == 4
    assert (a - a) == Game.from_function(["p", "q"], lambda S: 0)
    assert (-a)[{"q"}] == -2 and (2 * a)[{"p", "q"}] == 6 and (a * sp.Rational(1, 3))[{"p"}] == sp.Rational(1, 3)
    assert (a * 0.5)[{"p"}] == sp.Rational(1, 2)
    with pytest.raises(InvalidGameError, match="cannot add games on different players"):
        a + Game.generic(2)
    with pytest.raises(TypeError):
        a + 1
    with pytest.raises(InvalidValueError, match="scalar"):
        a * "1 +"


@given(games(max_players=3), games(max_players=3), st.integers(-3, 3))
def test_arithmetic_laws(g, h, c):
    if set(g.players) == set(h.players):
        assert g + h == h + g
        assert (g + h) - h == g
        assert c * (g + h) == c * g + c * h
    assert g + (-g) == 0 * g


def test_restrict_relabel_merge_subs_map_values():
    g = Game.generic(3)
    r = g.restrict([3, 1])
    assert r.players == (1, 3) and r[{1, 3}] == g[{1, 3}] and r[{3}] == g[{3}]
    assert g.subgame([2]) == Game.from_dict([2], {(2,): g[{2}]})
    with pytest.raises(UnknownPlayerError):
        g.restrict([4])
    rl = g.relabel({1: "one"})
    assert rl.players == ("one", 2, 3) and rl[{"one", 2}] == g[{1, 2}]
    assert g.relabel(lambda p: p * 10).players == (10, 20, 30)
    with pytest.raises(InvalidGameError, match="duplicate player 2"):
        g.relabel({1: 2})
    with pytest.raises(UnknownPlayerError, match="relabel mapping names 9"):
        g.relabel({9: "x"})
    m = g.merge([1, 3], "13")
    assert m.players == ("13", 2)
    assert m[{"13"}] == g[{1, 3}] and m[{"13", 2}] == g[{1, 2, 3}] and m[{2}] == g[{2}]
    assert g.merge([2, 3]).players == (1, (2, 3))
    assert g.merge([1], 1) == g  # a one-player group keeping its label is the same game
    with pytest.raises(InvalidGameError, match="label 2 is already another player's name"):
        g.merge([1, 3], 2)
    with pytest.raises(InvalidGameError, match="group to merge must be non-empty"):
        g.merge([])
    with pytest.raises(UnknownPlayerError):
        g.merge([1, 7])
    a = Game.additive({"p": x, "q": 2 * x})
    assert a.subs(x, 3)[{"p", "q"}] == 9 and not a.subs(x, 3).is_symbolic
    assert a.subs({x: sp.Rational(1, 2)})[{"q"}] == 1
    with pytest.raises(InvalidValueError, match="not finite"):
        a.subs(x, sp.oo)
    assert a.map_values(lambda v: v * 2)[{"q"}] == 4 * x
    sq = Game.from_dict(["p"], {("p",): (y + 1) ** 2})
    assert sq.map_values(sp.expand)[{"p"}] == y ** 2 + 2 * y + 1


# ---------------------------------------------------------------------- JSON
def _roundtrip(g):
    text = json.dumps(g.to_json())
    back = Game.from_json(text)
    assert back == g and hash(back) == hash(g) and back.players == g.players
    return back


@given(st.one_of(games(max_players=3), games(max_players=3, values="rationals"),
                 symbolic_games(max_players=3, assumptions={"positive": True}),
                 symbolic_games(max_players=2, symbols=["lambda", "v_{1,2}", "S"])))
def test_json_round_trip_is_exact(g):
    back = _roundtrip(g)
    for s in back.free_symbols:  # assumptions survive
        (orig,) = [t for t in g.free_symbols if t.name == s.name]
        assert s == orig and s.assumptions0 == orig.assumptions0


def test_json_round_trip_special_cases():
    _roundtrip(Game.generic(3))
    _roundtrip(Game([], {}))
    _roundtrip(Game.from_vector(np.array([0.0, 0.1, 1e-300, 3.5])))
    _roundtrip(Game.airport({"a": x, "b": 2 * x + 1}))
    back = _roundtrip(Game.additive({"a": x, "b": sp.Rational(27, 500)}))
    assert back[{"a"}].is_positive and back[{"b"}] == sp.Rational(27, 500)
    doc = Game.additive({1: sp.Rational(1, 3)}).to_json()
    assert doc == {"format": "symgame-game", "version": 1, "players": [1], "symbols": {},
                   "values": [{"coalition": [1], "value": "1/3"}]}


def test_save_and_load(tmp_path):
    g = Game.additive({"a": x, "b": 1})
    path = tmp_path / "g.json"
    g.save(path)
    assert Game.load(path) == g
    with pytest.raises(GameFormatError, match="cannot read game file"):
        Game.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(GameFormatError, match="not valid JSON"):
        Game.load(tmp_path / "bad.json")


def test_to_json_refuses_what_it_cannot_write():
    with pytest.raises(GameFormatError, match="players must be str or int"):
        Game.glove([(1, 2)], ["R"]).to_json()
    clash = Game.additive({"a": sp.Symbol("t"), "b": sp.Symbol("t", positive=True)})
    with pytest.raises(GameFormatError, match="two different symbols are both named 't'"):
        clash.to_json()


def _doc(value=None, **extra):
    doc = {"format": "symgame-game", "version": 1, "players": ["a"],
           "values": [{"coalition": ["a"], "value": "1" if value is None else value}]}
    doc.update(extra)
    return doc


BAD_JSON = [
    ("{", "not valid JSON"),
    ("[]", "must be an object, got list"),
    ({"players": ["a"]}, "lacks the key 'values'"),
    ({"values": []}, "lacks the key 'players'"),
    (_doc(format="other"), "has format 'other'; expected 'symgame-game'"),
    (_doc([0.5]), "must be a string .* or a JSON number, got list"),
    (_doc(True), "must be a string"),
    (_doc(None, values=[3]), "needs 'coalition' and 'value', got 3"),
    (_doc(None, values=3), "'values' must be a list"),
    (_doc(None, values=[{"coalition": ["a"], "value": "1"}] * 2), "appears twice"),
    (_doc("1 +"), "cannot be parsed"),
    (_doc("__import__('os').getcwd()"), "contains '__import__'"),
    (_doc("x.real"), "contains '.'"),
    (_doc("open"), "contains 'open'"),
    (_doc("'1'"), "contains \"'1'\""),
    (_doc("[1]"), "contains '\\['"),
    (_doc("x", symbols={"x": {"positive": "yes"}}), "bad assumptions for symbol 'x'"),
    (_doc("x", symbols=["x"]), "'symbols' must map symbol names to assumptions"),
]


@pytest.mark.parametrize("doc, message", BAD_JSON, ids=[str(i) for i in range(len(BAD_JSON))])
def test_bad_json_is_rejected(doc, message):
    with pytest.raises(GameFormatError, match=message):
        Game.from_json(doc if isinstance(doc, str) else json.dumps(doc))


def test_json_numbers_in_game_files_are_the_exact_decimals_written():
    # the same number syntax as attention files (issue 11): 0.1 is 1/10, not the float's binary value
    g = Game.from_json(json.dumps(_doc(None, values=[{"coalition": ["a"], "value": 0.1}])))
    assert g[{"a"}] == sp.Rational(1, 10)
    g = Game.from_json('{"players": ["a"], "values": [{"coalition": ["a"], "value": -2.5e-3}]}')
    assert g[{"a"}] == sp.Rational(-1, 400)


def test_json_game_errors_are_game_errors():
    with pytest.raises(InvalidGameError, match="missing"):
        Game.from_json(json.dumps(_doc(players=["a", "b"])))
    with pytest.raises(UnknownPlayerError):
        Game.from_json(json.dumps(_doc(None, values=[{"coalition": ["z"], "value": "1"}])))
    with pytest.raises(InvalidValueError, match="is not real"):
        Game.from_json(json.dumps(_doc("I")))
    with pytest.raises(InvalidGameError, match="v\\(∅\\) must be 0"):
        Game.from_json(json.dumps(_doc(None, values=[{"coalition": [], "value": "1"},
                                                    {"coalition": ["a"], "value": "1"}])))


def test_json_values_may_use_sympy_functions_and_integers():
    g = Game.from_json(json.dumps(_doc(None, values=[{"coalition": ["a"], "value": 7}])))
    assert g[{"a"}] == 7
    g = Game.from_json(json.dumps(_doc("Max(t, 1) + sqrt(2) + Piecewise((1, t > 0), (0, True))",
                                       symbols={"t": {"real": True}})))
    t = sp.Symbol("t", real=True)
    assert g[{"a"}] == sp.Max(t, 1) + sp.sqrt(2) + sp.Piecewise((1, t > 0), (0, True))


def test_to_python_rebuilds_the_game():
    for g in (Game.glove(["L"], ["R1", "R2"]), Game.from_vector([0, "1/3", "-2/7", 5])):
        assert eval(g.to_python(), {"Game": Game}) == g


@pytest.mark.parametrize("text", ["10**10**10", "2**(10**10)", "(1/2)**5000"])
def test_game_file_with_huge_power_is_refused_not_hung(text):
    doc = {"players": ["a"], "values": [{"coalition": ["a"], "value": text}]}
    with pytest.raises(GameFormatError, match="numeric exponents in a game file"):
        Game.from_json(doc)


def test_game_file_with_small_powers_is_read_exactly():
    doc = {"players": ["a"], "values": [{"coalition": ["a"], "value": "2**-3 + x**2"}]}
    assert Game.from_json(doc)[{"a"}] == sp.Rational(1, 8) + sp.Symbol("x") ** 2


def test_uint64_table_beyond_int64_stays_exact():
    """A uint64 entry above 2^63 - 1 used to wrap around to a negative int64 (Shapley -1 for 2^64 - 1)."""
    big = 2 ** 64 - 1
    g = Game.from_vector(np.array([0, big, 1, big], dtype=np.uint64))
    assert g[{0}] == big and g[{0, 1}] == big
    assert g.rational_table()[0].tolist() == [0, big, 1, big]
    from symgame.values import shapley
    assert shapley(g) == {0: big - sp.Rational(1, 2), 1: sp.Rational(1, 2)}


def test_load_of_a_binary_file_is_a_format_error(tmp_path):
    path = tmp_path / "game.npy"
    path.write_bytes(b"\x93NUMPY\x01\x00")
    with pytest.raises(GameFormatError, match="is not UTF-8 text; a game file is JSON"):
        Game.load(path)
