"""Several ledgers at once: report-month detection, parallel reading, project linking.

``load_many`` reads monthly ledgers (in a process pool when that pays off), finds each
file's report month (``as_of``) and gives every project a ``project_id`` that stays the
same from month to month even when the office retyped its name (:func:`link_projects`).

This module is on the reading side of the one-way flow: it never imports
``qzanalysis.metrics``; ``metrics.month_over_month`` and ``metrics.history`` use the
``project_id`` it makes.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from qzanalysis.errors import LedgerError
from qzanalysis.periods import period_from_text

__all__ = ["load_many", "link_projects", "Linked", "LINK_COLUMNS"]

_LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_TOP_ROWS = 15
#: Below this many bytes of ledgers in all, reading them one after the other is faster
#: than starting worker processes (each imports pandas and the reader, ~0.5 s).
_PARALLEL_MIN_BYTES = 2_000_000


# --------------------------------------------------------------------------- load_many


def load_many(paths, *, year: int | None = None, workers: int | None = None,
              decisions=None, **options) -> pd.DataFrame:
    """Read several ledgers (e.g. monthly reports) into one projects frame with ``as_of``.

    Parameters
    ----------
    paths : path, or list of paths
        Files, or a folder: every ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods`` and ``.csv``
        directly in it (not in sub-folders; Excel's ``~$`` lock files skipped), in
        sorted order.
    year : int, optional
        The year to use when neither the file name nor the file's text names one.
    workers : int, optional
        Processes that read files at the same time. Default: one per CPU core (at
        most one per file) when the files together are larger than about 2 MB, else 1
        (starting a process costs more than reading a few small ledgers).
    decisions : path or DataFrame, optional
        The analyst's table of pairs to link or keep apart (see :func:`link_projects`).
    **options
        Passed to ``qz.load`` for every file (``sheet``, ``header_row``, ``unit``,
        ``rules``).

    Returns
    -------
    DataFrame
        The projects of all files, one after the other in ``as_of`` order, with first
        columns ``as_of`` (pandas Period, monthly: the month at the end of the file's
        report period) and ``project_id`` (the same project in every month, see
        :func:`link_projects`), and a fresh 0..n-1 index.

    Raises
    ------
    LedgerError
        A file cannot be read (``qz.load``'s error), its report period cannot be
        determined, or two files report the same month (both named).

    Notes
    -----
    The report month of each file is looked for, in this order, until both a year
    and a month are known (a year found in one place and a month in another combine):

    1. the file name: ``qinzhou_2008-03.xlsx``, ``2008年3月台账.xlsx``,
       ``2008年1-3月.xlsx``, ``1-3月.xlsx`` (month only);
    2. the text of the first rows of each sheet holding projects, top to bottom: the
       title (``秦州区2008年1-3月招商引资项目进展情况表``) and the header
       (``1-3月`` over ``完成投资``, ``1-3月完成投资``); ``至2007年底`` is not a year;
    3. the names of the sheets holding projects (``1-3月``);
    4. the ``year`` argument, for the year only.

    A progress bar (tqdm) is shown when several files are read from a terminal.

    ``qz.link_projects(frame)`` on the result gives the same ``project_id`` and the
    report of the decisions that were not exact matches (``.links``), the uncertain
    ones as findings (``.findings``).
    """
    files = _ledger_files(paths)
    n_workers = _workers(files, workers)
    if n_workers > 1:
        results = _read_parallel(files, year, options, n_workers)
    else:
        results = _read_sequential(files, year, options)
    frames: list[pd.DataFrame] = []
    seen: dict[pd.Period, Path] = {}
    for path, (projects, as_of) in zip(files, results, strict=True):
        if as_of in seen:
            raise LedgerError(
                f"与 {seen[as_of].name} 的报告期相同（{as_of}），请检查是否重复",
                file=path,
            )
        seen[as_of] = path
        frame = projects.copy()
        frame.insert(0, "as_of", pd.Series(as_of, index=frame.index, dtype="period[M]"))
        frames.append(frame)
    frames.sort(key=lambda f: f["as_of"].iloc[0] if len(f) else pd.Period("1900-01", "M"))
    out = pd.concat(frames, ignore_index=True)
    out["as_of"] = out["as_of"].astype("period[M]")
    return link_projects(out, decisions=decisions).projects


def _read_one(path: Path, year: int | None, options: dict) -> tuple[pd.DataFrame, pd.Period]:
    """Read one file and find its report month (runs in a worker process too)."""
    from qzanalysis.reading import load  # the reader, imported when there is work to do

    projects = load(path, **options).projects
    return projects, _report_month(path, projects, year)


def _progress(files, iterable=None):
    from tqdm import tqdm  # not tqdm.auto: it warns in kernels without ipywidgets

    return tqdm(iterable if iterable is not None else files, total=len(files), desc="读取台账",
                unit="个文件", disable=True if len(files) < 2 else None)


def _read_sequential(files, year, options):
    return [_read_one(path, year, options) for path in _progress(files)]


def _workers(files: list[Path], workers: int | None) -> int:
    if workers is not None:
        if int(workers) < 1:
            raise ValueError(f"workers 应为正整数 / workers must be >= 1, got {workers!r}")
        return min(int(workers), len(files))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if len(files) < 2 or (cores or 1) < 2:
        return 1
    size = sum(p.stat().st_size for p in files if p.is_file())
    return min(cores, len(files)) if size >= _PARALLEL_MIN_BYTES else 1


def _read_parallel(files, year, options, n_workers):
    """Read the files in worker processes; results in the order of ``files``.

    The first file that fails (in file order) raises its LedgerError here, as the
    sequential reading would. If the pool itself fails, the files are read here instead.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: list = [None] * len(files)
    errors: dict[int, LedgerError] = {}
    try:
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=_pool_context()) as pool:
            futures = {pool.submit(_read_one, path, year, options): i
                       for i, path in enumerate(files)}
            for future in _progress(files, as_completed(futures)):
                i = futures[future]
                try:
                    results[i] = future.result()
                except LedgerError as exc:
                    errors[i] = exc
    except LedgerError:
        raise
    except Exception:  # noqa: BLE001 - the pool could not run (a script without a
        # __main__ guard under spawn, no /dev/shm, a crashed worker): read the files here,
        # where any error is raised exactly as a sequential reading raises it
        return _read_sequential(files, year, options)
    if errors:
        raise errors[min(errors)]  # the first bad file, as the sequential reading would
    return results


def _pool_context():
    """How worker processes start: fork when that is safe (it is the fastest, the
    workers inherit the imported reader), else forkserver, else spawn.

    Forking a process that runs other threads (a Jupyter kernel's) can deadlock the
    child; forkserver forks a clean server that imported the reader once.
    """
    import multiprocessing as mp
    import threading

    methods = mp.get_all_start_methods()
    others = [t for t in threading.enumerate()
              if t is not threading.current_thread() and type(t).__name__ != "TMonitor"]
    if "fork" in methods and not others:  # tqdm's monitor thread only sleeps and checks bars
        return mp.get_context("fork")
    if "forkserver" in methods:
        context = mp.get_context("forkserver")
        context.set_forkserver_preload(["qzanalysis.reading"])
        return context
    return mp.get_context("spawn")


def _ledger_files(paths) -> list[Path]:
    if isinstance(paths, (str, PathLike)):
        root = Path(paths)
        if root.is_dir():
            files = sorted(
                p for p in root.iterdir()
                if p.is_file() and p.suffix.lower() in _LEDGER_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
            if not files:
                raise LedgerError(
                    "文件夹中没有台账文件（.xlsx、.xlsm、.xls、.ods、.csv）", file=root
                )
            return files
        return [root]
    files = [Path(p) for p in paths]
    if not files:
        raise LedgerError("没有给出要读取的台账文件")
    return files


def _report_month(path: Path, projects: pd.DataFrame, year: int | None) -> pd.Period:
    """The report month of one file (see :func:`load_many`, Notes)."""
    found_year, found_month = period_from_text(path.stem)
    sheets = []
    if found_year is None or found_month is None:
        if "source_sheet" in projects.columns:
            sheets = [str(s) for s in pd.unique(projects["source_sheet"].dropna())]
        for text in _top_texts(path, sheets):
            y, m = period_from_text(text)
            found_year = found_year if found_year is not None else y
            found_month = found_month if found_month is not None else m
            if found_year is not None and found_month is not None:
                break
    if found_month is None:
        for sheet in sheets:
            found_month = period_from_text(sheet)[1]
            if found_month is not None:
                break
    if found_year is None:
        found_year = year
    if found_month is None or found_year is None:
        missing = "月份" if found_month is None else "年份"
        raise LedgerError(
            f"无法确定报告期（{missing}）：文件名、标题和表头中都没有写明，"
            "请把文件命名为如 qinzhou_2008-03.xlsx"
            + ("，或调用 load_many(..., year=2008)" if found_year is None else ""),
            file=path,
        )
    return pd.Period(year=found_year, month=found_month, freq="M")


def _top_texts(path: Path, sheets: list[str]) -> list[str]:
    """The first rows of the ledger's sheets as text, one string per row (best effort)."""
    texts: list[str] = []
    try:
        if path.suffix.lower() == ".csv":
            from charset_normalizer import from_bytes

            raw = path.read_bytes()[:16384]
            best = from_bytes(raw).best()
            text = str(best) if best is not None else raw.decode("utf-8", "replace")
            texts = text.splitlines()[:_TOP_ROWS]
        else:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
            names = [s for s in sheets if s in book.sheet_names] or book.sheet_names[:1]
            for name in names:
                rows = book.get_sheet_by_name(name).to_python(nrows=_TOP_ROWS)
                texts.extend(" ".join(str(c) for c in row if c not in ("", None)) for row in rows)
    except Exception:  # noqa: BLE001 - the file was read by qz.load; this is only a hint
        return []
    return [t for t in texts if t.strip()]


# --------------------------------------------------------------------------- link_projects

#: Columns of the link report (:attr:`Linked.links`), in this order.
LINK_COLUMNS: tuple[str, ...] = (
    "as_of", "project_name", "source_file", "source_row",
    "earlier_as_of", "earlier_name", "earlier_source_file", "earlier_source_row",
    "project_id", "decision", "evidence", "score", "uncertain",
)


class Linked(NamedTuple):
    """What :func:`link_projects` returns: ``projects, links = qz.link_projects(frame)``.

    Attributes
    ----------
    projects : DataFrame
        The input frame with ``project_id`` (second column, after ``as_of``).
    links : DataFrame
        One row per decision that was not an exact match, columns :data:`LINK_COLUMNS`:
        the row (``as_of``, ``project_name``, ``source_file``, ``source_row``), the
        earlier row it was compared with (``earlier_*``: the project's latest earlier
        ledger), ``project_id`` (the id the row received), ``decision`` (``linked``:
        names differ but the evidence says it is one project; ``pinned``: linked by the
        analyst's table; ``apart``: similar names kept apart, the row got a new id),
        ``evidence`` (in Chinese: what agreed, what differed), ``score`` (0–100,
        similarity of the names after removing generic words) and ``uncertain`` (True
        when accepted with weak evidence, or close but refused: check these).
    """

    projects: pd.DataFrame
    links: pd.DataFrame

    @property
    def findings(self) -> pd.DataFrame:
        """The uncertain decisions as findings (rule ``uncertain_link``), with file and row."""
        from qzanalysis.findings import findings_frame, make_finding

        records = []
        for row in self.links[self.links["uncertain"]].itertuples(index=False):
            verb = "已视为同一项目" if row.decision in ("linked", "pinned") else "未视为同一项目"
            records.append(make_finding(
                "uncertain_link",
                f"{row.as_of}“{row.project_name}”与 {row.earlier_as_of}“{row.earlier_name}”"
                f"（{_file_name(row.earlier_source_file)} 第{_row_text(row.earlier_source_row)}行）"
                f"{verb}，依据：{row.evidence}（名称相似度 {row.score:.0f}），请核对；"
                "可在 decisions 表中指定 link 或 apart",
                source_file=row.source_file, source_row=row.source_row, column="project_name",
            ))
        return findings_frame(records)


def _file_name(path) -> str:
    return "" if pd.isna(path) else str(path).replace("\\", "/").rsplit("/", 1)[-1]


def _row_text(row) -> str:
    return "?" if pd.isna(row) else str(int(row))


def link_projects(frame: pd.DataFrame, *, decisions=None) -> Linked:
    """Give each project of several ledgers a ``project_id`` that follows it across months.

    Rows are taken month by month (``as_of`` order); each row of a month is matched
    with at most one project seen in an earlier month, and no project receives two
    rows of one month. The evidence is used in this order (the first that decides wins):

    1. the analyst's ``decisions`` table (``link`` pins a pair, ``apart`` forbids it);
    2. the national project code (GB/T 40058 投资项目统一代码, ``2019-620502-47-03-012345``)
       in a column whose header names a code (项目代码, 统一代码, 项目编码…) or written
       inside the name;
    3. the same name after normalisation (full/half width, spaces, traditional
       characters, brackets and punctuation), unless the owner (建设单位) or the
       location (建设地点) contradicts it — so two 村级 projects of one name in two
       towns keep their own ids in whatever order they are listed;
    4. similar names (rapidfuzz ratio after removing generic affixes 项目/工程/建设/
       建设项目 and the phase), confirmed by the owner, the location, the total
       investment and the stage. Refused whenever a distinguishing token differs: the
       phase (一期/二期; no phase counts as 一期), the numbers (年产5万吨 vs 年产10万吨,
       2023年 vs 2024年), a replaced word of two or more characters (another product
       line), or one product word of rules/industry_keywords.csv turned into another
       by one character (肉鸡 → 蛋鸡; 仓储 → 仓诸 is a slip of the pen, accepted when the
       owner confirms it). A row that matches nothing is a new project: nothing is
       forced to match.

    Parameters
    ----------
    frame : DataFrame
        Projects of several ledgers with ``as_of`` and ``project_name`` (the result of
        :func:`load_many`); ``owner``, ``location``, ``total_investment``, ``stage``,
        ``source_file`` and ``source_row`` are used when present. An existing
        ``project_id`` is replaced. Not modified.
    decisions : path or DataFrame, optional
        Pairs the analyst has decided: columns ``name``, ``other_name`` and
        ``decision`` (``link`` / 合并: the same project; ``apart`` / 分开: never the
        same). Names are compared after normalisation, in either order.

    Returns
    -------
    Linked
        ``(projects, links)``: the frame with ``project_id`` (``P0001``, ``P0002``…
        in order of first appearance), and the report of non-exact decisions
        (:class:`Linked`); ``Linked.findings`` lists the uncertain ones.

    Examples
    --------
    >>> f = pd.DataFrame({
    ...     "as_of": pd.PeriodIndex(["2008-01", "2008-01", "2008-02", "2008-02"], freq="M"),
    ...     "project_name": ["竹山县松吉电动车生产项目", "竹山县松吉电动车生产项目(二期)",
    ...                      "竹山县松吉电动车生产工程", "竹山县松吉电动车生产项目（二期）"],
    ...     "owner": ["松吉电动车公司"] * 4,
    ...     "total_investment": [5000.0, 8000.0, 5000.0, 8000.0]})
    >>> projects, links = link_projects(f)
    >>> projects["project_id"].tolist()
    ['P0001', 'P0002', 'P0001', 'P0002']
    >>> links[["project_name", "earlier_name", "decision"]].values.tolist()
    [['竹山县松吉电动车生产工程', '竹山县松吉电动车生产项目', 'linked']]
    """
    for col in ("as_of", "project_name"):
        if col not in frame.columns:
            raise ValueError(
                f"数据中没有“{col}”列，请用 qz.load_many 读取各月台账 / column {col!r} not found"
            )
    rows = _Rows(frame)
    pairs = _read_decisions(decisions)
    ids = np.empty(len(frame), dtype=object)
    report: list[dict] = []
    known: list[int] = []  # for each project id (0-based), the position of its latest row
    periods = rows.as_of
    order = np.argsort(periods, kind="stable")
    month_starts = np.flatnonzero(np.r_[True, periods[order][1:] != periods[order][:-1]])
    bounds = [*month_starts, len(order)]
    for k in range(len(month_starts)):
        month = order[bounds[k]:bounds[k + 1]]
        assigned = _link_month(rows, month, known, pairs, report)
        for pos in month:
            pid = assigned.get(pos)
            if pid is None:
                pid = len(known)
                known.append(pos)
            else:
                known[pid] = pos
            ids[pos] = pid
    width = max(4, len(str(len(known))))
    labels = np.array([f"P{i + 1:0{width}d}" for i in range(len(known))], dtype=object)
    project_id = pd.Series(labels[ids.astype("int64")] if len(ids) else [], index=frame.index,
                           dtype="str")
    out = frame.drop(columns="project_id", errors="ignore")
    out.insert(1 if "as_of" == out.columns[0] else 0, "project_id", project_id)
    for record in report:  # rows kept apart: the new id they received
        if record["project_id"] is None:
            record["project_id"] = ids[record["_pos"]]
    report.sort(key=lambda record: (rows.as_of[record["_pos"]], record["_pos"]))
    links = pd.DataFrame(report, columns=list(LINK_COLUMNS))
    if len(links):
        links["project_id"] = labels[links["project_id"].astype("int64").to_numpy()]
    links = links.astype({"score": "float64", "uncertain": "bool"})
    return Linked(out, links)


# --- normalisation of names and context

_CODE_RE = re.compile(r"(?<!\d)(\d{4})-?(\d{6})-?(\d{2})-?(\d{2})-?(\d{6})(?!\d)")
_CODE_HEADER_RE = re.compile(r"代码|编码|编号|code", re.I)
_PUNCT_RE = re.compile(r"(?!(?<=\d)\.(?=\d))[\W_]")
_CN_DIGITS = dict(zip("一二三四五六七八九十", range(1, 11), strict=True))
_PHASE_RE = re.compile(r"第?([一二三四五六七八九十]|\d{1,2})(?:期|阶段)")
_AFFIX_RE = re.compile(r"(?:建设项目|工程项目|建设工程|项目|工程|建设)$")
_PLACE_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省)?(?:[\u4e00-\u9fff]{2,4}(?:自治州|市|州))?"
                       r"(?:[\u4e00-\u9fff]{1,3}(?:县|区|旗))?")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_OWNER_SUFFIX_RE = re.compile(r"(?:股份)?有限(?:责任)?公司$|集团$|公司$")


