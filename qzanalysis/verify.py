"""Check the figures a report states: against their own arithmetic and against the ledger.

:func:`verify` finds every figure in a text (amounts in 万元/亿元, project counts,
percentages, percentage points) and checks what can be checked:

1. **Internal arithmetic**, no ledger needed: a rate next to the numbers it comes from
   (``完成投资629.0亿元，占年度投资计划的97.2%``, ``完成年度目标任务589亿元的37.22%``,
   ``开工率``/``到位率``/``完成率``), a growth rate when the increase or last year's value is
   stated (``较去年同期增加151.99亿元，增幅37.68%``), and parts that should add up to a
   stated total (``其中续建项目35宗……新开工项目39宗`` vs ``91宗``). The comparison is at the
   precision stated, and allows for the rounding of the numbers the rate is computed from.
   A rate cut off instead of rounded (47% for 47.78%) is a mismatch with its own message.
   A rate whose base is not in the text is ``unchecked``, never ``ok``.
2. **Against the ledger** (``projects`` given): every count and amount that names a scope
   the data knows -- 全区/全部, a stage (续建, 新签约 …), a funding channel, an industry, a
   town -- is recomputed with :func:`qzanalysis.summarize` and compared; the projects named
   after 主要有 must exist under that scope.

The text is read as it is typed: full-width digits, traditional characters and the pinyin
artefacts of web converters (``項(xiàng)目``) are normalised, and the offsets in the result
point into the original text.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from os import PathLike
from pathlib import Path

import pandas as pd

from qzanalysis.errors import LedgerError
from qzanalysis.reading.values import UNIT_FACTORS

__all__ = ["verify", "read_text", "names_file", "format_result", "VERIFY_COLUMNS"]

#: Columns of :func:`verify`'s result, in this order.
VERIFY_COLUMNS = ("claim", "stated", "unit", "computed", "status", "message", "start", "end",
                  "kind", "check")

# --- the text, normalised with a map back to the original ------------------------------

_SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".docx")
_MAX_TEXT_BYTES = 64 * 2**20


@dataclass
class _Text:
    raw: str
    norm: str
    pos: list[int]  # pos[i]: offset in raw of norm[i]; pos[len(norm)] == len(raw)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.pos[start], (self.pos[end - 1] + 1 if end > start else self.pos[start])


def _normalize(raw: str) -> _Text:
    from qzanalysis.text import _PINYIN_RE, _to_simplified

    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(raw):
        for c in unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch:
            chars.append(c)
            pos.append(i)
    text = "".join(chars)
    drop = {k for m in _PINYIN_RE.finditer(text) for k in range(m.start(), m.end())}
    if drop:
        chars = [c for k, c in enumerate(chars) if k not in drop]
        pos = [p for k, p in enumerate(pos) if k not in drop]
        text = "".join(chars)
    out = []
    for line in text.split("\n"):  # t2s line by line; a line whose length changes goes char by char
        simple = _to_simplified(line)
        if len(simple) != len(line):
            simple = "".join(c2 if len(c2 := _to_simplified(c)) == 1 else c for c in line)
        out.append(simple)
    return _Text(raw, "\n".join(out), pos + [len(raw)])


def names_file(arg: str) -> bool:
    """Whether a command-line or function argument is a file name rather than the text
    itself: an existing file, or one line ending in .docx/.txt/.md (a file that is
    missing is then reported as such)."""
    if "\n" in arg or len(arg) > 1024:
        return False
    try:
        exists = Path(arg).is_file()
    except (OSError, ValueError):  # too long for a file name, NUL in it: text
        return False
    return exists or arg.lower().endswith(_SOURCE_SUFFIXES + (".doc",))


def read_text(source: str | PathLike) -> str:
    """The text of a draft: a .txt/.md file (UTF-8 or GB18030) or the paragraphs and
    tables of a .docx. Raises :class:`qzanalysis.LedgerError` naming the file when it
    cannot be read."""
    path = Path(source)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LedgerError(f"无法读取文件：{exc.strerror or exc}", file=name) from exc
    if size > _MAX_TEXT_BYTES:
        raise LedgerError(f"文件有 {size / 2**20:.0f} MB，超过文稿上限 64 MB", file=name)
    if path.suffix.lower() == ".docx":
        return _read_docx(path, name)
    if path.suffix.lower() == ".doc":
        raise LedgerError("旧版 Word 文档（.doc）无法直接读取，请另存为 .docx 或纯文本", file=name)
    from qzanalysis.reading.files import decode_text

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerError(f"无法读取文件：{exc.strerror or exc}", file=name) from exc
    if data[:2] == b"PK":
        raise LedgerError("文件是压缩包（可能是 Word 或 Excel 文件），请用 .docx 扩展名，"
                          "或另存为纯文本", file=name)
    return decode_text(data, name)[0]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(path: Path, name: str) -> str:
    import xml.etree.ElementTree as ET

    from qzanalysis.reading.files import check_prolog, check_zip

    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, name)
            with zf.open("word/document.xml") as part:
                head = check_prolog(part.read, "word/document.xml", name)
                data = head + part.read()
        root = ET.fromstring(data)
    except LedgerError:
        raise
    except KeyError as exc:
        raise LedgerError("不是 Word 文档：缺少 word/document.xml", file=name) from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, ET.ParseError) as exc:
        raise LedgerError(f"无法读取 Word 文档：{exc}", file=name) from exc
    lines = []
    for para in root.iter(f"{_W}p"):  # paragraphs, including those in table cells, in order
        lines.append("".join(t.text or "" for t in para.iter(f"{_W}t")))
    return "\n".join(lines)


# --- figures ----------------------------------------------------------------------------

_UNIT_RE = (r"个百分点|百分点|%|万元|亿元|亿(?![平方立吨人亩千万])|个(?![月百工小])|项(?!目)|宗|家"
            r"|户(?=企业|规模)")
_FIGURE_RE = re.compile(
    rf"(?<![\d.])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d+)(?P<frac>\.\d+)?\s*(?P<unit>{_UNIT_RE})")
_APPROX_BEFORE_RE = re.compile(r"(近|约|超过|超|逾|突破|不足|不到|高于|低于|大约|将近)$")
_APPROX_AFTER_RE = re.compile(r"^(及以上|及以下|以上|以下|左右|多|余|上下)")
_CLAUSE_END = ",;。!?:、()\n[]|\t"
_SENTENCE_END = "。!?\n"
_SEGMENT_END = "。!?;\n"
_COUNT_UNITS = {"个", "项", "宗", "家", "户"}


@dataclass
class _Figure:
    i: int
    start: int  # in the normalised text
    end: int
    value: float  # as stated, in the stated unit
    decimals: int
    unit: str
    kind: str  # money / count / rate / points
    label: str  # the clause before the figure
    label_start: int
    post: str  # the clause after it
    sentence: int
    segment: int
    paragraph: int
    approx: str | None
    checks: list = field(default_factory=list)  # (source, status, computed, message)

    @property
    def factor(self) -> float:  # the stated unit in 万元 (亿元 → 10000; counts, rates → 1)
        return UNIT_FACTORS.get(self.unit, 1.0)

    @property
    def wan(self) -> float:  # money in 万元
        return self.value * self.factor

    @property
    def half_wan(self) -> float:  # half a unit of the last stated digit, in 万元
        return self.half * self.factor

    @property
    def half(self) -> float:  # half a unit of the last stated digit (counts are exact)
        return 0.0 if self.kind == "count" else 0.5 * 10.0 ** -self.decimals

    @property
    def label_tail(self) -> str:
        """The words before the figure without a leading period (1-6月份) and at most 14
        characters, for messages."""
        label = re.sub(r"^.*(\d+月份?|\d+月底|\d+年(?!度)|\d+日)(?=.)", "", self.label)
        return label[-14:]


def _fmt(value: float, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def _index(text: str, ends: str) -> list[int]:
    """For each character, the number of runs of ``ends`` characters before it
    (``。\n`` ends one sentence, not two)."""
    out, n, prev = [], 0, False
    for c in text:
        end = c in ends
        n += prev and not end
        out.append(n)
        prev = end
    out.append(n + prev)
    return out


def _figures(text: str) -> list[_Figure]:
    sent, seg, para = _index(text, _SENTENCE_END), _index(text, _SEGMENT_END), _index(text, "\n")
    figs: list[_Figure] = []
    prev_end = 0
    matches = list(_FIGURE_RE.finditer(text))
    cuts = [i for i, c in enumerate(text) if c in _CLAUSE_END]
    for k, m in enumerate(matches):
        unit = m.group("unit")
        unit = "亿元" if unit == "亿" else "个百分点" if unit == "百分点" else unit
        kind = ("rate" if unit == "%" else "points" if unit == "个百分点" else
                "count" if unit in _COUNT_UNITS else "money")
        start, end = m.start(), m.end()
        b = bisect_left(cuts, start)
        cs = cuts[b - 1] + 1 if b else 0
        ls = max(cs, prev_end)
        nxt = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        a = bisect_left(cuts, end)
        ce = min(cuts[a] if a < len(cuts) else len(text), nxt)
        frac = m.group("frac") or ""
        value = float(m.group("num").replace(",", "") + frac)
        if kind in ("rate", "points") and text[start - 1:start] in ("-", "\u2212") and not (
                start >= 2 and text[start - 2].isdigit()):  # 同比增长-8.92%
            value, start = -value, start - 1
        before = text[max(0, start - 4):start]
        approx = _APPROX_BEFORE_RE.search(before) or _APPROX_AFTER_RE.search(text[end:end + 3])
        figs.append(_Figure(len(figs), start, end, value, max(len(frac) - 1, 0), unit, kind,
                            text[ls:start], ls, text[end:ce], sent[start], seg[start],
                            para[start], approx.group(0) if approx else None))
        prev_end = end
    return figs


# --- comparing at the stated precision ---------------------------------------------------


def _judge(fig: _Figure, lo: float, hi: float, central: float) -> tuple[str, float, str]:
    """Status of a stated figure against a computed value known to lie in [lo, hi].

    Returns (status, computed at the stated precision, note)."""
    d = fig.decimals
    step = 10.0 ** -d
    eps = 1e-9 * max(1.0, abs(central))
    computed = float(_fmt(central, d))
    s = fig.value
    if s - step / 2 - eps <= hi and lo <= s + step / 2 + eps:
        return "ok", computed, ""
    # cut off instead of rounded: trunc(x) == s for some x in [lo, hi]
    if s - eps <= hi and lo < s + step - eps and s >= 0:
        return "mismatch", computed, "truncated"
    return "mismatch", computed, ""


def _ratio(a: float, ha: float, b: float, hb: float) -> tuple[float, float, float] | None:
    """a / b × 100 with a ± ha, b ± hb: (lo, hi, central)."""
    if b - hb <= 0:
        return None
    lo = max(a - ha, 0) / (b + hb) * 100
    return lo, (a + ha) / (b - hb) * 100, a / b * 100


def _rate_message(fig: _Figure, status: str, computed: float, note: str, what: str) -> str:
    stated = f"{_fmt(fig.value, fig.decimals)}%"
    if status == "ok":
        return f"由{what}，与所述{stated}一致"
    if note == "truncated":
        return (f"由{what}，四舍五入应为{_fmt(computed, fig.decimals)}%；"
                f"所述{stated}是截尾而非四舍五入")
    return f"由{what}，所述{stated}不符，应为{_fmt(computed, fig.decimals)}%"


def _pct(x: float) -> str:
    return f"{x:.2f}%" if abs(x) < 1000 else f"{x:.0f}%"


# --- internal arithmetic -----------------------------------------------------------------

_RATE_WORD_RE = re.compile(
    r"(开复工率|复工率|开工率|建成率|竣工率|投产率|入住率|履约率|落地率|签约率|到位率|完成率)")
#: count rates: the verb their numerator names
_COUNT_RATES = {"开复工率": "开复工|开工|复工", "复工率": "复工", "开工率": "开工|开复工",
                "建成率": "建成", "竣工率": "竣工", "投产率": "投产", "入住率": "入住",
                "履约率": "履约", "落地率": "落地", "签约率": "签约"}
#: words that mark the denominator of a count rate: all the projects of a list or plan
_COUNT_BASE_RE = re.compile(r"签约|计划|总|共|全部|实施|安排|纳入|确定")
_SHARE_RE = re.compile(r"(占|为|是|完成|达到|达|相当于)([^,;。]*?)(的比重|的比例|比重|比例|的)?(为|达到|达|是)?$")
_GROWTH_RE = re.compile(r"(增长|增加|增幅|增速|提高|上升|下降|减少|降幅|回落)(为|达到|达|了)?$")
_PLAN_RE = re.compile(r"计划|目标|任务")
_INCREASE_RE = re.compile(r"(增加|增长|多|减少|下降)了?$")
_LAST_YEAR_RE = re.compile(r"上年|去年|同期")


_CLOSED_BRACKET_RE = re.compile(r"[（(][^（）()]*[）)]")


def _bare(label: str) -> str:
    return re.sub(r"(为|达到|达|是|了)$", "", label)
@lru_cache(maxsize=1)
def _stage_word_re() -> re.Pattern:
    """A stage word before 项目 (续建项目, 新签约的项目), from rules/stage_words.csv."""
    from qzanalysis.stages import stage_words

    words = sorted(set(stage_words()["word"]) | {"在建", "新建", "续建", "新开工"}, key=len,
                   reverse=True)
    return re.compile("(" + "|".join(map(re.escape, words)) + ")(?:的|类)?项目")


class _Context:
    """The figures of a text with the lookups the checks need."""

    def __init__(self, text: str, figs: list[_Figure]):
        self.text, self.figs = text, figs
        self._starts: list[int] = []
        for i, n in enumerate(_index(text, _SENTENCE_END)):
            if n == len(self._starts):
                self._starts.append(i)
        self.paren = _paren_mask(text)
        self.inner = {f.i for f in figs if self.paren[f.start]}  # figures in brackets: asides
        self.by_sentence: dict[int, list[_Figure]] = {}
        self.by_segment: dict[int, list[_Figure]] = {}
        for f in figs:
            self.by_sentence.setdefault(f.sentence, []).append(f)
            self.by_segment.setdefault(f.segment, []).append(f)
        self.segment_index = _index(text, _SEGMENT_END)
        self.paragraph_index = _index(text, "\n")

    def sentence_start(self, n: int) -> int:
        return self._starts[n] if n < len(self._starts) else len(self.text)

    def before(self, fig: _Figure, *, kinds: tuple[str, ...], scope: str = "sentence") -> list:
        """Figures of ``kinds`` before ``fig``, nearest first: in its sentence, or also in
        the previous sentence of its paragraph when ``scope == "previous"``."""
        out = [g for g in self.by_sentence[fig.sentence] if g.i < fig.i and g.kind in kinds]
        if scope == "previous":
            out += [g for g in self.by_sentence.get(fig.sentence - 1, []) if g.kind in kinds]
        return sorted((g for g in out if g.i not in self.inner and not g.approx),
                      key=lambda g: -g.i)

    def doubtful(self, fig: _Figure, base: _Figure) -> bool:
        """A base from the previous sentence while this one names projects of its own."""
        head = self.text[self.sentence_start(fig.sentence):fig.start]
        return base.sentence != fig.sentence and "项目" in head

    def may_look_back(self, fig: _Figure) -> bool:
        """Whether a base may come from the previous sentence: the sentence goes on the same
        subject (it starts with 其中, or names no new count or stage before the figure)."""
        start = self.sentence_start(fig.sentence)
        head = self.text[start:fig.start].lstrip(" ,:")
        if head.startswith("其中"):
            return True
        counts = [g for g in self.by_sentence[fig.sentence] if g.i < fig.i and g.kind == "count"]
        return not counts and not _stage_word_re().search(head)


def _internal(ctx: _Context) -> None:
    for f in ctx.figs:
        if f.kind != "rate":
            continue
        if f.approx:
            f.checks.append(("internal", "unchecked", math.nan,
                             f"所述为约数（“{f.approx}”），不核对"))
            continue
        clause = ctx.text[f.label_start:f.start]
        if "分别" in clause:
            f.checks.append(("internal", "unchecked", math.nan, "“分别”列举的比率不逐一对应，未核对"))
            continue
        check = (_inline_base(ctx, f) or _rate_word(ctx, f) or _growth(ctx, f)
                 or _share(ctx, f))
        if check is None:
            check = ("internal", "unchecked", math.nan, "文中没有可算出此比率的基数，未核对")
        f.checks.append(check)
    _parts(ctx)


def _rate_check(f: _Figure, num: _Figure, den: _Figure, what: str, doubtful: bool = False):
    a, ha = (num.wan, num.half_wan)
    b, hb = (den.wan, den.half_wan)
    r = _ratio(a, ha, b, hb)
    if r is None:
        return None
    status, computed, note = _judge(f, *r)
    what = (f"{what}{num.label_tail}{_fmt(num.value, num.decimals)}{num.unit}÷"
            f"{den.label_tail}{_fmt(den.value, den.decimals)}{den.unit}算得{_pct(r[2])}")
    if status == "mismatch" and doubtful:  # the pairing is a guess: do not accuse
        return ("internal", "unchecked", computed,
                f"若以上一句的{den.label_tail}{_fmt(den.value, den.decimals)}{den.unit}为基数，"
                f"{what}，与所述{_fmt(f.value, f.decimals)}%不符；但本句另有主语，"
                "该数未必是此比率的基数，请人工核对")
    return "internal", status, computed, _rate_message(f, status, computed, note, what)


def _inline_base(ctx: _Context, f: _Figure):
    """``完成年度目标任务589亿元的37.22%``: the base is the figure just before 的."""
    prev = [g for g in ctx.by_sentence[f.sentence] if g.i < f.i]
    if not prev or prev[-1].kind not in ("money", "count"):
        return None
    den = prev[-1]
    if not re.fullmatch(r"\)?(目标任务|目标|任务|计划)?\)?的\s*", ctx.text[den.end:f.start]):
        return None
    same = ("money",) if den.kind == "money" else ("count",)
    nums = [g for g in ctx.before(den, kinds=same)
            if not _INCREASE_RE.search(g.label) and not _LAST_YEAR_RE.search(g.label)]
    if not nums:
        return None
    return _rate_check(f, nums[0], den, "")


def _rate_word(ctx: _Context, f: _Figure):
    clause = ctx.text[f.label_start:f.start]
    after = ctx.text[f.end:f.end + 5]
    m = _RATE_WORD_RE.search(clause) or (re.match(r"的?(\w{0,4}?)" + _RATE_WORD_RE.pattern, after)
                                        and _RATE_WORD_RE.search(after))
    if not m:
        return None
    word = m.group(1)
    look = "previous" if ctx.may_look_back(f) else "sentence"
    if word in _COUNT_RATES:
        return _count_rate(ctx, f, word)
    money = [g for g in ctx.before(f, kinds=("money",), scope=look) if not g.approx]
    if word == "到位率":
        nums = [g for g in money if "到位" in g.label]
        dens = [g for g in money if re.search("签约|合同|协议", g.label) and "到位" not in g.label]
    elif "计划" in clause or word == "完成率":
        nums = [g for g in money if "完成" in g.label and not _PLAN_RE.search(g.label)]
        dens = [g for g in money if _PLAN_RE.search(g.label) and "总投资" not in g.label]
    else:
        return None
    if not nums or not dens:
        return None
    return _rate_check(f, nums[0], dens[0], "", ctx.doubtful(f, dens[0]))


def _count_rate(ctx: _Context, f: _Figure, word: str):
    """开工率 and its kind: the count that names the verb ÷ the count of the whole list."""
    verb = _COUNT_RATES[word]
    nums = [g for g in ctx.before(f, kinds=("count",)) if re.search(verb, g.label + g.post)]
    if not nums:
        return None
    num = nums[0]
    look = "previous" if ctx.may_look_back(num) else "sentence"
    cands = ctx.before(num, kinds=("count",), scope=look)
    based = [g for g in cands if _COUNT_BASE_RE.search(g.label + g.post)
             and not (re.search(verb, g.label + g.post) and "计划" not in g.label + g.post)]
    dens = based or [g for g in cands if g.sentence == num.sentence]
    if not dens:
        return None
    return _rate_check(f, num, dens[0], "", ctx.doubtful(f, dens[0]))


def _growth(ctx: _Context, f: _Figure):
    clause = ctx.text[f.label_start:f.start]
    m = _GROWTH_RE.search(clause)
    if not m:
        return None
    down = m.group(1) in ("下降", "减少", "降幅", "回落")
    money = [g for g in ctx.before(f, kinds=("money",)) if not g.approx]
    for k, inc in enumerate(money):  # 较去年同期增加X，增幅P%: base = current − X
        if re.search(r"(增加|增长|多|减少|下降)了?$", inc.label) and k + 1 < len(money):
            cur = money[k + 1]
            x = -inc.wan if re.search("减少|下降", inc.label) else inc.wan
            hx = inc.half_wan
            hc = cur.half_wan
            base = cur.wan - x
            if base - hc - hx <= 0:
                return None
            lo = min((x - hx) / (base + hc + hx), (x - hx) / (base - hc - hx)) * 100
            hi = max((x + hx) / (base - hc - hx), (x + hx) / (base + hc + hx)) * 100
            rate = x / base * 100
            return _growth_result(f, down, lo, hi, rate,
                                  f"本期{cur.value:g}{cur.unit}、增加{x / inc.factor:g}"
                                  f"{inc.unit}（上年同期即{_fmt(base / cur.factor, cur.decimals)}"
                                  f"{cur.unit}）算得{_pct(rate)}")
    later = [g for g in ctx.by_sentence[f.sentence] if g.i > f.i and g.kind == "money"
             and g.i not in ctx.inner and not g.approx][:1]
    prior = [g for g in money + later if re.search("上年|去年|同期", g.label)
             and not re.search("增|减|比", g.label)]
    base_word = "上年同期"
    if not prior:  # 从2020年的3001.07亿元，到2023年的5961.26亿元，增幅98.64%
        base_word = "基期"
        froms = [g for g in money if re.match("从|由", g.label)]
        if froms and any(g.i > froms[0].i and re.match("到|增加到|增至|提高到", g.label)
                         for g in money):
            prior = froms[:1]
    if prior:
        cur = next((g for g in money if g is not prior[0]), None)
        if cur is None:
            return None
        r = _ratio(cur.wan, cur.half_wan,
                   prior[0].wan, prior[0].half_wan)
        if r is None:
            return None
        lo, hi, c = (x - 100 for x in r)
        return _growth_result(f, down, lo, hi, c,
                              f"本期{cur.value:g}{cur.unit}、{base_word}{prior[0].value:g}{prior[0].unit}"
                              f"算得{_pct(c)}")
    return None


def _growth_result(f, down, lo, hi, rate, what):
    if down:
        lo, hi, rate = -hi, -lo, -rate
    status, computed, note = _judge(f, lo, hi, rate)
    return "internal", status, computed, _rate_message(f, status, computed, note, what)


_SHARE_STRIP_RE = re.compile(r"总额|总数|总量|全部|总|全|数量|个数|额|数|量|的|比重|比例")


def _share(ctx: _Context, f: _Figure):
    """``…完成投资629.0亿元，占年度投资计划的97.2%``: base named by a noun."""
    clause = ctx.text[f.label_start:f.start]
    m = _SHARE_RE.search(clause)
    if not m or not m.group(2):
        return None
    noun = m.group(2)
    if m.group(1) in ("为", "是", "达到", "达", "完成") and not (_PLAN_RE.search(noun)
                                                             or re.search("总|全部", noun)):
        return None
    look = "previous" if ctx.may_look_back(f) else "sentence"
    kinds = ("count",) if re.search("项目|个数|家数|开工|竣工|建成|投产|签约", noun) and not re.search("资金|投资|金额", noun) \
        else ("money",) if re.search("资金|投资|金额|计划|目标|任务|额", noun) else ("money", "count")
    plan = bool(_PLAN_RE.search(noun))

    def numerator(g: _Figure) -> bool:
        return not _INCREASE_RE.search(g.label) and not _LAST_YEAR_RE.search(g.label) and not (
            plan and (_PLAN_RE.search(g.label) or "总投资" in g.label))

    nums = [g for g in ctx.before(f, kinds=kinds) if numerator(g)]
    if not nums:  # 已完成年度计划的50.4%，完成投资206.7亿元: the amount follows
        nums = [g for g in ctx.by_sentence[f.sentence] if g.i > f.i and g.kind in kinds
                and g.i not in ctx.inner and numerator(g)][:1]
    if not nums:
        return None
    num = nums[0]
    cands = [g for g in ctx.before(num if num.i < f.i else f, kinds=(num.kind,), scope=look)
             if g is not num and not _INCREASE_RE.search(g.label)
             and _bare(g.label) != _bare(num.label)]  # 签约额… 签约额…: siblings, not the total
    same = _bare(num.label)
    if plan:
        dens = [g for g in cands if _PLAN_RE.search(g.label + g.post) and "总投资" not in g.label]
    elif same and same in noun:
        # 总投资27553万元，占总投资的27.9%: the base is the same measure over a wider scope
        # (实际到位资金1005136 for 到位资金412678, 占总到位资金的), never another measure
        # (本年完成投资 for 总投资): when the text holds no such total, it stays unchecked
        dens = sorted((g for g in cands if same in g.label + g.post and g.wan > num.wan),
                      key=lambda g: -g.wan)
    else:
        core = _SHARE_STRIP_RE.sub("", noun)
        scored = [(_common(core, g.label + g.post), g) for g in cands]
        best = max((s for s, _ in scored), default=0)
        dens = [g for s, g in scored if s == best and (best >= min(2, len(core)) or not core)]
        if not core or re.search("总|全", noun):  # 占总到位资金的: the total, the largest
            dens = sorted(dens, key=lambda g: -g.wan)
    if not dens:
        return None
    return _rate_check(f, num, dens[0], "", ctx.doubtful(f, dens[0]))


def _common(a: str, b: str) -> int:
    """Length of the longest common substring (short strings)."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


