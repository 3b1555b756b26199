"""Write, execute and save the analysts' notebooks (authoring script, not run by the tests).

Usage, from the repository root::

    .venv/bin/python notebooks/build_notebooks.py          # all notebooks
    .venv/bin/python notebooks/build_notebooks.py 04       # only those whose name starts so

Each notebook is defined below as a list of markdown and code cells. The script executes
it in ``notebooks/`` (the folder the paths are relative to) with a fresh kernel, refuses
to save it if any cell raised or wrote to stderr (warnings, font-cache noise), and saves
it with every output and execution count stripped except in the cells whose first line is
``# NBVAL_CHECK_OUTPUT``: those keep their printed text, which nbval compares on every
``make test``, and their count (from a fresh kernel, so always the same). Cell ids are
fixed, so rebuilding an unchanged notebook gives the same file.

Needs ``nbclient`` (authoring only: ``.venv/bin/python -m pip install nbclient``); the
tests run the saved notebooks with nbval and do not need it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
CHECK = "# NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def md(text: str) -> tuple[str, str]:
    return ("markdown", text.strip("\n"))


def code(text: str) -> tuple[str, str]:
    return ("code", text.strip("\n"))


# =====================================================================================
# 01 读取与检查台账
# =====================================================================================

NB01 = [
    md("""
# 01 读取与检查台账

这本笔记本演示拿到一份项目台账（Excel）后的第一步：**读进来，再检查**。

- 读取：`qz.load(文件路径)` 一次读完整个工作簿，自动识别标题行、单位行、两行合并表头、
  分组行（“一、续建项目（31个）”）、合计/小计行和表尾说明行。
- 检查：每一行去了哪里、表中的合计与逐项相加是否一致、有没有写成“待定”的金额、
  重复填报的项目等，都列成清单，并指出工作表、行号和列名。

示例文件是 `data/raw/qinzhou_h1_projects.xlsx`（秦州区2008年上半年招商引资项目台账；除文章中的
合计数外，项目、金额都是虚构的，见 `data/README.md`）。笔记本里的路径都相对于 `notebooks/`
文件夹，所以写成 `../data/raw/...`。

按顺序运行每个单元格（选中后按 Shift+Enter）。
"""),
    code("""
import pandas as pd

import qzanalysis as qz
from qzanalysis.metrics import LABELS

pd.set_option("display.max_columns", 30)
pd.set_option("display.max_colwidth", 60)
"""),
    md("""
## 1. 读取台账

`qz.load` 返回一个“台账”对象（`Ledger`），里面有：

| 属性 | 内容 |
|---|---|
| `ledger.projects` | 项目明细，每个项目一行，列名统一（见下文） |
| `ledger.rows` | 原表中每一个非空行的去向：项目、合计、分组、表头、标题、备注或被拒绝（附原因） |
| `ledger.totals` | 原表自己写的合计、小计行，以及按明细重新相加的结果 |
| `ledger.funding` | 分资金来源填报的金额（有分列的资金来源时） |
| `ledger.check()` | 数据问题清单 |

显示台账对象本身，就能看到项目个数、合计行数和问题条数的概要。
"""),
    code("""
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
ledger
"""),
    md("""
## 2. 项目明细

不论原表把列叫作“项目名称”“项 目 名 称”还是“项目名称及建设内容”，读进来后都统一成规范列名：
`project_name`（项目名称）、`stage`（阶段）、`owner`（建设单位）、`location`（建设地点）、
`total_investment`（总投资）、`contracted_investment`（合同引资）、`planned_investment`（本年计划投资）、
`completed_investment`（本年完成投资）、`funds_in_place`（到位资金）等。金额一律换算成**万元**；
空白、“—”“/”“无”是缺失值，不会当成 0。原表中认不出的列按原表头保留（如 `序号`），不会丢掉。

最后三列 `source_file`、`source_sheet`、`source_row` 记录每个项目来自哪个文件、哪个工作表、
Excel 里的第几行，核对时直接翻到原表。
"""),
    code("""
projects = ledger.projects
projects.head()
"""),
    md("""
想看中文列名，用 `LABELS` 把规范列名换成中文表头（只改显示，不改数据）：
"""),
    code("""
shown = ["project_name", "stage", "owner", "location", "total_investment",
         "contracted_investment", "completed_investment", "funds_in_place"]
projects[shown].head(10).rename(columns=LABELS)
"""),
    md("""
## 3. 每一行的去向（行记账）

读取时**不丢行**：原表中每一个非空行都在 `ledger.rows` 里出现一次，`kind` 说明它被当作什么：

