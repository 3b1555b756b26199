# %% [markdown]
# # 03 项目进度图表
#
# 这本笔记本计算项目进度指标，并画出报告用的全部图表：分阶段投资、项目阶段漏斗、分资金渠道、
# 分行业、逐项目进度（标出滞后项目）、逐月累计完成（S 曲线）和资金到位。图表的中文字体、配色、
# 单位（万元/亿元自动切换）都已设好，每个画图函数返回一个 matplotlib 的 `Axes`，可以接着修改。

# %%
# %matplotlib inline
import pandas as pd

import qzanalysis as qz
from qzanalysis import charts, metrics
from qzanalysis.metrics import LABELS

pd.set_option("display.max_columns", 30)

# %%
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)

# %% [markdown]
# ## 1. 进度指标
#
# `metrics.progress(表, period="1-6月")` 给每个项目加上：
#
# | 列 | 含义 |
# |---|---|
# | `completion_rate` | 投资完成率 = 开工累计完成投资 ÷ 总投资 |
# | `plan_rate` | 年度计划完成率（占年计划%） = 本年完成投资 ÷ 本年计划投资 |
# | `funds_rate` | 资金到位率 = 到位资金 ÷ 合同引资 |
# | `schedule` | 时序进度 = 已过月数 ÷ 12（1-6月为 50%） |
# | `schedule_gap` | 超/欠序时（百分点） = (占年计划% − 时序进度) × 100 |
# | `lagging` | 进度滞后：占年计划%低于时序进度10个百分点以上，或在建项目至今没有完成投资 |
#
# `period` 可以写 `"1-6月"`、`"上半年"`、`"1-8月"`、`"全年"`；滞后的标准用 `lag_threshold=0.10` 调整。

# %%
rows = metrics.progress(projects, period="1-6月")
rows[["project_name", "stage", "planned_investment", "completed_investment",
      "plan_rate", "schedule", "schedule_gap", "lagging"]].head(10).rename(columns=LABELS)

# %% [markdown]
# ### 滞后项目
#
# `lagging` 可能为空（缺本年计划投资、无法判断），筛选时把空值当作“不滞后”：

# %%
lagging = rows["lagging"].fillna(False)
rows.loc[lagging, ["project_name", "stage", "planned_investment", "completed_investment",
                   "plan_rate", "schedule_gap", "progress_note"]].rename(columns=LABELS)

# %% [markdown]
# ### 开工率
#
# `metrics.start_rate` 计算今年新项目的开工率：应开工 = 新签约和新开工项目，已开工 = 新开工项目
# 加上已经有完成投资的新签约项目。

# %%
metrics.start_rate(projects).rename(columns=LABELS)

# %% [markdown]
# ## 2. 图表
#
# ### 分阶段项目个数与总投资
#
# 柱高是总投资，柱顶标出金额和项目个数。`value=` 可改为 `"completed_investment"`（本年完成投资）、
# `"funds_in_place"`（到位资金）或 `"projects"`（项目个数）。

# %%
ax = charts.plot_by_stage(projects)

# %%
ax = charts.plot_by_stage(projects, value="completed_investment", title="分阶段本年完成投资")

# %% [markdown]
# ### 项目阶段漏斗（储备 → 竣工）
#
# 漏斗要有前面各阶段的项目：把项目库 `qinzhou_pipeline.xlsx`（建成、洽谈、储备、争取项目）
# 和上半年台账的项目放在一起画。

# %%
pipeline = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects)
all_stages = pd.concat([pipeline, projects], ignore_index=True)
ax = charts.plot_stage_funnel(all_stages)

# %% [markdown]
# ### 分资金渠道

# %%
ax = charts.plot_by_channel(projects)

# %% [markdown]
# ### 分行业门类
#
# 按三次产业着色；`top=6` 只画最大的6个门类，其余合为“其他”。

# %%
ax = charts.plot_by_industry(projects, top=6)

# %% [markdown]
# ### 逐项目进度（滞后项目标红）
#
# 每个项目一行：浅色条是年计划（100%），深色条是占年计划%，虚线是时序进度，滞后项目用红色。
# 项目多时用 `top=20` 只画本年计划投资最大的20个。

# %%
ax = charts.plot_progress(projects, period="1-6月", top=20)

# %% [markdown]
# ### 逐月累计完成投资（S 曲线）
#
# 各月月报放在同一个文件夹里，`qz.load_many(文件夹)` 一次读完，并从文件名或表头识别报告期
# （`as_of` 列）。`metrics.monthly_totals` 给出每月合计和当月增量；`charts.plot_monthly` 画出累计完成投资
# 与序时计划线。

# %%
monthly = qz.load_many("../data/raw/monthly")
monthly.groupby("as_of").size()

# %%
metrics.monthly_totals(monthly)[["projects", "planned_investment", "completed_investment",
                                 "completed_investment_change", "funds_in_place",
                                 "plan_rate", "schedule"]].rename(columns=LABELS)

# %%
ax = charts.plot_monthly(monthly)

# %% [markdown]
# ### 同一项目跨月跟踪：名称漂移
#
# 各月台账重新录入，同一个项目的名称常常不一样（“项目”写成“工程”、省去地名“秦州”、全角字母、
# 括号、空格、繁体字）。`qz.load_many` 给每个项目一个各月不变的 `project_id`；
# `qz.link_projects(表)` 另外给出**链接报告**：哪个月的哪个名称按什么证据接到了前一个月的哪个名称
# （名称相同的不列出）。示例月报的漂移见 `data/README.md`；5 月签约的`秦州物流园区二期工程`
# 与一期是两个项目，有自己的 `project_id`。

# %%
linked = qz.link_projects(monthly.drop(columns="project_id"))
linked.links[["as_of", "project_name", "earlier_name", "project_id", "decision", "evidence",
              "score"]]

# %%
monthly[monthly["project_name"].str.contains("物流园区")][["as_of", "project_id", "project_name"]]

# %% [markdown]
# `qz.history(表, 项目)` 给出一个项目逐月的数字和当月增量，项目可以用 `project_id` 或它在任何一个月的
# 名称指定。`秦州汽车贸易城建设项目` 3、4 月写成了`汽车贸易城建设项目`，仍是同一个项目，
# 当月增量不会把年初累计重复计算。`charts.plot_project_history` 画出它的累计完成投资与年度计划线，
# 图下注明各月台账中的其他写法。

# %%
qz.history(monthly, "汽车贸易城建设项目")[["project_id", "project_name", "planned_investment",
                                           "completed_investment", "completed_investment_change",
                                           "plan_rate"]].rename(columns=LABELS)

# %%
ax = charts.plot_project_history(monthly, "汽车贸易城建设项目")

# %% [markdown]
# ### 合同引资与到位资金
#
# `by=` 可换成 `"funding_channel"`、`"sector"` 等分类列。

# %%
ax = charts.plot_funds_in_place(projects)

# %%
ax = charts.plot_funds_in_place(projects, by="sector")

# %% [markdown]
# ## 3. 保存图表，放进报告
#
# `charts.save_chart(ax, 路径, formats=...)` 按给定格式保存：`png`（300 dpi，插入 Word/WPS）、
# `svg`（矢量，网页）、`pdf`（矢量，中文字体已嵌入）。文件夹不存在会自动建立。
# 这里存到不进版本库的 `reports/` 文件夹：

# %%
ax = charts.plot_by_stage(projects, title="秦州区2008年上半年分阶段项目投资")
charts.save_chart(ax, "../reports/charts/分阶段投资", formats=("png",))

# %% [markdown]
# 下一步：`04-上半年工作报告.ipynb`，生成报告段落和全套报告文件。