# --- parts and totals --------------------------------------------------------------------


def _parts(ctx: _Context) -> None:
    """Counts after 其中 in one segment, or in the segments after a 其中, against the total."""
    text = ctx.text
    inner = ctx.paren
    counts = [g for g in ctx.figs if g.kind == "count" and not g.approx]
    ends = [g.end for g in counts]
    for m in re.finditer(r"其中", text):
        seg_of = ctx.segment_index[m.start()]
        k = bisect_left(ends, m.start() + 1)
        last = counts[k - 1] if k else None
        total = None
        if last is not None and last.segment == seg_of:
            total = last
            parts = [g for g in ctx.by_segment.get(seg_of, []) if g.start > m.end()
                     and g.kind == "count" and not inner[g.start]]
            if _clause_gap(text, m.end(), parts):
                continue
        elif last is not None and last.paragraph == ctx.paragraph_index[m.start()]:
            total = last
            parts = _part_segments(ctx, m.end(), seg_of, inner)
        if total is None or len(parts) < 2 or any(g.approx for g in parts):
            continue
        _compare_parts(total, parts)
        _compare_part_amounts(ctx, total, m.start(), parts)


def _paren_mask(text: str) -> list[bool]:
    mask, depth = [], 0
    for c in text:
        depth += c == "("
        mask.append(depth > 0)
        depth -= c == ")" and depth > 0
    return mask


