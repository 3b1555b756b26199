"""Generate the qzanalysis sample ledgers: qzanalysis/data/ (package data) and data/raw/.

Run from the repository root:

    python data/make_sample_data.py            # writes qzanalysis/data/... and the same files to data/raw/...
    python data/make_sample_data.py --out DIR  # writes DIR/... only (same layout)

qzanalysis/data/ is what an installed package reads (``qzanalysis report`` with no path,
``qzanalysis.data.sample_paths()``); data/raw/ holds byte-identical copies so that the
notebooks and the README's examples can open ``data/raw/...`` in a checkout.

The output is deterministic: a fixed random seed, fixed workbook properties
(creator, created/modified timestamps), fixed zip entry timestamps and openpyxl's own
XML writer (not lxml's, which spells the same XML differently), so two runs give
byte-identical files whether or not lxml is installed.

Only the group totals quoted in the founding article (see data/README.md) are
real; every per-project figure, name (except the eight projects the article
names), owner and text is invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# Read by openpyxl when it is first imported: with lxml installed (python-docx brings it)
# openpyxl would write `<a/>` instead of `<a />`, and the files would change bytes.
os.environ["OPENPYXL_LXML"] = "False"

from openpyxl import Workbook  # noqa: E402 - after the switch above
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from openpyxl.writer.excel import ExcelWriter  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: What the installed package reads (package data, declared in pyproject.toml).
PACKAGE_DATA = REPO / "qzanalysis" / "data"
#: Copies for analysts and notebooks working in the checkout.
RAW = REPO / "data" / "raw"

SEED = 20080630
YEAR = 2008
FIXED_TIME = dt.datetime(2008, 7, 5, 9, 0, 0)
ZIP_TIME = (2008, 7, 5, 9, 0, 0)

# ---------------------------------------------------------------------------
# Figures quoted in the article (the only real numbers in the sample data)
# ---------------------------------------------------------------------------
ARTICLE = {
    "projects": 59,
    "total_investment": 98583,
    "contracted": 86563,
    "续建": {"count": 31, "total": 71030, "completed": 11505, "in_place": 10095},
    "新签约": {"count": 28, "total": 27553, "completed": 5995, "in_place": 5995},
}
# The article gives no split of 合同引资 by group: this split is invented.
CONTRACTED_SPLIT = {"续建": 61690, "新签约": 24873}
assert sum(CONTRACTED_SPLIT.values()) == ARTICLE["contracted"]
assert ARTICLE["续建"]["total"] + ARTICLE["新签约"]["total"] == ARTICLE["total_investment"]

# Construction is slow in the Tianshui winter (Spring Festival in February).
MONTH_WEIGHT = {1: 0.45, 2: 0.35, 3: 1.0, 4: 1.3, 5: 1.5, 6: 1.6}


# ---------------------------------------------------------------------------
# Project master data
# ---------------------------------------------------------------------------
@dataclass
class Project:
    name: str
    owner: str
    location: str
    content: str
    industry: str  # "" = left blank in the ledger
    funding: str
    hint: float  # size hint for 总投资 (万元); scaled so the group sums match
    group: str = ""  # 续建 / 新签约
    named: bool = False  # named in the article
    start: object = None  # 续建: (year, month, style); 新签约: start month or None
    sign_month: int = 1  # 新签约: month signed (first monthly ledger it appears in)
    note: str = ""  # 形象进度 at the end of June
    # figures filled in by the generator
    total: int = 0
    contracted: int = 0
    completed: int = 0
    in_place: int = 0
    plan: int = 0
    prior: int = 0
    monthly: dict = field(default_factory=dict)  # month -> (completed, in_place)


# 续建 projects: name, owner, location, content, industry, funding, size hint,
# start (year, month, style), progress note.  The first four are named in the
# article; their owners, sizes and texts are invented.
CONTINUING = [
    ("瑞德电器1500台/套高低压启动设备生产项目", "天水瑞德电器有限公司", "天水镇",
     "新建联合厂房1.2万平方米，形成年产高低压启动设备1500台/套生产能力", "工业", "企业自筹+银行贷款",
     8000, (2007, 4, "date"), "联合厂房完工，生产线设备安装调试"),
    ("派尔彩印包装生产线建设项目", "天水派尔彩印包装有限公司", "玉泉镇",
     "引进六色凹版印刷机及复合、制袋设备，年产彩印包装制品3000吨", "制造业", "招商引资",
     6500, (2007, 6, "text"), "印刷车间投产，复合车间设备安装"),
    ("大华电力通讯设备生产项目", "天水大华电力通讯设备有限公司", "藉口镇",
     "建设电力载波通讯设备及配电自动化终端生产线，年产各类设备2万台", "工业", "企业自筹+银行贷款",
     6000, (2007, 3, "date"), "主厂房封顶，办公楼主体施工"),
    ("西联蜂业蜂产品深加工项目", "天水西联蜂业有限公司", "皂郊镇",
     "建设蜂蜜、蜂王浆、蜂花粉深加工生产线及GMP车间，年加工蜂产品2000吨", "农业", "外商投资",
     5200, (2006, 10, "dot"), "GMP车间建成，蜂王浆冻干线试生产"),
    ("花牛苹果气调保鲜库建设项目", "天水绿源果品有限公司", "太京镇",
     "新建5000吨苹果气调保鲜库及配套分级包装线", "农业", "企业自筹+银行贷款",
     2200, (2007, 4, "text"), "库体主体完工，制冷设备安装中"),
    ("新型墙体材料生产线项目", "天水金岭建材有限公司", "藉口镇",
     "建设年产6000万块煤矸石烧结空心砖生产线", "", "企业自筹",
     2800, (2007, 5, "date"), "隧道窑砌筑完成，设备调试"),
    ("大樱桃深加工项目", "天水秦樱食品有限公司", "汪川镇",
     "年加工大樱桃2000吨，建设果汁、果酒生产线", "", "外商投资",
     1600, (2007, 9, "text"), "厂房主体完工，生产线招标"),
    ("中药材规范化种植及饮片加工项目", "天水岐黄药业有限公司", "娘娘坝镇",
     "建设中药材规范化种植基地3000亩及年产1000吨饮片加工厂", "医药制造业", "企业自筹+银行贷款",
     2400, (2007, 3, "date"), "基地种植完成，加工车间装修"),
    ("秦州物流园区一期工程", "天水陇东南物流有限公司", "七里墩街道",
     "建设仓储库房2万平方米、停车场及物流信息中心", "商贸", "企业自筹+银行贷款",
     4500, (2006, 10, "date"), "一期仓库投入使用，二期场地平整"),
    ("农副产品批发市场改扩建项目", "天水瑞丰市场开发有限公司", "石马坪街道",
     "新建交易大棚1.2万平方米及冷链配送中心", "商贸", "企业自筹",
     3200, (2007, 6, "date"), "交易大棚钢结构安装"),
    ("伏羲庙周边历史街区保护与旅游开发项目", "天水羲皇文化旅游开发有限公司", "西关街道",
     "仿古街区改造3.5万平方米，建设民俗展示及旅游商品一条街", "旅游", "招商引资",
     4200, (2007, 8, "text"), "一期仿古商铺装修"),
    ("南郭寺景区旅游服务设施建设项目", "天水南山旅游开发有限公司", "东关街道",
     "建设游客服务中心、生态停车场及景区道路3公里", "旅游", "企业自筹+招商引资",
     1800, (2007, 5, "date"), "停车场完工，服务中心主体施工"),
    ("陇萃大酒店改扩建项目", "天水陇萃酒店管理有限公司", "大城街道",
     "按四星级标准改造主楼，客房180间及会议中心", "住宿和餐饮业", "企业自筹+银行贷款",
     3800, (2007, 2, "date"), "主楼装修完成70%"),
    ("嘉和苑住宅小区建设项目", "天水嘉和房地产开发有限公司", "七里墩街道",
     "建设住宅及商业用房8.6万平方米", "房地产业", "企业自筹+银行贷款",
     4600, (2006, 9, "text"), "1-4号楼封顶，5-6号楼主体施工"),
    ("育才实验学校建设项目", "天水育才教育投资有限公司", "天水郡街道",
     "建设教学楼、宿舍楼及运动场，办学规模2400人", "", "招商引资",
     2500, (2007, 7, "date"), "教学楼主体完工，宿舍楼砌体施工"),
    ("秦州汽车贸易城建设项目", "天水通达汽车销售服务有限公司", "石马坪街道",
     "建设汽车4S店3座及二手车交易市场", "商贸", "企业自筹",
     2000, (2007, 10, "dot"), "2座4S店建成营业"),
    ("30万吨水泥粉磨站技改项目", "天水秦岭水泥有限公司", "关子镇",
     "新建水泥粉磨站，年产水泥30万吨", "工业", "企业自筹+银行贷款",
     3000, (2007, 3, "date"), "设备安装完成，试生产"),
    ("精密铸件生产线项目", "天水华星铸造有限公司", "天水镇",
     "建设年产5000吨机床精密铸件生产线", "制造业", "企业自筹",
     1500, (2007, 6, "text"), "熔炼车间建成，造型线安装"),
    ("电力电缆生产线项目", "天水陇缆电工有限公司", "玉泉镇",
     "建设年产8000公里电力电缆及架空绝缘导线生产线", "电气机械和器材制造业", "招商引资",
     2600, (2007, 8, "date"), "厂房封顶，设备订货"),
    ("核桃精深加工项目", "天水山珍食品有限公司", "齐寿乡",
     "年加工核桃1500吨，建设核桃仁、核桃乳生产线", "", "企业自筹",
     900, (2007, 10, "text"), "车间装修，设备采购"),
    ("万头生猪规模养殖小区建设项目", "天水秦州丰源牧业有限公司", "杨家寺乡",
     "建设标准化圈舍及沼气池，年出栏生猪1万头", "农业", "企业自筹+中央预算内投资",
     700, (2007, 4, "date"), "圈舍建成8栋，已进栏"),
    ("日光温室蔬菜基地建设项目", "天水绿野农业开发有限公司", "中梁乡",
     "建设高标准日光温室500座及蔬菜分拣中心", "", "招商引资",
     800, (2007, 9, "date"), "温室建成320座"),
    ("马铃薯精淀粉加工项目", "天水雪原淀粉有限公司", "秦岭乡",
     "建设年产1万吨马铃薯精淀粉生产线", "农副食品加工业", "企业自筹+银行贷款",
     2300, (2007, 5, "text"), "生产线安装调试"),
    ("雕漆工艺品生产基地建设项目", "天水秦艺雕漆工艺品有限公司", "太京镇",
     "建设雕漆工艺品生产车间及展示销售中心", "", "企业自筹",
     1200, (2007, 3, "date"), "生产车间投产，展厅装修"),
    ("步行街商业综合楼建设项目", "天水鸿运置业有限公司", "中城街道",
     "建设商业综合楼3.2万平方米", "商贸", "企业自筹+银行贷款",
     4000, (2006, 11, "date"), "主体封顶，外墙装饰"),
    ("娘娘坝森林生态旅游开发项目", "天水秦风生态旅游开发有限公司", "娘娘坝镇",
     "建设生态度假村、森林步道及接待设施", "旅游", "招商引资",
     1300, (2007, 6, "text"), "度假村一期主体完工"),
    ("配合饲料生产线项目", "天水丰谷饲料有限公司", "太京镇",
     "建设年产5万吨配合饲料生产线", "工业", "企业自筹",
     1100, (2007, 8, "date"), "设备安装"),
    ("城区集中供热扩建项目", "天水暖通热力有限公司", "西关街道",
     "新建20吨热水锅炉2台，铺设供热管网6公里", "城建", "企业自筹+银行贷款",
     2700, (2007, 5, "date"), "管网铺设完成60%"),
    ("钢结构及彩钢板加工项目", "天水鑫达钢结构有限公司", "平南镇",
     "建设彩钢板及轻钢结构加工车间", "", "企业自筹",
     850, (2007, 4, "text"), "一期投产，二期车间施工"),
    ("康泰医院门诊住院综合楼建设项目", "天水康泰医疗投资有限公司", "东关街道",
     "建设门诊住院综合楼1.5万平方米，床位200张", "卫生", "企业自筹+招商引资",
     2100, (2007, 1, "date"), "主体完工，内部装修"),
    ("农资连锁配送中心建设项目", "天水惠农农资有限公司", "皂郊镇",
     "建设农资配送中心及农家店50个", "商贸", "企业自筹+中央预算内投资",
     600, (2007, 7, "dot"), "配送中心建成，农家店建成38个"),
]

# 新签约 projects: name, owner, location, content, industry, funding, size hint,
# month signed, start month (None = not started by June), progress note.
NEW_SIGNED = [
    ("2000头荷斯坦奶牛养殖基地建设项目", "天水陇原牧业有限公司", "华岐乡",
     "建设标准化牛舍、青贮窖及挤奶厅，存栏荷斯坦奶牛2000头", "农业", "招商引资",
     3500, 3, 4, "牛舍建成4栋，引进奶牛300头"),
    ("红豆杉繁育基地建设项目", "天水红杉生物科技有限公司", "平南镇",
     "建设红豆杉育苗温室及繁育基地500亩", "林业", "外商投资",
     3000, 4, 4, "育苗温室建成，繁育苗木30万株"),
    ("SSOP集成电路引线框架生产线项目", "天水恒芯电子材料有限公司", "玉泉镇",
     "建设SSOP系列集成电路引线框架冲压、电镀生产线，年产引线框架15亿只", "制造业",
     "企业自筹+银行贷款", 2800, 2, 3, "厂房改造完成，冲压设备安装"),
    ("皂郊水厂改扩建项目", "秦州区水务局", "皂郊镇",
     "新建日供水5000立方米净水厂及配水管网12公里", "城建", "中央预算内投资+企业自筹",
     2500, 3, 4, "取水工程完工，管网铺设中"),
    ("果品冷链配送中心建设项目", "天水鲜达冷链物流有限公司", "中梁乡",
     "建设果品冷藏库3000吨及冷链配送车队", "商贸", "企业自筹+银行贷款",
     1800, 1, 3, "冷藏库基础施工"),
    ("花牛苹果矮化密植示范园建设项目", "天水秦红果业开发有限公司", "藉口镇",
     "建设矮化密植苹果示范园1000亩", "农业", "招商引资",
     600, 1, 3, "苗木定植完成"),
    ("大樱桃标准化种植基地建设项目", "天水樱之源农业有限公司", "汪川镇",
     "建设大樱桃标准化种植基地800亩", "", "招商引资",
     500, 2, 3, "建园600亩"),
    ("柴胡党参种植及初加工项目", "天水陇药源中药材有限公司", "秦岭乡",
     "建设柴胡、党参种植基地2000亩及初加工车间", "农业", "企业自筹",
     700, 1, 4, "种植基地完成"),
    ("商品混凝土搅拌站建设项目", "天水宏建商砼有限公司", "天水镇",
     "建设年产30万立方米商品混凝土搅拌站", "", "企业自筹+银行贷款",
     1500, 2, 4, "搅拌楼安装完成"),
    ("驾驶员培训基地建设项目", "天水通顺驾驶员培训有限公司", "平南镇",
     "建设训练场地3万平方米及教学楼", "教育", "企业自筹",
     800, 5, 6, "场地平整"),
    ("伏羲商务酒店改造项目", "天水伏羲商务酒店有限公司", "西关街道",
     "改造客房90间及餐饮设施", "住宿和餐饮业", "招商引资",
     1200, 3, 4, "内部装修"),
    ("连锁超市配送中心建设项目", "天水佳惠商贸有限公司", "七里墩街道",
     "建设超市配送中心及连锁门店10个", "商贸", "企业自筹",
     900, 4, 5, "配送中心主体施工"),
    ("大门乡村旅游接待设施建设项目", "天水林海旅游开发有限公司", "大门乡",
     "建设农家乐接待户30户及旅游步道", "旅游", "招商引资",
     400, 5, None, "前期手续办理中"),
    ("电机配件生产项目", "天水宏达电机配件有限公司", "玉泉镇",
     "建设年产10万套电机配件生产线", "制造业", "招商引资",
     1100, 4, 5, "厂房基础施工"),
    ("箱式变电站生产线项目", "天水汇能电气有限公司", "太京镇",
     "建设箱式变电站及高低压开关柜生产线", "工业", "企业自筹+银行贷款",
     1600, 3, 5, "车间钢结构安装"),
    ("农用地膜生产项目", "天水绿丰塑业有限公司", "关子镇",
     "建设年产3000吨农用地膜生产线", "", "企业自筹",
     900, 5, 6, "设备订货"),
    ("挂面加工项目", "天水金穗食品有限公司", "藉口镇",
     "建设年产1万吨挂面生产线", "农副食品加工业", "企业自筹",
     700, 6, None, "已签约，项目备案中"),
    ("秦州特色小吃中央厨房建设项目", "天水秦味食品有限公司", "大城街道",
     "建设中央厨房及呱呱、浆水面等特色小吃配送网点", "商贸", "企业自筹",
     300, 6, 6, "场地租赁完成，装修中"),
    ("肉牛育肥场建设项目", "天水秦岭牧业有限公司", "关子镇",
     "建设肉牛育肥场，年出栏肉牛2000头", "农业", "企业自筹+银行贷款",
     800, 3, 4, "牛舍建成2栋"),
    ("锦华园住宅小区建设项目", "天水锦华房地产开发有限公司", "天水郡街道",
     "建设住宅4.2万平方米", "房地产业", "企业自筹+银行贷款",
     1900, 1, 3, "基础施工完成"),
    ("中密度纤维板生产线项目", "天水林海木业有限公司", "娘娘坝镇",
     "建设年产3万立方米中密度纤维板生产线", "", "外商投资",
     1300, 6, None, "环评报批中"),
    ("手工丝毯织造项目", "天水丝路丝毯织造有限公司", "石马坪街道",
     "建设手工丝毯织造车间，年产丝毯5000平方英尺", "工艺美术品制造", "外商投资",
     500, 4, 5, "车间改造完成，织机安装"),
    ("CNG加气站建设项目", "天水洁能燃气有限公司", "七里墩街道",
     "建设CNG加气站1座，日加气能力1万立方米", "", "企业自筹",
     600, 5, 6, "站房基础施工"),
    ("阳光幼儿园建设项目", "天水阳光教育咨询有限公司", "东关街道",
     "建设教学楼及活动场地，办园规模300人", "教育", "企业自筹",
     350, 2, 3, "主体施工"),
    ("秸秆颗粒燃料加工项目", "天水禾丰生物能源有限公司", "平南镇",
     "建设年产1万吨秸秆颗粒燃料生产线", "", "企业自筹+中央预算内投资",
     350, 6, None, "已签约，选址完成"),
    ("食用菌生产基地建设项目", "天水秦菇农业有限公司", "齐寿乡",
     "建设香菇生产大棚200座及菌种场", "农业", "招商引资",
     450, 2, 3, "建成大棚120座"),
    ("皂郊农贸市场建设项目", "天水皂郊农贸市场开发有限公司", "皂郊镇",
     "建设农贸市场交易棚及商铺6000平方米", "商贸", "企业自筹",
     650, 4, 5, "交易棚主体施工"),
    ("牡丹花卉苗木基地建设项目", "天水绿荫园林有限公司", "牡丹镇",
     "建设牡丹花卉及绿化苗木繁育基地800亩", "林业", "招商引资",
     550, 1, 3, "苗木栽植完成"),
]

NAMED_IN_ARTICLE = {
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


# ---------------------------------------------------------------------------
# Name drift in the monthly ledgers (issue 11)
# ---------------------------------------------------------------------------
# Offices retype project names from month to month. The monthly ledgers of 1-5月 write
# these projects as below (canonical name, month) -> name as typed; the June ledger and
# the half-year ledger use the canonical names, so the article's figures do not move.
# Only the name cell drifts: owner, place and every figure stay those of the project.
DRIFT = {
    # 项目 -> 工程
    ("花牛苹果气调保鲜库建设项目", 2): "花牛苹果气调保鲜库建设工程",
    ("花牛苹果气调保鲜库建设项目", 3): "花牛苹果气调保鲜库建设工程",
    # the place prefix 秦州 dropped
    ("秦州汽车贸易城建设项目", 3): "汽车贸易城建设项目",
    ("秦州汽车贸易城建设项目", 4): "汽车贸易城建设项目",
    # full-width letters (and a full-width bracket pair around the scale) in one month
    ("SSOP集成电路引线框架生产线项目", 4): "ＳＳＯＰ集成电路引线框架生产线项目",
    ("瑞德电器1500台/套高低压启动设备生产项目", 5): "瑞德电器（1500台/套）高低压启动设备生产项目",
    # a stray space
    ("派尔彩印包装生产线建设项目", 1): "派尔彩印 包装生产线建设项目",
    # traditional characters in one month
    ("西联蜂业蜂产品深加工项目", 3): "西聯蜂業蜂產品深加工項目",
}

# A look-alike that must stay apart: the second phase of 秦州物流园区一期工程 (same owner,
# same place) is signed in May. It is a monthly-ledger project only (after the article's
# half-year count), not started by June: 完成投资 and 到位资金 are 0 and 本年计划投资 is left
# blank (not yet in this year's plan), so no monthly total of 完成投资, 到位资金 or 本年计划
# 投资 changes, nor any 占年计划%. name, owner, location, content, industry, funding, total,
# contracted, plan (None = blank), month signed, note (6月).
SECOND_PHASE = ("秦州物流园区二期工程", "天水陇东南物流有限公司", "七里墩街道",
                "建设冷链仓储库房1.5万平方米及城市配送中心", "商贸", "企业自筹+银行贷款",
                3600, 3000, None, 5, "二期场地平整，前期手续办理中")


def typed_name(p: Project, month: int) -> str:
    """The name as the ledger of 1-``month`` writes it (see :data:`DRIFT`)."""
    return DRIFT.get((p.name, month), p.name)


def second_phase_project() -> Project:
    name, owner, loc, content, ind, fund, total, contracted, plan, sign, note = SECOND_PHASE
    p = Project(name, owner, loc, content, ind, fund, 0, group="新签约", start=None,
                sign_month=sign, note=note, total=total, contracted=contracted, plan=plan)
    p.monthly = {m: (0, 0) for m in range(sign, 7)}
    return p


def build_projects() -> dict[str, list[Project]]:
    groups: dict[str, list[Project]] = {"续建": [], "新签约": []}
    for row in CONTINUING:
        name, owner, loc, content, ind, fund, hint, start, note = row
        groups["续建"].append(Project(name, owner, loc, content, ind, fund, hint,
                                      group="续建", start=start, sign_month=1, note=note))
    for row in NEW_SIGNED:
        name, owner, loc, content, ind, fund, hint, sign, start, note = row
        groups["新签约"].append(Project(name, owner, loc, content, ind, fund, hint,
                                        group="新签约", start=start, sign_month=sign, note=note))
    for g, names in NAMED_IN_ARTICLE.items():
        for p in groups[g]:
            p.named = p.name in names
        assert sum(p.named for p in groups[g]) == 4
    return groups


# ---------------------------------------------------------------------------
# Exact allocation with "ledger-like" round numbers
# ---------------------------------------------------------------------------
def nice(v: float, base: int) -> int:
    """Round v to a granularity a clerk would write (100, 50, 10 or base)."""
    if v >= 2000:
        g = 100
    elif v >= 500:
        g = 50
    elif v >= 100:
        g = 10
    else:
        g = base
    g = max(g, base)
    return int(round(v / g)) * g


def fit(raw, target, lo, hi, base, protected=()):
    """Integers close to raw (scaled), lo <= x <= hi, summing exactly to target.

    Values are rounded to ledger-like granularity; the residual goes to the
    largest unprotected items with room, so only a few figures are "odd".
    """
    n = len(raw)
    assert sum(lo) <= target <= sum(hi), (target, sum(lo), sum(hi))
    x = [float(r) for r in raw]
    free = [i for i in range(n) if raw[i] > 0]
    # water-filling: scale the free items, clip to bounds, repeat
    for _ in range(50):
        fixed_sum = sum(x[i] for i in range(n) if i not in free)
        free_sum = sum(x[i] for i in free)
        if not free or free_sum == 0:
            break
        k = (target - fixed_sum) / free_sum
        clipped = []
        for i in free:
            x[i] *= k
            if x[i] > hi[i]:
                x[i] = hi[i]
                clipped.append(i)
            elif x[i] < lo[i]:
                x[i] = lo[i]
                clipped.append(i)
        if not clipped:
            break
        free = [i for i in free if i not in clipped]
    out = []
    for i in range(n):
        v = nice(x[i], base) if x[i] > 0 else 0
        while v > hi[i]:
            v -= base
        while v < lo[i]:
            v += base
        out.append(v)
    diff = target - sum(out)
    order = sorted(range(n), key=lambda i: (i in protected, -out[i], i))
    for i in order:
        if diff == 0:
            break
        if diff > 0:
            d = min(diff, hi[i] - out[i])
        else:
            d = -min(-diff, out[i] - lo[i])
        if d and out[i] + d >= 0 and (out[i] > 0 or raw[i] > 0):
            out[i] += d
            diff -= d
    assert diff == 0, diff
    return out


def allocate(groups: dict[str, list[Project]], rng: random.Random) -> None:
    for g, projects in groups.items():
        spec = ARTICLE[g]
        n = len(projects)
        assert n == spec["count"]
        prot = {i for i, p in enumerate(projects) if p.named}

        # 总投资
        totals = fit([p.hint for p in projects], spec["total"], [50] * n,
                     [10**6] * n, 10, protected=prot)
        for p, t in zip(projects, totals, strict=True):
            p.total = t

        # 合同引资 (<= 总投资); public projects attract less outside money
        raw = []
        for p in projects:
            r = rng.uniform(0.78, 1.0)
            if "中央预算内" in p.funding or p.owner.endswith("局"):
                r = rng.uniform(0.45, 0.6)
            raw.append(p.total * r)
        contracted = fit(raw, CONTRACTED_SPLIT[g], [10] * n, [p.total for p in projects],
                         10, protected=prot)
        for p, c in zip(projects, contracted, strict=True):
            p.contracted = c

        # 1-6月完成投资
        raw, hi = [], []
        for p in projects:
            if g == "续建":
                w = p.total * rng.uniform(0.10, 0.26)
                cap = int(p.total * 0.45)
            else:
                if p.start is None:
                    w, cap = 0.0, 0
                else:
                    months_built = 7 - p.start
                    w = p.total * rng.uniform(0.06, 0.11) * months_built
                    cap = int(min(p.total, p.contracted) * 0.6)
            raw.append(w)
            hi.append(cap)
        completed = fit(raw, spec["completed"], [0] * n, hi, 5, protected=prot)
        for p, c in zip(projects, completed, strict=True):
            p.completed = c

        # 1-6月到位资金 (<= completed and <= contracted)
        if g == "新签约":
            for p in projects:  # the article's figures are equal for this group
                p.in_place = p.completed
        else:
            raw = [p.completed * rng.uniform(0.75, 1.0) for p in projects]
            hi = [min(p.completed, p.contracted) for p in projects]
            lo = [min(p.completed // 2, h) for p, h in zip(projects, hi, strict=True)]
            in_place = fit(raw, spec["in_place"], lo, hi, 5, protected=prot)
            for p, v in zip(projects, in_place, strict=True):
                p.in_place = v

        # 至上年底累计完成投资 (only 续建) and 本年计划投资: invented, not pinned
        for p in projects:
            if g == "续建":
                year = p.start[0]
                share = rng.uniform(0.35, 0.6) if year == 2006 else rng.uniform(0.15, 0.4)
                p.prior = nice((p.total - p.completed) * share, 10)
                p.prior = min(p.prior, p.total - p.completed)
            else:
                p.prior = 0
            room = p.total - p.prior
            if p.completed:
                plan = nice(p.completed / rng.uniform(0.38, 0.72), 10)
            else:
                plan = nice(p.total * rng.uniform(0.2, 0.35), 10)
            p.plan = max(min(plan, room), p.completed)

    # the article lists the named projects as the main ones: make them the largest
    for g, projects in groups.items():
        top = sorted(projects, key=lambda p: -p.total)[:4]
        assert {p.name for p in top} == set(NAMED_IN_ARTICLE[g]), [p.name for p in top]


def monthly_paths(groups: dict[str, list[Project]]) -> None:
    """Cumulative 1-n月 completion / funds in place per project, June = H1 figures."""
    for g, projects in groups.items():
        for p in projects:
            if g == "续建":
                first_work = 1 if p.total % 3 else 3  # some sites stop for winter
            else:
                first_work = p.start if p.start is not None else 7
            weights = {m: (MONTH_WEIGHT[m] if m >= first_work else 0.0) for m in range(1, 7)}
            wsum = sum(weights.values())
            cum = 0.0
            for m in range(1, 7):
                if m < p.sign_month:
                    continue
                cum += weights[m]
                if m == 6:
                    c, ip = p.completed, p.in_place
                elif wsum == 0:
                    c = ip = 0
                else:
                    c = int(p.completed * cum / wsum) // 5 * 5
                    ip = int(c * p.in_place / p.completed) // 5 * 5 if p.completed else 0
                    if g == "新签约":
                        ip = c
                p.monthly[m] = (c, ip)


# ---------------------------------------------------------------------------
# Workbook layout
# ---------------------------------------------------------------------------
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE_FONT = Font(name="黑体", size=16, bold=True)

# (key, header text, width); "completed"/"in_place" sit under the merged 1-n月 parent
COLUMNS = [
    ("seq", "序号", 5),
    ("name", "项目名称", 30),
    ("owner", "建设单位", 24),
    ("location", "建设地点", 10),
    ("content", "建设内容及规模", 36),
    ("industry", "行业", 9),
    ("funding", "资金来源", 14),
    ("total", "总投资", 9),
    ("contracted", "合同引资", 9),
    ("plan", "本年计划投资", 9),
    ("completed", "完成投资", 9),
    ("in_place", "到位资金", 9),
    ("cumulative", "开工累计完成投资", 10),
    ("start", "开工时间", 10),
    ("note", "形象进度", 28),
]
COL = {key: i + 1 for i, (key, _, _) in enumerate(COLUMNS)}
NUMERIC = ["total", "contracted", "plan", "completed", "in_place", "cumulative"]
NCOL = len(COLUMNS)
SECTION_NO = "一二三四五六七八九十"
UNIT_ROW = "填报单位：秦州区招商局            单位：万元"


def start_cell(p: Project, month: int):
    """开工时间 cell value and number format for the ledger of 1-month."""
    if p.group == "续建":
        year, mon, style = p.start
        if style == "date":
            return dt.datetime(year, mon, 1), 'yyyy"年"m"月"'
        if style == "dot":
            return f"{year}.{mon}", None
        return f"{year}年{mon}月", None
    if p.start is None or p.start > month:
        return None, None
    # new projects: alternate Excel dates and text
    if len(p.name) % 2:
        return dt.datetime(YEAR, p.start, 1 + len(p.name) % 20), "yyyy-mm-dd"
    return f"{YEAR}年{p.start}月", None


def progress_text(p: Project, month: int, c: int) -> str:
    if month == 6:
        return p.note
    if p.group == "续建":
        return "冬季停工" if c == 0 else "复工建设中"
    if p.start is None or p.start > month:
        return "已签约，前期准备中"
    return "已开工建设"


def new_sheet(wb: Workbook, title: str, sheet_title: str, period: str):
    ws = wb.create_sheet(sheet_title)
    for i, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.cell(1, 1, title).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=NCOL)
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, UNIT_ROW).font = FONT
    ws.cell(2, 1).alignment = LEFT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NCOL)
    # two-row header
    for key, text, _ in COLUMNS:
        c = COL[key]
        if key in ("completed", "in_place"):
            ws.cell(4, c, text)
        else:
            ws.cell(3, c, text)
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(3, COL["completed"], period)
    ws.merge_cells(start_row=3, start_column=COL["completed"], end_row=3,
                   end_column=COL["in_place"])
    for r in (3, 4):
        for c in range(1, NCOL + 1):
            cell = ws.cell(r, c)
            cell.font = BOLD
            cell.alignment = CENTER
            cell.border = BORDER
    ws.freeze_panes = "C5"
    return ws


def style_row(ws, r: int, bold: bool = False) -> None:
    for c in range(1, NCOL + 1):
        cell = ws.cell(r, c)
        cell.border = BORDER
        cell.font = BOLD if bold else FONT
        if cell.alignment.horizontal is None:
            cell.alignment = LEFT if isinstance(cell.value, str) else RIGHT


def write_label_row(ws, r: int, label: str, values: dict | None = None) -> None:
    """合计/小计 or section row: label in column A merged over A:B."""
    ws.cell(r, 1, label).alignment = CENTER if values is not None else LEFT
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    for key, v in (values or {}).items():
        if v is not None:
            ws.cell(r, COL[key], v).number_format = "0"
    style_row(ws, r, bold=True)


def write_project_row(ws, r: int, seq: int, rec: dict) -> None:
    for key, v in rec.items():
        if key == "start_fmt" or v is None or v == "":
            continue
        cell = ws.cell(r, COL[key], v)
        if key in NUMERIC:
            cell.number_format = "0"
    if rec.get("start_fmt"):
        ws.cell(r, COL["start"]).number_format = rec["start_fmt"]
    ws.cell(r, COL["seq"], seq).alignment = CENTER
    ws.cell(r, COL["start"]).alignment = CENTER
    style_row(ws, r)


def sums(records: list[dict]) -> dict:
    out = {}
    for key in NUMERIC:
        vals = [rec[key] for rec in records if rec.get(key) is not None]
        out[key] = sum(vals) if vals else None
    return out


def write_ledger(wb: Workbook, title: str, sheet_title: str, period: str,
                 sections: list[tuple[str, list[dict]]], note: str) -> None:
    """Lay out one ledger sheet: title, unit row, header, 合计, sections with 小计, note."""
    ws = new_sheet(wb, title, sheet_title, period)
    all_recs = [rec for _, recs in sections for rec in recs]
    r = 5
    write_label_row(ws, r, "合计", sums(all_recs))
    for k, (label, recs) in enumerate(sections):
        r += 1
        write_label_row(ws, r, f"{SECTION_NO[k]}、{label}（{len(recs)}个）")
        for seq, rec in enumerate(recs, start=1):
            r += 1
            write_project_row(ws, r, seq, rec)
        r += 1
        write_label_row(ws, r, "小计", sums(recs))
    r += 1
    ws.cell(r, 1, note).font = FONT
    ws.cell(r, 1).alignment = LEFT
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=NCOL)
    ws.row_dimensions[r].height = 42


def project_record(p: Project, month: int) -> dict:
    c, ip = p.monthly[month]
    start, fmt = start_cell(p, month)
    return {
        "name": typed_name(p, month), "owner": p.owner, "location": p.location, "content": p.content,
        "industry": p.industry, "funding": p.funding, "total": p.total,
        "contracted": p.contracted, "plan": p.plan, "completed": c, "in_place": ip,
        "cumulative": p.prior + c, "start": start, "start_fmt": fmt,
        "note": progress_text(p, month, c),
    }


def period_label(month: int) -> str:
    return f"1-{month}月"


LEDGER_NOTE = ("注：1.本表金额单位为万元；2.续建项目为{y0}年及以前开工、本年继续实施的项目，"
               "新签约项目为本年新签订投资合同的项目；3.完成投资、到位资金为本年1月至报告期末累计数，"
               "开工累计完成投资为项目开工至报告期末累计数。")


def ledger_workbook(groups, month: int, title: str, sheet_title: str,
                    extra: tuple = ()) -> Workbook:
    """One ledger of 1-``month``; ``extra``: 新签约 projects of the monthly ledgers only."""
    wb = new_workbook()
    sections = []
    for g, label in (("续建", "续建项目"), ("新签约", "新签约项目")):
        listed = [*groups[g], *(extra if g == "新签约" else ())]
        recs = [project_record(p, month) for p in listed if p.sign_month <= month]
        sections.append((label, recs))
    write_ledger(wb, title, sheet_title, period_label(month), sections,
                 LEDGER_NOTE.format(y0=YEAR - 1))
    return wb


# ---------------------------------------------------------------------------
# Pipeline (建成 / 洽谈 / 储备 / 争取) — all invented
# ---------------------------------------------------------------------------
# 建成 (completed in 2007; now "建成项目抓效益"):
# name, owner, location, content, industry, funding, total, contracted, start, note
BUILT = [
    ("恒信电器开关柜生产线项目", "天水恒信电器有限公司", "天水镇", "年产高低压开关柜3000面",
     "工业", "企业自筹+银行贷款", 3200, 2800, (2006, 5), "2007年10月建成投产，1-6月实现产值2600万元"),
    ("果品分级包装厂建设项目", "天水秦红果品有限公司", "太京镇", "建设果品分级包装线2条",
     "农业", "招商引资", 900, 900, (2006, 9), "2007年9月建成投产，收购果品8000吨"),
    ("华羲大酒店装修改造项目", "天水华羲酒店有限公司", "大城街道", "客房及会议中心改造",
     "商贸", "企业自筹", 1600, 1400, (2006, 12), "2007年12月竣工营业"),
    ("秦州区蔬菜批发市场建设项目", "天水丰源市场管理有限公司", "石马坪街道", "建设交易大棚8000平方米",
     "商贸", "企业自筹", 1200, 1000, (2006, 8), "2007年8月建成运营，日交易量300吨"),
    ("玉泉观旅游服务设施建设项目", "天水玉泉文化旅游有限公司", "西关街道", "建设游客接待中心及停车场",
     "旅游", "招商引资", 800, 750, (2007, 3), "2007年11月建成使用"),
    ("砂石料加工厂建设项目", "天水秦州宏远建材有限公司", "关子镇", "年产砂石料20万立方米",
     "建材", "企业自筹", 450, 450, (2007, 4), "2007年10月建成投产"),
]

# 洽谈 (in talks): name, prospective investor, location, content, industry, funding, total, note
TALKS = [
    ("花牛苹果浓缩果汁生产线项目", "陕西客商", "藉口镇", "年产浓缩苹果汁1万吨", "农产品加工", "招商引资", 8000, "已签意向协议"),
    ("秦州大樱桃冷链物流项目", "浙江温州客商", "汪川镇", "建设樱桃冷库及冷链物流中心", "商贸", "招商引资", 2500, "已来考察，洽谈中"),
    ("伏羲文化产业园建设项目", "北京某文化投资公司", "西关街道", "建设伏羲文化展示区及商业街", "旅游", "招商引资", 30000, "投资意向明确"),
    ("电工电器产业园标准化厂房项目", "江苏客商", "天水镇", "建设标准化厂房5万平方米", "工业", "招商引资", 12000, "跟踪洽谈中"),
    ("中药材交易市场建设项目", "甘肃陇西客商", "娘娘坝镇", "建设中药材交易大厅及仓储设施", "商贸", "招商引资", 5000, "已来考察，洽谈中"),
    ("生物质发电项目", "香港某能源公司", "平南镇", "建设2×12兆瓦秸秆发电厂", "能源", "外商投资", 25000, "投资意向明确"),
    ("城南商业综合体项目", "深圳某置业公司", "天水郡街道", "建设购物中心及写字楼12万平方米", "房地产业", "招商引资", 40000, "跟踪洽谈中"),
    ("五星级酒店建设项目", "福建客商", "七里墩街道", "建设五星级酒店1座，客房300间", "住宿和餐饮业", "招商引资", 35000, "已来考察，洽谈中"),
    ("果醋果酒生产线项目", "台湾客商", "太京镇", "年产苹果醋、果酒5000吨", "", "外商投资", 3500, "已签意向协议"),
    ("马铃薯全粉加工项目", "内蒙古客商", "秦岭乡", "年产马铃薯全粉1万吨", "农产品加工", "招商引资", 6000, "投资意向明确"),
    ("汽车配件生产项目", "浙江台州客商", "玉泉镇", "年产汽车配件50万件", "制造业", "招商引资", 4000, "跟踪洽谈中"),
    ("生态农业观光园项目", "兰州客商", "中梁乡", "建设果蔬采摘及农业观光园1500亩", "农业", "招商引资", 3000, "已来考察，洽谈中"),
    ("建材大市场建设项目", "河南客商", "七里墩街道", "建设建材交易市场6万平方米", "商贸", "招商引资", 9000, "投资意向明确"),
    ("新型环保涂料生产项目", "广东客商", "关子镇", "年产环保涂料2万吨", "", "招商引资", 2800, "跟踪洽谈中"),
    ("肉羊养殖及屠宰加工项目", "宁夏客商", "杨家寺乡", "年屠宰加工肉羊10万只", "农业", "招商引资", 4500, "已签意向协议"),
    ("民营医院建设项目", "西安客商", "东关街道", "建设二级综合医院，床位300张", "卫生", "招商引资", 6000, "跟踪洽谈中"),
    ("职业技术学校建设项目", "四川客商", "皂郊镇", "建设职业技术学校，在校生3000人", "教育", "招商引资", 5000, "已来考察，洽谈中"),
    ("核桃油加工项目", "上海客商", "齐寿乡", "年产核桃油500吨", "", "招商引资", 1500, "投资意向明确"),
    ("光伏组件封装项目", "江苏无锡客商", "天水镇", "年封装光伏组件20兆瓦", "制造业", "招商引资", 15000, "跟踪洽谈中"),
    ("物流配送中心项目", "天津客商", "藉口镇", "建设城乡物流配送中心", "商贸", "招商引资", 3000, "已来考察，洽谈中"),
]

# 储备 (reserve list; owners to be found): name, location, content, industry, total, note
RESERVE = [
    ("苹果深加工系列产品开发项目", "太京镇", "开发苹果脆片、果粉等系列产品", "农产品加工", 5000),
    ("大樱桃果汁饮料生产项目", "汪川镇", "年产樱桃果汁饮料1万吨", "农产品加工", 4000),
    ("中药材GAP基地扩建项目", "娘娘坝镇", "扩建中药材规范化种植基地5000亩", "农业", 2000),
    ("党参饮片及提取物生产项目", "秦岭乡", "年产党参提取物200吨", "医药制造业", 3000),
    ("花牛苹果出口基地建设项目", "中梁乡", "建设出口苹果基地1万亩及包装厂", "农业", 6000),
    ("高低压电器元件生产项目", "天水镇", "年产电器元件100万件", "工业", 5000),
    ("电力电子变频装置生产项目", "玉泉镇", "年产变频装置2000台", "工业", 8000),
    ("精密轴承生产线项目", "天水镇", "年产精密轴承500万套", "制造业", 10000),
    ("新型保温建材生产项目", "藉口镇", "年产保温板材50万平方米", "建材", 3000),
    ("石材加工项目", "关子镇", "年加工花岗岩板材10万平方米", "建材", 2000),
    ("农产品物流园项目", "皂郊镇", "建设农产品仓储及交易设施", "商贸", 12000),
    ("城乡客运枢纽建设项目", "七里墩街道", "建设二级客运站1座", "交通", 6000),
    ("伏羲庙景区扩建项目", "西关街道", "扩建景区广场及配套设施", "旅游", 15000),
    ("南郭寺森林公园建设项目", "东关街道", "建设森林公园及游览道路", "旅游", 8000),
    ("李广墓文化景区开发项目", "石马坪街道", "景区保护及旅游设施建设", "旅游", 3000),
    ("秦州古城民俗街区开发项目", "中城街道", "改造传统民居及民俗商业街", "旅游", 20000),
    ("齐寿山生态旅游开发项目", "齐寿乡", "建设生态旅游景区及接待设施", "旅游", 5000),
    ("娘娘坝森林度假区项目", "娘娘坝镇", "建设森林度假酒店及拓展基地", "旅游", 10000),
    ("城区旧城改造项目", "大城街道", "改造棚户区住宅15万平方米", "城建", 30000),
    ("城市污水处理厂二期项目", "七里墩街道", "日处理污水3万吨", "城建", 9000),
    ("垃圾无害化处理场项目", "平南镇", "日处理生活垃圾300吨", "城建", 7000),
    ("天然气城市管网延伸项目", "天水郡街道", "铺设中压管网20公里", "能源", 4000),
    ("小水电开发项目", "娘娘坝镇", "建设装机2000千瓦水电站", "能源", 3500),
    ("风力发电前期项目", "华岐乡", "建设49.5兆瓦风电场", "能源", 45000),
    ("奶牛养殖小区项目", "大门乡", "建设奶牛养殖小区3个", "农业", 1500),
    ("肉兔养殖加工项目", "杨家寺乡", "年出栏肉兔50万只及加工", "农业", 1200),
    ("食用菌工厂化生产项目", "齐寿乡", "年产鲜菇3000吨", "农业", 2500),
    ("花卉苗木交易市场项目", "牡丹镇", "建设花卉苗木交易市场", "商贸", 2000),
    ("蔬菜脱水加工项目", "中梁乡", "年产脱水蔬菜2000吨", "农产品加工", 1800),
    ("马铃薯种薯繁育基地项目", "秦岭乡", "建设脱毒种薯繁育基地3000亩", "农业", 1500),
    ("民办高中建设项目", "天水郡街道", "办学规模2000人", "教育", 6000),
    ("养老服务中心项目", "东关街道", "建设养老床位300张", "社会事业", 3000),
    ("体育健身中心项目", "石马坪街道", "建设综合体育馆及游泳馆", "社会事业", 5000),
    ("汽车城二期项目", "石马坪街道", "建设汽车展示交易中心", "商贸", 6000),
    ("电子元器件产业园项目", "玉泉镇", "建设电子元器件标准化厂房", "工业", 20000),
    ("包装材料生产项目", "太京镇", "年产瓦楞纸箱2000万平方米", "制造业", 3000),
    ("饮用水灌装项目", "平南镇", "年产桶装、瓶装饮用水5万吨", "", 1200),
    ("雕漆丝毯文化产业园项目", "中城街道", "建设雕漆、丝毯生产展示园区", "工艺美术品制造", 8000),
    ("乡村旅游示范村项目", "大门乡", "建设乡村旅游示范村5个", "旅游", 1000),
    ("农村集贸市场改造项目", "关子镇", "改造乡镇集贸市场8处", "商贸", 1600),
]
RESERVE_NOTES = ["已完成项目建议书", "可研编制中", "已列入招商项目册", "已完成选址", "项目包装中"]

# 争取 (seeking higher-level funds): name, owner, location, content, industry, funding, total, note
SEEKING = [
    ("秦州区农村安全饮水工程", "秦州区水务局", "齐寿乡", "解决3.2万人安全饮水问题", "城建",
     "中央预算内投资", 2200, "已列入国家投资计划，等待资金下达"),
    ("藉河秦州段防洪治理工程", "秦州区水务局", "藉口镇", "治理河道12公里", "城建",
     "中央预算内投资+地方配套", 6000, "已上报省发改委"),
    ("乡镇卫生院改扩建项目", "秦州区卫生局", "汪川镇", "改扩建乡镇卫生院6所", "卫生",
     "国债资金", 1200, "初步设计已批复"),
    ("农村中小学校舍改造项目", "秦州区教育局", "杨家寺乡", "改造校舍2.5万平方米", "教育",
     "中央预算内投资", 3000, "已上报，争取列入计划"),
    ("农村公路通畅工程", "秦州区交通局", "华岐乡", "硬化通村公路80公里", "交通",
     "中央车购税资金+地方配套", 4800, "已列入省级计划"),
    ("退耕还林后续产业项目", "秦州区林业局", "大门乡", "发展经济林1万亩", "林业",
     "中央财政专项", 1500, "已上报省林业厅"),
    ("农村沼气建设项目", "秦州区农牧局", "平南镇", "建设户用沼气3000户", "农业",
     "国债资金", 900, "已列入国家投资计划"),
    ("社区卫生服务中心建设项目", "秦州区卫生局", "大城街道", "建设社区卫生服务中心4个", "卫生",
     "中央预算内投资", 800, "可研已批复"),
    ("基层就业和社会保障服务设施项目", "秦州区劳动和社会保障局", "东关街道",
     "建设区级就业服务中心及乡镇服务站", "社会事业", "中央预算内投资", 1000, "已上报省发改委"),
    ("中梁乡小流域综合治理项目", "秦州区水土保持局", "中梁乡", "治理水土流失面积30平方公里",
     "农业", "中央水利建设基金", 1300, "项目建议书已上报"),
]


def pipeline_workbook() -> Workbook:
    wb = new_workbook()
    built = []
    for name, owner, loc, content, ind, fund, total, contr, (y, m), note in BUILT:
        built.append({"name": name, "owner": owner, "location": loc, "content": content,
                      "industry": ind, "funding": fund, "total": total, "contracted": contr,
                      "cumulative": total, "start": dt.datetime(y, m, 1),
                      "start_fmt": 'yyyy"年"m"月"', "note": note})
    talks = [{"name": n, "owner": o, "location": loc, "content": c, "industry": ind,
              "funding": f, "total": t, "note": note}
             for n, o, loc, c, ind, f, t, note in TALKS]
    reserve = [{"name": n, "owner": "", "location": loc, "content": c, "industry": ind,
                "funding": "招商引资", "total": t, "note": RESERVE_NOTES[i % len(RESERVE_NOTES)]}
               for i, (n, loc, c, ind, t) in enumerate(RESERVE)]
    seeking = [{"name": n, "owner": o, "location": loc, "content": c, "industry": ind,
                "funding": f, "total": t, "note": note}
               for n, o, loc, c, ind, f, t, note in SEEKING]
    sections = [("建成项目", built), ("洽谈项目", talks), ("储备项目", reserve),
                ("争取项目", seeking)]
    note = ("注：1.本表金额单位为万元；2.建成项目为已竣工投产项目，其开工累计完成投资即总投资；"
            "3.洽谈、储备项目总投资为估算数，尚无合同引资和到位资金；"
            "4.争取项目为向上争取中央和省级资金的项目。")
    write_ledger(wb, f"秦州区{YEAR}年上半年招商引资储备、洽谈及争取项目情况表", "项目库",
                 period_label(6), sections, note)
    return wb


# ---------------------------------------------------------------------------
# Deterministic saving
# ---------------------------------------------------------------------------
def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = "秦州区招商局"
    props.lastModifiedBy = "秦州区招商局"
    props.title = None
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def save(wb: Workbook, path: Path) -> None:
    """Save without openpyxl's 'modified = now' and with fixed zip timestamps."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # save_workbook() would stamp the current time
    buf.seek(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))