def _norm(values: pd.Series) -> list[str | None]:
    """Names and words compared across months: normalised, casefolded, no punctuation.

    Worked out once per distinct value (monthly ledgers repeat the same names).
    """
    from qzanalysis.text import normalize_text

    codes, uniques = pd.factorize(values.astype("object"), use_na_sentinel=True)
    if not len(uniques):
        return [None] * len(values)
    text = normalize_text(pd.Series(uniques.astype("str"), dtype="object"))
    done = []
    for v in text.tolist():
        v = None if v is None or pd.isna(v) else _PUNCT_RE.sub("", str(v).casefold())
        done.append(v or None)
    table = np.array([*done, None], dtype=object)  # code -1 (missing) -> None
    return table[codes].tolist()


def _phase(name: str) -> tuple[str, int]:
    """(name without phase words, phase number; 1 when none is written)."""
    phases = [int(m) if m.isdigit() else _CN_DIGITS[m] for m in _PHASE_RE.findall(name)]
    return _PHASE_RE.sub("", name), (phases[-1] if phases else 1)


def _core(name: str) -> str:
    """The name without generic affixes (项目, 工程, 建设项目…) at its end."""
    previous = None
    while previous != name:
        previous, name = name, _AFFIX_RE.sub("", name)
    return name or previous


