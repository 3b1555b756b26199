# %% [markdown]
# # 02 项目分类
#
# 文章把项目按三个口径归类：**项目阶段**（分阶段实施情况）、**资金渠道**和**行业类型**。
# `qz.classify(项目表)` 一步加上这三类，返回一张新表（原表不变），新增的列：
#
# | 列 | 含义 |
# |---|---|
# | `stage` | 阶段：储备、前期、洽谈、新签约、新开工、续建、竣工（按推进顺序排列） |
# | `funding_channel` | 资金渠道：国家预算资金、国内贷款、利用外资、自筹资金、其他资金；写了几种来源的为“多渠道” |
# | `funding_detail` | 资金来源明细 |
# | `industry_section` | 国民经济行业分类（GB/T 4754-2017）门类字母 A–T |
# | `industry_division` | 行业大类两位代码（拿不准时为空） |
# | `industry_group`、`industry_class` | 中类三位、小类四位代码（依据够具体时才填） |
# | `sector` | 三次产业（第一、二、三产业） |
# | `industry_confidence` | 判定的把握：high 高、medium 中、low 低 |
# | `industry_runner_up` | 名称里另一门类的词所指的门类（次选），没有则为空 |
# | `industry_rule` | 行业是怎么判定的：依据行业列，或哪个关键词、为什么压过了别的词 |
#
# 判定行业时，先看原表“行业”列是否写了国标行业名称（制造业、房地产业……），再用关键词匹配
# 项目名称和建设内容；原表写的本地类别词（工业、农业、城建……）只用来缩小范围。
# 项目名称的“中心词”在末尾：“汽车销售服务4S店”是店（零售），“农产品质量检测中心”是检测机构，
# 名称末尾表示设施或活动的词优先于前面的产品词；末尾只是“基地、园区、中心、产业园”时，由前面的词决定。
# 关键词表有两张：手写的本地用语表，和由国标《国民经济行业分类注释》逐个小类生成的词表
# （见 `qzanalysis/rules/README.md`）。括号里的词（“鲁肃西路（严家滩大桥-平江大桥段）”）、
# “及配套”之后的词、加工生产之后“及”“和”连着的仓储冷链研发（“淀粉深加工及仓储物流”）、
# 公司名称里的词（“××商贸有限公司玉米烘干项目”）和路名、乡镇名里的词（“民族路”“农场路”）只作说明，
# 不决定行业。名称里一个关键词也没有时，才看名称末尾的中心词（`rules/industry_heads.csv`）：
# “飞鸿路工程”是道路，“胶粘剂项目”是化工产品，“芙蓉嘉园”是住宅小区，只写“××产业园”“××基地”的
# 按制造业——这类判定的把握都记为 low，`industry_rule` 以“末尾词”开头。
# 名称里只有企业名的，先查上市公司简称表（“中联重科”是工程机械，`rules/industry_companies.csv`）；
# 仍判不了的，再和约6000个已人工标注的真实项目名称比对用字，推测最像哪一门类（“深南三期”“××水溶肥”）：
# 这类推测同样记为 low，`industry_rule` 以“相似名称”开头并写出起作用的字，请在复核时确认。
# **判定不了的就留空**，不会硬塞进某一类——留空的和把握低的项目在本笔记本第4节集中复核。

# %%
from pathlib import Path

import pandas as pd

import qzanalysis as qz
from qzanalysis import industry
from qzanalysis.classify import classification_findings, unclassified
from qzanalysis.metrics import LABELS

pd.set_option("display.max_columns", 30)
pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## 1. 读取并分类

# %%
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)
projects[["project_name", "industry", "funding_source", "stage", "funding_channel",
          "industry_section", "industry_division", "industry_class", "sector",
          "industry_confidence", "industry_rule"]].head(15)

# %% [markdown]
# ## 2. 分类汇总表
#
# `qz.summarize(表, by=列名)` 按一个分类列汇总：项目个数、各项金额之和（万元）、三个比率
# （投资完成率 = 累计完成 ÷ 总投资，年度计划完成率 = 本年完成 ÷ 本年计划，资金到位率 = 到位资金 ÷ 合同引资）
# 和两个占比，最后一行是合计。比率都是“和之比”，只统计两个数都有的项目；比率和占比是小数（0.53 即 53%）。
# 分类为空的项目汇成“未分类”（阶段为“未明确阶段”）一行，不会漏掉。
#
# ### 分阶段

# %%
qz.summarize(projects, by="stage").rename(columns=LABELS)

# %% [markdown]
# ### 分资金渠道

# %%
qz.summarize(projects, by="funding_channel").rename(columns=LABELS)

# %% [markdown]
# ### 分行业门类
#
# 门类只是一个字母，用 `industry.sections()`（国标门类表）配上名称：

# %%
by_industry = qz.summarize(projects, by="industry_section").rename(columns=LABELS)
section_names = industry.sections().set_index("section")["name"]
by_industry.insert(0, "门类名称", by_industry.index.map(section_names))
by_industry

# %% [markdown]
# ### 分三次产业；两个口径交叉
#
# `by` 也可以是两个列名，得到交叉汇总（例如每个阶段里各产业的项目）：

