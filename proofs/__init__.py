"""Checks that decide each statement of PROPOSITIONS.md by computation, one module per statement family."""

__all__ = ["CHECK_MODULES"]

#: The modules of ``proofs/``, one per statement family of PROPOSITIONS.md; ``pyproject.toml``
#: declares this list under the entry-point group ``symgame.proofs``, which ``symgame prove`` reads.
#: A new family module is added here (no reinstall needed).
CHECK_MODULES = (
    "proofs.shapley_axioms",
    "proofs.attention_weights",
    "proofs.attention_flow",
    "proofs.leave_one_out",
    "proofs.groups",
    "proofs.real_model",
)