def generate(out: Path) -> list[Path]:
    rng = random.Random(SEED)
    groups = build_projects()
    allocate(groups, rng)
    monthly_paths(groups)
    written = []

    path = out / "qinzhou_h1_projects.xlsx"
    save(ledger_workbook(groups, 6, f"秦州区{YEAR}年上半年招商引资项目进展情况表", "1-6月"), path)
    written.append(path)

    for month in range(1, 7):
        path = out / "monthly" / f"qinzhou_{YEAR}-{month:02d}.xlsx"
        title = f"秦州区{YEAR}年{period_label(month)}招商引资项目进展情况表"
        save(ledger_workbook(groups, month, title, period_label(month),
                             extra=(second_phase_project(),)), path)
        written.append(path)

    path = out / "qinzhou_pipeline.xlsx"
    save(pipeline_workbook(), path)
    written.append(path)
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="生成 qzanalysis 示例台账（qzanalysis/data 与 data/raw）")
    parser.add_argument("--out", type=Path, default=None,
                        help="输出目录（默认写入 qzanalysis/data，并复制一份到 data/raw）")
    args = parser.parse_args(argv)
    if args.out is not None:
        for path in generate(args.out):
            print(path)
        return
    for path in generate(PACKAGE_DATA):
        copy = RAW / path.relative_to(PACKAGE_DATA)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        print(path)
        print(copy)


if __name__ == "__main__":
    main()
