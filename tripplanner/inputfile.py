"""Reading an input file without trusting it: a regular file only, never more than a size limit.

A device (/dev/zero), a named pipe or a socket given as a request, plan or config file would
make a plain read hang or run out of memory; they are refused before anything is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """The path is not a regular file of at most the size limit, or cannot be read; the message says why."""


def _kind(mode: int) -> str:
    """What a file that is not regular is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"  # pragma: no cover (doors, whiteouts)


def _check(path: Path, info: os.stat_result, limit_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(f"{path} is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(f"{path} is {_kind(info.st_mode)}, not a regular file: save the content to a file first")
    if info.st_size > limit_bytes:
        raise UnreadableFile(f"file is {info.st_size:,} bytes; the limit is {limit_bytes:,}")


def read_capped(path: Path, limit_bytes: int) -> bytes:
    """The bytes of a regular file of at most limit_bytes; UnreadableFile otherwise.

    The path is checked before it is opened (so a named pipe is never opened), opened without
    blocking and checked again (so a file swapped in between is caught), and read up to the limit.
    """
    try:
        _check(path, os.stat(path), limit_bytes)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "rb") as stream:
            _check(path, os.fstat(stream.fileno()), limit_bytes)
            raw = stream.read(limit_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > limit_bytes:
        raise UnreadableFile(f"file is over {limit_bytes:,} bytes; the limit is {limit_bytes:,}")
    return raw