def _derive(name: str, has_code: bool) -> tuple[str, int, tuple, str]:
    """(core name, phase, numbers, core without a leading place) of one normalised name."""
    if has_code:
        name = _CODE_RE.sub("", name)
    stripped, phase = _phase(name)
    core = _core(stripped)
    numbers = tuple(sorted(_NUMBER_RE.findall(core)))
    place_free = _PLACE_RE.sub("", core)
    return core, phase, numbers, (place_free if len(place_free) >= 4 else core)


class _Rows:
    """The columns the linker compares, as plain arrays (one entry per frame row)."""

    def __init__(self, frame: pd.DataFrame):
        n = len(frame)
        as_of = frame["as_of"]
        if not isinstance(as_of.dtype, pd.PeriodDtype):
            as_of = pd.PeriodIndex(as_of.astype("str"), freq="M").to_series(index=frame.index)
        self.periods = pd.PeriodIndex(as_of, freq="M")  # indexed only for the report
        self.as_of = self.periods.asi8
        self.raw_name = frame["project_name"].astype("object").to_numpy()
        self.name = _norm(frame["project_name"])
        self.code = self._codes(frame, self.name)
        derived: dict[tuple[str, bool], tuple[str, int, tuple, str]] = {}
        self.core, self.phase, self.numbers, self.place_free = [], [], [], []
        for name, code in zip(self.name, self.code, strict=True):
            key = (name or "", bool(code))
            if key not in derived:
                derived[key] = _derive(*key)
            core, phase, numbers, place_free = derived[key]
            self.core.append(core)
            self.phase.append(phase)
            self.numbers.append(numbers)
            self.place_free.append(place_free)
        self.owner = self._owner(frame)
        self.location = _norm(frame["location"]) if "location" in frame.columns else [None] * n
        self.total = (pd.to_numeric(frame["total_investment"], errors="coerce").to_numpy(
            dtype="float64") if "total_investment" in frame.columns else np.full(n, np.nan))
        if "stage" in frame.columns:
            from qzanalysis.vocab import STAGES

            rank = {s: i for i, s in enumerate(STAGES)}
            self.stage = [rank.get(s) if isinstance(s, str) else None
                          for s in frame["stage"].astype("object")]
        else:
            self.stage = [None] * n
        self.file = (frame["source_file"].astype("object").to_numpy()
                     if "source_file" in frame.columns else np.full(n, None, dtype=object))
        self.row = (frame["source_row"].to_numpy() if "source_row" in frame.columns
                    else np.full(n, None, dtype=object))

    @staticmethod
    def _codes(frame: pd.DataFrame, names: list[str | None]) -> list[str | None]:
        """The national project code of each row: a code column first, then the name."""
        codes: list[str | None] = [None] * len(frame)
        columns = [c for c in frame.columns if isinstance(c, str) and _CODE_HEADER_RE.search(c)]
        for values in [*(_norm(frame[c]) for c in columns), names]:
            for i, v in enumerate(values):
                if codes[i] is None and v and len(v) >= 20:
                    m = _CODE_RE.search(v)
                    if m:
                        codes[i] = "-".join(m.groups())
        return codes

    @staticmethod
    def _owner(frame: pd.DataFrame) -> list[str | None]:
        if "owner" not in frame.columns:
            return [None] * len(frame)
        return [None if o is None else (_OWNER_SUFFIX_RE.sub("", o) or o)
                for o in _norm(frame["owner"])]


