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


BATCH_OPTIONS = [
    (["--permutations", "0"], "permutations must be an integer >= 1, got 0"),
    (["--samples", "0"], "samples must be an integer >= 1, got 0"),
    (["--max-players", "0"], "max_players must be an integer >= 1, got 0"),
    (["--layer", "-1"], "layer must be an integer >= 0, got -1"),
    (["--source", "-2"], "--source must be 'all' or a token index|source must be 'all' or a non-negative"),
    (["--retries", "-1"], "retries must be an integer >= 0"),
    (["--output", "x"], "--output must be 'all' or a token index"),
]


@pytest.mark.parametrize("extra, message", BATCH_OPTIONS, ids=[f"batch{i}" for i in range(len(BATCH_OPTIONS))])
def test_batch_options_are_checked_before_any_item_runs(tmp_path, extra, message):
    """An option the file's items would never use (``--samples`` for tensors) is still refused, not ignored."""
    items = tmp_path / "in.jsonl"
    items.write_text('[[[1, 0], ["1/4", "3/4"]]]\n')
    assert_cli_refuses(["batch", str(items), "--out", str(tmp_path / "out"), "--serial", "--quiet", *extra], message,
                       files=[items])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("item-*.json"))


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


# ---------------------------------------------------------------------- every writer: a failing write keeps the old file
class _DiskFullMidway:
    """A file handle that writes half of what it is given, then fails as a full disk does."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, text):
        self.fh.write(text[: len(text) // 2])
        self.fh.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()
        return False


def fail_writes_midway(monkeypatch):
    """Every write through symgame.jsonio writes half its text, then raises OSError(ENOSPC)."""
    import builtins

    from symgame import jsonio

    real_open = builtins.open

    def opener(file, mode="r", *args, **kwargs):
        fh = real_open(file, mode, *args, **kwargs)
        return _DiskFullMidway(fh) if any(c in mode for c in "wax") else fh

    monkeypatch.setattr(jsonio, "open", opener, raising=False)


def fail_figures_midway(monkeypatch):
    """Every matplotlib ``savefig`` writes half a PNG, then raises."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    real = Figure.savefig

    def savefig(self, fname, *args, **kwargs):
        real(self, fname, *args, **kwargs)
        data = Path(fname).read_bytes()
        Path(fname).write_bytes(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", savefig)


def old_file(tmp_path, name, text="the old contents\n"):
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_old_file_kept(path, text="the old contents\n"):
    assert path.read_text() == text, f"{path.name} was damaged: {path.read_text()[:200]!r}"
    left = [p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]
    assert left == [], f"temporary files left behind: {left}"


def test_game_save_failing_midway_keeps_the_old_file(tmp_path, monkeypatch):
    path = old_file(tmp_path, "game.json")
    fail_writes_midway(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        Game.from_dict(["a"], {("a",): 1}).save(path)
    assert_old_file_kept(path)


def test_json_writer_failing_midway_keeps_the_old_file(tmp_path, monkeypatch):
    from symgame.jsonio import write_json_atomic

    path = old_file(tmp_path, "certificate.json")
    fail_writes_midway(monkeypatch)
    with pytest.raises(OSError):
        write_json_atomic(path, {"phi": [sp.Rational(1, 3)] * 1000})
    assert_old_file_kept(path)


@pytest.mark.parametrize("flag", ["--json", "--markdown"])
def test_prove_report_failing_midway_keeps_the_old_report(tmp_path, monkeypatch, flag):
    path = old_file(tmp_path, "report.md" if flag == "--markdown" else "report.json")
    fail_writes_midway(monkeypatch)
    status, _out, err = run_cli(["prove", "S0.d", flag, str(path), "--quiet"])
    assert status == 2 and f"cannot write {flag} file" in err and "No space left on device" in err, err
    assert "Traceback" not in err
    assert_old_file_kept(path)


def test_saved_search_failing_midway_keeps_the_old_file(tmp_path, monkeypatch):
    path = old_file(tmp_path, "found.json")
    fail_writes_midway(monkeypatch)
    status, _out, err = run_cli(["search", "G.general", "--max-examples", "50", "--save", str(path), "--quiet"])
    assert status == 2 and "cannot write --save file" in err and "unchanged" in err, err
    assert_old_file_kept(path)


def test_batch_results_failing_midway_keep_the_old_files(tmp_path, monkeypatch):
    items = tmp_path / "in.jsonl"
    items.write_text('{"id": "a", "attention": [[[1, 0], ["1/4", "3/4"]]]}\n')
    out = tmp_path / "out"
    out.mkdir()
    result, manifest = old_file(out, "a.json"), old_file(out, "manifest.json")
    fail_writes_midway(monkeypatch)
    status, _out, err = run_cli(["batch", str(items), "--out", str(out), "--serial", "--no-resume", "--quiet"])
    assert status == 2 and "No space left on device" in err and "Traceback" not in err, err
    assert_old_file_kept(result)
    assert_old_file_kept(manifest)


def test_figure_failing_midway_keeps_the_old_file(tmp_path, monkeypatch):
    from symgame.plotting import plot_explanations, save_figure

    path = old_file(tmp_path, "phi.png")
    fail_figures_midway(monkeypatch)
    with pytest.raises(OSError):
        save_figure(plot_explanations({"shapley": {0: 0.5, 1: 0.5}}), path)
    assert_old_file_kept(path)


def test_faithfulness_figure_failing_midway_keeps_the_old_file(tmp_path, monkeypatch):
    from symgame.models.faithfulness import FaithfulnessTable

    path = old_file(tmp_path, "faithfulness.png")
    fail_figures_midway(monkeypatch)
    with pytest.raises(OSError):
        FaithfulnessTable(rows=(), model="m", output_token=0, target="sentence", residual=True).plot(path)
    assert_old_file_kept(path)


SAVE_PATHS = [
    (lambda d: d, "cannot write '.*': it is a directory"),
    (lambda d: d / "no" / "such" / "g.json", "there is no directory '.*no/such'"),
    (lambda d: "", "cannot write a file at an empty path"),
    (lambda d: "   ", "cannot write a file at an empty path"),
]


@pytest.mark.parametrize("where, message", SAVE_PATHS, ids=[f"save{i}" for i in range(len(SAVE_PATHS))])
def test_saving_to_a_path_that_cannot_be_written_names_it(tmp_path, where, message):
    """A directory, a missing directory or an empty path: a FileWriteError before anything is written
    (saving to '/tmp' once drew a temporary file in '/')."""
    game = Game.from_dict(["a"], {("a",): 1})
    assert_refused(lambda: game.save(where(tmp_path)), symgame.FileWriteError, message)
    assert list(tmp_path.iterdir()) == []
    assert_refused(lambda: symgame.jsonio.write_json_atomic(where(tmp_path), [1]), symgame.FileWriteError, message)


WRITE_CALLS = {"write_text", "write_bytes", "savefig", "save", "savez", "savez_compressed", "dump", "to_csv",
               "to_json", "to_parquet"}


def unguarded_writes(path):
    """Calls in ``path`` that write a file directly instead of through symgame.jsonio: ``open`` with a
    write mode, ``Path.write_text``, ``np.save``, ``json.dump``, ``savefig`` ... whose target is not
    the temporary path of an enclosing ``with atomic_path(...) as tmp``."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, safe):
        if isinstance(node, ast.With):
            names = {item.optional_vars.id for item in node.items
                     if isinstance(item.optional_vars, ast.Name) and isinstance(item.context_expr, ast.Call)
                     and getattr(item.context_expr.func, "id", getattr(item.context_expr.func, "attr", None))
                     == "atomic_path"}
            safe = safe | names
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            target = node.args[0] if node.args else None
            receiver = func.value if isinstance(func, ast.Attribute) else None

            def is_safe(expr):
                return isinstance(expr, ast.Name) and expr.id in safe

            if name == "open":
                mode = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "mode"), None)
                writes = isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+")
                if writes and not is_safe(target):
                    found.append(f"{path.name}:{node.lineno} open(..., {mode.value!r})")
            elif name in WRITE_CALLS and isinstance(func, ast.Attribute):
                if name in ("write_text", "write_bytes") and not is_safe(receiver):
                    found.append(f"{path.name}:{node.lineno} .{name}()")
                elif name in ("savefig", "to_csv", "to_parquet") and not is_safe(target):
                    found.append(f"{path.name}:{node.lineno} .{name}()")
                elif name in ("save", "savez", "savez_compressed", "dump") and getattr(receiver, "id", None) in (
                        "np", "numpy", "json", "torch", "pickle") and not is_safe(target):
                    found.append(f"{path.name}:{node.lineno} {receiver.id}.{name}()")
        for child in ast.iter_child_nodes(node):
            visit(child, safe)

    visit(tree, frozenset())
    return found


def test_no_module_writes_a_file_except_atomically():
    root = Path(__file__).resolve().parent.parent
    files = [p for d in ("symgame", "proofs", "scripts") for p in sorted((root / d).rglob("*.py"))
             if p.name != "jsonio.py"]
    assert len(files) > 30
    offenders = [hit for p in files for hit in unguarded_writes(p)]
    assert offenders == [], "write through symgame.jsonio (write_text_atomic / atomic_path): " + ", ".join(offenders)


def test_the_write_scanner_catches_direct_writes(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import json, numpy as np\n"
                   "def f(p, fig, a):\n"
                   "    open(p, 'w').write('x')\n"
                   "    p.write_text('x')\n"
                   "    fig.savefig(p)\n"
                   "    np.save(p, a)\n"
                   "    json.dump(a, open(p, 'a'))\n"
                   "    with atomic_path(p) as tmp:\n"
                   "        fig.savefig(tmp)\n"
                   "        tmp.write_text('fine')\n")
    assert len(unguarded_writes(bad)) == 6


# ---------------------------------------------------------------------- closed pipes and Ctrl-C
ROOT = Path(__file__).resolve().parent.parent


def cli_process(argv, **kwargs):
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "symgame.cli", *argv], env=env, cwd=str(ROOT), **kwargs)


PIPED = [
    ["prove", "--list"],
    ["prove", "--describe", "P3"],
    ["search"],
    ["values", "examples/cookies.json"],
    ["explain", "examples/attention_2x3.json", "--output", "0"],
    ["prove", "S0.d", "P3.literal"],
]


@pytest.mark.parametrize("argv", PIPED, ids=[" ".join(a) for a in PIPED])
def test_a_closed_pipe_ends_quietly(argv):
    import subprocess

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write meets EPIPE
    try:
        proc = cli_process(argv, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    _, err = proc.communicate(timeout=120)
    err = err.decode()
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err
    assert proc.returncode == 141, (proc.returncode, err)


def test_a_closed_pipe_on_stderr_too():
    import subprocess

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = cli_process(["prove", "S0.d"], stdout=write_end, stderr=write_end)
    finally:
        os.close(write_end)
    proc.wait(timeout=120)
    assert proc.returncode == 141


def test_the_first_lines_through_head_then_quiet():
    import subprocess

    producer = cli_process(["prove", "--list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = producer.stdout.readline()
    producer.stdout.close()  # like `| head -1`
    _, err = producer.communicate(timeout=120)
    assert first.startswith(b"S0.a")
    assert b"Traceback" not in err, err
    assert producer.returncode in (0, 141)


def test_ctrl_c_prints_one_line_and_exits_130():
    import subprocess

    proc = cli_process(["prove", "P2.exists", "--profile", "thorough"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()  # "symgame prove: 6 checks, ...": main() is running
        assert first.startswith("symgame prove:"), first
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # the first one was swallowed (seen inside Hypothesis): press again
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, (proc.returncode, err)
    assert err.strip().splitlines()[-1] == "symgame: interrupted", err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def test_ctrl_c_in_process_returns_130(monkeypatch):
    from symgame import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli._COMMANDS, "values", interrupted)
    status, _out, err = run_cli(["values", "x.json"])
    assert status == 130 and err == "symgame: interrupted\n"


# ---------------------------------------------------------------------- progress inside long checks
class _Terminal(io.StringIO):
    def isatty(self):
        return True


def run_prove_with_stderr(argv, stderr):
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(stderr):
        status = main(argv)
    return status, out.getvalue(), stderr.getvalue()


def test_prove_shows_progress_with_an_estimate_on_a_terminal():
    status, _out, err = run_prove_with_stderr(["prove", "P3.monotone"], _Terminal())
    assert status == 0
    assert "\r  P3.monotone: " in err and "/150 instances searched" in err, err[-500:]
    assert "left" in err  # an estimate of the time left
    assert err.rstrip().splitlines()[-1].strip().startswith("P3.monotone")  # the line is cleared before the result


def test_prove_progress_is_quiet_off_a_terminal_and_with_quiet():
    status, _out, err = run_prove_with_stderr(["prove", "P3.monotone"], io.StringIO())
    assert status == 0 and "\r" not in err and "instances searched" not in err
    status, _out, err = run_prove_with_stderr(["prove", "P3.monotone", "--quiet"], _Terminal())
    assert status == 0 and err == ""


def random_attention(path, layers, n, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.random((layers, n, n))
    np.save(path, a / a.sum(-1, keepdims=True))
    return str(path)


def test_explain_shows_progress_with_an_estimate_on_a_terminal(tmp_path, monkeypatch):
    import symgame.progress

    # the line is rewritten at most every LIVE_LINE_EVERY seconds; 0 makes what it shows independent of speed
    monkeypatch.setattr(symgame.progress, "LIVE_LINE_EVERY", 0)
    big = random_attention(tmp_path / "big.npy", 2, 16)
    status, out, err = run_prove_with_stderr(["explain", big, "--output", "0", "--permutations", "12"], _Terminal())
    assert status == 0 and "/12 sampled orders (16 max flows each)" in err and "left" in err, err[-400:]
    small = random_attention(tmp_path / "small.npy", 2, 8)
    status, out, err = run_prove_with_stderr(["explain", small, "--output", "0"], _Terminal())
    assert status == 0 and "/256 coalitions of v*" in err, err[-400:]
    status, out, err = run_prove_with_stderr(["explain", big, "--output", "0", "--permutations", "12", "--quiet"],
                                             _Terminal())
    assert status == 0 and err == "" and "Shapley" in out
    status, out, err = run_prove_with_stderr(["explain", big, "--output", "0", "--permutations", "12"], io.StringIO())
    assert status == 0 and "\r" not in err and "sampled orders" in err  # the one notice, no live line


def test_the_model_path_prints_the_estimate_intervals_the_file_path_prints(tmp_path):
    from symgame.attention import explain as explain_file
    from symgame.models.explanation import SentenceExplanation

    graph = explain_file(random_attention(tmp_path / "a.npy", 1, 16), output=0, permutations=4)
    assert graph.shapley_method == "estimate"
    tokens = [f"t{i}" for i in range(16)]
    report = SentenceExplanation(sentence="s", model="m", tokens=tokens, special=[False] * 16, output_token=0,
                                 target="sentence", graph=graph, model_shapley=None, model_loo={}, v_full=1,
                                 notes=(), seconds={})
    line = [x for x in str(graph).splitlines() if "95% intervals" in x]
    assert line and line[0] in str(report).splitlines()


def test_p1_output_reports_its_stages():
    from symgame.progress import reporting

    seen = []
    from proofs.attention_weights import _STAGES, output_condition

    with reporting(lambda task, what, done, total: seen.append((what, done, total))):
        output_condition(2, stages=_STAGES)
    assert [d for _w, d, _t in seen] == list(range(1, len(_STAGES) + 1))
    assert all(t == len(_STAGES) and w.startswith("stages, n=2: ") for w, _d, t in seen)


# ---------------------------------------------------------------------- search: every statement, snippets that run
from symgame.checks import load_proofs  # noqa: E402

REGISTRY = load_proofs()
NO_SEARCH = REGISTRY.without_search()


@pytest.mark.parametrize("name", NO_SEARCH)
def test_a_statement_without_a_search_says_why(name):
    kind = REGISTRY.get(name).expected.split()[0]
    why = {"PROVED": "derivation", "REFUTED": "constructed", "CHECKED": "fixed instances"}[kind]
    assert_cli_refuses(["search", name], f"{name} has no search: its verdict \\(expected .*{why}.*symgame prove {name}")


def test_every_statement_whose_check_searches_has_a_search():
    import inspect

    searching = [c.name for c in REGISTRY.select() if "find_counterexample" in inspect.getsource(c.func)
                 or "search_smallest" in inspect.getsource(c.func)]
    exists_families = [n for n in REGISTRY.names() if n.startswith("P2.exists.")]
    assert set(searching + exists_families) <= set(REGISTRY.searches()), \
        set(searching + exists_families) - set(REGISTRY.searches())
    assert len(REGISTRY.searches()) >= 16


def test_a_family_name_lists_its_searches():
    assert_cli_refuses(["search", "P2"], "'P2' is a family; search one of its statements: P2.crosslayer")


def test_search_snippets_run_in_a_fresh_interpreter(tmp_path):
    """The text ``symgame search`` prints for each search, on a drawn instance (and on the shrunk
    counterexample where one is found quickly), runs in a fresh interpreter with nothing imported."""
    import subprocess

    from symgame.search import find_counterexample

    snippets = {}
    for name in REGISTRY.searches():
        spec = REGISTRY.get_search(name)
        drawn = find_counterexample(spec.strategy(), lambda inst: False, max_examples=1, seed=0, shrink=False)
        snippets[name] = spec.show(drawn.instance)
    for name in ("P1.literal", "P3.literal", "G.general"):
        spec = REGISTRY.get_search(name)
        found = spec.run(max_examples=100, seed=0)
        assert found.found
        snippets[f"{name} (shrunk)"] = spec.show(found.instance)
    script = tmp_path / "run_snippets.py"
    script.write_text(
        "import json, sys, traceback\n"
        f"snippets = json.loads({json.dumps(json.dumps(snippets))})\n"
        "failed = {}\n"
        "for name, code in snippets.items():\n"
        "    try:\n"
        "        exec(compile(code, name, 'exec'), {'__name__': '__snippet__'})\n"
        "    except BaseException:\n"
        "        failed[name] = traceback.format_exc(limit=2)\n"
        "print(json.dumps(failed))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-I", str(script)] if False else [sys.executable, str(script)],
                          capture_output=True, text=True, env=env, timeout=300, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {}


def test_a_printed_game_snippet_rebuilds_the_instance():
    from proofs.common import game_snippet

    g = Game.from_dict(["a", 2], {("a",): "1/3", (2,): 0, ("a", 2): "x"})
    namespace = {}
    exec(game_snippet(g), namespace)
    assert namespace["game"] == g


# ---------------------------------------------------------------------- verdicts print as one line
def test_verdicts_print_as_one_line_and_render_in_full():
    from symgame.derivations import derive_shapley_axioms_all_n

    result = derive_shapley_axioms_all_n(check_up_to=3)
    assert "\n" not in repr(result) and len(repr(result)) < 200, repr(result)
    assert "derivation" in result.render() and len(result.render()) > 2000
    for r in REGISTRY.run(["S0.d", "P3.literal", "G.general"]):
        assert "\n" not in repr(r) and len(repr(r)) < 200, repr(r)
        assert "\n" not in repr(r.verdict) and len(repr(r.verdict)) < 300, repr(r.verdict)
        rendered = r.verdict.render()
        assert rendered.startswith(str(r.verdict)) and "certificate:" in rendered


# ---------------------------------------------------------------------- notes name options that exist
def test_explain_notes_name_options_the_cli_has(tmp_path):
    from symgame.cli import _MAX_EXACT_DEFAULT, build_parser
    from symgame.attention import MAX_EXACT_SHAPLEY_PLAYERS

    assert _MAX_EXACT_DEFAULT == MAX_EXACT_SHAPLEY_PLAYERS
    path = tmp_path / "float.npy"
    np.save(path, np.array([[[0.3, 0.7], [0.6, 0.4]]]))
    status, out, err = run_cli(["explain", str(path), "--output", "0"])
    assert status == 0 and "symgame explain --exact" in out, out
    status, out, err = run_cli(["explain", str(path), "--output", "0", "--exact"])
    assert status == 0 and "--exact" not in out and "Shapley flow: " in out, out
    status, out, err = run_cli(["explain", str(path), "--output", "0", "--max-exact-players", "1",
                                "--permutations", "5"])
    assert status == 0 and "--max-exact-players N" in out, out
    options = {o for a in build_parser()._subparsers._group_actions[0].choices["explain"]._actions
               for o in a.option_strings}
    assert {"--exact", "--max-exact-players", "--max-players"} <= options


MODEL_ONLY_MISUSE = [
    (["--layer", "1"], "--layer applies to attention files, not to --model"),
    (["--source", "0"], "--source applies"),
    (["--permutations", "5"], "--permutations applies"),
    (["--seed", "3"], "--seed applies"),
    (["--no-shapley"], "--no-shapley applies"),
    (["--max-exact-players", "3"], "--max-exact-players applies"),
    (["--layer", "1", "--no-shapley"], "--layer, --no-shapley apply to attention files"),
]


@pytest.mark.parametrize("extra, message", MODEL_ONLY_MISUSE, ids=[f"model{i}" for i in range(len(MODEL_ONLY_MISUSE))])
def test_explain_model_refuses_options_it_would_ignore(extra, message):
    assert_cli_refuses(["explain", "--model", "minilm", "a good film", *extra], message)


def test_explain_file_refuses_the_model_only_option():
    assert_cli_refuses(["explain", EXAMPLE, "--output", "0", "--max-players", "3"], "--max-players applies to --model")


# ---------------------------------------------------------------------- the statement document is linked
def test_statement_document_is_linked_from_readme_help_and_report(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(proofs/STATEMENTS.md)" in readme
    status, out, _ = run_cli(["prove", "--list"])
    assert status == 0 and "STATEMENTS.md" in out
    from symgame.cli import build_parser

    assert "proofs/STATEMENTS.md" in build_parser().format_help()
    for where in (tmp_path / "REPORT.md", ROOT / "proofs" / "REPORT.md"):
        from symgame.report import markdown_report

        md = markdown_report(REGISTRY.run(["S0.d"]), documents=REGISTRY.documents, path=str(where))
        link = md.split("[`STATEMENTS.md`](", 1)[1].split(")", 1)[0]
        assert (where.parent / link).resolve() == (ROOT / "proofs" / "STATEMENTS.md").resolve(), link


def test_corpus_size():
    cases = (len(VALUE_STRINGS) + len(API_NUMBERS) + len(GAME_FILES) + len(ATTENTION_FILES) + len(CLI_MISUSE)
             + len(API) + 2 + 3 + 3 + 3)
    assert cases >= 80
    later = (len(PIPED) + 3 + len(NO_SEARCH) + 1 + len(MODEL_ONLY_MISUSE) + 1 + 9  # pipes, Ctrl-C, search, writers
             + len(BATCH_OPTIONS) + len(SAVE_PATHS))
    assert cases + later >= 170
