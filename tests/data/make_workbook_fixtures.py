"""Write the workbook-level fixtures of tests/test_workbooks.py into tests/data/workbooks/.

Run from the repository root::

    python tests/data/make_workbook_fixtures.py

Each fixture pins one way real workbooks broke the reader (issue 14; the layouts come
from ../shared/real_ledgers and the held-back cases the issue describes). The projects
and figures are typed by hand here; the expected figures are typed by hand again, in
tests/test_workbooks.py, from the same tables (never from the reader's output).
xlsxwriter writes deterministic files when the creation date is fixed.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent / "workbooks"
FIXED = dt.datetime(2024, 1, 1)

HEADER = ["序号", "项目名称", "建设单位", "总投资（万元）", "1-5月完成投资（万元）"]
# name, owner, total, completed
PROJECTS = [
    ("秦州区智慧物流园", "天水物流公司", 12000, 3000),
    ("皂郊镇现代农业产业园", "皂郊镇政府", 8000, 1500),
    ("天水电子元件扩能项目", "天水华天公司", 25000, 6200),
    ("藉河南岸棚户区改造项目", "秦州区住建局", 30000, 9000),
]


def book(name):
    wb = xlsxwriter.Workbook(HERE / name)
    wb.set_properties({"created": FIXED})
    return wb


def write_rows(ws, rows, first=0):
    for r, row in enumerate(rows, start=first):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)


def project_rows(items, numbered=True):
    return [[i + 1 if numbered else None, n, o, t, d] for i, (n, o, t, d) in enumerate(items)]


def repeated_import_sheet():
    """The same table twice: with title and unit rows, and as a bare copy for importing."""
    wb = book("repeated_import_sheet.xlsx")
    ws = wb.add_worksheet("1-5月")
    total = ["合计", None, None, sum(p[2] for p in PROJECTS), sum(p[3] for p in PROJECTS)]
    write_rows(ws, [["秦州区2024年重点项目进展情况表"], ["单位：万元"], HEADER,
                    *project_rows(PROJECTS), total])
    ws = wb.add_worksheet("导入")
    # the copy lists them in another order, numbered anew
    order = [PROJECTS[2], PROJECTS[0], PROJECTS[3], PROJECTS[1]]
    write_rows(ws, [HEADER, *project_rows(order)])
    wb.close()


def summary_plus_districts():
    """A 总表 listing every project, then one sheet per district listing theirs again."""
    wb = book("summary_plus_districts.xlsx")
    head = ["序号", "所属区县", "项目名称", "建设单位", "总投资（万元）", "1-5月完成投资（万元）"]
    north = [("秦州区", *PROJECTS[0]), ("秦州区", *PROJECTS[1])]
    south = [("麦积区", *PROJECTS[2]), ("麦积区", *PROJECTS[3]),
             ("麦积区", "麦积山景区游客中心", "麦积区文旅局", 4500, 800)]
    everything = north + south

    def rows(items):
        body = [[i + 1, *p] for i, p in enumerate(items)]
        return [head, *body, ["合计", None, None, None, sum(p[3] for p in items),
                              sum(p[4] for p in items)]]
    write_rows(wb.add_worksheet("总表"), [["重点项目总表"], *rows(everything)])
    write_rows(wb.add_worksheet("秦州区"), [["秦州区重点项目"], *rows(north)])
    write_rows(wb.add_worksheet("麦积区"), [["麦积区重点项目"], *rows(south)])
    wb.close()


def two_groupings():
    """One list grouped two ways: by stage on one sheet, by sector on the other."""
    wb = book("two_groupings.xlsx")
    by_stage = [HEADER, ["一、续建项目（2个）"], *project_rows(PROJECTS[:2]),
                ["二、新开工项目（2个）"], *project_rows(PROJECTS[2:])]
    write_rows(wb.add_worksheet("按行业"), [
        HEADER, ["一、工业"], *project_rows([PROJECTS[2]]),
        ["二、农业"], *project_rows([PROJECTS[1]]),
        ["三、服务业"], *project_rows([PROJECTS[0], PROJECTS[3]])])
    write_rows(wb.add_worksheet("按阶段"), by_stage)
    wb.close()


def partial_overlap_conflict():
    """Two district sheets that both list one project, with different figures."""
    wb = book("partial_overlap_conflict.xlsx")
    write_rows(wb.add_worksheet("秦州区"), [HEADER, *project_rows(PROJECTS[:2])])
    other = [PROJECTS[2], (PROJECTS[1][0], PROJECTS[1][1], 9000, 1500)]
    write_rows(wb.add_worksheet("麦积区"), [HEADER, *project_rows(other)])
    wb.close()


def form_layout():
    """A one-project form: labels down column A, each followed by its value."""
    wb = book("form_layout.xlsx")
    ws = wb.add_worksheet("项目表")
    wrap = wb.add_format({"text_wrap": True})
    rows = [
        ["漳州市重点建设项目前期工作台账"],
        ["项目\n名称", "天水高新区新材料产业园", None, "业主\n单位", "天水高新区管委会"],
        ["项目\n主要\n建设\n目标", "建设标准化厂房20万平方米", None, "项目预估总投资（亿元）", 3.5],
        ["完成\n时限", "2024-06-30", "2024-09-30", "2024-12-31"],
        ["完成\n进度", "已完成", "进行中", None],
        ["责任\n单位", "发改局", "自然资源局", "生态环境局"],
        ["责任人", "张三", "李四", "王五"],
        ["需协调解决问题", "用地指标"],
    ]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v, wrap)
    wb.close()


def deep_nesting():
    """Sections numbered (1) → (1.1) → (1.1.1) → (1.1.1.1), the innermost naming the stage,
    under a one-row header whose cells hold line breaks."""
    wb = book("deep_nesting.xlsx")
    ws = wb.add_worksheet("重点项目")
    wrap = wb.add_format({"text_wrap": True})
    head = ["序\n号", "项目\n名称", "建设\n单位", "总投资\n（万元）", "1-5月完成\n投资（万元）"]
    rows = [
        ["2024年重点项目表"], head,
        [None, "（1）产业项目"],
        [None, "（1.1）工业"],
        [None, "（1.1.1）秦州区"],
        [None, "（1.1.1.1）续建项目"], *project_rows([PROJECTS[2]]),
        [None, "（1.1.1.2）新开工项目"], *project_rows([PROJECTS[0]]),
        [None, "（1.2）农业"],
        [None, "（1.2.1）秦州区"],
        [None, "（1.2.1.1）新开工项目"], *project_rows([PROJECTS[1]]),
        [None, "（2）民生项目"],
        [None, "（2.1）续建项目"], *project_rows([PROJECTS[3]]),
        ["合计", None, None, sum(p[2] for p in PROJECTS), sum(p[3] for p in PROJECTS)],
    ]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v, wrap)
    wb.close()


def subtotal_zong():
    """Subtotals counted in 宗 (续建项目小计（2宗）) as some offices write them."""
    wb = book("subtotal_zong.xlsx")
    a, b = PROJECTS[:2], PROJECTS[2:]
    write_rows(wb.add_worksheet("项目"), [
        HEADER, ["一、续建项目"], *project_rows(a),
        ["续建项目小计（2宗）", None, None, sum(p[2] for p in a), sum(p[3] for p in a)],
        ["二、新开工项目"], *project_rows(b),
        ["新开工项目小计（2宗）", None, None, sum(p[2] for p in b), sum(p[3] for p in b)],
        ["合计（4宗）", None, None, sum(p[2] for p in PROJECTS), sum(p[3] for p in PROJECTS)],
    ])
    wb.close()


def name_only_row():
    """A numbered list with one project row holding only its name (R09): it stays a project
    and does not re-stage the projects under it."""
    wb = book("name_only_row.xlsx")
    write_rows(wb.add_worksheet("项目"), [
        HEADER, ["一、续建项目"], *project_rows(PROJECTS[:2]),
        [None, "城区老旧管网新建改造工程"],
        [3, PROJECTS[2][0], PROJECTS[2][1], PROJECTS[2][2], PROJECTS[2][3]],
    ])
    wb.close()


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for make in (repeated_import_sheet, summary_plus_districts, two_groupings,
                 partial_overlap_conflict, form_layout, deep_nesting, subtotal_zong,
                 name_only_row):
        make()
        print("wrote", make.__name__)