def _read_decisions(decisions) -> dict[str, dict[str, str]]:
    """The analyst's table → {name: {other name: "link" | "apart"}} (both orders)."""
    if decisions is None:
        return {}
    table = decisions if isinstance(decisions, pd.DataFrame) else pd.read_csv(
        decisions, dtype="str", encoding="utf-8-sig")
    missing = {"name", "other_name", "decision"} - set(table.columns)
    if missing:
        raise ValueError(
            f"decisions 表缺少列：{'、'.join(sorted(missing))}（应有 name、other_name、decision）"
            f" / decisions table lacks columns {sorted(missing)}"
        )
    words = {"link": "link", "合并": "link", "同一项目": "link",
             "apart": "apart", "分开": "apart", "不同项目": "apart"}
    out: dict[str, dict[str, str]] = {}
    names = _norm(table["name"])
    others = _norm(table["other_name"])
    for a, b, d in zip(names, others, table["decision"].astype("str"), strict=True):
        decision = words.get(d.strip().lower())
        if decision is None:
            raise ValueError(
                f"decisions 表的 decision 只能是 link（合并）或 apart（分开），不是“{d}” / "
                f"decision must be 'link' or 'apart', got {d!r}"
            )
        if a and b:
            out.setdefault(a, {})[b] = decision
            out.setdefault(b, {})[a] = decision
    return out