def _clause_gap(text: str, start: int, parts: list[_Figure]) -> bool:
    """Parts listed one per clause; more than one figure in a clause is not a list."""
    clauses = [len(re.findall(r"[,、;]", text[start:g.start])) for g in parts]
    return len(set(clauses)) != len(clauses)


def _part_segments(ctx: _Context, start: int, seg: int, inner: list[bool]) -> list[_Figure]:
    """The first count of each segment from ``seg`` on that names a stage: within the
    sentence of 其中; the following sentences only when that sentence lists one part and
    each starts with its stage (the article: 其中实施续建项目31个…。实施新签约项目28个…)."""
    parts = []
    for s in range(seg, seg + 50):
        in_seg = [g for g in ctx.by_segment.get(s, []) if g.start >= start and g.kind == "count"
                  and not inner[g.start]]
        if not in_seg:
            break
        g = in_seg[0]
        if s > seg and not _stage_word_re().search(g.label + g.post):
            break
        if parts and g.sentence != parts[0].sentence:
            if len(parts) > 1 and parts[-2].sentence == parts[0].sentence == parts[-1].sentence:
                break
            head = ctx.text[ctx.sentence_start(g.sentence):g.start]
            if not _stage_word_re().match(re.sub(r"^(实施|另有|全区|共)", "", head)):
                break
        parts.append(g)
    return parts


