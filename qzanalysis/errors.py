"""The one exception the package raises for files that cannot be read as a ledger."""

from __future__ import annotations

from os import PathLike

__all__ = ["LedgerError"]


class LedgerError(ValueError):
    """A file cannot be read as a project ledger.

    The message is in Chinese and always names the file, and the sheet and row
    where they apply, so an analyst can find the problem without a traceback.

    Parameters
    ----------
    reason : str
        What is wrong, in Chinese (e.g. ``"前30行中找不到表头（应含“项目名称”）"``).
    file, sheet, row : optional
        Where. ``row`` is the 1-based row number Excel shows (line number for CSV).

    Examples
    --------
    >>> err = LedgerError("前30行中找不到表头", file="data/h1.xlsx", sheet="1-6月")
    >>> str(err)
    '文件 h1.xlsx，工作表“1-6月”：前30行中找不到表头'
    >>> err.file, err.sheet, err.row
    ('data/h1.xlsx', '1-6月', None)
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | PathLike | None = None,
        sheet: str | None = None,
        row: int | None = None,
    ) -> None:
        self.reason = reason
        self.file = None if file is None else str(file)
        self.sheet = sheet
        self.row = row
        super().__init__(self._compose())

    def _compose(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(f"文件 {_basename(self.file)}")
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        where = "，".join(parts)
        return f"{where}：{self.reason}" if where else self.reason


def _basename(path: str) -> str:
    # Keep messages short: the file name is what an analyst recognises.
    return path.replace("\\", "/").rsplit("/", 1)[-1]
