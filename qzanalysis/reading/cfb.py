"""OLE compound files (the container of a legacy .xls): one stream read out, bounded.

Used by the cell budget (the dimensions of each sheet in an .xls) and by the error-cell
scan; a hand-written reader because calamine gives neither, and no well-kept library
on PyPI reads a CFB stream without also parsing (or executing) what is inside.
"""

from __future__ import annotations

import struct

__all__ = ["ole_stream"]


def ole_stream(data: bytes, names: tuple) -> bytes | None:
    """The first stream of an OLE compound file named like one of ``names``.

    Follows the FAT (or the mini FAT for small streams) with a step limit, so a
    chain that loops or points outside the file ends instead of running forever.
    """
    if len(data) < 512:
        return None
    ssz = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mssz = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if ssz not in (512, 4096) or mssz > ssz:
        return None
    n_fat, dir_start = struct.unpack_from("<II", data, 0x2C)
    cutoff, minifat_start, n_minifat, difat_start, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    nsec = (len(data) - ssz) // ssz + 1

    def sector(i):
        off = (i + 1) * ssz
        return data[off:off + ssz]

    fat_secs = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < nsec]
    d = difat_start
    for _ in range(min(n_difat, nsec)):
        if d >= nsec:
            break
        vals = struct.unpack(f"<{ssz // 4}I", sector(d))
        fat_secs.extend(s for s in vals[:-1] if s < nsec)
        d = vals[-1]
    fat = []
    for s in fat_secs[:max(n_fat, 1)]:
        fat.extend(struct.unpack(f"<{ssz // 4}I", sector(s)))

    def chain(start, table, limit):
        out, s = [], start
        while s < len(table) and len(out) < limit and s < 0xFFFFFFFA:
            out.append(s)
            s = table[s]
        return out

    directory = b"".join(sector(s) for s in chain(dir_start, fat, nsec) if s < nsec)
    root = None
    for k in range(len(directory) // 128):
        e = directory[k * 128:(k + 1) * 128]
        nlen = struct.unpack_from("<H", e, 64)[0]
        name = e[:max(0, min(nlen, 64) - 2)].decode("utf-16-le", "replace")
        etype = e[66]
        start, size = struct.unpack_from("<II", e, 116)
        if etype == 5:
            root = (start, size)
        elif etype == 2 and name.casefold() in {n.casefold() for n in names}:  # CFB names ignore case
            if size < cutoff and root is not None:
                ministream = b"".join(sector(s) for s in chain(root[0], fat, nsec) if s < nsec)
                minifat = []
                for s in chain(minifat_start, fat, min(n_minifat, nsec)):
                    if s < nsec:
                        minifat.extend(struct.unpack(f"<{ssz // 4}I", sector(s)))
                secs = chain(start, minifat, len(ministream) // mssz + 1)
                return b"".join(ministream[s * mssz:(s + 1) * mssz] for s in secs)[:size]
            return b"".join(sector(s) for s in chain(start, fat, nsec) if s < nsec)[:size]
    return None