- `project` 项目行；`total` 合计、小计、其中行；`section` 分组行（一、续建项目）；
- `header` 表头；`title` 标题；`note` 单位行、填报单位、“注：”说明；
- `rejected` 没有当作项目的行，`reason` 写明原因（如有金额却没有项目名称）。

项目行的个数一定等于项目明细的行数。
"""),
    code("""
ledger.rows["kind"].value_counts()
"""),
    code("""
print("项目行：", (ledger.rows["kind"] == "project").sum(), "；项目明细：", len(projects))
"""),
    md("""
除项目以外的行（标题、表头、合计、分组、说明）逐行列出来看一眼，确认没有项目被误当成别的：
"""),
    code("""
ledger.rows[ledger.rows["kind"] != "project"]
"""),
    md("""
## 4. 表中的合计与逐项相加

`ledger.totals` 每一行是原表中的一个合计或小计行：`label` 是原表写的字（合计、小计），
`scope` 是它管辖的范围（全部，或某个分组），`n_projects` 是它所含的项目个数；
各金额列是**原表声明的数**，以 `computed_` 开头的列是**把所含项目逐项相加的数**。
两者不一致时，`check()` 会报告 `total_mismatch`。

示例台账的合计行就是文章中的上半年数字：59个项目，总投资98583万元，合同引资86563万元；
续建、新签约两个小计分别是71030万元和27553万元。（这个单元格的输出由测试逐字核对。）
"""),
    code(f"""
{CHECK}
columns = ["source_row", "label", "scope", "n_projects",
           "total_investment", "computed_total_investment",
           "contracted_investment", "computed_contracted_investment"]
print(ledger.totals[columns].to_string(index=False, float_format="{{:.0f}}".format))
"""),
    md("""
## 5. 数据问题清单

`ledger.check()` 列出所有问题，每条一行：`severity` 严重程度（`error` 错误、`warning` 警告、
`info` 提示），`rule` 问题类型，`message` 中文说明（哪个工作表、第几行、哪一列、怎么处理），
以及 `source_sheet`、`source_row`、`column` 定位。

常见的问题类型：`total_mismatch` 合计与明细不符，`unparsed_value` 金额写成了文字（如“待定”），
`formula_without_value` 公式没有计算结果（文件没在 Excel 里保存过），`duplicate_project`
同一项目填了两次，`skipped_sheet` 跳过的工作表（填表说明、空表）。

示例台账是干净的，所以清单为空：
"""),
    code("""
ledger.check()
"""),
    md("""
## 6. 有问题的台账是什么样子

下面用测试用的一个小文件 `tests/data/total_mismatch.xlsx` 演示（它是专门为测试做的，
故意让一个小计与明细对不上）。
"""),
    code("""
messy = qz.load("../tests/data/total_mismatch.xlsx")
findings = messy.check()
findings
"""),
    md("""
说明文字较长，表格里显示不全时，逐条打印出来：
"""),
    code("""
print("\\n".join(findings["message"]))
"""),
    md("""
对照这个文件的合计行：第6行小计声明总投资9000万元，而它所含的3个项目相加是8800万元。
"""),
    code("""
messy.totals[["source_row", "label", "scope", "n_projects",
              "total_investment", "computed_total_investment"]]
"""),
    md("""
要把问题清单发给填报单位核对，可以存成 Excel（`qzanalysis.export.to_excel` 会调好列宽、冻结表头，
并防止以 `=` 开头的文字变成公式）。`reports/` 文件夹不进版本库，适合放这类输出：
"""),
    code("""
from qzanalysis.export import to_excel

to_excel({"数据问题": findings}, "../reports/数据问题清单.xlsx")
"""),
    md("""
## 7. 读取自己的台账

1. 把报来的文件复制到仓库的 `data/raw/` 文件夹（原始文件只读：不要在里面改数据，
   有错让填报单位改，或在笔记本里处理）。
2. 把下面单元格里的文件名换成自己的，去掉行首的 `#`，运行。
3. 依次看 `ledger`、`ledger.rows["kind"].value_counts()`、`ledger.totals`、`ledger.check()`。

支持 `.xlsx`、`.xlsm`、`.xls`（WPS 导出的也可以）、`.ods` 和 `.csv`（UTF-8 或 GB18030/GBK 编码）。
识别不准时可以指定：`sheet="1-6月"` 只读某个工作表，`header_row=4` 指定表头所在行（Excel 行号），
`unit="亿元"` 指定金额单位。
"""),
    code("""
# ledger = qz.load("../data/raw/某某区2024年1-6月重点项目台账.xlsx")
# ledger = qz.load("../data/raw/某某区项目台账.xls", sheet="1-6月", header_row=4, unit="万元")
"""),
    md("""