def _compare_parts(total: _Figure, parts: list[_Figure]) -> None:
    s = sum(g.value for g in parts)
    listed = "+".join(f"{g.value:g}" for g in parts)
    if s == total.value:
        total.checks.append(("internal", "ok", s, f"分项{listed}={s:g}{total.unit}，与合计一致"))
    elif s > total.value:
        total.checks.append(("internal", "mismatch", s,
                             f"分项{listed}={s:g}{total.unit}，大于所述合计{total.value:g}{total.unit}"))


def _compare_part_amounts(ctx: _Context, total: _Figure, where: int, parts: list[_Figure]) -> None:
    """总投资 (and other amounts) of the parts against the total's: each part's amounts run
    from its count to the next part (or the end of its sentence)."""
    def amounts(figs) -> dict:
        out: dict = {}
        for g in figs:
            key = _metric(g)
            if g.kind == "money" and key and g.i not in ctx.inner and not g.approx:
                out.setdefault(key, []).append(g)
        return out

    head = amounts(g for g in ctx.by_sentence[total.sentence] if total.end <= g.start < where)
    ranges = []
    for k, p in enumerate(parts):
        stop = parts[k + 1].start if k + 1 < len(parts) else math.inf
        ranges.append(amounts(g for g in ctx.by_sentence[p.sentence] if p.end <= g.start < stop))
    for key, tot in head.items():
        if len(tot) != 1 or not all(len(r.get(key, [])) == 1 for r in ranges):
            continue
        t = tot[0]
        items = [r[key][0] for r in ranges]
        s = sum(g.wan for g in items)
        h = sum(g.half_wan for g in items)
        ht = t.half_wan
        listed = "+".join(f"{_fmt(g.value, g.decimals)}{g.unit}" for g in items)
        in_unit = s / t.factor
        if abs(s - t.wan) <= h + ht + 1e-9:
            same = "一致" if abs(s - t.wan) < 1e-9 else "在舍入误差之内"
            t.checks.append(("internal", "ok", float(_fmt(in_unit, t.decimals)),
                             f"分项{listed}={_fmt(in_unit, t.decimals)}{t.unit}，与合计{same}"))
        else:
            t.checks.append(("internal", "mismatch", float(_fmt(in_unit, t.decimals)),
                             f"分项{listed}之和为{_fmt(in_unit, t.decimals)}{t.unit}，"
                             f"与所述合计{_fmt(t.value, t.decimals)}{t.unit}不符"))


