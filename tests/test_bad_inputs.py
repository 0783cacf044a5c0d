"""A corpus of hostile and careless inputs (issue 11): game files, attention files, the command line
and the Python API.

Every case runs in a forked child with a wall-clock limit and an address-space limit, so a case
that hangs or eats memory fails (it cannot stall the suite), and each asserts a ``SymgameError``
subclass (or exit status 2) with a message naming the problem.  File cases also assert that the
input file is unchanged.  Nothing here is skipped.
"""

import io
import json
import os
import pickle
import resource
import signal
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import symgame
from symgame import Game, SymgameError, banzhaf_float, shapley, shapley_float
from symgame.attention import explain, load_attention
from symgame.cli import main
from symgame.exact import MAX_JSON_DEPTH, loads_json, parse_number, to_expr

SECONDS = 20          # per case, wall clock (generous: the machine is shared)
MEMORY = 3 << 30      # per case, address space of the child (bytes)


# ---------------------------------------------------------------------- the harness
def bounded(func, seconds=SECONDS, memory=MEMORY):
    """Run ``func()`` in a forked child under a time and memory limit.

    Returns ``("ok", repr)``, ``("raise", class name, [mro names], message)``, or fails the test
    when the child hangs past ``seconds`` or dies (a crash, or memory exhausted).
    """
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(r)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            signal.alarm(seconds + 2)
            try:
                out = ("ok", repr(func())[:2000])
            except BaseException as exc:  # reported to the parent, which decides
                out = ("raise", type(exc).__name__, [c.__name__ for c in type(exc).__mro__], str(exc)[:4000])
            data = pickle.dumps(out)
        except BaseException as exc:
            data = pickle.dumps(("crash", repr(exc)[:2000]))
        os.write(w, data)
        os._exit(0)
    os.close(w)
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(r)
            pytest.fail(f"did not finish within {seconds} s")
        time.sleep(0.01)
    chunks = []
    while chunk := os.read(r, 1 << 16):
        chunks.append(chunk)
    os.close(r)
    if not chunks:
        pytest.fail(f"the case died (wait status {status}): a crash or memory exhausted")
    result = pickle.loads(b"".join(chunks))
    if result[0] == "crash":
        pytest.fail(f"the harness failed in the child: {result[1]}")
    return result


def assert_refused(func, error, message):
    """``func()`` raises ``error`` (a SymgameError subclass) whose message matches the regex ``message``."""
    import re

    result = bounded(func)
    assert result[0] == "raise", f"accepted: {result[1]}"
    _, name, mro, text = result
    assert "SymgameError" in mro, f"raised {name}, not a SymgameError: {text}"
    assert error.__name__ in mro, f"raised {name}, expected {error.__name__}: {text}"
    assert re.search(message, text), f"message {text!r} does not match {message!r}"


