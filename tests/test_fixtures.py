"""The committed fixtures and expected files still match their specs (tests/data/fixtures/).

``python tests/data/make_fixtures.py`` writes every fixture, its expected file and then checks
them; these tests run the same checks on the committed files in every test run, so a hand
edit to ``expected/*.json``, a spec edited without regenerating, or a stale binary fails CI.
Nothing here rewrites tests/data: files are rebuilt only in ``tmp_path``.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from tests.data.fixtures import (
    BAD,
    DATA_DIR,
    EXPECTED_DIR,
    FIXTURES,
    check_bad,
    check_consistency,
    check_encodings,
    check_fixture,
    check_zip_bomb,
    expected_bad,
    expected_for,
    read_grid,
    write_json,
)

SPECS = {Path(fx.file).stem: fx for fx in FIXTURES}
BAD_SPECS = {Path(file).stem: (file, features, writer) for file, features, writer in BAD}


def _committed(stem: str) -> tuple[dict, str]:
    text = (EXPECTED_DIR / f"{stem}.json").read_text(encoding="utf-8")
    return json.loads(text), text


def _as_written(obj: dict, tmp_path: Path) -> str:
    path = tmp_path / "expected.json"
    write_json(path, obj)
    return path.read_text(encoding="utf-8")


def test_every_expected_file_has_a_spec_and_every_spec_a_file():
    on_disk = {p.stem for p in EXPECTED_DIR.glob("*.json")}
    specs = set(SPECS) | set(BAD_SPECS)
    assert len(SPECS) + len(BAD_SPECS) == len(specs), "fixture stems must be unique"
    assert on_disk == specs
    assert {p.name for p in DATA_DIR.iterdir() if p.stem in specs and p.is_file()} == (
        {fx.file for fx in FIXTURES} | {file for file, _, _ in BAD})


@pytest.mark.parametrize("stem", sorted(SPECS))
def test_expected_json_is_what_the_spec_says(stem, tmp_path):
    committed, text = _committed(stem)
    want = expected_for(SPECS[stem])
    assert committed == json.loads(json.dumps(want))
    assert text == _as_written(want, tmp_path)  # formatting too: regenerating changes nothing


@pytest.mark.parametrize("stem", sorted(BAD_SPECS))
def test_expected_json_of_a_bad_file_is_what_the_spec_says(stem, tmp_path):
    committed, text = _committed(stem)
    file, features, _ = BAD_SPECS[stem]
    want = expected_bad(file, features)
    assert committed == json.loads(json.dumps(want))
    assert text == _as_written(want, tmp_path)


@pytest.mark.parametrize("stem", sorted(SPECS))
def test_committed_file_matches_its_spec(stem):
    # names on their rows, a kind for every non-blank row, total labels, cached formula
    # values, sheet states; and the expected values agree with each other
    fx = SPECS[stem]
    check_fixture(fx, expected_for(fx))


def _merges(path: Path) -> dict[str, set[str]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {ws.title: {str(r) for r in ws.merged_cells.ranges} for ws in wb.worksheets}


@pytest.mark.parametrize("stem", sorted(SPECS))
def test_committed_file_holds_every_cell_the_spec_writes(stem, tmp_path):
    # Rebuild the file from today's spec in tmp_path and read both back with the same
    # independent reader: a spec edited without regenerating fails here. Cells are compared,
    # not bytes, so a newer openpyxl/xlwt/odfpy writing other XML does not fail the test.
    fx = SPECS[stem]
    fresh = tmp_path / fx.file
    fx.writer(fresh, fx)
    committed = DATA_DIR / fx.file
    assert read_grid(committed, fx) == read_grid(fresh, fx)
    if fresh.suffix in (".xlsx", ".xlsm"):
        assert _merges(committed) == _merges(fresh)
    if fresh.suffix == ".csv":  # the standard library writes CSV: bytes are stable
        assert committed.read_bytes() == fresh.read_bytes()


@pytest.mark.parametrize("stem", ["bad_text_renamed", "bad_binary", "bad_csv_no_header"])
def test_committed_plain_bad_file_is_what_its_writer_writes(stem, tmp_path):
    file, _, writer = BAD_SPECS[stem]
    writer(tmp_path / file)
    assert (DATA_DIR / file).read_bytes() == (tmp_path / file).read_bytes()


def test_csv_encoding_traps():
    check_encodings()


def test_bad_files_are_bad():
    check_bad()


def test_zip_bomb_builder():
    check_zip_bomb()


# The checks themselves can fail.


def test_check_fixture_catches_a_project_on_the_wrong_row():
    fx = SPECS["layout_merged_header"]
    exp = expected_for(fx)
    exp["projects"][0]["project_name"] = exp["projects"][1]["project_name"]
    with pytest.raises(AssertionError, match="no cell normalises to"):
        check_fixture(fx, exp)


def test_check_fixture_catches_a_stale_file(tmp_path):
    # duplicate_projects.xlsx copied in place of total_mismatch.xlsx: other sheets, other rows
    fx = SPECS["total_mismatch"]
    shutil.copy(DATA_DIR / "duplicate_projects.xlsx", tmp_path / fx.file)
    with pytest.raises(AssertionError, match=r"total_mismatch\.xlsx: sheets \['项目清单'\] != \['Sheet1'\]"):
        check_fixture(fx, expected_for(fx), tmp_path)


def test_check_consistency_catches_a_hand_edited_amount():
    fx = SPECS["nested_sections"]
    exp = copy.deepcopy(expected_for(fx))
    check_consistency(fx, exp)
    first = next(p for p in exp["projects"] if p["total_investment"] is not None)
    first["total_investment"] += 1.0
    with pytest.raises(AssertionError, match="but the values imply"):
        check_consistency(fx, exp)