# --- comparing one row with one earlier project


def _similar_text(a: str | None, b: str | None) -> bool | None:
    """Owner/location agreement: True (same, one inside the other, or ratio ≥ 85),
    False (ratio < 70: 太京镇石庙村 / 皂郊镇石庙村), None (unknown, or in between: a
    slip in a short owner name, 秦樱食品 / 秦缨食品, neither confirms nor contradicts)."""
    if not a or not b:
        return None
    if a == b or a in b or b in a:
        return True
    from rapidfuzz import fuzz

    score = fuzz.ratio(a, b)
    return True if score >= 85 else False if score < 70 else None


def _context(rows: _Rows, i: int, j: int) -> tuple[list[str], list[str], float]:
    """(agreements, contradictions, confirmation weight) of row i against earlier row j."""
    agree, contra, weight = [], [], 0.0
    for values, what in ((rows.owner, "建设单位"), (rows.location, "建设地点")):
        same = _similar_text(values[i], values[j])
        if same is True:
            agree.append(f"{what}相同")
            weight += 1
        elif same is False:
            contra.append(f"{what}不同")
    a, b = rows.total[i], rows.total[j]
    if not (np.isnan(a) or np.isnan(b)):
        if abs(a - b) <= 0.01 * max(abs(a), abs(b)):
            agree.append("总投资相同")
            weight += 1
        elif abs(a - b) > 0.25 * max(abs(a), abs(b)):
            contra.append(f"总投资不同（{b:g} → {a:g}）")
    s, t = rows.stage[i], rows.stage[j]
    if s is not None and t is not None:
        if s == t:
            agree.append("阶段相同")
            weight += 0.5
        elif s < t:
            contra.append("阶段倒退")
    return agree, contra, weight