def run_cli(argv):
    """``main(argv)`` with its output captured: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse usage errors
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def assert_cli_refuses(argv, message, status=2, files=()):
    """The command exits with ``status`` and an error message matching ``message``, within the
    limits, and leaves ``files`` byte-for-byte unchanged."""
    import re

    before = {f: Path(f).read_bytes() for f in files}
    result = bounded(lambda: run_cli(argv))
    assert result[0] == "ok", f"raised {result[1]}: {result[-1]}"
    got_status, _out, err = eval(result[1])  # the repr of a tuple of an int and two strings
    assert got_status == status, f"exit {got_status}, expected {status}; stderr: {err}"
    assert "Traceback" not in err, err
    assert re.search(message, err), f"stderr {err!r} does not match {message!r}"
    for f, data in before.items():
        assert Path(f).read_bytes() == data, f"{f} was changed"


# ---------------------------------------------------------------------- value strings (API)
VALUE_STRINGS = [
    ("1e10000000000", "the literal '1e10000000000' needs about 10000000001 digits"),
    ("1e-10000000000", "needs about 10000000000 digits"),
    ("-1E+99999999999999999", "digits; numbers are limited to 4000 digits"),
    ("1" * 5000, "needs about 5000 digits"),
    ("0." + "0" * 4500 + "1", "needs about 4501 digits"),
    ("0x" + "f" * 5000, "needs about"),
    ("((9**4096)**4096)**4096", "builds a number of up to about"),
    ("9**4096 * 9**4096", "builds a number"),
    ("sqrt(9**4096)**4096", "builds a number"),
    ("floor(9**4096/7)**4096", "builds a number"),
    ("exp(10**4001)", "builds a number"),
    ("10**10**10", "raises to the power 10\\*\\*10"),
    ("2**(1/10000)", "raises to the power 1/10000"),
    ("1" + "+1" * 60000, "limited to 100000"),
    ("-" * 100001 + "1", "limited to 100000"),
    ("(" * 1000 + "1" + ")" * 1000, "cannot be parsed"),
    ("factorial(10**9)", "contains 'factorial'"),
    ("__import__('os').system('true')", "contains '__import__'"),
    ("x.__class__", "contains '\\.'"),
    ("lambda: 1", "contains 'lambda'"),
    ("1 +", "cannot be parsed"),
    ("I", "is not real"),
    ("oo", "is not finite"),
    ("nan", "is not finite"),
    ("1/0", "is not finite"),
    ("", "cannot be parsed"),
]


@pytest.mark.parametrize("text, message", VALUE_STRINGS, ids=[f"str{i}" for i in range(len(VALUE_STRINGS))])
def test_value_strings_are_refused_clearly(text, message):
    assert_refused(lambda: to_expr(text), symgame.InvalidValueError, message)


def test_a_big_but_bounded_value_is_accepted_and_round_trips(tmp_path):
    value = to_expr("9**4096 + 1/3")  # 3909 digits: under the limit
    g = Game.from_dict(["a"], {("a",): value})
    g.save(tmp_path / "g.json")
    assert Game.load(tmp_path / "g.json") == g


API_NUMBERS = [
    (lambda: to_expr(10 ** 5000), "value needs about 5001 digits"),
    (lambda: to_expr(sp.Rational(1, 10 ** 4500)), "needs about 4501 digits"),
    (lambda: Game.from_dict(["a"], {("a",): 10 ** 5000}), "value of coalition \\{'a'\\} needs about 5001 digits"),
    (lambda: to_expr(float("inf")), "is not finite"),
    (lambda: to_expr(np.float64("nan")), "is not finite"),
    (lambda: to_expr(True), "is a boolean"),
    (lambda: to_expr([1, 2]), "is not a number"),
    (lambda: to_expr(1 + 2j), "is not a real number"),
    (lambda: parse_number("1e99999999999999"), "needs about"),
    (lambda: parse_number("1/0"), "divides by zero"),
    (lambda: parse_number("0x10"), "not a decimal number literal"),
]


@pytest.mark.parametrize("func, message", API_NUMBERS, ids=[f"num{i}" for i in range(len(API_NUMBERS))])
def test_api_numbers_are_refused_clearly(func, message):
    assert_refused(func, SymgameError, message)


# ---------------------------------------------------------------------- JSON documents
def test_deep_json_is_refused_before_parsing():
    assert_refused(lambda: loads_json("[" * 100_000 + "]" * 100_000), SymgameError,
                   f"nests arrays/objects 100000 deep; the limit is {MAX_JSON_DEPTH}")


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert loads_json(json.dumps({"a": "[" * 1000})) == {"a": "[" * 1000}


# ---------------------------------------------------------------------- game files (CLI)
def game_doc(values=None, players=("a", "b"), **extra):
    doc = {"format": "symgame-game", "version": 1, "players": list(players),
           "values": values if values is not None else
           [{"coalition": ["a"], "value": "1"}, {"coalition": ["b"], "value": "2"},
            {"coalition": ["a", "b"], "value": "4"}]}
    doc.update(extra)
    return doc


def one_value(value):
    return game_doc([{"coalition": ["a"], "value": value}], players=["a"])


GAME_FILES = [
    ("{", "is not valid JSON"),
    ("", "is not valid JSON"),
    ("[]", "must hold a JSON object, got list"),
    ("null", "must hold a JSON object, got NoneType"),
    ('"players"', "must hold a JSON object, got str"),
    ("[" * 100_000 + "]" * 100_000, "nests arrays/objects 100000 deep"),
    ('{"players": ["a"], "values": [{"coalition": ["a"], "value": 1e1000000000}]}', "needs about 1000000001 digits"),
    ('{"players": ["a"], "values": [{"coalition": ["a"], "value": ' + "7" * 5000 + "}]}", "needs about 5000 digits"),
    ('{"players": ["a"], "values": [{"coalition": ["a"], "value": NaN}]}', "contains NaN"),
    ('{"players": ["a"], "values": [{"coalition": ["a"], "value": -Infinity}]}', "contains -Infinity"),
    (one_value("1e10000000000"), "needs about 10000000001 digits"),
    (one_value("((9**4096)**4096)**4096"), "builds a number of up to about"),
    (one_value("1" * 5000), "needs about 5000 digits"),
    (one_value("__import__('os').remove('x')"), "contains '__import__'"),
    (one_value([0.5]), "must be a string .* or a JSON number, got list"),
    (one_value(True), "got bool"),
    (one_value(None), "got NoneType"),
    (one_value({"p": 1}), "got dict"),
    (game_doc(players=[["a"]], values=[{"coalition": [["a"]], "value": "1"}]), "a player label in a game file is a string or an integer"),
    (game_doc(players=[{"a": 1}], values=[]), "a player label in a game file is a string or an integer"),
    (game_doc(players=[1.5], values=[{"coalition": [1.5], "value": "1"}]), "a player label"),
    (game_doc(players=[True], values=[{"coalition": [True], "value": "1"}]), "a player label"),
    ({**game_doc(), "players": "ab"}, "must be a list of player labels"),
    (game_doc(players=[1, "1"], values=[{"coalition": [1], "value": "1"}, {"coalition": ["1"], "value": "1"},
                                        {"coalition": [1, "1"], "value": "3"}]), "print the same \\('1'\\)"),
    (game_doc(players=["a", "a"]), "duplicate player 'a'"),
    (game_doc(values=[{"coalition": ["a"], "value": "1"}]), "missing 2 coalition"),
    (game_doc(values=[{"coalition": ["c"], "value": "1"}]), "not a player of this game"),
    (game_doc(values=[{"coalition": "a", "value": "1"}]), "not a collection of players|must be"),
    (game_doc(values=[{"coalition": ["a"]}]), "needs 'coalition' and 'value'"),
    (game_doc(values="all"), "'values' must be a list"),
    (game_doc(format="other"), "has format 'other'"),
    (game_doc(symbols={"x": {"positive": "yes"}}), "bad assumptions for symbol 'x'"),
    ({"players": ["a"]}, "lacks the key 'values'"),
    (game_doc(values=[{"coalition": [], "value": "1"}] + game_doc()["values"]), "v\\(∅\\) must be 0"),
]


@pytest.mark.parametrize("content, message", GAME_FILES, ids=[f"game{i}" for i in range(len(GAME_FILES))])
def test_bad_game_files_exit_2_with_a_message_and_stay_intact(tmp_path, content, message):
    path = tmp_path / "game.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    assert_cli_refuses(["values", str(path)], message, files=[path])


def test_game_file_not_utf8_and_missing_and_directory(tmp_path):
    binary = tmp_path / "game.json"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 10)
    assert_cli_refuses(["values", str(binary)], "not UTF-8 text", files=[binary])
    assert_cli_refuses(["values", str(tmp_path / "missing.json")], "cannot read game file")
    assert_cli_refuses(["values", str(tmp_path)], "cannot read game file")


def test_two_labels_one_text_can_never_reach_json_output():
    # the API refuses the game, so `--json` (keyed by the label's text) cannot drop a player
    assert_refused(lambda: Game.from_dict([1, "1"], {(1,): 1, ("1",): 1, (1, "1"): 3}),
                   symgame.InvalidGameError, "print the same")


def test_dividends_json_keeps_every_coalition_when_labels_hold_commas(tmp_path):
    g = Game.from_dict(["a", "b", "a,b"], {("a", "b"): 1, ("a,b",): 2}, default=0)
    g.save(tmp_path / "g.json")
    status, out, err = run_cli(["values", str(tmp_path / "g.json"), "--rule", "dividends", "--json"])
    assert status == 0, err
    keys = json.loads(out)
    assert len(keys) == 7 and keys['["a", "b"]'] == "1" and keys['["a,b"]'] == "2"


def test_game_files_read_json_numbers_exactly_like_attention_files(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('{"players": ["a"], "values": [{"coalition": ["a"], "value": 0.1}]}')
    status, out, _ = run_cli(["values", str(path), "--json"])
    assert status == 0 and json.loads(out) == {"a": "1/10"}


# ---------------------------------------------------------------------- attention files (CLI)
def attention(rows=None, **extra):
    doc = {"attention": rows if rows is not None else [[["1/2", "1/2"], ["1/4", "3/4"]]]}
    doc.update(extra)
    return doc


ATTENTION_FILES = [
    ("{", "is not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nests arrays/objects 100000 deep"),
    ('{"attention": [[[1e1000000000, 0], [0, 1]]]}', "needs about 1000000001 digits"),
    ('{"attention": [[[' + "1" * 5000 + ", 0], [0, 1]]]}", "needs about 5000 digits"),
    ('{"attention": [[[NaN, 1], [0, 1]]]}', "contains NaN"),
    ('{"attention": [[[Infinity, 1], [0, 1]]]}', "contains Infinity"),
    (attention([[["1e1000000000", 0], [0, 1]]]), "needs about 1000000001 digits"),
    (attention([[["0." + "0" * 5000 + "1", 1], [0, 1]]]), "needs about 5001 digits"),
    (attention([[["((9**4096)**4096)**4096", 0], [0, 1]]]), "builds a number"),
    (attention([[["__import__('os')", 0], [0, 1]]]), "contains '__import__'"),
    (attention([[["1/0", 1], [0, 1]]]), "divides by zero|not finite"),
    (attention([[[-1, 2], [0, 1]]]), "must be non-negative"),
    (attention([[["-1/2", "3/2"], [0, 1]]]), "must be non-negative"),
    (attention([[[1, 0], [0]]]), "ragged|shape|same length"),
    (attention([]), "empty|shape|dimensions"),
    (attention([[[1, 2], [0, 1]]]), "sum|stochastic"),
    (attention([[["a", 0], [0, 1]]]), "symbolic|numeric|exact|number"),
    (attention([[[[[1]]]]]), "dimensions|shape|head"),
    (attention([[[True, 0], [0, 1]]]), "boolean|number"),
    (attention([[[None, 0], [0, 1]]]), "not a number|None"),
    (attention(tokens=["only-one"]), "tokens"),
    ({"weights": [[[1, 0], [0, 1]]]}, "attention"),
]


@pytest.mark.parametrize("content, message", ATTENTION_FILES, ids=[f"att{i}" for i in range(len(ATTENTION_FILES))])
def test_bad_attention_files_exit_2_with_a_message_and_stay_intact(tmp_path, content, message):
    path = tmp_path / "att.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    assert_cli_refuses(["explain", str(path), "--output", "0"], message, files=[path])


def test_bad_npy_files(tmp_path):
    nan = tmp_path / "nan.npy"
    np.save(nan, np.array([[[np.nan, 1.0], [0.0, 1.0]]]))
    assert_cli_refuses(["explain", str(nan), "--output", "0"], "NaN|finite", files=[nan])
    objects = tmp_path / "objects.npy"
    np.save(objects, np.array([[[{"a": 1}, 1], [0, 1]]], dtype=object), allow_pickle=True)
    assert_cli_refuses(["explain", str(objects), "--output", "0"], "pickle|object|cannot read", files=[objects])
    garbage = tmp_path / "garbage.npy"
    garbage.write_bytes(b"\x93NUMPY garbage")
    assert_cli_refuses(["explain", str(garbage), "--output", "0"], "cannot read attention file", files=[garbage])


# ---------------------------------------------------------------------- command-line misuse
EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "attention_2x3.json")

CLI_MISUSE = [
    (["explain", EXAMPLE], "needs --output K"),
    (["explain", EXAMPLE, "--output", "7"], "output 7 is not a token index"),
    (["explain", EXAMPLE, "--output", "-1"], "output -1 is not a token index"),
    (["explain", EXAMPLE, "--output", "0", "--layer", "9"], "layer"),
    (["explain", EXAMPLE, "--output", "0", "--source", "x"], "--source must be 'all' or a token index"),
    (["explain", EXAMPLE, "--output", "0", "--source", "5"], "source"),
    (["explain", EXAMPLE, "--output", "0", "--permutations", "0"], "--permutations must be a positive integer"),
    (["explain", EXAMPLE, "--output", "zero"], "invalid int value"),
    (["prove", "nope"], "no check named 'nope'"),
    (["prove", "--describe"], "--describe needs a check name"),
    (["search", "nope"], "no search named 'nope'"),
    (["values"], "the following arguments are required"),
    (["values", EXAMPLE, "--rule", "owen"], "invalid choice"),
    (["frobnicate"], "invalid choice"),
    ([], "the following arguments are required"),
]


@pytest.mark.parametrize("argv, message", CLI_MISUSE, ids=[f"cli{i}" for i in range(len(CLI_MISUSE))])
def test_cli_misuse_exits_2_with_a_message(argv, message):
    assert_cli_refuses(argv, message, files=[EXAMPLE])


def test_unwritable_report_is_refused_before_any_work(tmp_path):
    assert_cli_refuses(["prove", "S0.d", "--json", str(tmp_path / "no" / "such" / "r.json")], "no directory")
    assert_cli_refuses(["prove", "S0.d", "--markdown", str(tmp_path)], "it is a directory")
    assert_cli_refuses(["search", "G.general", "--save", str(tmp_path / "no" / "x.json")], "no directory")


# ---------------------------------------------------------------------- Python API
API = [
    (lambda: Game("ab", {}), symgame.InvalidGameError, "players must be an iterable"),
    (lambda: Game([["a"]], {}), symgame.InvalidGameError, "is not hashable"),
    (lambda: Game(["a"], [1]), symgame.InvalidGameError, "values must be a mapping"),
    (lambda: Game(["a"], {("b",): 1}), symgame.UnknownPlayerError, "not a player of this game"),
    (lambda: Game(["a"], {(): 1, ("a",): 1}), symgame.InvalidGameError, "v\\(∅\\) must be 0"),
    (lambda: Game.from_dict(["a"], {"a": 1}), symgame.InvalidGameError, "not a collection of players|one-player"),
    (lambda: Game.from_json("[" * 10_000 + "]" * 10_000), symgame.GameFormatError, "deep"),
    (lambda: Game.load("/no/such/game.json"), symgame.GameFormatError, "cannot read game file"),
    (lambda: shapley("not a game"), SymgameError, "Game"),
    (lambda: shapley_float(Game.from_vector([0, 10 ** 400, 1, 2])), symgame.FloatRangeError,
     "coalition \\{0\\} is outside the float64 range"),
    (lambda: banzhaf_float(Game.from_vector([0, -(10 ** 309), 1, 2])), symgame.FloatRangeError, "float64 range"),
    (lambda: explain([[[1, 0], [0, 1]]], output=0, max_exact_players=-1), symgame.InvalidAttentionError,
     "max_exact_players must be a non-negative int"),
    (lambda: explain([[["x", 0], [0, 1]]], output=0), SymgameError, "numeric|symbolic"),
    (lambda: load_attention("/no/such/file.json"), symgame.InvalidAttentionError, "cannot read attention file"),
]


@pytest.mark.parametrize("func, error, message", API, ids=[f"api{i}" for i in range(len(API))])
def test_api_misuse_raises_a_clear_symgame_error(func, error, message):
    assert_refused(func, error, message)


def test_float_paths_stay_finite_near_the_top_of_the_float_range():
    g = Game.from_vector(np.array([0.0, 1e308, 1.5e308, 1.7e308]))
    phi, beta = shapley_float(g), banzhaf_float(g)
    assert all(np.isfinite(list(phi.values()))) and all(np.isfinite(list(beta.values())))
    assert phi == {0: 6e307, 1: 1.1e308}  # (1.7 + 1 - 1.5)/2 and (1.7 + 1.5 - 1)/2, times 1e308


def test_float_results_past_the_range_are_an_error_not_inf():
    g = Game.from_vector(np.array([0.0, -1.7e308, -1.7e308, 1.7e308]))  # phi_0 = (-1.7 + 1.7 + 1.7) / 2 ... finite
    assert all(np.isfinite(list(shapley_float(g).values())))
    g = Game.from_vector(np.array([0.0, 1.7e308, -1.7e308, 1.7e308]))  # phi_0 = (1.7 + 1.7 + 1.7)/2 > max
    assert_refused(lambda: shapley_float(g), symgame.FloatRangeError, "player 0 is outside the float64 range")


# ---------------------------------------------------------------------- writes never damage files
def test_a_failing_save_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "game.json"
    Game.from_dict(["a"], {("a",): 1}).save(path)
    before = path.read_bytes()
    unsaveable = Game.from_dict([("t", 1)], {(("t", 1),): 1})  # a tuple label has no JSON form
    with pytest.raises(symgame.GameFormatError, match="cannot be written to JSON"):
        unsaveable.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["game.json"]  # no temporary file left behind


def test_an_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    from symgame import jsonio

    path = tmp_path / "report.md"
    path.write_text("old report\n")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(jsonio.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        jsonio.write_text_atomic(path, "new report\n" * 1000)
    assert path.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_saving_over_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "game.json"
    path.write_text("{}")
    os.chmod(path, 0o600)
    Game.from_dict(["a"], {("a",): 1}).save(path)
    assert (os.stat(path).st_mode & 0o777) == 0o600


def test_corpus_size():
    cases = (len(VALUE_STRINGS) + len(API_NUMBERS) + len(GAME_FILES) + len(ATTENTION_FILES) + len(CLI_MISUSE)
             + len(API) + 2 + 3 + 3 + 3)
    assert cases >= 80
