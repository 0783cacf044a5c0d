"""The statement document proofs/STATEMENTS.md and the check registry stay in step (issue 11)."""

import pytest

from symgame.checks import load_proofs
from symgame.cli import build_parser, main
from symgame.errors import StatementDocumentError
from symgame.statements import parse_statements, read_statements
from symgame.verdicts import parse_expected

import proofs


@pytest.fixture(scope="module")
def registry():
    return load_proofs()


@pytest.fixture(scope="module")
def sections():
    return read_statements(proofs.STATEMENTS)


def test_the_document_is_in_the_repository_and_registered(registry):
    assert proofs.STATEMENTS.is_file()
    assert str(proofs.STATEMENTS) in registry.documents


def test_every_registered_check_has_a_section_with_its_expected_verdict(registry, sections):
    missing = [c.name for c in registry.select() if c.name not in sections]
    assert not missing, f"add a '### `NAME`' section to proofs/STATEMENTS.md for: {missing}"
    differ = {c.name: (sections[c.name].expected, c.expected) for c in registry.select()
              if sections[c.name].expected != c.expected}
    assert not differ, f"proofs/STATEMENTS.md 'Expected' lines (document, registry) differ: {differ}"


def test_every_section_names_a_registered_check(registry, sections):
    # the real-model checks register only with the [transformers] extra, which CI installs
    stray = [name for name in sections if name not in registry.names()]
    assert not stray, f"proofs/STATEMENTS.md has sections for unregistered checks: {stray}"


def test_every_section_says_what_the_statement_and_certificate_are(sections):
    for name, section in sections.items():
        parse_expected(section.expected)  # a valid expected verdict
        for field in ("**Statement:**", "**Paper's wording:**", "**Hypotheses:**", "**Certificate:**"):
            assert field in section.text, f"{name}: no {field} line"


def test_describe_prints_the_section(capsys):
    assert main(["prove", "--describe", "P3.precise"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### `P3.precise`") and "**Expected:** `PROVED (all n)`" in out
    assert "STATEMENTS.md" in out


def test_describe_a_family_prints_every_member(capsys, registry):
    assert main(["prove", "--describe", "S0.c"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("### ")] == [
        f"### `{c.name}`" for c in registry.select(["S0.c"])]


def test_describe_needs_a_name_and_refuses_unknown_ones(capsys):
    assert main(["prove", "--describe"]) == 2
    assert "--describe needs a check name" in capsys.readouterr().err
    assert main(["prove", "--describe", "nope"]) == 2
    assert "no check named 'nope'" in capsys.readouterr().err


def test_list_and_help_cite_the_document(capsys):
    assert main(["prove", "--list"]) == 0
    out = capsys.readouterr().out
    assert "statements documented in" in out and "STATEMENTS.md" in out
    assert "proofs/STATEMENTS.md" in build_parser().format_help()
    assert "PROPOSITIONS" not in build_parser().format_help()


def test_readme_links_the_document_and_not_the_missing_one():
    readme = (proofs.STATEMENTS.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "proofs/STATEMENTS.md" in readme and "PROPOSITIONS.md" not in readme


def test_duplicate_sections_are_refused():
    with pytest.raises(StatementDocumentError, match="appears twice"):
        parse_statements("### `A`\n- **Expected:** `REFUTED`\n### `A`\n")


def test_unreadable_document_is_a_clear_error(tmp_path):
    bad = tmp_path / "STATEMENTS.md"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(StatementDocumentError, match="cannot read statement document"):
        read_statements(bad)
