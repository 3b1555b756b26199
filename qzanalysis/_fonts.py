"""The Chinese (CJK) font the charts use: chosen once per process, never downloaded.

Order of preference:

1. a Simplified-Chinese system font that matplotlib's own font manager already knows
   (:data:`SYSTEM_FONTS`: Noto Sans CJK SC, Source Han Sans SC, WenQuanYi, PingFang SC,
   Microsoft YaHei, …);
2. Noto Sans SC (SIL Open Font License 1.1) shipped by the ``pylopdf-fonts-zh-cn``
   package, a dependency of qzanalysis, registered with ``fontManager.addfont``;
3. any other CJK system font (:data:`OTHER_SYSTEM_FONTS`: Noto Sans CJK JP/TC, …).

Only matplotlib's font list is consulted (no hard-coded paths, no cache rebuild). The
packaged font is also registered as a glyph fallback behind a system font, so a glyph a
system font lacks is drawn from Noto Sans SC rather than as a box.

Importing this module does not import matplotlib; :func:`cjk_font` does.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "SYSTEM_FONTS",
    "OTHER_SYSTEM_FONTS",
    "PACKAGED_FONT",
    "LATIN_FALLBACK",
    "CJKFont",
    "cjk_font",
    "font_families",
    "missing_glyphs",
]

#: Simplified-Chinese system fonts, best first (family names as matplotlib reports them).
SYSTEM_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "Hiragino Sans GB",
)
#: CJK system fonts with other regional glyph forms: used only when nothing better exists.
OTHER_SYSTEM_FONTS: tuple[str, ...] = (
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Source Han Sans TC",
    "Source Han Sans JP",
)
#: (distribution, module, file) of the openly licensed font qzanalysis depends on.
PACKAGED_FONT: tuple[str, str, str] = (
    "pylopdf-fonts-zh-cn",
    "pylopdf_fonts_zh_cn",
    "NotoSansSC-Regular.otf",
)
#: Latin fallback behind the CJK font (ships with matplotlib).
LATIN_FALLBACK = "DejaVu Sans"


@dataclass(frozen=True)
class CJKFont:
    """The chosen font.

    Attributes
    ----------
    family : str
        Family name to put first in ``font.family``.
    path : Path
        The font file.
    source : {"system", "package"}
        Where it comes from.
    truetype : bool
        True when the file is a plain TrueType (``glyf``) font that matplotlib can embed
        in PDF as Type 42; CFF-flavoured OpenType (Noto/Source Han) and collections are
        embedded as Type 3 (matplotlib cannot write CFF outlines as Type 42).
    fallback : str or None
        The packaged family registered behind a system font, if any.
    index : int
        Face index inside a font collection (``.ttc``), 0 otherwise.
    """

    family: str
    path: Path
    source: str
    truetype: bool
    fallback: str | None = None
    index: int = 0

    @property
    def pdf_fonttype(self) -> int:
        """42 (TrueType, text searchable) for ``glyf`` fonts, else 3."""
        return 42 if self.truetype else 3


def _packaged_path() -> Path | None:
    _, module, filename = PACKAGED_FONT
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / filename
        if path.is_file():
            return path
    return None


def _is_plain_truetype(path: Path) -> bool:
    """A single-face sfnt with TrueType outlines (not CFF ``OTTO``, not a ``ttcf`` collection)."""
    try:
        with open(path, "rb") as fh:
            tag = fh.read(4)
    except OSError:
        return False
    return tag in (b"\x00\x01\x00\x00", b"true")


def _system_font(names: tuple[str, ...], exclude: Path | None = None):
    from matplotlib import font_manager

    skip = str(exclude) if exclude is not None else None
    by_name: dict[str, object] = {}
    for entry in font_manager.fontManager.ttflist:
        # Regular upright face first; keep the first one seen otherwise. The packaged
        # font, once registered, is in the list too: it is not a system font.
        if entry.style != "normal" or entry.fname == skip:
            continue
        current = by_name.get(entry.name)
        if current is None or abs(_weight(entry.weight) - 400) < abs(_weight(current.weight) - 400):
            by_name[entry.name] = entry
    for name in names:
        if name in by_name:
            return by_name[name]
    return None


def _weight(value) -> int:
    if isinstance(value, int):
        return value
    from matplotlib.font_manager import weight_dict

    return weight_dict.get(str(value), 400)


def _register(path: Path) -> str:
    """Add ``path`` to matplotlib's font list (once) and return its family name."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    fname = str(path)
    if not any(entry.fname == fname for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(fname)
    return FT2Font(fname).family_name


@functools.cache
def cjk_font() -> CJKFont:
    """The CJK font for every chart, chosen on first call and cached.

    Returns
    -------
    CJKFont

    Raises
    ------
    RuntimeError
        If no CJK font is available at all (the ``pylopdf-fonts-zh-cn`` dependency is
        missing and the system has none): drawing would give empty boxes.

    Examples
    --------
    >>> font = cjk_font()
    >>> font.source in {"system", "package"}
    True
    """
    packaged = _packaged_path()
    entry = _system_font(SYSTEM_FONTS, exclude=packaged)
    if entry is not None:
        fallback = _register(packaged) if packaged is not None else None
        path = Path(entry.fname)
        return CJKFont(
            family=entry.name,
            path=path,
            source="system",
            truetype=_is_plain_truetype(path),
            fallback=fallback if fallback != entry.name else None,
            index=getattr(entry, "index", 0),
        )
    if packaged is not None:
        family = _register(packaged)
        return CJKFont(family, packaged, "package", _is_plain_truetype(packaged))
    entry = _system_font(OTHER_SYSTEM_FONTS, exclude=packaged)
    if entry is not None:
        path = Path(entry.fname)
        return CJKFont(
            entry.name, path, "system", _is_plain_truetype(path), index=getattr(entry, "index", 0)
        )
    raise RuntimeError(
        "找不到中文字体，图表中的汉字将显示为方框。请安装 qzanalysis 的依赖："
        f"pip install {PACKAGED_FONT[0]} / no CJK font found: "
        f"install the {PACKAGED_FONT[0]} package (a qzanalysis dependency)"
    )


def font_families() -> list[str]:
    """The ``font.family`` list for the charts: the CJK font, its fallback, a Latin font."""
    font = cjk_font()
    families = [font.family]
    if font.fallback:
        families.append(font.fallback)
    families.append(LATIN_FALLBACK)
    return families


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that the chosen CJK font (and its fallback) cannot draw.

    Examples
    --------
    >>> missing_glyphs("储备 前期 续建 竣工 合同引资（亿元）−5%")
    []
    """
    from matplotlib.ft2font import FT2Font

    font = cjk_font()
    faces = [FT2Font(str(font.path), face_index=font.index)]
    if font.fallback:
        faces.append(FT2Font(str(_packaged_path())))
    return sorted(
        {
            ch
            for ch in text
            if not ch.isspace() and all(face.get_char_index(ord(ch)) == 0 for face in faces)
        }
    )
