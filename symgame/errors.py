"""The one exception family of symgame.

Every error symgame raises on purpose is a :class:`SymgameError`.  Each
subclass also inherits the matching built-in (``ValueError`` or
``TypeError``) so callers that already catch those keep working.

Examples
--------
>>> from symgame.errors import InvalidGameError, SymgameError
>>> issubclass(InvalidGameError, ValueError) and issubclass(InvalidGameError, SymgameError)
True
"""

__all__ = [
    "SymgameError",
    "InvalidGameError",
    "UnknownPlayerError",
    "InvalidValueError",
    "GameTooLargeError",
    "InvalidAttentionError",
    "InvalidFlowError",
    "NotExactError",
    "GameFormatError",
    "InvalidVerdictError",
    "InvalidStrategyError",
    "MissingDependencyError",
    "ModelInputError",
    "InvalidSearchError",
    "UnknownCheckError",
    "InvalidRuleError",
    "UndecidedError",
    "StatementDocumentError",
    "FloatRangeError",
    "InvalidEstimatorError",
    "DistributedError",
    "FileWriteError",
    "CoqError",
    "CoqNotFoundError",
]


class SymgameError(Exception):
    """Base class of every error raised on purpose by symgame."""


class InvalidGameError(SymgameError, ValueError):
    """A game's definition is inconsistent (``v(∅) != 0``, duplicate players, missing coalitions)."""


class UnknownPlayerError(InvalidGameError, KeyError):
    """A coalition or argument names a player the game does not have."""

    def __str__(self):  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class InvalidValueError(SymgameError, TypeError):
    """A value is not a number or SymPy expression (or is NaN/inf)."""


class GameTooLargeError(SymgameError, ValueError):
    """The requested exact computation is too large; the message names the limit and an alternative."""


class InvalidAttentionError(SymgameError, ValueError):
    """An attention tensor is malformed (shape, negative, NaN/inf, rows not stochastic)."""


class InvalidFlowError(SymgameError, ValueError):
    """A flow violates capacity or conservation, or a flow network is malformed."""


class NotExactError(SymgameError, TypeError):
    """An exact computation was asked for but the input is not exact."""


class GameFormatError(SymgameError, ValueError):
    """A game file or JSON document does not follow the documented format."""


class InvalidVerdictError(SymgameError, ValueError):
    """A verdict kind or expected verdict is not one of the documented ones."""


class InvalidSearchError(SymgameError, ValueError):
    """A counterexample search was configured wrongly (strategy, claim, budget)."""


class UnknownCheckError(SymgameError, KeyError):
    """A check name given to ``symgame prove``/``search`` is not registered."""

    def __str__(self):  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class MissingDependencyError(SymgameError, ImportError):
    """An optional dependency is not installed; the message names the extra that provides it."""


class ModelInputError(SymgameError, ValueError):
    """A sentence, model path or model option cannot be used with the model (empty, too long, out of range)."""


class InvalidStrategyError(SymgameError, ValueError):
    """A strategy of :mod:`symgame.strategies` was built with invalid arguments (wrong type or range)."""


class InvalidRuleError(SymgameError, TypeError):
    """A value rule is not callable, or returned something other than one value per player of the game."""


class UndecidedError(SymgameError, ValueError):
    """A symbolic condition the computation depends on is neither provably true nor provably false."""


class StatementDocumentError(SymgameError, ValueError):
    """A statement document (``proofs/STATEMENTS.md``) cannot be read, or names a statement twice."""


class FloatRangeError(SymgameError, OverflowError):
    """A float path met a number outside float64's range (its result would be ``inf``); use the exact path."""


class InvalidEstimatorError(SymgameError, ValueError):
    """A sampling estimator was asked for wrongly (unknown method, sample size, seed or confidence level)."""


class DistributedError(SymgameError, RuntimeError):
    """A distributed run cannot start or finish (no scheduler at the address, a task failed after its retries)."""


class FileWriteError(SymgameError, OSError):
    """A file could not be written (disk full, permission, a removed directory); the old file is unchanged."""


class CoqError(SymgameError, RuntimeError):
    """The Coq layer failed: a file of the development does not compile, has an admitted step or rests on an axiom,
    ``THEOREMS.txt`` is malformed, or a refutation certificate cannot be written or does not compile."""


class CoqNotFoundError(CoqError):
    """``coqc`` is not installed, so the Coq layer cannot run; the message says how to install it."""