文件读不了时（不是台账、加密、损坏、空表），`qz.load` 报 `qz.LedgerError`，中文说明指出文件
（以及工作表、行号）。例如一个空工作簿（也是测试用文件）：
"""),
    code("""
try:
    qz.load("../tests/data/bad_empty.xlsx")
except qz.LedgerError as error:
    print(error)
"""),
    md("""
下一步：`02-项目分类.ipynb`，按阶段、资金渠道和行业给项目分类。
"""),
]

# =====================================================================================
# 02 项目分类
# =====================================================================================

NB02 = [
    md("""
# 02 项目分类

文章把项目按三个口径归类：**项目阶段**（分阶段实施情况）、**资金渠道**和**行业类型**。
`qz.classify(项目表)` 一步加上这三类，返回一张新表（原表不变），新增的列：

| 列 | 含义 |
|---|---|
| `stage` | 阶段：储备、前期、洽谈、新签约、新开工、续建、竣工（按推进顺序排列） |
| `funding_channel` | 资金渠道：国家预算资金、国内贷款、利用外资、自筹资金、其他资金；写了几种来源的为“多渠道” |
| `funding_detail` | 资金来源明细 |
| `industry_section` | 国民经济行业分类（GB/T 4754-2017）门类字母 A–T |
| `industry_division` | 行业大类两位代码（拿不准时为空） |
| `industry_group`、`industry_class` | 中类三位、小类四位代码（依据够具体时才填） |
| `sector` | 三次产业（第一、二、三产业） |
| `industry_confidence` | 判定的把握：high 高、medium 中、low 低 |
| `industry_runner_up` | 名称里另一门类的词所指的门类（次选），没有则为空 |
| `industry_rule` | 行业是怎么判定的：依据行业列，或哪个关键词、为什么压过了别的词 |

判定行业时，先看原表“行业”列是否写了国标行业名称（制造业、房地产业……），再用关键词匹配
项目名称和建设内容；原表写的本地类别词（工业、农业、城建……）只用来缩小范围。
项目名称的“中心词”在末尾：“汽车销售服务4S店”是店（零售），“农产品质量检测中心”是检测机构，
名称末尾表示设施或活动的词优先于前面的产品词；末尾只是“基地、园区、中心、产业园”时，由前面的词决定。
关键词表有两张：手写的本地用语表，和由国标《国民经济行业分类注释》逐个小类生成的词表
（见 `qzanalysis/rules/README.md`）。
**判定不了的就留空**，不会硬塞进某一类——留空的和把握低的项目在本笔记本第4节集中复核。
"""),
    code("""
from pathlib import Path

import pandas as pd

import qzanalysis as qz
from qzanalysis import industry
from qzanalysis.classify import classification_findings, unclassified
from qzanalysis.metrics import LABELS

pd.set_option("display.max_columns", 30)
pd.set_option("display.max_colwidth", 60)
"""),
    md("""
## 1. 读取并分类
"""),
    code("""
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)
projects[["project_name", "industry", "funding_source", "stage", "funding_channel",
          "industry_section", "industry_division", "industry_class", "sector",
          "industry_confidence", "industry_rule"]].head(15)
"""),
    md("""
## 2. 分类汇总表

`qz.summarize(表, by=列名)` 按一个分类列汇总：项目个数、各项金额之和（万元）、三个比率
（投资完成率 = 累计完成 ÷ 总投资，年度计划完成率 = 本年完成 ÷ 本年计划，资金到位率 = 到位资金 ÷ 合同引资）
和两个占比，最后一行是合计。比率都是“和之比”，只统计两个数都有的项目；比率和占比是小数（0.53 即 53%）。
分类为空的项目汇成“未分类”（阶段为“未明确阶段”）一行，不会漏掉。

### 分阶段
"""),
    code("""
qz.summarize(projects, by="stage").rename(columns=LABELS)
"""),
    md("""
### 分资金渠道
"""),
    code("""
qz.summarize(projects, by="funding_channel").rename(columns=LABELS)
"""),
    md("""
### 分行业门类

门类只是一个字母，用 `industry.sections()`（国标门类表）配上名称：
"""),
    code("""
by_industry = qz.summarize(projects, by="industry_section").rename(columns=LABELS)
section_names = industry.sections().set_index("section")["name"]
by_industry.insert(0, "门类名称", by_industry.index.map(section_names))
by_industry
"""),
    md("""
### 分三次产业；两个口径交叉

`by` 也可以是两个列名，得到交叉汇总（例如每个阶段里各产业的项目）：
"""),
    code("""
qz.summarize(projects, by="sector").rename(columns=LABELS)
"""),
    code("""