def _token_conflicts(rows: _Rows, i: int, j: int) -> tuple[list[str], bool]:
    """Distinguishing tokens that differ (refuse), and whether a one-character slip is seen."""
    from rapidfuzz.distance import Levenshtein

    conflicts = []
    if rows.phase[i] != rows.phase[j]:
        conflicts.append(f"分期不同（{rows.phase[j]}期 → {rows.phase[i]}期）")
    a, b = rows.numbers[j], rows.numbers[i]
    if a and b and a != b:
        conflicts.append(f"数字不同（{'、'.join(a)} → {'、'.join(b)}）")
    old, new = rows.core[j], rows.core[i]
    slip = False
    blocks: list[list] = []  # [old text, new text, start in old, start in new]
    joined = False
    for tag, a0, a1, b0, b1 in Levenshtein.opcodes(old, new):
        if tag == "equal":
            joined = False
            continue
        if joined:
            blocks[-1][0] += old[a0:a1]
            blocks[-1][1] += new[b0:b1]
        else:
            blocks.append([old[a0:a1], new[b0:b1], a0, b0])
        joined = True
    for x, y, a0, b0 in blocks:
        if not x or not y or _NUMBER_RE.fullmatch(x) or _NUMBER_RE.fullmatch(y):
            continue  # a word added or dropped (short form, place prefix); numbers above
        if len(x) == 1 and len(y) == 1:
            # a slip of the pen, unless it turns one product word into another (肉鸡 → 蛋鸡)
            before, after = _product_word_at(old, a0), _product_word_at(new, b0)
            if before and after and before != after:
                conflicts.append(f"产品不同（{before} → {after}）")
            else:
                slip = True
        else:
            conflicts.append(f"用词不同（{x} → {y}）")
    return conflicts, slip


