# %% [markdown]
# # 04 上半年工作报告
#
# 用示例台账重现文章（秦州区优化环境抓项目工作纪实）中的上半年数字和报告段落，再一次写出全套报告文件
# （汇总 Excel、图表、网页版报告）。文章原文：
#
# > 今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。其中实施续建项目31个，
# > 总投资71030万元，今年完成投资11505万元，引进到位资金10095万元……实施新签约项目28个，
# > 总投资27553万元，已完成投资5995万元，引进到位资金5995万元……
#
# 标有 `# NBVAL_CHECK_OUTPUT` 的单元格，输出由测试逐字核对：数字一旦算错，测试就会失败。

# %%
import qzanalysis as qz
from qzanalysis.metrics import LABELS
from qzanalysis.report import build_report

# %%
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)
by_stage = qz.summarize(projects, by="stage")

# %% [markdown]
# ## 1. 全区合计

# %%
# NBVAL_CHECK_OUTPUT
total = by_stage.loc["合计"]
print(f"项目个数：{int(total['projects'])}个")
print(f"总投资：{total['total_investment']:.0f}万元")
print(f"合同引资：{total['contracted_investment']:.0f}万元")

# %% [markdown]
# ## 2. 续建与新签约
#
# 文章的口径：项目个数、总投资、今年（已）完成投资、引进到位资金（万元）。合同引资文章只给了合计，
# 分组数是示例数据虚构的拆分，一并列出。

# %%
# NBVAL_CHECK_OUTPUT
columns = ["projects", "total_investment", "contracted_investment",
           "completed_investment", "funds_in_place"]
table = by_stage.loc[["续建", "新签约", "合计"], columns].rename(columns=LABELS)
print(table.to_string(float_format="{:.0f}".format))

# %% [markdown]
# ## 3. 报告段落
#
# `qz.narrative(项目表, period=...)` 按文章的写法生成段落：先写合计，再按阶段（续建在前、新签约在后）
# 写各组的个数和金额，并列出各组总投资最大的4个项目（`top=` 可改）。

# %%
# NBVAL_CHECK_OUTPUT
print(qz.narrative(projects, period="今年上半年"))

# %% [markdown]
# 金额也可以用亿元（保留两位小数）：

# %%
print(qz.narrative(projects, period="今年上半年", unit="亿元", top=2))

# %% [markdown]
# ## 4. 生成全套报告
#
# `build_report` 读台账、分类、计算、画图，写出到 `out` 文件夹：
#
# - `summary.xlsx`：总览、分阶段、分资金渠道、分行业、项目明细、数据检查，每项一个工作表；
# - `charts/`：全部图表（PNG 和 SVG）；
# - `report.html`：报告段落、汇总表、图表和数据检查清单，用浏览器打开。
#
# `monthly=` 给出月报文件夹时加画 S 曲线，`pipeline=` 给出项目库时加画阶段漏斗。
# `reports/` 文件夹不进版本库。

# %%
report = build_report(
    ["../data/raw/qinzhou_h1_projects.xlsx"],
    out="../reports/2008年上半年",
    period="1-6月",
    monthly="../data/raw/monthly",
    pipeline="../data/raw/qinzhou_pipeline.xlsx",
)
for path in report.files:
    print(path)

# %% [markdown]
# 报告里的段落与上面第3节相同：

# %%
report.narrative == qz.narrative(projects, period="今年上半年")

# %%
report.tables["分资金渠道"].rename(columns=LABELS)

# %% [markdown]
# ## 用自己的台账
#
# 把文件放进 `data/raw/`，把上面的路径换成自己的文件；报告期不是上半年时，`period="1-8月"` 等
# （时序进度和段落开头随之改变）。也可以在命令行生成同样的报告：
#
# ```bash
# .venv/bin/qzanalysis report data/raw/文件名.xlsx --out reports/
# ```
