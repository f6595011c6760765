"""The notebook tour runs top to bottom in a real Jupyter kernel, and is kept in git without outputs."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")  # the dev extra; without it the notebook tests are skipped, not errors
NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "universality.ipynb"


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_executes_in_a_kernel_and_shows_networks_as_pictures(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 4  # the constructed net, the plot, the sweep, the deep net
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "not allowed" in text  # the hostile expression was refused
    assert "spline" in text and "poly" in text  # the comparison table
    # LaTeX is typeset (text/latex), never shown as an escaped Python string such as '\\sin{\\left(3 x \\right)}'
    assert "\\\\" not in text and "\\left" not in text, text
    assert any("text/latex" in o.get("data", {}) for o in outputs)
    # the widgets section: neuron, bumps and challenge are shown as widgets and driven from code
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) >= 3
    assert "spoilt:   max error" in text and "repaired: max error" in text
    assert "score 0.357" in text and "kB, self-contained" in text
