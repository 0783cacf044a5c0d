"""symgame: exact, symbolic cooperative game theory for checking explanation methods.

Examples
--------
>>> import sympy as sp
>>> from symgame import Game, shapley
>>> x = sp.Symbol("x", positive=True)
>>> shapley(Game.from_dict(["Alice", "Bob"], {("Alice",): 5*x, ("Bob",): 3*x, ("Alice", "Bob"): 10*x}))
{'Alice': 6*x, 'Bob': 4*x}
"""

from .errors import (
    FloatRangeError,
    GameFormatError,
    GameTooLargeError,
    InvalidAttentionError,
    InvalidEstimatorError,
    DistributedError,
    FileWriteError,
    InvalidFlowError,
    InvalidGameError,
    InvalidRuleError,
    InvalidSearchError,
    InvalidStrategyError,
    InvalidValueError,
    InvalidVerdictError,
    MissingDependencyError,
    ModelInputError,
    NotExactError,
    StatementDocumentError,
    SymgameError,
    UndecidedError,
    UnknownCheckError,
    UnknownPlayerError,
)
from .game import Game
from .linear import LinearForm
from .values import (
    banzhaf,
    banzhaf_float,
    dividends,
    from_dividends,
    leave_one_out,
    linear_value,
    owen,
    shapley,
    shapley_float,
    shapley_forms,
    shapley_permutations,
)

__version__ = "0.1.0"

__all__ = [
    "Game",
    "LinearForm",
    "shapley",
    "shapley_forms",
    "shapley_permutations",
    "shapley_float",
    "banzhaf",
    "banzhaf_float",
    "leave_one_out",
    "dividends",
    "from_dividends",
    "linear_value",
    "owen",
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
    "InvalidRuleError",
    "InvalidSearchError",
    "InvalidStrategyError",
    "MissingDependencyError",
    "ModelInputError",
    "UndecidedError",
    "UnknownCheckError",
    "StatementDocumentError",
    "FloatRangeError",
    "InvalidEstimatorError",
    "DistributedError",
    "FileWriteError",
    "__version__",
]
