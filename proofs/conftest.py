"""Collect every module of proofs/ with pytest (they are named after statement families, not test_*)."""

import pytest

__all__ = ["pytest_collect_file"]


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name not in ("__init__.py", "conftest.py") \
            and not file_path.name.startswith("test_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None
