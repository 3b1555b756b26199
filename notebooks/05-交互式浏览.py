# %% [markdown]
# # 05 交互式浏览
#
# 前几本笔记本按固定口径出表出图。分析时常常还要临时看一部分项目：某个乡镇的续建项目、
# 制造业里的新签约项目、利用外资的项目……这本笔记本介绍两个工具：
#
# - `filter_projects(项目表, stage=…, funding_channel=…, industry_section=…, location=…)`：
#   按阶段、资金渠道、行业门类、建设地点筛选项目，返回一张新表（原表不变），
#   可以接着汇总、画图、导出；
# - `explorer(项目表)`：在 JupyterLab 里用下拉框选择图表和筛选条件，图表和汇总表随选随变。
#
# 交互式浏览器需要 ipywidgets（`make lab` 会装好）；没有装时，第2节只打印一句提示，其余内容照常运行。

# %%
# %matplotlib inline
from IPython.display import display

import qzanalysis as qz
from qzanalysis import charts
from qzanalysis.explore import explorer, filter_projects
from qzanalysis.metrics import LABELS

# %%
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)

# %% [markdown]
# ## 1. 筛选项目：`filter_projects`
#
# 每个筛选条件可以不给（不筛选）、给一个值，或给一个列表（其中任意一个）；几个条件同时给出时，
# 项目要同时满足。
#
# | 参数 | 列 | 取值 |
# |---|---|---|
# | `stage` | 项目阶段 | 储备、前期、洽谈、新签约、新开工、续建、竣工 |
# | `funding_channel` | 资金渠道 | 国家预算资金、国内贷款、利用外资、自筹资金、其他资金、多渠道 |
# | `industry_section` | 行业门类 | 国标门类字母 A–T（C 制造业、E 建筑业……） |
# | `location` | 建设地点 | 地点中含有的文字，如乡镇名“皂郊镇”（也能找到“秦州区皂郊镇罗家村”） |
# | `section` | 项目分类 | 原表的分组行（如“工业项目”），须完全一致 |
#
# 阶段、资金渠道、门类写错了（如“续見”）会报错并列出可选的值，不会悄悄返回空表。
#
# ### 皂郊镇的续建项目

# %%
shown = ["project_name", "stage", "location", "industry_section", "funding_channel",
         "total_investment", "completed_investment", "funds_in_place"]
zaojiao = filter_projects(projects, stage="续建", location="皂郊镇")
zaojiao[shown].rename(columns=LABELS)

# %% [markdown]
# 下面的数字由测试核对（对照原表：皂郊镇有4个项目，其中续建2个）：

# %%
# NBVAL_CHECK_OUTPUT
everything = filter_projects(projects, location="皂郊镇")
print(f"皂郊镇续建项目：{len(zaojiao)}个，总投资{zaojiao['total_investment'].sum():.0f}万元，"
      f"本年完成投资{zaojiao['completed_investment'].sum():.0f}万元")
print(f"皂郊镇全部项目：{len(everything)}个，总投资{everything['total_investment'].sum():.0f}万元")

# %% [markdown]
# ### 几个值任选其一；筛选后再汇总
#
# 给列表就是“其中任意一个”。筛选结果是普通的项目表，可以直接交给 `qz.summarize`、画图函数或导出：

# %%
two_towns = filter_projects(projects, location=["皂郊镇", "汪川镇"])
qz.summarize(two_towns, by="stage").rename(columns=LABELS)

# %%
manufacturing = filter_projects(projects, industry_section="C", funding_channel=["自筹资金", "多渠道"])
qz.summarize(manufacturing, by="stage").rename(columns=LABELS)

# %% [markdown]
# 筛选后的项目照样可以画图、保存（`charts.save_chart`，见 `03-项目进度图表.ipynb`）。
# 例如新签约项目的资金渠道：

# %%
ax = charts.plot_by_channel(filter_projects(projects, stage="新签约"), title="新签约项目分资金渠道")

# %% [markdown]
# ## 2. 交互式浏览：`explorer`
#
# `explorer(项目表)` 显示一组下拉框：
#
# - **图表**：分阶段、分资金渠道、分行业门类、逐项目进度、合同引资与到位资金；
# - **阶段**、**资金渠道**、**行业门类**、**乡镇**：选项取自数据本身，括号里是项目个数；选“全部”即不筛选。
#   乡镇是从“建设地点”中认出的乡、镇、街道名。
#
# 每改一个选项，下面的一行计数、图表和汇总表（`qz.summarize`，按图表的分类口径）都会重画；
# 图表标题写明当前的筛选条件。想把看到的图放进报告，用同样的条件调用 `filter_projects` 和画图函数，
# 再用 `charts.save_chart` 保存（上一节的例子）。
#
# 可选参数：`chart=` 一开始显示的图表（`"by_stage"`、`"by_channel"`、`"by_industry"`、`"progress"`、
# `"funds_in_place"`），`value=` 柱高的口径（如 `"completed_investment"`），`period=` 逐项目进度的报告期，
# `top=` 逐项目进度最多画几个项目，以及 `stage=`、`location=` 等一开始就选好的筛选条件。
#
# 没有安装 ipywidgets 时，下面的单元格只打印安装提示：

# %%
try:
    display(explorer(projects))
except ImportError as error:
    print(error)

# %% [markdown]
# 一开始就选好条件（续建项目的逐项目进度）：

# %%
try:
    display(explorer(projects, chart="progress", stage="续建"))
except ImportError as error:
    print(error)

# %% [markdown]
# ## 用自己的台账
#
# 把第一个代码单元格后面的文件名换成自己的（文件放在 `data/raw/`）。乡镇下拉框的选项来自“建设地点”列，
# 地点写得越规范（“××镇××村”），认得越准；认不出乡镇的地点按原样列为一个选项。
