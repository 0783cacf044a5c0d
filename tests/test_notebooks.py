"""Execute every notebook in ``notebooks/`` top to bottom, and keep the committed notebooks clean.

Each notebook runs in a fresh IPython kernel started from *this* interpreter
(a kernelspec written to a temporary directory, so no ``ipykernel install``
and no user-level kernelspec is involved), with ``MPLBACKEND=Agg`` and the
notebook's directory as working directory.  A cell that raises fails the
test; so does a notebook that runs past ``NOTEBOOK_TIMEOUT`` seconds in total
(a guard against hangs, not a speed assertion).  After the last cell the test
draws every open matplotlib figure to PNG, so a plot that cannot render fails
too.

Committed notebooks must carry no outputs and no execution counts.
"""

import json
import sys
import time
from pathlib import Path

import pytest

try:
    import nbclient
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    import ipykernel  # noqa: F401  (the kernel the notebooks run in)
    import matplotlib  # noqa: F401  (the notebooks plot)
except ImportError as exc:  # fail loudly: a skipped notebook test would hide broken notebooks
    raise ImportError(f"{exc}; the notebook tests need the 'test' extra: pip install -e '.[test]'") from exc

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
EXPECTED = [
    "01_fair_division.ipynb",
    "02_attention_weights.ipynb",
    "03_attention_flows.ipynb",
    "04_leave_one_out.ipynb",
    "05_groups.ipynb",
    "06_comparing_explanations.ipynb",
    "07_multichoice.ipynb",
]
#: Wall-clock budget of one notebook, kernel start excluded (each takes seconds; this only stops hangs).
NOTEBOOK_TIMEOUT = 240
KERNEL_NAME = "symgame-notebook-tests"

# Appended (in memory only) after the last cell: render every open figure, report how many.
RENDER_CHECK = """
import io as _io, json as _json
import matplotlib as _mpl, matplotlib.pyplot as _plt
for _num in _plt.get_fignums():
    _plt.figure(_num).savefig(_io.BytesIO(), format="png")
print(_json.dumps({"backend": _mpl.get_backend(), "figures": len(_plt.get_fignums())}))
"""


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory):
    """A kernelspec that runs ipykernel with this interpreter and the Agg backend."""
    root = tmp_path_factory.mktemp("kernels")
    spec = root / KERNEL_NAME
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "symgame notebook tests",
        "language": "python",
        "env": {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"},
    }))
    return root


class _Budget:
    """nbclient ``timeout_func``: every cell may use what is left of the notebook's budget."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.deadline = None

    def __call__(self, cell):
        now = time.monotonic()
        if self.deadline is None:
            self.deadline = now + self.seconds
        return max(1, int(self.deadline - now))  # nbclient treats 0 or less as "no timeout"


def _execute(path, kernel_dir):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(RENDER_CHECK))
    km = AsyncKernelManager(kernel_name=KERNEL_NAME,
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))
    client = nbclient.NotebookClient(
        nb, km=km, timeout_func=_Budget(NOTEBOOK_TIMEOUT), startup_timeout=120,
        allow_errors=False, resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(cleanup_kc=True)
    return nb


def _render_report(nb):
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    return json.loads(text.strip().splitlines()[-1])


def test_every_expected_notebook_is_present():
    assert [p.name for p in PATHS] == EXPECTED


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs(path, kernel_dir):
    nb = _execute(path, kernel_dir)
    report = _render_report(nb)
    assert report["backend"].lower() == "agg"
    uses_plots = any("plt." in cell.source for cell in nb.cells[:-1] if cell.cell_type == "code")
    if uses_plots:
        assert report["figures"] >= 1


def test_a_failing_cell_fails_the_run(tmp_path, kernel_dir):
    """The harness itself: an exception in a cell must surface as a test failure."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise ValueError('boom')")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="boom"):
        _execute(path, kernel_dir)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_committed_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("language") == "python"
    dirty = [k for k, cell in enumerate(nb.cells)
             if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs or execution counts; clear them before committing"
    assert all(cell.source.strip() for cell in nb.cells), f"{path.name} has empty cells"


def test_readme_lists_every_notebook():
    readme = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in PATHS if p.name not in readme] == []
