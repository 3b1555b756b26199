"""The package imports light and exposes its public names."""

import subprocess
import sys

import pytest

import qzanalysis as qz


def test_import_does_not_import_matplotlib():
    code = "import sys, qzanalysis; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ledger_error_is_value_error_and_names_the_place():
    err = qz.LedgerError("找不到表头", file="/tmp/x/h1.xlsx", sheet="1-6月", row=3)
    assert isinstance(err, ValueError)
    assert str(err) == "文件 h1.xlsx，工作表“1-6月”，第3行：找不到表头"


def test_unknown_public_name_is_an_attribute_error():
    try:
        qz.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


@pytest.mark.parametrize("first", ["pass", "import qzanalysis.classify", "import qzanalysis.narrative",
                                   "from qzanalysis.classify import unclassified"])
def test_public_functions_stay_functions_whatever_is_imported_first(first):
    code = (f"{first}\nimport qzanalysis as qz\n"
            "print(type(qz.classify).__name__, type(qz.narrative).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["function", "function"]
