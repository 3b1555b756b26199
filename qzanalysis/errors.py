"""The one exception the package raises for files that cannot be read as a ledger,
and the Chinese words for an operating-system error."""

from __future__ import annotations

import errno
from os import PathLike

__all__ = ["LedgerError", "os_error_text"]


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


_ERRNO_ZH = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已有同名的文件",
    errno.EFBIG: "文件太大",
    errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "文件名太长",
}


def os_error_text(exc: OSError) -> str:
    """What an ``OSError`` means, in Chinese: a short table, else the system's own words.

    >>> os_error_text(OSError(errno.ENOSPC, "No space left on device"))
    '磁盘空间不足'
    >>> os_error_text(OSError(errno.EIO, "Input/output error"))
    '系统错误：Input/output error'
    """
    known = _ERRNO_ZH.get(exc.errno) if exc.errno is not None else None
    if known:
        return known
    return f"系统错误：{exc.strerror or exc}"