# --- against the ledger ------------------------------------------------------------------

_TOTAL_SCOPE_RE = re.compile(r"全区|全县|全市|全镇|全州|全部|我区|我县|我市")
_CHANNEL_RE = re.compile(r"国家预算资金|国内贷款|利用外资|自筹资金|其他资金|多渠道")
_NAMED_RE = re.compile(r"主要有(.+?)等(?:项目|重点项目)?")


def _metric(fig: _Figure) -> str | None:
    label = fig.label
    if fig.kind == "count":
        return "projects" if "项目" in label + fig.post[:6] else None
    if fig.kind != "money" or re.search("上年|去年|同期|增加|增长|减少|下降|比", label):
        return None  # last year's amount or a change: not a figure of this ledger
    for pattern, column in (("到位", "funds_in_place"), ("合同|签约|协议|引资", "contracted_investment"),
                            ("总投资|概算", "total_investment"), ("计划|目标|任务", "planned_investment"),
                            ("开工累计|开工以来|自开工|开工至今", "cumulative_investment"),
                            ("完成", "completed_investment")):
        if re.search(pattern, label):
            return column
    return None


class _Ledger:
    def __init__(self, projects: pd.DataFrame, period):
        from qzanalysis.text import normalize_text

        df = projects
        if "as_of" in df.columns and df["as_of"].notna().any():
            df = self._period(df, period)
        self.df = df
        self.names = normalize_text(df["project_name"]) if "project_name" in df else None
        self.towns = sorted({str(t) for t in df.get("location", pd.Series(dtype=object)).dropna()
                             if len(str(t)) >= 2}, key=len, reverse=True)
        self.sections = self._sections()
        self._masks: dict = {}
        self._tables: dict = {}

    @staticmethod
    def _period(df: pd.DataFrame, period) -> pd.DataFrame:
        as_of = pd.PeriodIndex(pd.to_datetime(df["as_of"].astype("str"), errors="coerce"), freq="M")
        pick = as_of.max()
        if period is not None:
            from qzanalysis.periods import months_elapsed

            month = months_elapsed(period)
            match = [p for p in set(as_of.dropna()) if p.month == month]
            pick = max(match) if match else pick
        return df[(as_of == pick)]

    @staticmethod
    def _sections() -> list[tuple[str, set]]:
        from qzanalysis.rules import load_table

        words = []
        for _, r in load_table("gbt4754_sections").iterrows():
            words += [(r["name"], {r["section"]}), (r["short_name"], {r["section"]})]
        for _, r in load_table("local_categories").iterrows():
            w = str(r["word"])
            words.append((w if w.endswith("项目") else w + "项目", set(str(r["sections"]).split())))
        sectors = [(s, {"sector:" + s}) for s in ("第一产业", "第二产业", "第三产业")]
        return sectors + sorted(words, key=lambda w: -len(w[0]))

    def scope_at(self, text: str, pos: int, sent_start: int, named: list) -> tuple | None:
        """The last scope named in the sentence before ``pos``: (label, key) or None."""
        head = text[sent_start:pos]
        for a, b in named:  # names of projects are no scope
            if a >= sent_start and b <= pos:
                head = head[:a - sent_start] + " " * (b - a) + head[b - sent_start:]
        # a bracket closed before the figure is an aside, not its scope: 进度滞后（…或在建
        # 项目本年尚未完成投资）的项目有8个 counts all projects, not 在建 ones
        while (blank := _CLOSED_BRACKET_RE.sub(lambda m: " " * len(m.group(0)), head)) != head:
            head = blank
        found = []  # (position, label, key)
        for m in _TOTAL_SCOPE_RE.finditer(head):
            found.append((m.start(), "全部", ("all",)))
        for m in _stage_word_re().finditer(head):
            stage = _stage_of(m.group(1))
            if stage is not None:
                found.append((m.start(), f"{stage}项目", ("stage", stage)))
        for m in _CHANNEL_RE.finditer(head):
            found.append((m.start(), m.group(0), ("funding_channel", m.group(0))))
        blanked = head
        for word, secs in self.sections:  # longest first; a word inside a longer one is no scope
            k = blanked.rfind(word)
            if k >= 0:
                found.append((k, word, ("industry", frozenset(secs))))
                blanked = blanked.replace(word, " " * len(word))
        for town in self.towns:
            k = head.rfind(town)
            if k >= 0:
                found.append((k, town, ("location", town)))
        if not found:
            return None
        _, label, key = max(found, key=lambda t: t[0])
        return label, key

    def mask(self, key: tuple) -> pd.Series:
        if key not in self._masks:
            df = self.df
            if key[0] == "all":
                mask = pd.Series(True, index=df.index)
            elif key[0] == "industry":
                mask = self._industry_mask(key[1])
            elif key[0] in df:
                mask = df[key[0]].astype("object").eq(key[1])
            else:  # the ledger is not classified that way: the scope cannot be counted
                mask = None
            self._masks[key] = None if mask is None else mask.fillna(False).astype(bool)
        return self._masks[key]

    def _industry_mask(self, secs: set) -> pd.Series:
        df = self.df
        sectors = {s.split(":")[1] for s in secs if s.startswith("sector:")}
        if sectors:
            return df["sector"].astype("object").isin(sectors) if "sector" in df else \
                pd.Series(False, index=df.index)
        if "industry_section" not in df:
            return pd.Series(False, index=df.index)
        return df["industry_section"].astype("object").isin(secs)

    def value(self, key: tuple, metric: str) -> float:
        """``metric`` over the projects of scope ``key``, by :func:`qzanalysis.summarize`."""
        from qzanalysis.metrics import TOTAL_LABEL, summarize

        if self.mask(key) is None:
            return math.nan
        if key not in self._tables:
            sub = self.df[self.mask(key).to_numpy()]
            self._tables[key] = (summarize(sub.assign(__all="全部"), by="__all").loc[TOTAL_LABEL]
                                 if len(sub) else None)
        row = self._tables[key]
        if metric == "projects":
            return 0.0 if row is None else float(row["projects"])
        return math.nan if row is None else float(row[metric])