qz.summarize(projects, by=["stage", "sector"])[["projects", "total_investment"]].rename(
    columns=LABELS)
"""),
    md("""
## 3. 分类问题清单

`classification_findings` 把分不了类的项目列成问题清单（格式同 `ledger.check()`）：
阶段词认不出（`unknown_stage`）、行业判定不了（`unclassified_industry`）、
资金来源归不进渠道（`unknown_channel`）。示例上半年台账的59个项目全部分好了类，清单为空：
"""),
    code("""
classification_findings(projects)
"""),
    md("""
## 4. 复核：未分类和把握低的项目

`unclassified(表)` 列出缺少行业、阶段或资金渠道的项目，以及行业判定把握低的项目：
`missing` 写明缺什么（“行业存疑”表示已判了门类，但只凭一个弱词或有争议，请确认），
`industry_section`、`industry_rule` 是当前的判定，`near_matches` 是与项目名称或建设内容有两个以上
相同连续字的现有关键词（括号里是它对应的门类和大类），供补充规则时参考。

项目库 `qinzhou_pipeline.xlsx`（建成、洽谈、储备、争取项目，全部虚构）的复核清单：
"""),
    code("""
pipeline = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects)
review = unclassified(pipeline)
review[["project_name", "industry", "missing", "industry_section", "industry_rule",
        "near_matches"]]
"""),
    md("""
### 复核的来回：导出到 Excel，填上正确门类，再传回来

复核清单最后三列是留给复核人的：`keyword`（项目名称）、`correct_section`（正确的门类字母）、
`correct_division`（知道的话，填大类两位代码）。把清单存成 Excel，在 Excel 或 WPS 里填好这两列，
保存后把文件路径作为 `rules=` 传回 `qz.classify`：填了的每一行都成为这个项目的规则，
**自己的规则优先于包里的规则**；没填的行不起作用。

这里存到不进版本库的 `reports/` 文件夹演示，并用代码代替手工填写：
“果品分级包装厂”按国标是农产品初加工（A 门类 05 大类，0514 小类：农产品的分级、包装以供初级市场），
“秦州古城民俗街区开发”按本地口径作为旅游景区开发，归入 N 门类 78 大类（公共设施管理业）。
"""),
    code("""
Path("../reports").mkdir(exist_ok=True)  # pandas' to_excel does not create folders
review.to_excel("../reports/行业复核.xlsx", index=False)

# …在 Excel 里填写 correct_section / correct_division 后保存；这里用代码代替手工填写：
filled = pd.read_excel("../reports/行业复核.xlsx", dtype=str, engine="calamine")
filled.loc[filled["project_name"].str.contains("分级包装"), ["correct_section", "correct_division"]] = ["A", "05"]
filled.loc[filled["project_name"].str.contains("民俗街区"), ["correct_section", "correct_division"]] = ["N", "78"]
filled.to_excel("../reports/行业复核.xlsx", index=False)

reviewed = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects,
                       rules="../reports/行业复核.xlsx")
columns = ["project_name", "industry_section", "industry_division", "industry_confidence",
           "industry_rule"]
reviewed.loc[reviewed["project_name"].str.contains("分级包装|民俗街区"), columns]
"""),
    md("""
## 5. 加上自己的分类规则

复核清单里的规则只管一个个项目。本地常见、而包里的关键词表没有的说法，可以写成通用的规则。
规则是一张小表，每行一个关键词（`keyword`），并且只填下面三列中的一列：

- `section`（门类字母，可再填 `division` 大类两位代码）：行业规则；
- `channel`：资金渠道规则（如 以工代赈 → 国家预算资金）；
- `stage`：阶段词（如 已摘牌 → 前期）。

`note` 可以写备注。由自己的规则判定的项目，`industry_rule` 以“用户规则”开头。

例子：“沼气”在包里的表中没有单独成词（只有“沼气发电”等）；农村户用沼气属于燃气生产和供应，
归入 D 门类 45 大类。“民俗街区”也写成通用规则，以后别的项目名称里出现同样说法时直接归类。
"""),
    code("""
my_rules = pd.DataFrame({
    "keyword": ["沼气", "民俗街区"],
    "section": ["D", "N"],
    "division": ["45", "78"],
    "note": ["农村户用沼气：燃气生产和供应", "本地口径：古城民俗街区按旅游景区开发"],
})
my_rules
"""),
    code("""
pipeline_with_rules = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects,
                                  rules=my_rules)
pipeline_with_rules.loc[pipeline_with_rules["project_name"].str.contains("沼气|民俗街区"), columns]
"""),
    md("""
复核清单里已没有缺行业的项目，只剩把握低、待确认的：
"""),
    code("""
