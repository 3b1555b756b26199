# %% [markdown]
# # 06 核对文稿中的数字
#
# 报告稿要经过好几道手：数字重新录入、段落从上个月复制过来，错一个数，上级就会怀疑全部数字。
# `qz.verify(文稿, 项目表)` 把文稿里的每个数字找出来，逐个核对：
#
# - **文稿自身的算术**：比率与算出它的两个数（“占年度计划的97.2%”）、分项之和与合计、同比增幅；
# - **与台账对照**：写明范围（全区、续建、新签约、某资金渠道、某行业、某乡镇）的个数、金额、比率，
#   用台账重新汇总后比较，亿元、万元自动换算。
#
# 每个数字一行：`status` 为 `ok`（对得上）、`mismatch`（对不上，`computed` 是应有的值）或
# `unchecked`（文稿里找不到它的基数，无法核对——不会当作正确）。命令行也可以用：
#
# ```bash
# .venv/bin/qzanalysis verify 报告稿.docx --ledger data/raw/台账.xlsx   # 有错时退出码为 1
# ```
#
# 标有 `# NBVAL_CHECK_OUTPUT` 的单元格，输出由测试逐字核对。

# %%
import pandas as pd

import qzanalysis as qz

# %%
ledger = qz.load("../data/raw/qinzhou_h1_projects.xlsx")
projects = qz.classify(ledger.projects)

# %% [markdown]
# ## 1. 核对自动生成的报告段落
#
# `qz.narrative` 写出的段落，与台账对照，每个数字都应当是 `ok`：

# %%
# NBVAL_CHECK_OUTPUT
text = qz.narrative(projects, period="今年上半年")
checked = qz.verify(text, projects)
print(checked["status"].value_counts().to_string())

# %% [markdown]
# ## 2. 一份录错了两个数的稿子
#
# 把总投资 98583 错录成 98584、续建项目的到位资金 10095 错录成 10059：两处都被找出来，
# 并给出台账中的正确值。

# %%
# NBVAL_CHECK_OUTPUT
draft = text.replace("98583", "98584").replace("10095", "10059")
result = qz.verify(draft, projects)
wrong = result[result["status"] == "mismatch"]
print(wrong[["claim", "stated", "computed"]].to_string(index=False))

# %%
wrong["message"].tolist()

# %% [markdown]
# ## 3. 公开报道中的句子
#
# `tests/data/verify_sentences.csv` 收集了政府网站和报纸上公开发表的句子（每句注明出处），
# 其中有几处原文自己算错了（如开工率 129/270 = 47.78%，原文写 47%，是截尾而不是四舍五入）。
# 没有台账时只核对文稿自身的算术：

# %%
sentences = pd.read_csv("../tests/data/verify_sentences.csv", dtype=str)
sentences["text"] = sentences["text"].where(sentences["text"] != "(same text)").ffill()
picked = pd.concat([sentences[sentences["expected_status"] == "mismatch"],
                    sentences[sentences["expected_status"] == "ok"].head(5)])
rows = []
for text, stated, source in zip(picked["text"], picked["stated"], picked["source"], strict=True):
    result = qz.verify(text)
    hit = result[result["stated"] == float(stated)].head(1)
    rows.append({"数字": stated, "核对": hit["status"].iat[0], "应为": hit["computed"].iat[0],
                 "说明": hit["message"].iat[0], "出处": source})
published = pd.DataFrame(rows)
published[["数字", "核对", "应为", "说明"]]

# %%
# NBVAL_CHECK_OUTPUT
print(published["核对"].value_counts().to_string())