@lru_cache(maxsize=256)
def _stage_of(word: str) -> str | None:
    from qzanalysis.stages import to_stage

    stage = to_stage(pd.Series([word])).iloc[0]
    return None if pd.isna(stage) else str(stage)


_METRIC_ZH = {"projects": "项目数", "total_investment": "总投资", "contracted_investment": "合同引资",
              "planned_investment": "年度计划投资", "completed_investment": "完成投资",
              "cumulative_investment": "开工累计完成投资", "funds_in_place": "到位资金"}


def _against_ledger(ctx: _Context, ledger: _Ledger) -> list[dict]:
    text = ctx.text
    named = [(m.start(1), m.end(1)) for m in _NAMED_RE.finditer(text)]
    for f in ctx.figs:
        metric = _metric(f)
        if metric is None or f.approx or any(a <= f.start < b for a, b in named):
            continue
        scope = ledger.scope_at(text, f.start, ctx.sentence_start(f.sentence), named)
        if scope is None:
            continue
        label, key = scope
        v = ledger.value(key, metric)
        if math.isnan(v):
            why = (f"台账没有{label}这一分类（请先调用 qz.classify）" if ledger.mask(key) is None
                   else f"台账中{label}的{_METRIC_ZH[metric]}没有数值")
            f.checks.append(("ledger", "unchecked", math.nan, f"{why}，未核对"))
            continue
        v_unit = v / f.factor
        status, computed, note = _judge(f, v_unit, v_unit, v_unit)
        shown = f"{_fmt(v_unit, f.decimals)}{f.unit}"
        if f.unit == "亿元":
            shown += f"（{v:g}万元）"
        where = f"台账中{label}的{_METRIC_ZH[metric]}（qz.summarize 汇总）为{shown}"
        if status == "ok":
            msg = f"{where}，与所述一致"
        elif note == "truncated":
            msg = f"{where}；所述{f.value:g}{f.unit}是截尾而非四舍五入"
        else:
            msg = f"{where}，所述{_fmt(f.value, f.decimals)}{f.unit}不符"
        f.checks.append(("ledger", status, computed, msg))
    return _named_projects(ctx, ledger)