unclassified(pipeline_with_rules, rules=my_rules)[["project_name", "industry", "missing",
                                                   "industry_section", "industry_rule"]]
"""),
    md("""
注意：原表“行业”列写了本地类别词时，内置关键词只在这个类别允许的门类里选。
例如“农业”允许 A、C、F、G、N 门类（农业项目常包括加工、市场、冷库），对应表在
`qzanalysis/rules/local_categories.csv`。自己写的规则不受这个限制：上面的
“农村沼气建设项目”行业列写的是“农业”，“沼气 → D 45”的规则照样生效。

### 把规则存成 CSV 文件

规则多了，存成 CSV 文件（用 Excel 或 WPS 编辑，另存为“CSV UTF-8”），以后每次分类时传文件路径即可。
列名同上：`keyword,section,division,channel,stage,note`。自己的规则文件放在便于长期保存的地方。
"""),
    code("""
my_rules.to_csv("../reports/我的分类规则.csv", index=False, encoding="utf-8-sig")
from_file = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects,
                        rules="../reports/我的分类规则.csv")
from_file.loc[from_file["project_name"].str.contains("沼气"), columns]
"""),
    md("""
下一步：`03-项目进度图表.ipynb`。
"""),
]

# =====================================================================================
# 03 项目进度图表
# =====================================================================================

NB03 = [
    md("""
# 03 项目进度图表

这本笔记本计算项目进度指标，并画出报告用的全部图表：分阶段投资、项目阶段漏斗、分资金渠道、
分行业、逐项目进度（标出滞后项目）、逐月累计完成（S 曲线）和资金到位。图表的中文字体、配色、
单位（万元/亿元自动切换）都已设好，每个画图函数返回一个 matplotlib 的 `Axes`，可以接着修改。
"""),
    code("""
%matplotlib inline
import pandas as pd

import qzanalysis as qz
from qzanalysis import charts, metrics
from qzanalysis.metrics import LABELS

pd.set_option("display.max_columns", 30)
"""),
    code("""
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)
"""),
    md("""
## 1. 进度指标

`metrics.progress(表, period="1-6月")` 给每个项目加上：

| 列 | 含义 |
|---|---|
| `completion_rate` | 投资完成率 = 开工累计完成投资 ÷ 总投资 |
| `plan_rate` | 年度计划完成率（占年计划%） = 本年完成投资 ÷ 本年计划投资 |
| `funds_rate` | 资金到位率 = 到位资金 ÷ 合同引资 |
| `schedule` | 时序进度 = 已过月数 ÷ 12（1-6月为 50%） |
| `schedule_gap` | 超/欠序时（百分点） = (占年计划% − 时序进度) × 100 |
| `lagging` | 进度滞后：占年计划%低于时序进度10个百分点以上，或在建项目至今没有完成投资 |

`period` 可以写 `"1-6月"`、`"上半年"`、`"1-8月"`、`"全年"`；滞后的标准用 `lag_threshold=0.10` 调整。
"""),
    code("""
rows = metrics.progress(projects, period="1-6月")
rows[["project_name", "stage", "planned_investment", "completed_investment",
      "plan_rate", "schedule", "schedule_gap", "lagging"]].head(10).rename(columns=LABELS)
"""),
    md("""
### 滞后项目

`lagging` 可能为空（缺本年计划投资、无法判断），筛选时把空值当作“不滞后”：
"""),
    code("""
lagging = rows["lagging"].fillna(False)
rows.loc[lagging, ["project_name", "stage", "planned_investment", "completed_investment",
                   "plan_rate", "schedule_gap", "progress_note"]].rename(columns=LABELS)
"""),
    md("""
### 开工率

`metrics.start_rate` 计算今年新项目的开工率：应开工 = 新签约和新开工项目，已开工 = 新开工项目
加上已经有完成投资的新签约项目。
"""),
    code("""
metrics.start_rate(projects).rename(columns=LABELS)
"""),
    md("""
## 2. 图表

### 分阶段项目个数与总投资

柱高是总投资，柱顶标出金额和项目个数。`value=` 可改为 `"completed_investment"`（本年完成投资）、
`"funds_in_place"`（到位资金）或 `"projects"`（项目个数）。
"""),
    code("""
ax = charts.plot_by_stage(projects)
"""),
    code("""
ax = charts.plot_by_stage(projects, value="completed_investment", title="分阶段本年完成投资")
"""),
    md("""
### 项目阶段漏斗（储备 → 竣工）

漏斗要有前面各阶段的项目：把项目库 `qinzhou_pipeline.xlsx`（建成、洽谈、储备、争取项目）
和上半年台账的项目放在一起画。
"""),
    code("""
