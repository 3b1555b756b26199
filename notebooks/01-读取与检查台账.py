# %% [markdown]
# # 01 读取与检查台账
#
# 这本笔记本演示拿到一份项目台账（Excel）后的第一步：**读进来，再检查**。
#
# - 读取：`qz.load(文件路径)` 一次读完整个工作簿，自动识别标题行、单位行、两行合并表头、
#   分组行（“一、续建项目（31个）”）、合计/小计行和表尾说明行。
# - 检查：每一行去了哪里、表中的合计与逐项相加是否一致、有没有写成“待定”的金额、
#   重复填报的项目等，都列成清单，并指出工作表、行号和列名。
#
# 示例文件是 `data/raw/qinzhou_h1_projects.xlsx`（秦州区2008年上半年招商引资项目台账；除文章中的
# 合计数外，项目、金额都是虚构的，见 `data/README.md`）。笔记本里的路径都相对于 `notebooks/`
# 文件夹，所以写成 `../data/raw/...`。
#
# 按顺序运行每个单元格（选中后按 Shift+Enter）。

# %%
import pandas as pd

import qzanalysis as qz
from qzanalysis.metrics import LABELS

pd.set_option("display.max_columns", 30)
pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## 1. 读取台账
#
# `qz.load` 返回一个“台账”对象（`Ledger`），里面有：
#
# | 属性 | 内容 |
# |---|---|
# | `ledger.projects` | 项目明细，每个项目一行，列名统一（见下文） |
# | `ledger.rows` | 原表中每一个非空行的去向：项目、合计、分组、表头、标题、备注或被拒绝（附原因） |
# | `ledger.totals` | 原表自己写的合计、小计行，以及按明细重新相加的结果 |
# | `ledger.funding` | 分资金来源填报的金额（有分列的资金来源时） |
# | `ledger.check()` | 数据问题清单 |
#
# 显示台账对象本身，就能看到项目个数、合计行数和问题条数的概要。

# %%
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
ledger

# %% [markdown]
# ## 2. 项目明细
#
# 不论原表把列叫作“项目名称”“项 目 名 称”还是“项目名称及建设内容”，读进来后都统一成规范列名：
# `project_name`（项目名称）、`stage`（阶段）、`owner`（建设单位）、`location`（建设地点）、
# `total_investment`（总投资）、`contracted_investment`（合同引资）、`planned_investment`（本年计划投资）、
# `completed_investment`（本年完成投资）、`funds_in_place`（到位资金）等。金额一律换算成**万元**；
# 空白、“—”“/”“无”是缺失值，不会当成 0。原表中认不出的列按原表头保留（如 `序号`），不会丢掉。
#
# 最后三列 `source_file`、`source_sheet`、`source_row` 记录每个项目来自哪个文件、哪个工作表、
# Excel 里的第几行，核对时直接翻到原表。

# %%
projects = ledger.projects
projects.head()

# %% [markdown]
# 想看中文列名，用 `LABELS` 把规范列名换成中文表头（只改显示，不改数据）：

# %%
shown = ["project_name", "stage", "owner", "location", "total_investment",
         "contracted_investment", "completed_investment", "funds_in_place"]
projects[shown].head(10).rename(columns=LABELS)

# %% [markdown]
# ## 3. 每一行的去向（行记账）
#
# 读取时**不丢行**：原表中每一个非空行都在 `ledger.rows` 里出现一次，`kind` 说明它被当作什么：
#
# - `project` 项目行；`total` 合计、小计、其中行；`section` 分组行（一、续建项目）；
# - `header` 表头；`title` 标题；`note` 单位行、填报单位、“注：”说明；
# - `rejected` 没有当作项目的行，`reason` 写明原因（如有金额却没有项目名称）。
#
# 项目行的个数一定等于项目明细的行数。

# %%
ledger.rows["kind"].value_counts()

# %%
print("项目行：", (ledger.rows["kind"] == "project").sum(), "；项目明细：", len(projects))

# %% [markdown]
# 除项目以外的行（标题、表头、合计、分组、说明）逐行列出来看一眼，确认没有项目被误当成别的：

# %%
ledger.rows[ledger.rows["kind"] != "project"]