@lru_cache(maxsize=1)
def _product_words() -> dict[str, tuple[str, ...]]:
    """Industry keywords of rules/industry_keywords.csv, by each character they hold."""
    from qzanalysis.rules import load_table

    by_char: dict[str, list[str]] = {}
    for word in load_table("industry_keywords")["keyword"]:
        for ch in set(word):
            by_char.setdefault(ch, []).append(word)
    return {ch: tuple(sorted(words, key=len, reverse=True)) for ch, words in by_char.items()}


def _product_word_at(text: str, i: int) -> str | None:
    """The longest industry keyword of ``text`` that covers position ``i`` (养殖场肉鸡 → 肉鸡)."""
    for word in _product_words().get(text[i], ()):
        start = text.find(word, max(0, i - len(word) + 1))
        while start != -1 and start <= i:
            if start + len(word) > i:
                return word
            start = text.find(word, start + 1)
    return None


def _link_month(rows: _Rows, month: np.ndarray, known: list[int], pairs: dict,
                report: list[dict]) -> dict[int, int]:
    """Match this month's rows to earlier projects; returns {row position: project index}."""
    if not known:
        return {}
    candidates, forbidden = _exact_candidates(rows, month, known, pairs)
    taken_rows: dict[int, int] = {}
    taken_ids: set[int] = set()
    _assign(candidates, taken_rows, taken_ids, rows, known, report)
    # similar names, for the rows and projects still free
    free_rows = [pos for pos in month if pos not in taken_rows and rows.core[pos]]
    free_ids = [pid for pid in range(len(known)) if pid not in taken_ids and rows.core[known[pid]]]
    if not free_rows or not free_ids:
        return taken_rows
    fuzzy, refused = _similar_candidates(rows, free_rows, free_ids, known, forbidden)
    _assign(fuzzy, taken_rows, taken_ids, rows, known, report)
    for pos, (score, pid, evidence) in refused.items():
        if pos in taken_rows:
            continue
        report.append(_record(rows, pos, known[pid], None, "apart", evidence, score, True))
    return taken_rows


def _exact_candidates(rows: _Rows, month: np.ndarray, known: list[int],
                      pairs: dict) -> tuple[list[tuple], set]:
    """Pinned pairs, the same project code, the same name (unless owner or place differ).

    Candidates are (tier, -weight, closeness, row order, pid, pos, kind, evidence, score);
    ``forbidden`` holds the (row, project) pairs the analyst keeps apart.
    """
    by_name: dict[str, list[int]] = {}
    by_code: dict[str, list[int]] = {}
    for pid, pos in enumerate(known):
        if rows.name[pos]:
            by_name.setdefault(rows.name[pos], []).append(pid)
        if rows.code[pos]:
            by_code.setdefault(rows.code[pos], []).append(pid)
    candidates: list[tuple] = []
    forbidden: set[tuple[int, int]] = set()
    for order, pos in enumerate(month):
        name = rows.name[pos]
        if not name:
            continue
        for other, decision in pairs.get(name, {}).items():
            for pid in by_name.get(other, ()):
                if decision == "link":
                    candidates.append((0, 0.0, 0.0, order, pid, pos, "pinned",
                                       "分析人员指定为同一项目", 100.0))
                else:
                    forbidden.add((pos, pid))
        if rows.code[pos]:
            for pid in by_code.get(rows.code[pos], ()):
                if (pos, pid) not in forbidden:
                    exact = rows.name[known[pid]] == name
                    candidates.append((1, 0.0, 0.0, order, pid, pos, "exact" if exact else "linked",
                                       f"项目代码相同（{rows.code[pos]}）", 100.0))
        for pid in by_name.get(name, ()):
            if (pos, pid) in forbidden or _codes_differ(rows, pos, known[pid]):
                continue
            earlier = known[pid]
            if rows.owner[pos] == rows.owner[earlier] and \
                    rows.location[pos] == rows.location[earlier]:  # the usual case, quickly
                weight = float(rows.owner[pos] is not None) + float(rows.location[pos] is not None)
            else:
                agree, contra, weight = _context(rows, pos, earlier)
                if any(c.startswith(("建设单位", "建设地点")) for c in contra):
                    continue
            a, b = rows.total[pos], rows.total[known[pid]]
            closeness = abs(a - b) if not (np.isnan(a) or np.isnan(b)) else np.inf
            candidates.append((2, -weight, closeness, order, pid, pos, "exact", "名称相同", 100.0))
    return candidates, forbidden


