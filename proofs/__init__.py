"""Checks that decide each statement of ``proofs/STATEMENTS.md`` by computation, one module per statement family."""

from pathlib import Path

from symgame.checks import REGISTRY

__all__ = ["CHECK_MODULES", "STATEMENTS", "COQ_DEVELOPMENT"]

#: The statement document: one section per check (what it says, the paper's wording, hypotheses,
#: expected verdict, certificate); ``symgame prove --describe NAME`` prints a section.
STATEMENTS = Path(__file__).resolve().with_name("STATEMENTS.md")
REGISTRY.document(STATEMENTS)

#: The Coq development (issue 12): ``THEOREMS.txt`` maps statements to the theorems that machine-check
#: them; ``symgame prove`` compiles it (cached by file hash) and shows the kernel column.
COQ_DEVELOPMENT = Path(__file__).resolve().with_name("coq")
REGISTRY.coq_development(COQ_DEVELOPMENT)

#: The modules of ``proofs/``, one per statement family of STATEMENTS.md; ``pyproject.toml``
#: declares this list under the entry-point group ``symgame.proofs``, which ``symgame prove`` reads.
#: A new family module is added here (no reinstall needed).
CHECK_MODULES = (
    "proofs.shapley_axioms",
    "proofs.attention_weights",
    "proofs.attention_flow",
    "proofs.leave_one_out",
    "proofs.groups",
    "proofs.real_model",
    "proofs.multichoice",
)
