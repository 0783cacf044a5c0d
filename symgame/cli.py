"""The ``symgame`` command.

Sub-commands::

    symgame prove [NAME ...] [--profile quick|thorough] [--json FILE] [--markdown FILE] [--list] [--allow-undecided] [--quiet]
                  [--no-coq] [--coq DIR]
    symgame prove --describe NAME [NAME ...]
    symgame search NAME [--max-examples N] [--seed S] [--json] [--save FILE]
    symgame values GAME.json [--rule shapley|banzhaf|loo|dividends] [--json]   (loo: also whether LOO = Shapley, and why not)
    symgame explain ATTENTION_FILE --output K [--source all|J] [--layer L] [--residual] [--exact]
                    [--max-exact-players N] [--permutations P] [--seed S] [--no-shapley] [--time-limit SECONDS] [--json]
    symgame explain --model minilm "a sentence" [--output-token K] [--payoff P] [--removal R] [--residual] [--exact]
                    [--max-players N] [--json]
    symgame explain --model smollm2 "a prompt" --payoff next-token-logprob --next-token " are" [--output-token K]
    symgame batch FILE --out DIR [--scheduler ADDR | --workers K | --serial] [--output K ... | --output all]

The statements are documented in ``proofs/STATEMENTS.md`` (``symgame prove --describe NAME``).

Exit status: 0 on success; 1 when ``prove`` computed a verdict different from
the expected one (an UNDECIDED verdict because an optional extra is missing counts, unless
``--allow-undecided``), or when the Coq layer failed (a theorem of ``proofs/coq`` does not compile,
is admitted or rests on an axiom; a refutation certificate does not compile); 2 on bad input (the
message names the problem); 130 when interrupted
(Ctrl-C: one line on stderr, no traceback; a second Ctrl-C ends at once); 141 when the reader of the output went away
(``symgame prove --list | head``: the output stops quietly, no traceback).
Without ``coqc`` the Coq layer is not run and ``prove`` says so.

Examples
--------
>>> main(["values", "no-such-file.json"])  # prints "symgame: error: cannot read game file ..." on stderr
2
"""

import argparse
import json
import sys

from .errors import SymgameError
from .jsonio import write_text_atomic

__all__ = ["main", "build_parser"]

RULES = ("shapley", "banzhaf", "loo", "dividends")