def _similar_candidates(rows: _Rows, free_rows: list, free_ids: list, known: list[int],
                        forbidden: set) -> tuple[list[tuple], dict]:
    """Similar names confirmed by owner, place and total; the close ones refused, with why."""
    fuzzy: list[tuple] = []
    refused: dict[int, tuple] = {}
    for r, c, score in _best_pairs(rows, free_rows, [known[pid] for pid in free_ids]):
        pos, pid = free_rows[r], free_ids[c]
        if (pos, pid) in forbidden or _codes_differ(rows, pos, known[pid]):
            continue
        earlier = known[pid]
        conflicts, slip = _token_conflicts(rows, pos, earlier)
        agree, contra, weight = _context(rows, pos, earlier)
        evidence = "；".join([f"名称相似（{rows.core[earlier]} ~ {rows.core[pos]}）", *agree])
        subsequence = _is_subsequence(rows.core[earlier], rows.core[pos])
        reasons = conflicts + contra
        if slip and not (weight >= 2 or "建设单位相同" in agree):
            reasons.append("一字之差且缺少建设单位等佐证")
        needed = 1 if score >= 90 else 2 if (score >= 75 or (subsequence and score >= 55)) else None
        if needed is None:
            reasons.append("名称相似度不足")
        elif weight < needed:
            reasons.append("佐证不足（建设单位、建设地点、总投资）")
        if reasons:
            best = refused.get(pos)
            close = score >= 75 or (score >= 60 and weight >= 1)
            if close and (best is None or score > best[0]):
                refused[pos] = (score, pid, evidence + "；但" + "，".join(reasons))
            continue
        weak = weight < 2 or slip or score < 75
        # ties: the project listed most recently first (a name forbidden last month
        # started a new project; this month's similar name continues that one)
        fuzzy.append((3, -score, -weight, -int(rows.as_of[earlier]), pid, pos,
                      "linked-weak" if weak else "linked", evidence, score))
    return fuzzy, refused


#: Candidates examined per row (the most similar names), and rows scored at once.
_TOP_K = 8
_CHUNK = 512


def _best_pairs(rows: _Rows, left: list[int], right: list[int]):
    """(i, j, score) for each row ``left[i]`` and its most similar earlier rows ``right[j]``.

    Scores (rapidfuzz ratio, 0-100) of the core names, or of the cores without a leading
    place name when that is higher; pairs below 50 are dropped. The matrix is scored in
    chunks of rows, so memory stays at ``_CHUNK × len(right)`` whatever the ledger size.
    """
    from rapidfuzz import fuzz, process

    targets = [rows.core[j] for j in right]
    targets_free = [rows.place_free[j] for j in right]
    k = min(_TOP_K, len(right))
    for start in range(0, len(left), _CHUNK):
        part = left[start:start + _CHUNK]
        scores = process.cdist([rows.core[i] for i in part], targets, scorer=fuzz.ratio,
                               score_cutoff=50, dtype=np.uint8, workers=1)
        np.maximum(scores, process.cdist(
            [rows.place_free[i] for i in part], targets_free, scorer=fuzz.ratio,
            score_cutoff=50, dtype=np.uint8, workers=1), out=scores)
        top = np.argpartition(-scores.astype(np.int16), k - 1, axis=1)[:, :k]
        for r in range(len(part)):
            for c in top[r]:
                if scores[r, c]:  # the exact score (the matrix holds it rounded)
                    i = part[r]
                    yield start + r, int(c), max(fuzz.ratio(rows.core[i], targets[c]),
                                                 fuzz.ratio(rows.place_free[i], targets_free[c]))


def _codes_differ(rows: _Rows, i: int, j: int) -> bool:
    """Both rows carry a national project code and the codes differ: two projects."""
    return bool(rows.code[i] and rows.code[j] and rows.code[i] != rows.code[j])


def _is_subsequence(short: str, long: str) -> bool:
    """Whether one text is the other with characters left out (a short form)."""
    if len(short) > len(long):
        short, long = long, short
    it = iter(long)
    return all(ch in it for ch in short)


def _assign(candidates, taken_rows, taken_ids, rows, known, report) -> None:
    """Greedy one-to-one assignment, best candidates first."""
    for _tier, _w, _c, _o, pid, pos, kind, evidence, score in sorted(
            candidates, key=lambda t: t[:5]):
        if pos in taken_rows or pid in taken_ids:
            continue
        taken_rows[pos] = pid
        taken_ids.add(pid)
        earlier = known[pid]
        if kind == "exact":
            continue
        decision = "pinned" if kind == "pinned" else "linked"
        report.append(_record(rows, pos, earlier, pid, decision, evidence, score,
                              kind == "linked-weak"))


def _record(rows: _Rows, pos: int, earlier: int, pid, decision: str, evidence: str,
            score: float, uncertain: bool) -> dict:
    return {
        "as_of": rows.periods[pos], "project_name": rows.raw_name[pos],
        "source_file": rows.file[pos], "source_row": rows.row[pos],
        "earlier_as_of": rows.periods[earlier], "earlier_name": rows.raw_name[earlier],
        "earlier_source_file": rows.file[earlier], "earlier_source_row": rows.row[earlier],
        "project_id": pid, "decision": decision, "evidence": evidence, "score": score,
        "uncertain": uncertain, "_pos": pos,
    }