pipeline = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects)
all_stages = pd.concat([pipeline, projects], ignore_index=True)
ax = charts.plot_stage_funnel(all_stages)
"""),
    md("""
### 分资金渠道
"""),
    code("""
ax = charts.plot_by_channel(projects)
"""),
    md("""
### 分行业门类

按三次产业着色；`top=6` 只画最大的6个门类，其余合为“其他”。
"""),
    code("""
ax = charts.plot_by_industry(projects, top=6)
"""),
    md("""
### 逐项目进度（滞后项目标红）

每个项目一行：浅色条是年计划（100%），深色条是占年计划%，虚线是时序进度，滞后项目用红色。
项目多时用 `top=20` 只画本年计划投资最大的20个。
"""),
    code("""
ax = charts.plot_progress(projects, period="1-6月", top=20)
"""),
    md("""
### 逐月累计完成投资（S 曲线）

各月月报放在同一个文件夹里，`qz.load_many(文件夹)` 一次读完，并从文件名或表头识别报告期
（`as_of` 列）。`metrics.monthly_totals` 给出每月合计和当月增量；`charts.plot_monthly` 画出累计完成投资
与序时计划线。
"""),
    code("""
monthly = qz.load_many("../data/raw/monthly")
monthly.groupby("as_of").size()
"""),
    code("""
metrics.monthly_totals(monthly)[["projects", "planned_investment", "completed_investment",
                                 "completed_investment_change", "funds_in_place",
                                 "plan_rate", "schedule"]].rename(columns=LABELS)
"""),
    code("""
ax = charts.plot_monthly(monthly)
"""),
    md("""
### 合同引资与到位资金

`by=` 可换成 `"funding_channel"`、`"sector"` 等分类列。
"""),
    code("""
ax = charts.plot_funds_in_place(projects)
"""),
    code("""
ax = charts.plot_funds_in_place(projects, by="sector")
"""),
    md("""
## 3. 保存图表，放进报告

`charts.save_chart(ax, 路径, formats=...)` 按给定格式保存：`png`（300 dpi，插入 Word/WPS）、
`svg`（矢量，网页）、`pdf`（矢量，中文字体已嵌入）。文件夹不存在会自动建立。
这里存到不进版本库的 `reports/` 文件夹：
"""),
    code("""
ax = charts.plot_by_stage(projects, title="秦州区2008年上半年分阶段项目投资")
charts.save_chart(ax, "../reports/charts/分阶段投资", formats=("png",))
"""),
    md("""
下一步：`04-上半年工作报告.ipynb`，生成报告段落和全套报告文件。
"""),
]

# =====================================================================================
# 04 上半年工作报告
# =====================================================================================

NB04 = [
    md("""
# 04 上半年工作报告

用示例台账重现文章（秦州区优化环境抓项目工作纪实）中的上半年数字和报告段落，再一次写出全套报告文件
（汇总 Excel、图表、网页版报告）。文章原文：

> 今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。其中实施续建项目31个，
> 总投资71030万元，今年完成投资11505万元，引进到位资金10095万元……实施新签约项目28个，
> 总投资27553万元，已完成投资5995万元，引进到位资金5995万元……

标有 `# NBVAL_CHECK_OUTPUT` 的单元格，输出由测试逐字核对：数字一旦算错，测试就会失败。
"""),
    code("""
import qzanalysis as qz
from qzanalysis.metrics import LABELS
from qzanalysis.report import build_report
"""),
    code("""
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)
by_stage = qz.summarize(projects, by="stage")
"""),
    md("""
## 1. 全区合计
"""),
    code(f"""
{CHECK}
total = by_stage.loc["合计"]
print(f"项目个数：{{int(total['projects'])}}个")
print(f"总投资：{{total['total_investment']:.0f}}万元")
print(f"合同引资：{{total['contracted_investment']:.0f}}万元")
"""),
    md("""
## 2. 续建与新签约

文章的口径：项目个数、总投资、今年（已）完成投资、引进到位资金（万元）。合同引资文章只给了合计，
分组数是示例数据虚构的拆分，一并列出。
"""),
    code(f"""
{CHECK}
columns = ["projects", "total_investment", "contracted_investment",
           "completed_investment", "funds_in_place"]
table = by_stage.loc[["续建", "新签约", "合计"], columns].rename(columns=LABELS)
print(table.to_string(float_format="{{:.0f}}".format))
"""),
    md("""
## 3. 报告段落

`qz.narrative(项目表, period=...)` 按文章的写法生成段落：先写合计，再按阶段（续建在前、新签约在后）
写各组的个数和金额，并列出各组总投资最大的4个项目（`top=` 可改）。
"""),
    code(f"""
{CHECK}
print(qz.narrative(projects, period="今年上半年"))
"""),
    md("""
