"""Writing output files: atomically, never over an existing file without --force."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tripplanner.errors import OutputError


def check_writable(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise OutputError(f"{path} exists; use --force to overwrite it")
    if path.is_dir():
        raise OutputError(f"{path} is a directory")
    if not path.parent.exists():
        raise OutputError(f"folder {path.parent} does not exist")


def check_folder(folder: Path) -> None:
    """A folder that exists or can be made: its nearest existing ancestor is a folder we may write in."""
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in folder {ancestor}")


def check_plan_folder(folder: Path, names: Iterable[str], force: bool) -> None:
    """Before solving: the folder can be made and none of the named files in it is replaced without
    --force. The folder is made only when the plans are written (write_plans), so a failed solve
    leaves no empty one."""
    check_folder(folder)
    if folder.is_dir():
        for name in names:
            check_writable(folder / name, force)


def write_plans(folder: Path, files: dict[str, str], force: bool) -> None:
    """Make the folder and write each file (name -> text) into it atomically."""
    make_folder(folder)
    for name, text in files.items():
        write_atomic(folder / name, text, force)


def make_folder(folder: Path) -> None:
    """Create the folder and its missing parents (nothing when it exists)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {exc.strerror}") from None


def write_atomic(path: Path, content: str | bytes, force: bool) -> None:
    """Write text (UTF-8) or bytes to path through a temporary file in the same folder and a rename."""
    check_writable(path, force)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temporary, 0o666 & ~umask)
        binary = isinstance(content, bytes)
        with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