def _named_projects(ctx: _Context, ledger: _Ledger) -> list[dict]:
    if ledger.names is None:
        return []
    rows = []
    text = ctx.text
    names = ledger.names.fillna("")
    named_spans = [(m.start(1), m.end(1)) for m in _NAMED_RE.finditer(text)]
    sent_idx = _index(text, _SENTENCE_END)
    for a, b in named_spans:
        scope = ledger.scope_at(text, a, ctx.sentence_start(sent_idx[a]), named_spans)
        label, key = scope if scope else ("全部", ("all",))
        mask = ledger.mask(key)
        if mask is None:
            label, mask = "全部", ledger.mask(("all",))
        pos = a
        for part in text[a:b].split("、"):
            name = part.strip()
            start, end = pos + len(part) - len(part.lstrip()), pos + len(part.rstrip())
            pos += len(part) + 1
            if len(name) < 2:
                continue
            core = re.sub(r"项目$", "", name)
            hit = names.str.contains(core, regex=False) | names.map(lambda n, c=core: bool(n) and n in c)
            inside = hit & mask.to_numpy()
            if inside.any():
                status, msg = "ok", f"台账的{label}中有此项目：{names[inside].iloc[0]}"
            elif hit.any():
                where = ledger.df.loc[hit, "stage"].astype("object").iloc[0] if "stage" in ledger.df else "?"
                status, msg = "mismatch", f"台账中此项目不在{label}之列（阶段为{where}）：{names[hit].iloc[0]}"
            else:
                status, msg = "mismatch", f"台账中没有名称含“{core}”的项目"
            rows.append({"claim": name, "stated": math.nan, "unit": "项目名称", "computed": math.nan,
                         "status": status, "message": msg, "start": start, "end": end,
                         "kind": "name", "check": "ledger"})
    return rows