金额也可以用亿元（保留两位小数）：
"""),
    code("""
print(qz.narrative(projects, period="今年上半年", unit="亿元", top=2))
"""),
    md("""
## 4. 生成全套报告

`build_report` 读台账、分类、计算、画图，写出到 `out` 文件夹：

- `summary.xlsx`：总览、分阶段、分资金渠道、分行业、项目明细、数据检查，每项一个工作表；
- `charts/`：全部图表（PNG 和 SVG）；
- `report.html`：报告段落、汇总表、图表和数据检查清单，用浏览器打开。

`monthly=` 给出月报文件夹时加画 S 曲线，`pipeline=` 给出项目库时加画阶段漏斗。
`reports/` 文件夹不进版本库。
"""),
    code("""
report = build_report(
    ["../data/raw/qinzhou_h1_projects.xlsx"],
    out="../reports/2008年上半年",
    period="1-6月",
    monthly="../data/raw/monthly",
    pipeline="../data/raw/qinzhou_pipeline.xlsx",
)
for path in report.files:
    print(path)
"""),
    md("""
报告里的段落与上面第3节相同：
"""),
    code("""
report.narrative == qz.narrative(projects, period="今年上半年")
"""),
    code("""
report.tables["分资金渠道"].rename(columns=LABELS)
"""),
    md("""
## 用自己的台账

把文件放进 `data/raw/`，把上面的路径换成自己的文件；报告期不是上半年时，`period="1-8月"` 等
（时序进度和段落开头随之改变）。也可以在命令行生成同样的报告：

```bash
.venv/bin/qzanalysis report data/raw/文件名.xlsx --out reports/
```
"""),
]

# =====================================================================================
# 05 交互式浏览
# =====================================================================================

NB05 = [
    md("""
# 05 交互式浏览

前几本笔记本按固定口径出表出图。分析时常常还要临时看一部分项目：某个乡镇的续建项目、
制造业里的新签约项目、利用外资的项目……这本笔记本介绍两个工具：

- `filter_projects(项目表, stage=…, funding_channel=…, industry_section=…, location=…)`：
  按阶段、资金渠道、行业门类、建设地点筛选项目，返回一张新表（原表不变），
  可以接着汇总、画图、导出；
- `explorer(项目表)`：在 JupyterLab 里用下拉框选择图表和筛选条件，图表和汇总表随选随变。

交互式浏览器需要 ipywidgets（`make lab` 会装好）；没有装时，第2节只打印一句提示，其余内容照常运行。
"""),
    code("""
%matplotlib inline
import qzanalysis as qz
from qzanalysis import charts
from qzanalysis.explore import explorer, filter_projects
from qzanalysis.metrics import LABELS
"""),
    code("""
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)
"""),
    md("""
## 1. 筛选项目：`filter_projects`

每个筛选条件可以不给（不筛选）、给一个值，或给一个列表（其中任意一个）；几个条件同时给出时，
项目要同时满足。

| 参数 | 列 | 取值 |
|---|---|---|
| `stage` | 项目阶段 | 储备、前期、洽谈、新签约、新开工、续建、竣工 |
| `funding_channel` | 资金渠道 | 国家预算资金、国内贷款、利用外资、自筹资金、其他资金、多渠道 |
| `industry_section` | 行业门类 | 国标门类字母 A–T（C 制造业、E 建筑业……） |
| `location` | 建设地点 | 地点中含有的文字，如乡镇名“皂郊镇”（也能找到“秦州区皂郊镇罗家村”） |
| `section` | 项目分类 | 原表的分组行（如“工业项目”），须完全一致 |

阶段、资金渠道、门类写错了（如“续見”）会报错并列出可选的值，不会悄悄返回空表。

### 皂郊镇的续建项目
"""),
    code("""
shown = ["project_name", "stage", "location", "industry_section", "funding_channel",
         "total_investment", "completed_investment", "funds_in_place"]
zaojiao = filter_projects(projects, stage="续建", location="皂郊镇")
zaojiao[shown].rename(columns=LABELS)
"""),
    md("""
下面的数字由测试核对（对照原表：皂郊镇有4个项目，其中续建2个）：
"""),
    code(f"""
{CHECK}
everything = filter_projects(projects, location="皂郊镇")
print(f"皂郊镇续建项目：{{len(zaojiao)}}个，总投资{{zaojiao['total_investment'].sum():.0f}}万元，"
      f"本年完成投资{{zaojiao['completed_investment'].sum():.0f}}万元")
print(f"皂郊镇全部项目：{{len(everything)}}个，总投资{{everything['total_investment'].sum():.0f}}万元")
"""),
    md("""