# %%
qz.summarize(projects, by="sector").rename(columns=LABELS)

# %%
qz.summarize(projects, by=["stage", "sector"])[["projects", "total_investment"]].rename(
    columns=LABELS)

# %% [markdown]
# ## 3. 分类问题清单
#
# `classification_findings` 把分不了类的项目列成问题清单（格式同 `ledger.check()`）：
# 阶段词认不出（`unknown_stage`）、行业判定不了（`unclassified_industry`）、
# 资金来源归不进渠道（`unknown_channel`）。示例上半年台账的59个项目全部分好了类，清单为空：

# %%
classification_findings(projects)

# %% [markdown]
# ## 4. 复核：未分类和把握低的项目
#
# `unclassified(表)` 列出缺少行业、阶段或资金渠道的项目，以及行业判定把握低的项目：
# `missing` 写明缺什么（“行业存疑”表示已判了门类，但只凭一个弱词或有争议，请确认），
# `industry_section`、`industry_rule` 是当前的判定，`near_matches` 是与项目名称或建设内容有两个以上
# 相同连续字的现有关键词（括号里是它对应的门类和大类），供补充规则时参考。
#
# 项目库 `qinzhou_pipeline.xlsx`（建成、洽谈、储备、争取项目，全部虚构）的复核清单：

# %%
pipeline = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects)
review = unclassified(pipeline)
review[["project_name", "industry", "missing", "industry_section", "industry_rule",
        "near_matches"]]

# %% [markdown]
# ### 复核的来回：导出到 Excel，填上正确门类，再传回来
#
# 复核清单最后三列是留给复核人的：`keyword`（项目名称）、`correct_section`（正确的门类字母）、
# `correct_division`（知道的话，填大类两位代码）。把清单存成 Excel，在 Excel 或 WPS 里填好这两列，
# 保存后把文件路径作为 `rules=` 传回 `qz.classify`：填了的每一行都成为这个项目的规则，
# **自己的规则优先于包里的规则**；没填的行不起作用。
#
# 这里存到不进版本库的 `reports/` 文件夹演示，并用代码代替手工填写：
# “果品分级包装厂”按国标是农产品初加工（A 门类 05 大类，0514 小类：农产品的分级、包装以供初级市场），
# “秦州古城民俗街区开发”按本地口径作为旅游景区开发，归入 N 门类 78 大类（公共设施管理业）。

# %%
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

# %% [markdown]
# ## 5. 加上自己的分类规则
#
# 复核清单里的规则只管一个个项目。本地常见、而包里的关键词表没有的说法，可以写成通用的规则。
# 规则是一张小表，每行一个关键词（`keyword`），并且只填下面三列中的一列：
#
# - `section`（门类字母，可再填 `division` 大类两位代码）：行业规则；
# - `channel`：资金渠道规则（如 以工代赈 → 国家预算资金）；
# - `stage`：阶段词（如 已摘牌 → 前期）。
#
# `note` 可以写备注。由自己的规则判定的项目，`industry_rule` 以“用户规则”开头。
#
# 例子：“沼气”在包里的表中没有单独成词（只有“沼气发电”等）；农村户用沼气属于燃气生产和供应，
# 归入 D 门类 45 大类。“民俗街区”也写成通用规则，以后别的项目名称里出现同样说法时直接归类。

# %%
my_rules = pd.DataFrame({
    "keyword": ["沼气", "民俗街区"],
    "section": ["D", "N"],
    "division": ["45", "78"],
    "note": ["农村户用沼气：燃气生产和供应", "本地口径：古城民俗街区按旅游景区开发"],
})
my_rules

# %%
pipeline_with_rules = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects,
                                  rules=my_rules)
pipeline_with_rules.loc[pipeline_with_rules["project_name"].str.contains("沼气|民俗街区"), columns]

# %% [markdown]
# 复核清单里已没有缺行业的项目，只剩把握低、待确认的：

# %%
unclassified(pipeline_with_rules, rules=my_rules)[["project_name", "industry", "missing",
                                                   "industry_section", "industry_rule"]]

# %% [markdown]
# 注意：原表“行业”列写了本地类别词时，内置关键词只在这个类别允许的门类里选。
# 例如“农业”允许 A、C、F、G、N 门类（农业项目常包括加工、市场、冷库），对应表在
# `qzanalysis/rules/local_categories.csv`。自己写的规则不受这个限制：上面的
# “农村沼气建设项目”行业列写的是“农业”，“沼气 → D 45”的规则照样生效。
#
# ### 把规则存成 CSV 文件
#
# 规则多了，存成 CSV 文件（用 Excel 或 WPS 编辑，另存为“CSV UTF-8”），以后每次分类时传文件路径即可。
# 列名同上：`keyword,section,division,channel,stage,note`。自己的规则文件放在便于长期保存的地方。

# %%
my_rules.to_csv("../reports/我的分类规则.csv", index=False, encoding="utf-8-sig")
from_file = qz.classify(qz.load("../data/raw/qinzhou_pipeline.xlsx").projects,
                        rules="../reports/我的分类规则.csv")
from_file.loc[from_file["project_name"].str.contains("沼气"), columns]

# %% [markdown]
# 下一步：`03-项目进度图表.ipynb`。