# --- the public function ------------------------------------------------------------------


def verify(text: str | PathLike, projects: pd.DataFrame | None = None, *, period=None) -> pd.DataFrame:
    """Check every figure stated in a text; one row per figure.

    Parameters
    ----------
    text : str or path
        The text itself, or the path of a .txt/.md/.docx draft (a ``Path``, or a string
        ending in one of those suffixes that names an existing file).
    projects : DataFrame, optional
        Classified projects (``qz.classify(ledger.projects)``). When given, the counts and
        amounts that name a scope (全区, 续建项目, a funding channel, an industry, a town) are
        recomputed with :func:`qzanalysis.summarize` and compared. Not modified.
    period : str, optional
        For a frame of several ledgers (:func:`qzanalysis.load_many`): the report period
        whose ledger to compare with (``"1-6月"``); default the latest.

    Returns
    -------
    DataFrame
        Columns ``claim`` (the text of the figure with the words before it), ``stated``
        (the number as stated, in its unit: 98.25 for "98.25%"), ``unit`` (%, 个百分点,
        万元, 亿元, 个/项/宗/家, or 项目名称 for a named project), ``computed`` (what it should
        be, in the same unit, or missing), ``status`` (``ok``, ``mismatch`` or
        ``unchecked``), ``message`` (Chinese: what was computed from what), ``start``,
        ``end`` (offsets of ``claim`` in the original text), ``kind`` (rate, money, count,
        points, name) and ``check`` (internal, ledger or empty).

    Examples
    --------
    >>> r = verify("年度计划投资647.4亿元。1-10月完成投资629.0亿元，占年度投资计划的97.2%。")
    >>> r.loc[r["unit"] == "%", ["stated", "computed", "status"]].to_dict("records")
    [{'stated': 97.2, 'computed': 97.2, 'status': 'ok'}]
    >>> verify("完成投资47.7亿元，占年度计划的24.3%。")["status"].tolist()
    ['unchecked', 'unchecked']
    """
    if isinstance(text, PathLike) or (isinstance(text, str) and names_file(text)
                                     and Path(text).is_file()):
        text = read_text(text)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str or a path, got {type(text).__name__}")
    t = _normalize(text)
    figs = _figures(t.norm)
    ctx = _Context(t.norm, figs)
    _internal(ctx)
    extra = _against_ledger(ctx, _Ledger(projects, period)) if projects is not None else []
    rows = [_row(t, f) for f in figs]
    for r in extra:
        r["start"], r["end"] = t.span(r["start"], r["end"])
        r["claim"] = text[r["start"]:r["end"]]
    out = pd.DataFrame(rows + extra, columns=list(VERIFY_COLUMNS))
    out = out.sort_values("start", kind="stable").reset_index(drop=True)
    return out.astype({"stated": "float64", "computed": "float64", "start": "int64", "end": "int64"})


def _row(t: _Text, f: _Figure) -> dict:
    ledger = [c for c in f.checks if c[0] == "ledger" and c[1] != "unchecked"]
    internal = [c for c in f.checks if c[0] == "internal" and c[1] != "unchecked"]
    decided = ledger or internal
    if decided:
        bad = [c for c in decided if c[1] == "mismatch"]
        main = bad[0] if bad else decided[0]
        status, computed = main[1], main[2]
        check = "ledger" if ledger else "internal"
    else:
        status, computed, check = "unchecked", math.nan, ""
    messages = [c[3] for c in (decided or f.checks)]
    others = [c[3] for c in f.checks if c[3] not in messages]
    if ledger and internal and any(c[1] == "mismatch" for c in internal) and status == "ok":
        messages.append("（文中分项或比率与此不符，错误在别处）")
    message = "；".join(messages + others) or _default_message(f)
    start, end = t.span(f.label_start, f.end)
    return {"claim": t.raw[start:end], "stated": f.value, "unit": f.unit, "computed": computed,
            "status": status, "message": message, "start": start, "end": end, "kind": f.kind,
            "check": check}


def _default_message(f: _Figure) -> str:
    if f.approx:
        return f"所述为约数（“{f.approx}”），不核对"
    if f.kind == "points":
        return "百分点差值未核对"
    return "文中没有可核对此数的依据（未给台账，或台账中找不到对应范围）"


def format_result(result: pd.DataFrame, text: str, *, context: int = 20) -> str:
    """What ``qzanalysis verify`` prints: each mismatch with its context, then one line
    with the counts (checked / ok / mismatch / unchecked)."""
    lines = []
    flat = text.replace("\n", " ")
    for r in result[result["status"] == "mismatch"].itertuples():
        a, b = max(0, r.start - context), min(len(flat), r.end + context)
        where = f"第{text.count(chr(10), 0, r.start) + 1}段"
        lines.append(f"✗ {where}「{r.claim}」：{r.message}")
        lines.append(f"    …{flat[a:r.start]}【{flat[r.start:r.end]}】{flat[r.end:b]}…")
    counts = result["status"].value_counts()
    ok, bad, open_ = (int(counts.get(k, 0)) for k in ("ok", "mismatch", "unchecked"))
    names = int(result["kind"].eq("name").sum())
    what = f"共 {len(result) - names} 处数字" + (f"、{names} 个项目名称" if names else "")
    lines.append(f"{what}：已核对 {ok + bad}（一致 {ok}，不符 {bad}），未核对 {open_}")
    return "\n".join(lines)