### 几个值任选其一；筛选后再汇总

给列表就是“其中任意一个”。筛选结果是普通的项目表，可以直接交给 `qz.summarize`、画图函数或导出：
"""),
    code("""
two_towns = filter_projects(projects, location=["皂郊镇", "汪川镇"])
qz.summarize(two_towns, by="stage").rename(columns=LABELS)
"""),
    code("""
manufacturing = filter_projects(projects, industry_section="C", funding_channel=["自筹资金", "多渠道"])
qz.summarize(manufacturing, by="stage").rename(columns=LABELS)
"""),
    md("""
筛选后的项目照样可以画图、保存（`charts.save_chart`，见 `03-项目进度图表.ipynb`）。
例如新签约项目的资金渠道：
"""),
    code("""
ax = charts.plot_by_channel(filter_projects(projects, stage="新签约"), title="新签约项目分资金渠道")
"""),
    md("""
## 2. 交互式浏览：`explorer`

`explorer(项目表)` 显示一组下拉框：

- **图表**：分阶段、分资金渠道、分行业门类、逐项目进度、合同引资与到位资金；
- **阶段**、**资金渠道**、**行业门类**、**乡镇**：选项取自数据本身，括号里是项目个数；选“全部”即不筛选。
  乡镇是从“建设地点”中认出的乡、镇、街道名。

每改一个选项，下面的一行计数、图表和汇总表（`qz.summarize`，按图表的分类口径）都会重画；
图表标题写明当前的筛选条件。想把看到的图放进报告，用同样的条件调用 `filter_projects` 和画图函数，
再用 `charts.save_chart` 保存（上一节的例子）。

可选参数：`chart=` 一开始显示的图表（`"by_stage"`、`"by_channel"`、`"by_industry"`、`"progress"`、
`"funds_in_place"`），`value=` 柱高的口径（如 `"completed_investment"`），`period=` 逐项目进度的报告期，
`top=` 逐项目进度最多画几个项目，以及 `stage=`、`location=` 等一开始就选好的筛选条件。

没有安装 ipywidgets 时，下面的单元格只打印安装提示：
"""),
    code("""
try:
    display(explorer(projects))
except ImportError as error:
    print(error)
"""),
    md("""
一开始就选好条件（续建项目的逐项目进度）：
"""),
    code("""
try:
    display(explorer(projects, chart="progress", stage="续建"))
except ImportError as error:
    print(error)
"""),
    md("""
## 用自己的台账

把第一个代码单元格后面的文件名换成自己的（文件放在 `data/raw/`）。乡镇下拉框的选项来自“建设地点”列，
地点写得越规范（“××镇××村”），认得越准；认不出乡镇的地点按原样列为一个选项。
"""),
]

NOTEBOOKS = {
    "01-读取与检查台账.ipynb": NB01,
    "02-项目分类.ipynb": NB02,
    "03-项目进度图表.ipynb": NB03,
    "04-上半年工作报告.ipynb": NB04,
    "05-交互式浏览.ipynb": NB05,
}


def make(name: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    prefix = name[:2]
    for i, (kind, text) in enumerate(cells):
        cell = new_markdown_cell(text) if kind == "markdown" else new_code_cell(text)
        cell.id = f"nb{prefix}-{i:02d}"
        nb.cells.append(cell)
    return nb


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """Errors and stderr output of an executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {i}: stderr: {out.text.strip()[:300]}")
    return found


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep the printed text (and count) of the checked cells only; no timings, no images."""
    for cell in nb.cells:
        cell.metadata = {}
        if cell.cell_type != "code":
            continue
        if cell.source.startswith(CHECK):  # nbval needs the count of a cell with outputs
            other = [o.output_type for o in cell.outputs
                     if not (o.output_type == "stream" and o.name == "stdout")]
            if other:
                raise ValueError(f"checked cell must only print text, got {other}: {cell.source}")
        else:
            cell.execution_count = None
            cell.outputs = []
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return nb


def main(argv: list[str]) -> int:
    from nbclient import NotebookClient

    wanted = [name for name in NOTEBOOKS if not argv or name.startswith(tuple(argv))]
    failed = False
    for name in wanted:
        nb = make(name, NOTEBOOKS[name])
        client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(HERE)}})
        client.execute()
        found = problems(nb)
        if found:
            failed = True
            print(f"{name}: NOT saved\n  " + "\n  ".join(found))
            continue
        nbformat.write(strip(nb), HERE / name)
        checked = sum(c.cell_type == "code" and c.source.startswith(CHECK) for c in nb.cells)
        print(f"{name}: saved ({len(nb.cells)} cells, {checked} checked)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