def build_parser():
    """The argument parser of the ``symgame`` command.

    Examples
    --------
    >>> build_parser().parse_args(["prove", "P3", "--profile", "thorough"]).profile
    'thorough'
    """
    parser = argparse.ArgumentParser(
        prog="symgame",
        description="Exact, symbolic checks of Shapley-value claims about attention explanations.",
        epilog="The statements that 'symgame prove' decides are documented in proofs/STATEMENTS.md; "
               "'symgame prove --describe NAME' prints one.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    prove = sub.add_parser("prove", help="decide the statements of proofs/STATEMENTS.md (the checks of proofs/)")
    prove.add_argument("names", nargs="*", help="check names or families (e.g. P3.literal, P2); default: all")
    prove.add_argument("--profile", choices=("quick", "thorough"), default="quick")
    prove.add_argument("--json", metavar="FILE", help="write the JSON report to FILE")
    prove.add_argument("--markdown", metavar="FILE", help="write the Markdown report to FILE")
    prove.add_argument("--list", action="store_true", help="list the checks and exit")
    prove.add_argument("--allow-undecided", action="store_true",
                       help="exit 0 even when checks are UNDECIDED because an optional extra is missing")
    prove.add_argument("--quiet", action="store_true",
                       help="no progress on stderr (the live line inside long checks is shown only on a terminal)")
    prove.add_argument("--no-coq", action="store_true",
                       help="do not run the Coq layer (the kernel column of the statements proofs/coq/THEOREMS.txt lists)")
    prove.add_argument("--coq", metavar="DIR", default=None,
                       help="write a Coq refutation certificate (.v) for each REFUTED verdict into DIR and compile it "
                            "against proofs/coq")
    prove.add_argument("--describe", action="store_true",
                       help="print the statement document's sections of NAME ... (what each says, the paper's "
                            "wording, hypotheses, expected verdict, certificate) and exit")

    search = sub.add_parser("search", help="hunt for a counterexample and print the shrunk instance")
    search.add_argument("name", nargs="?", help="search name (omit to list them)")
    search.add_argument("--max-examples", type=int, default=500)
    search.add_argument("--seed", type=int, default=0)
    search.add_argument("--json", action="store_true", help="print the result as JSON")
    search.add_argument("--save", metavar="FILE", help="save the instance as a file the other commands read")
    search.add_argument("--quiet", action="store_true", help="no progress display")

    values = sub.add_parser("values", help="exact values of a game file (JSON, see Game.from_json); --rule loo also "
                                           "decides whether LOO equals Shapley and names the dividends that differ")
    values.add_argument("game", help="game file")
    values.add_argument("--rule", choices=RULES, default="shapley")
    values.add_argument("--json", action="store_true",
                        help="print JSON: player -> value as a string (--rule loo: {\"values\": ..., \"loo_agreement\": ...})")

    explain = sub.add_parser("explain", help="explanations of an attention tensor for one output token")
    explain.add_argument("attention", help="attention file (.npy/.npz/.json), or a sentence with --model")
    explain.add_argument("--output", "--output-token", dest="output", type=int, default=None,
                         help="output token K (sink node (L, K))")
    explain.add_argument("--source", default=None, help="'all' (super-source, default) or an input token index J")
    explain.add_argument("--layer", type=int, default=None, help="player layer (default: the input layer)")
    explain.add_argument("--residual", action="store_true", help="mix 0.5*A + 0.5*I (Abnar & Zuidema)")
    explain.add_argument("--exact", action="store_true",
                         help="read float weights as exact binary fractions and decide everything exactly "
                              "(the Shapley flow too); slower")
    explain.add_argument("--model", default=None,
                         help="read attention from a model ('minilm', 'smollm2' or a local path)")
    explain.add_argument("--payoff", default=None,
                         help="with --model: the masking game's payoff, one of " + ", ".join(_model_names("PAYOFFS")))
    explain.add_argument("--removal", default=None,
                         help="with --model: how hidden tokens are removed, one of " + ", ".join(_model_names("REMOVALS")))
    explain.add_argument("--next-token", default=None,
                         help="with --model and --payoff next-token-logprob: the predicted token (e.g. ' are')")
    explain.add_argument("--max-exact-players", type=int, default=None, metavar="N",
                         help=f"enumerate v* (2^N max flows) up to N players, estimate past it (default "
                              f"{_MAX_EXACT_DEFAULT})")
    explain.add_argument("--permutations", type=int, default=None,
                         help="orders sampled for the Shapley estimate of v* past the exact limit "
                              "(cost: permutations x n max flows; default 200)")
    explain.add_argument("--seed", type=int, default=None, help="seed of the Shapley estimate (default 0)")
    explain.add_argument("--no-shapley", action="store_true", help="skip the Shapley value of v* (2^n max flows)")
    explain.add_argument("--max-players", type=int, default=None, metavar="N",
                         help="with --model: the exact model Shapley value (2^n forward passes) up to N players "
                              "(default 12)")
    explain.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                         help="bound the run: beyond it the Shapley value of v* is a sampled estimate from as "
                              "many orders as fit (stated in the notes); the up-front estimate and progress "
                              "go to stderr")
    explain.add_argument("--json", action="store_true")
    explain.add_argument("--quiet", action="store_true",
                         help="no notices or progress on stderr (progress is shown only on a terminal)")

    batch = sub.add_parser("batch", help="explain every tensor or sentence of a file, one JSON per item (Dask)")
    batch.add_argument("file", help="items: .txt (sentences), .jsonl/.json (tensors or sentences), .npz, .npy")
    batch.add_argument("--out", required=True, metavar="DIR", help="directory for <id>.json and manifest.json")
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler address (tcp://host:8786)")
    where.add_argument("--workers", type=int, default=None,
                       help="workers of the LocalCluster started by default (default: one per core)")
    where.add_argument("--serial", action="store_true", help="run in this process, without Dask")
    batch.add_argument("--threads", action="store_true", help="LocalCluster workers as threads, not processes")
    batch.add_argument("--output", nargs="+", default=["0"], metavar="K",
                       help="output tokens of each tensor/sentence, or 'all' (default 0)")
    batch.add_argument("--layer", type=int, default=0)
    batch.add_argument("--source", default="all")
    batch.add_argument("--residual", action="store_true")
    batch.add_argument("--permutations", type=int, default=200, help="orders of the v* Shapley estimate past 14 players")
    batch.add_argument("--seed", type=int, default=0)
    batch.add_argument("--no-shapley", action="store_true", help="skip the Shapley value of v*")
    batch.add_argument("--model", default=None, help="encoder for sentences ('minilm' or a local path)")
    batch.add_argument("--max-players", type=int, default=10, help="exact model Shapley up to this many players")
    batch.add_argument("--estimator", choices=("permutation", "antithetic", "stratified", "kernel"), default=None,
                       help="estimate the model Shapley value past --max-players with this sampling method")
    batch.add_argument("--samples", type=int, default=200, help="samples of that estimate")
    batch.add_argument("--no-resume", action="store_true", help="recompute items whose file is already written")
    batch.add_argument("--retries", type=int, default=2, help="extra attempts of a task whose worker failed")
    batch.add_argument("--quiet", action="store_true", help="no progress display")
    return parser


def main(argv=None):
    """Run the command line; returns the exit status (0 ok, 1 verdict mismatch, 2 bad input).

    Examples
    --------
    >>> main(["prove", "S0.d"])  # doctest: +ELLIPSIS
    statement  paper's claim ...
    S0.d ...
    all 1 verdicts equal the expected ones
    0
    >>> main(["prove", "nope"])  # prints "symgame: error: no check named 'nope'; ..." on stderr
    2
    """
    restore = _install_interrupt_handler()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        try:
            return _COMMANDS[args.command](args)
        except SymgameError as exc:
            print(f"symgame: error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # the disk, not the input: full, read-only, removed under us
            if isinstance(exc, BrokenPipeError):
                raise
            where = f" ({exc.filename})" if exc.filename else ""
            print(f"symgame: error: {exc.strerror or exc}{where}; files symgame writes are replaced "
                  f"only when complete, so an existing file is unchanged", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        _quiet_streams()
        try:
            print("symgame: interrupted", file=sys.stderr, flush=True)
        except (OSError, ValueError):  # stderr is gone too
            pass
        return INTERRUPTED
    except BrokenPipeError:
        _quiet_streams()
        return BROKEN_PIPE
    finally:
        restore()


def _install_interrupt_handler():
    """Ctrl-C raises KeyboardInterrupt as usual; a second Ctrl-C while the first is still unwinding
    (or was swallowed by a library: seen inside Hypothesis) ends the process at once with the same
    one line and exit 130.  Returns a function that puts the previous handler back."""
    import os
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:
        return lambda: None
    from .progress import INTERRUPT

    state = {"seen": False}

    def in_gc_callback(frame):
        import gc

        codes = {getattr(cb, "__code__", None) for cb in gc.callbacks}
        while frame is not None:
            if frame.f_code in codes:
                return True
            frame = frame.f_back
        return False

    def on_interrupt(signum, frame):
        INTERRUPT["pending"] = True  # re-raised at the next progress step if this one is swallowed
        if not state["seen"] and in_gc_callback(frame):
            # an exception raised in a gc callback is printed and dropped: leave it to the next step()
            state["seen"] = True
            return
        if state["seen"]:
            try:
                sys.stderr.write("symgame: interrupted\n")
                sys.stderr.flush()
            finally:
                os._exit(INTERRUPTED)
        state["seen"] = True
        raise KeyboardInterrupt

    def restore():
        signal.signal(signal.SIGINT, previous)
        INTERRUPT["pending"] = False

    signal.signal(signal.SIGINT, on_interrupt)
    return restore


#: Exit status after Ctrl-C (128 + SIGINT, as a shell reports a process the signal ended).
INTERRUPTED = 130
#: Exit status when the reader of stdout/stderr went away (128 + SIGPIPE).
BROKEN_PIPE = 141


def _quiet_streams():
    """Point a stdout/stderr whose reader went away at /dev/null (its buffered text is dropped), so
    neither the rest of the run nor the interpreter's flush at exit prints a ``BrokenPipeError``.
    A stream that still flushes, or has no descriptor (a StringIO under test), is left alone."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
            continue
        except BrokenPipeError:
            pass
        except (OSError, ValueError, AttributeError):
            continue
        try:
            fd = stream.fileno()
        except (OSError, ValueError, AttributeError):
            continue
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)


# ---------------------------------------------------------------------- prove
def _prove(args):
    from .checks import load_proofs, proof_modules
    from .report import json_report, markdown_report, text_table
    from .verdicts import missing_dependency

    registry = load_proofs(proof_modules())
    if args.describe:
        return _describe(registry, args.names)
    if args.list:
        checks = registry.select(args.names)
        width = max([18] + [len(c.name) for c in checks])
        for c in checks:
            print(f"{c.name:<{width}} expected {c.expected:<16} {c.statement}")
        for path in registry.documents:
            print(f"statements documented in {path} (symgame prove --describe NAME)")
        return 0
    checks = registry.select(args.names)
    for flag, path in (("--json", args.json), ("--markdown", args.markdown)):
        if path and not _writable(flag, path):
            return 2
    from .progress import LiveLine, reporting

    if not args.quiet:
        print(f"symgame prove: {len(checks)} checks, profile {args.profile}", file=sys.stderr)
    # inside a long check: one line rewritten in place with an estimate, only on a terminal
    live = LiveLine(sys.stderr) if not args.quiet and _is_terminal(sys.stderr) else None

    def progress(check, result):
        if live is not None:
            live.clear()
        if args.quiet:
            return
        mark = "ok" if result.ok else "MISMATCH"
        print(f"  {check.name:<18} {str(result.verdict):<26} {result.seconds:6.1f}s  {mark}", file=sys.stderr)
        if result.error:
            print(f"    error: {result.error}", file=sys.stderr)

    try:
        with reporting(live):
            results = registry.run(args.names, profile=args.profile, progress=progress)
    finally:
        if live is not None:
            live.clear()
    kernel, kernel_notes, kernel_failures = _kernel(registry, results, args)
    print(text_table(results, kernel=None if kernel is None else {k: r["column"] for k, r in kernel.items()}))
    for note in registry.notes + kernel_notes:
        print(f"note: {note}")
    for line in kernel_failures:
        print(line)
    if args.json:
        _write("--json", args.json, json_report(results, kernel=kernel) + "\n")
    if args.markdown:
        _write("--markdown", args.markdown,
               markdown_report(results, profile=args.profile, notes=registry.notes, documents=registry.documents,
                               path=args.markdown,
                               kernel=None if kernel is None else {k: r["column"] for k, r in kernel.items()})
               + "\n")
    missing = [r for r in results if not r.ok and missing_dependency(r.verdict) and not r.error]
    if missing:
        print(f"{len(missing)} checks UNDECIDED, optional extra missing: "
              + ", ".join(f"{r.check.name} ({missing_dependency(r.verdict)})" for r in missing)
              + ("; accepted (--allow-undecided)" if args.allow_undecided else "; pass --allow-undecided to accept"))
    bad = [r for r in results if not r.ok and not (args.allow_undecided and r in missing)]
    for r in results:
        if r.failed_dependencies:
            print(f"{r.check.name}: rests on {', '.join(r.failed_dependencies)}, whose verdict is not the expected one")
    if kernel_failures:
        print(f"the Coq layer failed on {len(kernel_failures)} statements"
              + (f"; and {len(bad)} of {len(results)} verdicts differ from the expected ones" if bad else ""))
        return 1
    if bad:
        print(f"{len(bad)} of {len(results)} verdicts differ from the expected ones: "
              f"{', '.join(r.check.name for r in bad)}")
        return 1
    if missing:
        print(f"the other {len(results) - len(missing)} verdicts equal the expected ones")
        return 0
    print(f"all {len(results)} verdicts equal the expected ones")
    return 0


def _kernel(registry, results, args):
    """Run the Coq layer for the checked statements.

    Returns ``(kernel, notes, failures)``: ``kernel`` maps a statement name to its record
    (``column`` text, ``status``, ``reason``, certificate file) or is None when the layer did not run;
    ``notes`` say why it did not run; ``failures`` are lines naming each statement the layer failed.
    """
    from .coq import FAILED, check_development, find_coqc, read_theorems
    from .errors import CoqError, CoqNotFoundError

    names = [r.check.name for r in results]
    notes, failures, kernel = [], [], {}
    if args.no_coq:
        if args.coq:
            raise CoqError("--coq DIR writes certificates the Coq layer compiles; it cannot be combined with --no-coq")
        return None, ["the Coq layer was not run (--no-coq)"], []
    for root in registry.coq_developments:
        try:
            table = read_theorems(root)
        except CoqError as exc:
            notes.append(f"the Coq layer was not run: {exc}")
            continue
        if not any(n in table for n in names):
            continue
        try:
            report = check_development(root, names)
        except CoqNotFoundError as exc:
            notes.append(str(exc))
            continue
        for name, res in report.results.items():
            kernel[name] = {"column": res.status, **res.to_dict()}
            if res.status == FAILED:
                failures.append(f"{name}: {FAILED}: {res.reason}")
        notes.append(f"Coq layer: {root} compiled {'(cached) ' if report.cached else ''}with {report.coqc} "
                     f"in {report.seconds:.1f} s; {sum(r.ok for r in report.results.values())} of "
                     f"{len(report.results)} listed statements pass")
    if args.coq:
        from .coqcert import certify_results

        if not registry.coq_developments:
            raise CoqError("--coq DIR needs a registered Coq development (proofs/coq) to compile the certificates")
        try:
            coqc = find_coqc()
        except CoqNotFoundError as exc:
            coqc = None
            notes.append(f"refutation certificates written but not compiled: {exc}")
        records = certify_results(results, args.coq, root=registry.coq_developments[0], coqc=coqc)
        for name, cert in records.items():
            record = kernel.setdefault(name, {})
            record["certificate"] = cert
            record["column"] = cert["column"]
            if cert["status"] == "failed":
                failures.append(f"{name}: refutation certificate {cert['file']} does not compile: {cert['reason']}")
        done = sum(c["status"] == "compiled" for c in records.values())
        notes.append(f"refutation certificates: {done} of {len(records)} REFUTED verdicts certified by Coq, in "
                     f"{args.coq}" + "".join(f"; {k}: no certificate ({c['reason']})"
                                           for k, c in records.items() if c["status"] == "none"))
    return (kernel or None), notes, failures


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _describe(registry, names):
    """Print the statement-document section of each selected check; a check without one is an error."""
    from .errors import StatementDocumentError

    if not names:
        raise StatementDocumentError("--describe needs a check name or family (e.g. P3.precise, P2); "
                                     "symgame prove --list shows them")
    if not registry.documents:
        raise StatementDocumentError("no statement document is registered (proofs/STATEMENTS.md)")
    pairs = registry.describe(names)
    missing = [c.name for c, section in pairs if section is None]
    for c, section in pairs:
        if section is not None:
            print(section.text)
            print(f"(from {section.source}, line {section.line})\n")
    if missing:
        raise StatementDocumentError(f"no section for {', '.join(missing)} in {', '.join(registry.documents)}")
    return 0


# ---------------------------------------------------------------------- search
def _search(args):
    from .checks import load_proofs, proof_modules
    from .search import ProgressPrinter

    registry = load_proofs(proof_modules())
    if not args.name:
        names = registry.searches()
        width = max([24] + [len(n) + 1 for n in names])
        for name in names:
            print(f"{name:<{width}} {registry.get_search(name).statement}")
        others = registry.without_search()
        if others:
            print(f"no search (decided by derivation or on fixed instances; 'symgame search NAME' says how): "
                  f"{', '.join(others)}")
        return 0
    spec = registry.get_search(args.name)
    if args.save and not _writable("--save", args.save):
        return 2
    progress = None if args.quiet or args.json else ProgressPrinter(spec.name, every=max(1, args.max_examples // 10))
    result = spec.run(max_examples=args.max_examples, seed=args.seed, progress=progress)
    if args.save and result.found:
        document = spec.document(result.instance) if spec.document else {"instance": spec.show(result.instance)}
        _write("--save", args.save, json.dumps(document, indent=1) + "\n")
    if args.json:
        out = result.to_dict()
        out["name"] = spec.name
        out["statement"] = spec.statement
        out["instance_text"] = spec.show(result.instance) if result.found else None
        print(json.dumps(out, indent=1))
        return 0
    print(f"search {spec.name}: {spec.statement}")
    if result.found:
        print(f"counterexample after {result.examples} instances (seed {result.seed}; "
              f"{result.calls} calls with shrinking, {result.seconds:.1f}s), shrunk to:")
        print(spec.show(result.instance))
        if args.save:
            print(f"saved to {args.save}")
    else:
        print(f"no counterexample in {result.examples} instances (seed {result.seed}, {result.seconds:.1f}s)")
    return 0


# ---------------------------------------------------------------------- values
def _values(args):
    from .errors import GameFormatError
    from .exact import exact_str
    from .game import Game
    from .loo import loo_agreement
    from .values import banzhaf, dividends, leave_one_out, shapley

    try:
        game = Game.load(args.game)
    except GameFormatError:
        game = _saved_search_game(args.game)
        if game is None:
            raise
    if args.rule == "dividends":
        # coalitions as "a,b"; as JSON lists ('["a", "b"]') when a label holds a comma, so no two collide
        commas = any("," in str(p) for p in game.players)
        result = {(json.dumps([str(p) for p in game.players if p in S]) if commas
                   else ",".join(str(p) for p in game.players if p in S) or "{}"): v
                  for S, v in dividends(game).items()}
    else:
        rule = {"shapley": shapley, "banzhaf": banzhaf, "loo": leave_one_out}[args.rule]
        result = rule(game)
    # --rule loo also answers "is LOO safe here?": LOO = Shapley exactly, or which players differ and why
    agreement = loo_agreement(game) if args.rule == "loo" else None
    if args.json:
        values = {str(k): exact_str(v) for k, v in result.items()}
        document = values if agreement is None else {"values": values, "loo_agreement": agreement.to_json()}
        print(json.dumps(document, indent=1))
    else:
        header = "coalition" if args.rule == "dividends" else "player"
        width = max([len(header)] + [len(str(k)) for k in result])
        print(f"{header:<{width}}  {args.rule}")
        for k, v in result.items():
            print(f"{str(k):<{width}}  {v}")
        if agreement is not None:
            print()
            print(agreement)
    return 0


def _saved_search_game(path):
    """The game of a file written by ``symgame search NAME --save`` ({"game": ..., "group": ...}), else None."""
    from .game import Game

    from .errors import GameFormatError
    from .exact import loads_json

    try:
        with open(path, encoding="utf-8") as fh:
            document = loads_json(fh.read(), what=f"game file {path!r}", error=GameFormatError)
    except (OSError, ValueError):
        return None
    if isinstance(document, dict) and "players" not in document and isinstance(document.get("game"), dict):
        return Game.from_json(document["game"])
    return None


# ---------------------------------------------------------------------- explain
#: Options of ``symgame explain`` that only the attention-file path uses; with ``--model`` they are refused.
_FILE_ONLY = (("--source", "source"), ("--layer", "layer"), ("--max-exact-players", "max_exact_players"),
              ("--permutations", "permutations"), ("--seed", "seed"), ("--no-shapley", "no_shapley"),
              ("--time-limit", "time_limit"))


#: Options of ``symgame explain`` that only ``--model`` uses (the masking game); with an attention file they are refused.
_MODEL_ONLY = (("--payoff", "payoff"), ("--removal", "removal"), ("--next-token", "next_token"))


def _model_names(table):
    """The names of :data:`symgame.models.masking.PAYOFFS` or ``REMOVALS``, for the help text."""
    from .models import masking

    return list(getattr(masking, table))


def _explain(args):
    if args.model is not None:
        from .models.explanation import explain_sentence

        given = [flag for flag, dest in _FILE_ONLY if getattr(args, dest) not in (None, False)]
        if given:
            raise _model_usage(f"{', '.join(given)} {'applies' if len(given) == 1 else 'apply'} to attention files, "
                               f"not to --model (which explains the sentence's attention graph from the input "
                               f"layer with a super-source, and computes the model Shapley value exactly up to "
                               f"--max-players); leave {'it' if len(given) == 1 else 'them'} out")
        output = 0 if args.output is None else args.output
        options = {} if args.max_players is None else {"max_players": args.max_players}
        report = explain_sentence(args.attention, output=output, model=args.model, residual=args.residual,
                                  exact=True if args.exact else None, payoff=args.payoff, removal=args.removal,
                                  next_token=args.next_token, progress=not args.quiet, **options)
    else:
        from .attention import load_attention
        from .attention import explain

        given = [flag for flag, dest in _MODEL_ONLY if getattr(args, dest) is not None]
        if given:
            raise _usage(f"{', '.join(given)} only {'applies' if len(given) == 1 else 'apply'} with --model (the "
                         f"model masking game); an attention file has no payoff or removal rule")
        if args.output is None:
            raise _usage("explain needs --output K (the output token) for an attention file")
        if args.max_players is not None:
            raise _usage("--max-players applies to --model (the model Shapley value); for an attention file "
                         "the limit of the exact Shapley value of v* is --max-exact-players")
        permutations = 200 if args.permutations is None else args.permutations
        if permutations < 1:
            raise _usage(f"--permutations must be a positive integer, got {permutations}")
        limit = _MAX_EXACT_DEFAULT if args.max_exact_players is None else args.max_exact_players
        if limit < 0:
            raise _usage(f"--max-exact-players must be a non-negative integer, got {limit}")
        if args.time_limit is not None and not args.time_limit > 0:
            raise _usage(f"--time-limit must be a positive number of seconds, got {args.time_limit}")
        source = "all" if args.source in (None, "all") else _int_arg("--source", args.source)
        attention = load_attention(args.attention, exact=True if args.exact else None)
        if not args.no_shapley and attention.n > limit and not args.quiet:
            print(f"symgame explain: {attention.n} players > {limit}: estimating the Shapley "
                  f"value of v* from {permutations} sampled orders ({permutations * attention.n} max "
                  f"flows); --no-shapley skips it, --max-exact-players N enumerates up to N", file=sys.stderr,
                  flush=True)
        from .progress import LiveLine, reporting, task

        live = LiveLine(sys.stderr) if not args.quiet and _is_terminal(sys.stderr) else None
        try:
            with reporting(live), task("explain"):
                report = explain(attention, output=args.output, source=source, layer=args.layer or 0,
                                 residual=args.residual, exact=True if args.exact else None,
                                 max_exact_players=limit, permutations=permutations,
                                 seed=0 if args.seed is None else args.seed, shapley_value=not args.no_shapley,
                                 time_limit=args.time_limit, progress=args.time_limit is not None)
        finally:
            if live is not None:
                live.clear()
    print(json.dumps(report.to_json(), indent=1) if args.json else str(report))
    return 0


# ---------------------------------------------------------------------- batch
def _batch(args):
    import contextlib
    import os

    from .batch import BatchOptions, read_items, run_batch
    from .distributed import cluster_client

    if args.output == ["all"]:
        outputs = "all"
    else:
        outputs = tuple(_int_arg("--output", k) for k in args.output)
    source = args.source if args.source == "all" else _int_arg("--source", args.source)
    options = BatchOptions(outputs=outputs, layer=args.layer, source=source, residual=args.residual,
                           permutations=args.permutations, seed=args.seed, shapley=not args.no_shapley,
                           model=args.model, max_players=args.max_players, estimator=args.estimator,
                           samples=args.samples)
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise _usage(f"--out {args.out!r} exists and is not a directory")
    n_items = len(read_items(args.file))  # bad input fails here, before a cluster starts
    if args.serial:
        where, context = "in this process", contextlib.nullcontext(None)
    elif args.scheduler:
        where, context = f"on the scheduler {args.scheduler}", cluster_client(args.scheduler)
    else:
        where = f"on a LocalCluster ({args.workers or 'one per core'} workers)"
        context = cluster_client(workers=args.workers, processes=not args.threads)
    if not args.quiet:
        print(f"symgame batch: {n_items} items from {args.file} {where}; results in {args.out}", file=sys.stderr,
              flush=True)
    import time

    start = time.monotonic()
    with context as client:
        report = run_batch(args.file, args.out, options=options, client=client, resume=not args.no_resume,
                           retries=args.retries, progress=not args.quiet)
    print(f"{report.items} items: {report.written} written, {report.skipped} already done, {len(report.failed)} failed "
          f"({time.monotonic() - start:.1f} s {where})")
    for item_id, message in report.failed.items():
        print(f"  {item_id}: {message}")
    return 2 if report.failed else 0


def _write(flag, path, text):
    """Write ``text`` to ``path`` atomically; a failure is a clear error and leaves the old file as it was."""
    from .errors import FileWriteError

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise FileWriteError(f"cannot write {flag} file {path!r}: {exc.strerror or exc}; the old file, if any, "
                             f"is unchanged") from exc


def _writable(flag, path):
    """Check ``path`` can be written (before any long computation); print a clear error if not."""
    import os

    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        reason = "it is a directory"
    elif not os.path.isdir(parent):
        reason = f"no directory {parent!r}"
    elif not os.access(path if os.path.exists(path) else parent, os.W_OK):
        reason = "permission denied"
    else:
        return True
    print(f"symgame: error: cannot write {flag} file {path!r}: {reason}", file=sys.stderr)
    return False


def _int_arg(flag, text):
    try:
        return int(text)
    except ValueError:
        raise _usage(f"{flag} must be 'all' or a token index, got {text!r}") from None


def _usage(message):
    from .errors import InvalidAttentionError

    return InvalidAttentionError(message)


def _model_usage(message):
    from .errors import ModelInputError

    return ModelInputError(message)


#: Default of ``--max-exact-players`` (symgame.attention.MAX_EXACT_SHAPLEY_PLAYERS, read without importing it).
_MAX_EXACT_DEFAULT = 14


_COMMANDS = {"prove": _prove, "search": _search, "values": _values, "explain": _explain, "batch": _batch}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