# %% [markdown]
# ## 4. 表中的合计与逐项相加
#
# `ledger.totals` 每一行是原表中的一个合计或小计行：`label` 是原表写的字（合计、小计），
# `scope` 是它管辖的范围（全部，或某个分组），`n_projects` 是它所含的项目个数；
# 各金额列是**原表声明的数**，以 `computed_` 开头的列是**把所含项目逐项相加的数**。
# 两者不一致时，`check()` 会报告 `total_mismatch`。
#
# 示例台账的合计行就是文章中的上半年数字：59个项目，总投资98583万元，合同引资86563万元；
# 续建、新签约两个小计分别是71030万元和27553万元。（这个单元格的输出由测试逐字核对。）

# %%
# NBVAL_CHECK_OUTPUT
columns = ["source_row", "label", "scope", "n_projects",
           "total_investment", "computed_total_investment",
           "contracted_investment", "computed_contracted_investment"]
print(ledger.totals[columns].to_string(index=False, float_format="{:.0f}".format))

# %% [markdown]
# ## 5. 数据问题清单
#
# `ledger.check()` 列出所有问题，每条一行：`severity` 严重程度（`error` 错误、`warning` 警告、
# `info` 提示），`rule` 问题类型，`message` 中文说明（哪个工作表、第几行、哪一列、怎么处理），
# 以及 `source_sheet`、`source_row`、`column` 定位。
#
# 常见的问题类型：`total_mismatch` 合计与明细不符，`unparsed_value` 金额写成了文字（如“待定”），
# `formula_without_value` 公式没有计算结果（文件没在 Excel 里保存过），`duplicate_project`
# 同一项目填了两次，`skipped_sheet` 跳过的工作表（填表说明、空表）。
#
# 示例台账是干净的，所以清单为空：

# %%
ledger.check()

# %% [markdown]
# ## 6. 有问题的台账是什么样子
#
# 下面用测试用的一个小文件 `tests/data/total_mismatch.xlsx` 演示（它是专门为测试做的，
# 故意让一个小计与明细对不上）。

# %%
messy = qz.load("../tests/data/total_mismatch.xlsx")
findings = messy.check()
findings

# %% [markdown]
# 说明文字较长，表格里显示不全时，逐条打印出来：

# %%
print("\n".join(findings["message"]))

# %% [markdown]
# 对照这个文件的合计行：第6行小计声明总投资9000万元，而它所含的3个项目相加是8800万元。

# %%
messy.totals[["source_row", "label", "scope", "n_projects",
              "total_investment", "computed_total_investment"]]

# %% [markdown]
# 要把问题清单发给填报单位核对，可以存成 Excel（`qzanalysis.export.to_excel` 会调好列宽、冻结表头，
# 并防止以 `=` 开头的文字变成公式）。`reports/` 文件夹不进版本库，适合放这类输出：

# %%
from qzanalysis.export import to_excel

to_excel({"数据问题": findings}, "../reports/数据问题清单.xlsx")

# %% [markdown]
# ## 7. 读取自己的台账
#
# 1. 把报来的文件复制到仓库的 `data/raw/` 文件夹（原始文件只读：不要在里面改数据，
#    有错让填报单位改，或在笔记本里处理）。
# 2. 把下面单元格里的文件名换成自己的，去掉行首的 `#`，运行。
# 3. 依次看 `ledger`、`ledger.rows["kind"].value_counts()`、`ledger.totals`、`ledger.check()`。
#
# 支持 `.xlsx`、`.xlsm`、`.xls`（WPS 导出的也可以）、`.ods` 和 `.csv`（UTF-8 或 GB18030/GBK 编码）。
# 识别不准时可以指定：`sheet="1-6月"` 只读某个工作表，`header_row=4` 指定表头所在行（Excel 行号），
# `unit="亿元"` 指定金额单位。

# %%
# ledger = qz.load("../data/raw/某某区2024年1-6月重点项目台账.xlsx")
# ledger = qz.load("../data/raw/某某区项目台账.xls", sheet="1-6月", header_row=4, unit="万元")

# %% [markdown]
# 文件读不了时（不是台账、加密、损坏、空表），`qz.load` 报 `qz.LedgerError`，中文说明指出文件
# （以及工作表、行号）。例如一个空工作簿（也是测试用文件）：

# %%
try:
    qz.load("../tests/data/bad_empty.xlsx")
except qz.LedgerError as error:
    print(error)

# %% [markdown]
# 下一步：`02-项目分类.ipynb`，按阶段、资金渠道和行业给项目分类。
