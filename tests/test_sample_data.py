"""The shipped sample ledgers reproduce the founding article's half-year figures.

These tests read data/raw with openpyxl directly (not with qzanalysis) and compare
to the article's numbers typed here as literals, so they fail if either the data
or the generator drifts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
H1 = RAW / "qinzhou_h1_projects.xlsx"
MONTHLY = [RAW / "monthly" / f"qinzhou_2008-{m:02d}.xlsx" for m in range(1, 7)]
PIPELINE = RAW / "qinzhou_pipeline.xlsx"
GENERATOR = REPO / "data" / "make_sample_data.py"

# 秦州区：今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。
# 其中实施续建项目31个，总投资71030万元，今年完成投资11505万元，引进到位资金10095万元；
# 实施新签约项目28个，总投资27553万元，已完成投资5995万元，引进到位资金5995万元。
ARTICLE_PROJECTS = 59
ARTICLE_TOTAL = 98583
ARTICLE_CONTRACTED = 86563
ARTICLE_GROUPS = {
    "续建": {"count": 31, "total": 71030, "completed": 11505, "in_place": 10095},
    "新签约": {"count": 28, "total": 27553, "completed": 5995, "in_place": 5995},
}
NAMED = {
    "续建": [
        "瑞德电器1500台/套高低压启动设备生产项目",
        "派尔彩印包装生产线建设项目",
        "大华电力通讯设备生产项目",
        "西联蜂业蜂产品深加工项目",
    ],
    "新签约": [
        "2000头荷斯坦奶牛养殖基地建设项目",
        "红豆杉繁育基地建设项目",
        "SSOP集成电路引线框架生产线项目",
        "皂郊水厂改扩建项目",
    ],
}

# The monthly ledgers of 1-5月 retype some names (data/README.md, "名称漂移"), typed here by
# hand: (month, name as typed) -> the project's name in June and in the half-year ledger.
DRIFTED = {
    (2, "花牛苹果气调保鲜库建设工程"): "花牛苹果气调保鲜库建设项目",
    (3, "花牛苹果气调保鲜库建设工程"): "花牛苹果气调保鲜库建设项目",
    (3, "汽车贸易城建设项目"): "秦州汽车贸易城建设项目",
    (4, "汽车贸易城建设项目"): "秦州汽车贸易城建设项目",
    (4, "ＳＳＯＰ集成电路引线框架生产线项目"): "SSOP集成电路引线框架生产线项目",
    (5, "瑞德电器（1500台/套）高低压启动设备生产项目"): "瑞德电器1500台/套高低压启动设备生产项目",
    (1, "派尔彩印 包装生产线建设项目"): "派尔彩印包装生产线建设项目",
    (3, "西聯蜂業蜂產品深加工項目"): "西联蜂业蜂产品深加工项目",
}
# A second phase signed in May, listed in the monthly ledgers only (not started: 0 完成投资).
SECOND_PHASE = "秦州物流园区二期工程"

SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、(.+?)项目（(\d+)个）$")
PERIOD_RE = re.compile(r"^1-(\d+)月$")
AMOUNTS = ["total", "contracted", "plan", "completed", "in_place", "cumulative"]
TOP_HEADERS = {
    "序号": "seq", "项目名称": "name", "建设单位": "owner", "建设地点": "location",
    "建设内容及规模": "content", "行业": "industry", "资金来源": "funding",
    "总投资": "total", "合同引资": "contracted", "本年计划投资": "plan",
    "开工累计完成投资": "cumulative", "开工时间": "start", "形象进度": "note",
}


def text(v) -> str:
    return "" if v is None else str(v).strip()


def parse(path: Path) -> dict:
    """Locate header, 合计, sections, projects and 小计 rows by their text."""
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 1, wb.sheetnames
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]

    header = next(i for i, r in enumerate(rows) if "序号" in map(text, r)
                  and "项目名称" in map(text, r))
    top, sub = rows[header], rows[header + 1]
    cols, period = {}, None
    for j, v in enumerate(top):
        t = text(v)
        if t in TOP_HEADERS:
            cols[TOP_HEADERS[t]] = j
        elif PERIOD_RE.match(t):
            period = int(PERIOD_RE.match(t).group(1))
            assert text(sub[j]) == "完成投资" and text(sub[j + 1]) == "到位资金"
            cols["completed"], cols["in_place"] = j, j + 1
    assert set(cols) == set(TOP_HEADERS.values()) | {"completed", "in_place"}, cols
    # parent 1-n月 merged over its two children; single headers merged over two rows
    merged = {str(m) for m in ws.merged_cells.ranges}
    letter = openpyxl.utils.get_column_letter
    hr = header + 1  # 1-based Excel row
    assert f"{letter(cols['completed'] + 1)}{hr}:{letter(cols['in_place'] + 1)}{hr}" in merged
    for key in TOP_HEADERS.values():
        c = letter(cols[key] + 1)
        assert f"{c}{hr}:{c}{hr + 1}" in merged, key

    def amounts(r):
        return {k: r[cols[k]] for k in AMOUNTS}

    result = {"period": period, "title": text(rows[0][0]), "grand": None, "groups": {},
              "order": []}
    current = None
    for r in rows[header + 2:]:
        label = text(r[0])
        if label == "合计":
            assert result["grand"] is None and current is None
            result["grand"] = amounts(r)
        elif m := SECTION_RE.match(label):
            current = m.group(2)
            result["groups"][current] = {"declared_count": int(m.group(3)), "projects": [],
                                         "subtotal": None}
            result["order"].append(current)
        elif label == "小计":
            assert current is not None
            result["groups"][current]["subtotal"] = amounts(r)
            current = None
        elif isinstance(r[0], int):
            assert current is not None, r
            rec = {k: r[j] for k, j in cols.items()}
            result["groups"][current]["projects"].append(rec)
        elif label.startswith("注："):
            pass
        else:
            assert all(v is None for v in r), f"unexpected row in {path.name}: {r}"
    assert result["grand"] is not None
    return result


def group_sum(projects, key):
    vals = [p[key] for p in projects if p[key] is not None]
    return sum(vals) if vals else None


@pytest.fixture(scope="module")
def h1():
    return parse(H1)


@pytest.fixture(scope="module")
def monthly():
    return {m: parse(p) for m, p in enumerate(MONTHLY, start=1)}


def test_files_exist():
    for path in [H1, PIPELINE, *MONTHLY, GENERATOR, REPO / "data" / "README.md"]:
        assert path.is_file(), path


def test_h1_layout(h1):
    assert h1["period"] == 6
    assert "上半年" in h1["title"]
    assert h1["order"] == ["续建", "新签约"]
    wb = openpyxl.load_workbook(H1)
    ws = wb.worksheets[0]
    assert ws.title == "1-6月"
    assert "单位：万元" in text(ws.cell(2, 1).value)


def test_h1_counts(h1):
    groups = h1["groups"]
    assert sum(len(g["projects"]) for g in groups.values()) == ARTICLE_PROJECTS
    for name, spec in ARTICLE_GROUPS.items():
        assert len(groups[name]["projects"]) == spec["count"]
        assert groups[name]["declared_count"] == spec["count"]
        seqs = [p["seq"] for p in groups[name]["projects"]]
        assert seqs == list(range(1, spec["count"] + 1))


def test_h1_sums_equal_article(h1):
    groups = h1["groups"]
    every = [p for g in groups.values() for p in g["projects"]]
    assert group_sum(every, "total") == ARTICLE_TOTAL
    assert group_sum(every, "contracted") == ARTICLE_CONTRACTED
    for name, spec in ARTICLE_GROUPS.items():
        projects = groups[name]["projects"]
        assert group_sum(projects, "total") == spec["total"], name
        assert group_sum(projects, "completed") == spec["completed"], name
        assert group_sum(projects, "in_place") == spec["in_place"], name
    # and the declared 合计 row says the same
    assert h1["grand"]["total"] == ARTICLE_TOTAL
    assert h1["grand"]["contracted"] == ARTICLE_CONTRACTED
    assert h1["grand"]["completed"] == 11505 + 5995
    assert h1["grand"]["in_place"] == 10095 + 5995


def check_declared_totals(parsed, where):
    groups = parsed["groups"]
    for name, g in groups.items():
        assert g["subtotal"] is not None, (where, name)
        assert len(g["projects"]) == g["declared_count"], (where, name)
        for key in AMOUNTS:
            assert g["subtotal"][key] == group_sum(g["projects"], key), (where, name, key)
    every = [p for g in groups.values() for p in g["projects"]]
    for key in AMOUNTS:
        assert parsed["grand"][key] == group_sum(every, key), (where, "合计", key)


def test_h1_declared_totals_match_projects(h1):
    check_declared_totals(h1, H1.name)


def test_h1_named_projects(h1):
    for group, names in NAMED.items():
        projects = h1["groups"][group]["projects"]
        present = [p["name"] for p in projects]
        for name in names:
            assert name in present, (group, name)
        # the article lists them as the main projects: the four largest of the group
        top4 = {p["name"] for p in sorted(projects, key=lambda p: -p["total"])[:4]}
        assert top4 == set(names), group
    other = {"续建": "新签约", "新签约": "续建"}
    for group, names in NAMED.items():
        present = {p["name"] for p in h1["groups"][other[group]]["projects"]}
        assert not present & set(names)


def test_h1_values_plausible(h1):
    names = set()
    for group, g in h1["groups"].items():
        for p in g["projects"]:
            assert p["name"] not in names, p["name"]
            names.add(p["name"])
            for key in AMOUNTS:
                assert isinstance(p[key], int) and p[key] >= 0, (p["name"], key, p[key])
            assert p["total"] > 0
            assert p["contracted"] <= p["total"], p["name"]
            assert p["completed"] <= p["total"], p["name"]
            assert p["in_place"] <= p["contracted"], p["name"]
            assert p["in_place"] <= p["completed"], p["name"]
            assert p["completed"] <= p["plan"] <= p["total"], p["name"]
            assert p["completed"] <= p["cumulative"] <= p["total"], p["name"]
            assert text(p["location"]) and text(p["owner"]) and text(p["funding"])
            if group == "续建":
                assert p["start"] is not None, p["name"]


def test_monthly_declared_totals(monthly):
    for m, parsed in monthly.items():
        assert parsed["period"] == m
        assert parsed["order"] == ["续建", "新签约"]
        check_declared_totals(parsed, f"monthly {m}")


def test_monthly_june_equals_h1(monthly, h1):
    june = monthly[6]
    for group in ARTICLE_GROUPS:
        a = {p["name"]: p for p in june["groups"][group]["projects"]}
        b = {p["name"]: p for p in h1["groups"][group]["projects"]}
        # June adds only the second phase signed in May (a monthly-ledger project)
        assert a.keys() - {SECOND_PHASE} == b.keys(), group
        for name in b:
            for key in AMOUNTS:
                assert a[name][key] == b[name][key], (group, name, key)
    phase2 = next(p for p in june["groups"]["新签约"]["projects"] if p["name"] == SECOND_PHASE)
    assert (phase2["completed"], phase2["in_place"], phase2["cumulative"]) == (0, 0, 0)
    assert phase2["plan"] is None  # not yet in this year's plan
    for key in ("completed", "in_place", "cumulative", "plan"):
        assert june["grand"][key] == h1["grand"][key], key
    assert (phase2["total"], phase2["contracted"]) == (3600, 3000)
    for key in ("total", "contracted"):
        assert june["grand"][key] == h1["grand"][key] + phase2[key], key


def test_monthly_series_grow(monthly):
    seen: dict[tuple[str, str], dict] = {}
    assert len(monthly[1]["groups"]["续建"]["projects"]) == 31
    new_counts = []
    for m in range(1, 7):
        groups = monthly[m]["groups"]
        assert len(groups["续建"]["projects"]) == 31, m
        new_counts.append(len(groups["新签约"]["projects"]))
        current = {(g, DRIFTED.get((m, p["name"]), p["name"])): p
                   for g in groups for p in groups[g]["projects"]}
        # projects never disappear and never change group
        assert set(seen) <= set(current), (m, set(seen) - set(current))
        for key, p in current.items():
            if key in seen:
                for col in ("completed", "in_place", "cumulative"):
                    assert p[col] >= seen[key][col], (m, key, col)
                for col in ("total", "contracted", "plan"):
                    assert p[col] == seen[key][col], (m, key, col)
            assert p["in_place"] <= p["completed"], (m, key)
        seen = current
    typed = {(m, p["name"]) for m in monthly for g in monthly[m]["groups"].values()
             for p in g["projects"]}
    assert set(DRIFTED) <= typed  # every drift is really in its month's ledger
    assert new_counts == sorted(new_counts)
    assert new_counts[0] > 0 and new_counts[-1] == 28 + 1  # and the second phase
    assert len(set(new_counts)) == 6  # projects are signed every month


def test_pipeline():
    parsed = parse(PIPELINE)
    groups = parsed["groups"]
    assert set(groups) == {"建成", "洽谈", "储备", "争取"}
    check_declared_totals(parsed, PIPELINE.name)
    for stage in ("洽谈", "储备", "争取"):
        for p in groups[stage]["projects"]:
            assert p["in_place"] is None and p["completed"] is None, (stage, p["name"])
            assert p["contracted"] is None, (stage, p["name"])
            assert p["total"] > 0
    for p in groups["建成"]["projects"]:
        assert p["cumulative"] == p["total"]
    assert len(groups["储备"]["projects"]) >= 30
    h1_names = {p["name"] for g in parse(H1)["groups"].values() for p in g["projects"]}
    pipe_names = {p["name"] for g in groups.values() for p in g["projects"]}
    assert not h1_names & pipe_names


def cell_values(path: Path):
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: (
            [list(r) for r in ws.iter_rows(values_only=True)],
            sorted(str(m) for m in ws.merged_cells.ranges),
        )
        for ws in wb.worksheets
    }


def test_generator_reproduces_files(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True,
                   cwd=REPO, capture_output=True)
    shipped = sorted(p.relative_to(RAW) for p in RAW.rglob("*.xlsx"))
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.xlsx"))
    assert shipped == fresh
    assert len(shipped) == 8
    for rel in shipped:
        assert cell_values(RAW / rel) == cell_values(tmp_path / rel), rel
        props = openpyxl.load_workbook(tmp_path / rel).properties
        assert props.created == props.modified  # fixed timestamps, not "now"
