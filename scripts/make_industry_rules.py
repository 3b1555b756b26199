"""Generate the GB/T 4754-2017 keyword tables in ``qzanalysis/rules/`` from the official notes.

Input: ``gbt4754_2017_notes.csv`` (``code, level, menlei, name, note``; the NBS
《2017国民经济行业分类注释》 with the 2019 amendment, see ``reference/gbt4754/README.md``).

Output (overwritten, deterministic):

- ``qzanalysis/rules/gbt4754_classes.csv`` (``code, level, section, name``): the 473 中类
  and 1,382 小类, so that a class code can be shown with its name;
- ``qzanalysis/rules/gbt4754_keywords.csv`` (``keyword, section, division, group, class,
  priority, source, note``): candidate keywords taken from the standard itself:

  * ``name``: the 小类 name (稻谷种植, 机动车燃油零售) and its object (稻谷, 机动车燃油);
  * ``include``: the products and activities of its ``◇ 包括`` lines;
  * ``boundary``: the ``◆ 不包括 … 列入XXXX`` lines, read as "this term belongs to XXXX".
    A boundary statement outranks every include line that names the same term.

  A term found under several codes keeps only what they share: the common 小类, else 中类,
  else 大类, else the section; a term that spans two sections is dropped. Generic terms
  (其他…, …未列明…, …制品/产品/用品/设备/服务 with nothing specific before them) get
  priority 0: they never decide a section, they only refine the class once it is decided.
  So do the goods that the names and include lines of the trade classes (F) give without a
  trade word (五金, 煤炭, 消毒柜, 箱包): in a project name such a product is made or grown.
  So do the terms of section E (建筑业: 重建, 赛车场, 水源): a ledger files a project by the
  facility it builds and what that facility does, never as construction work.
  Specific terms get priority 55–58, below the hand-written table (60–95), so a
  hand-written keyword always outranks a generated one.

Run: ``python scripts/make_industry_rules.py [--source DIR]`` (default: ``../shared/reference/
gbt4754`` beside the repository, or ``/work/shared/reference/gbt4754``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "qzanalysis" / "rules"

# words that say nothing about an industry, or only how a project is carried out
STOP = set(
    """建设 工程 项目 服务 管理 活动 其他 其它 中心 基地 园区 改造 提升 一期 二期 配套 设施 综合
    产品 制品 用品 设备 器材 材料 零件 部件 配件 生产 制造 加工 销售 经营 开发 利用 技术 系统 装置
    专用 通用 工业 农业 商业 民用 家用 城市 农村 城乡 公共 社会 个人 家庭 单位 企业 机构 组织 场所
    批发 零售 代理 租赁 维修 修理 安装 运输 储存 仓储 咨询 检测 研究 推广 培训 教育 保护 治理
    处理 回收 出租 清洗 建筑 装饰 施工 设计 规划 监测 监督 检查 认证 信息 数据 网络 平台 互联网
    物资 原料 原材料 燃料 能源 资源 环境 生态 产业 行业 事业 商品 货物 物品 动物 植物 作物 林木
    种子 种苗 幼苗 苗木 饲料 肥料 水 电 气 油 热 车 船 机 站 厂 场 馆 院 所 店 库 室 楼 房
    交通 科学 智能 智能化 性能 转化 科技 创新 现代 新型 绿色 高端 数字 文化 旅游 健康 体育 教育
    卫生 安全 应急 质量 标准 示范 国际 国家 中国 产业化 规模化 标准化 集约化 一体化 新材料 新能源
    高新 节能 环保 循环 低碳 基础设施 重点 配送 物流 交易 电子 智慧 医疗 养老 农产品
    观光 金属 水上 景观 产品研发 性能""".split()
)
GENERIC_END = ("制品", "产品", "用品", "设备", "器材", "器具", "材料", "零件", "部件", "配件",
               "装置", "机械", "工具", "服务", "活动", "业务", "业", "物品", "商品")
TRAILING = re.compile(r"(?:的)?(?:相关)?(?:服务活动|活动|服务|等)+$")
BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
ACTIVITY = re.compile(r"(?:销售|零售|批发|制造|加工|种植|养殖|饲养|生产|管理|修理|维修|出租|运输)$")
CODE = re.compile(r"列入\s*([A-T]|\d{2,4})")
# words that name trading itself; the include lines of the trade classes (F) list goods
# (五金, 围巾, 煤炭, 消毒柜), which in a project name are made or grown, not sold (issue 10)
TRADE = re.compile(r"批发|零售|销售|超市|商店|商场|专卖|市场|进出口|经销|贸易|代理|店|加油|拍卖")


def clean(term: str) -> str:
    term = BRACKETS.sub("", term)
    term = re.sub(r"\s+", "", term).strip("—-：:。.；;，,、 ")
    term = re.sub(r"^(?:包括|如|即|指|对|各种|各类|下列|以及|及|和|其中|为|在|从|将|与|由|向|把|按|经)",
                  "", term)
    return TRAILING.sub("", term)


def usable(term: str) -> bool:
    if not 2 <= len(term) <= 10 or term in STOP:
        return False
    if re.search(r"[的如指等或]|以外|以上|以下|除外|未列明|及其|之外|用于|不含|包括", term):
        return False
    return re.fullmatch(r"[\u4e00-\u9fff]+[\u4e00-\u9fffA-Za-z0-9]*", term) is not None


def generic(term: str) -> bool:
    if term.startswith(("其他", "其它", "一般", "相关")):
        return True
    for end in GENERIC_END:
        if term.endswith(end) and (len(term) - len(end) < 2 or term[: -len(end)] in STOP):
            return True
    return False


def split_terms(text: str) -> list[str]:
    text = BRACKETS.sub("", text)
    return [clean(p) for p in re.split(r"[、，,；;。]|以及|及其|和", text)]


def name_terms(name: str) -> list[str]:
    """The 小类 name and its object: 稻谷种植 → 稻谷种植, 稻谷; 图书、报刊零售 → …零售, 图书, 报刊."""
    name = BRACKETS.sub("", name)
    out = [name.replace("、", "")]
    m = re.match(r"^(.*?)(种植|饲养|养殖|制造|加工|零售|批发|开采|采选|冶炼|生产和供应|生产|"
                 r"供应|服务|管理|运输|修理|维修|采集|捕捞|培育|繁殖|出租|租赁|代理|经纪|"
                 r"专门零售|专门批发|建筑|施工|设计|治理|保护)$", name)
    if m:
        out += [clean(p) for p in re.split(r"[、和及]", m.group(1))]
    return [clean(t) for t in out]


def read_notes(source: Path) -> list[dict]:
    with open(source / "gbt4754_2017_notes.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def candidates(rows: list[dict]):
    """Yield (term, code, source) for every candidate term of every 小类."""
    for row in rows:
        if row["level"] != "小类":
            continue
        code = row["code"]
        for term in name_terms(row["name"]):
            yield term, code, "name"
        part = "def"
        for line in row["note"].splitlines():
            line = line.strip()
            if line.startswith("◇"):
                part = "include"
                continue
            if line.startswith("◆"):
                part = "exclude"
                continue
            if line.startswith("下列") and "列入本分类" in line:
                part = "include"
                continue
            if not line.startswith("—"):
                continue
            body = line.lstrip("— ")
            if part == "include":
                head, sep, rest = body.partition("：")
                if sep and len(clean(head)) <= 10:
                    yield clean(head), code, "include"
                    body = rest
                for term in split_terms(body):
                    yield term, code, "include"
            elif part == "exclude":
                targets = CODE.findall(body)
                what = re.split(r"[，,]\s*(?:分别)?列入", body)[0]
                if len(set(targets)) != 1:
                    continue
                # 文物、收藏品销售服务: the conjuncts share the head, only the last is whole
                terms = split_terms(what)
                if len(terms) > 1 and not ACTIVITY.search(terms[-1]):
                    yield from ((t, targets[0], "boundary") for t in terms)
                elif terms:
                    yield terms[-1], targets[0], "boundary"


def common_code(codes: set[str], section_of: dict[str, str]) -> str | None:
    """The longest code all ``codes`` share (class, group, division), or their section."""
    sections = {section_of[c] for c in codes}
    if len(sections) != 1:
        return None
    digits = [c for c in codes if c.isdigit()]
    if len(digits) != len(codes):
        return sections.pop()
    prefix = digits[0]
    for c in digits[1:]:
        n = 0
        while n < min(len(prefix), len(c)) and prefix[n] == c[n]:
            n += 1
        prefix = prefix[:n]
    return prefix if len(prefix) >= 2 else sections.pop()


def build(rows: list[dict]) -> tuple[list[list[str]], list[list[str]]]:
    section_of = {r["code"]: r["menlei"] for r in rows}
    classes = [[r["code"], r["level"], r["menlei"], r["name"]] for r in rows
               if r["level"] in ("中类", "小类")]
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for term, code, source in candidates(rows):
        if usable(term) and code in section_of:
            found[term][source].add(code)
    table = []
    for term in sorted(found, key=lambda t: (-len(t), t)):
        by_source = found[term]
        # the strongest kind of evidence alone: a boundary statement, else a class name
        source = next(s for s in ("boundary", "name", "include") if s in by_source)
        codes = by_source[source]
        code = common_code(codes, section_of)
        if code is None or (len(term) == 2 and source == "include"):
            continue  # two-character items of long include lists are too often parts of others
        section = section_of[code] if code.isdigit() else code
        division = code[:2] if code.isdigit() else ""
        group = code[:3] if len(code) >= 3 else ""
        klass = code if len(code) == 4 else ""
        priority = 0 if generic(term) else {"boundary": 57, "name": 58, "include": 55}[source]
        if section == "F" and source in ("include", "name") and not TRADE.search(term):
            priority = 0  # a product a trade class lists: in a project name it is made, not sold
        if section == "E":
            priority = 0  # construction (重建, 赛车场): a project is filed by what it builds
        table.append([term, section, division, group, klass, str(priority), source,
                      f"GB/T 4754-2017 {code}"])
    return classes, table


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main() -> None:
    default = ROOT.parent / "shared" / "reference" / "gbt4754"
    if not default.exists():
        default = Path("/work/shared/reference/gbt4754")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=default)
    args = ap.parse_args()
    rows = read_notes(args.source)
    classes, table = build(rows)
    write(RULES / "gbt4754_classes.csv", ["code", "level", "section", "name"], classes)
    write(RULES / "gbt4754_keywords.csv",
          ["keyword", "section", "division", "group", "class", "priority", "source", "note"], table)
    digest = hashlib.sha256((args.source / "gbt4754_2017_notes.csv").read_bytes()).hexdigest()[:16]
    deciding = sum(r[5] != "0" for r in table)
    print(f"{len(classes)} classes, {len(table)} keywords ({deciding} may decide a section); "
          f"source sha256 {digest}")


if __name__ == "__main__":
    main()
