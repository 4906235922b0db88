"""Reading files safely: a size cap, strict UTF-8, and atomic writes."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tplsync.errors import InputError
from tplsync.model import Position

MAX_FILE_BYTES = 1024 * 1024


class UnreadableFile(InputError):
    """A file that cannot be read as text; says where."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message


def read_text(path: Path, display: str | None = None, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text; :class:`InputError` (with file:line:col) if unreadable.

    Refuses files over ``limit`` bytes before reading them, bytes that
    are not UTF-8, and a byte-order mark (it hides in diffs and breaks
    tools that compare text byte for byte).
    """
    name = display or str(path)
    try:
        # non-blocking, so that a FIFO is refused rather than waited on
        # forever; plain system calls, half those of a buffered file object:
        # plan reads thousands of files while the listing threads wait to run
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
        try:
            status = os.fstat(descriptor)
            if stat.S_ISDIR(status.st_mode):  # what opening it as a file object says
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            if not stat.S_ISREG(status.st_mode):
                raise UnreadableFile(Position(name), "not a regular file")
            size = status.st_size
            if size > limit:
                raise UnreadableFile(
                    Position(name), f"file is {size:,} bytes; the limit is {limit:,}"
                )
            # the size fstat reported, plus one byte to notice a file still
            # growing (a regular file's read is short only at its end)
            data = os.read(descriptor, size + 1)
            if len(data) > limit:
                raise UnreadableFile(Position(name), f"file is over {limit:,} bytes")
        finally:
            os.close(descriptor)
    except OSError as error:
        raise UnreadableFile(Position(name), f"cannot read: {error.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise UnreadableFile(
            Position(name), "file starts with a UTF-8 byte-order mark; save it without one"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise UnreadableFile(
            Position(name, line, column), f"not UTF-8 (byte 0x{data[error.start]:02x})"
        ) from None


class WriteError(InputError):
    """A file or directory cannot be written; says which and why."""


def _cannot_write(path: Path, error: OSError) -> WriteError:
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        reason = "a part of the path is a file, not a directory"
    else:
        reason = error.strerror or str(error)
    return WriteError(f"{path}: cannot write: {reason}")


def make_directory(path: Path) -> None:
    """Create ``path`` and its parents; :class:`WriteError` if impossible."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(path, error) from None


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file beside ``path``, with the mode the umask gives a new file
    (as ``open`` would), not mkstemp's owner-only one."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            temporary = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
            try:
                return os.open(temporary, flags, 0o666), temporary
            except FileExistsError:
                continue
    except OSError as error:
        raise _cannot_write(path, error) from None


def check_writable(path: Path) -> None:
    """Make sure :func:`write_atomic` can write ``path`` later, before
    anything depends on it: its directory exists and takes a new file."""
    fd, probe = _temporary_beside(path)
    os.close(fd)
    Path(probe).unlink()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the new, never half,
    with the old file's mode (a new file takes the umask's); :class:`WriteError`
    when it cannot be written."""
    fd, temporary = _temporary_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):  # a file written again keeps its mode
            Path(temporary).chmod(stat.S_IMODE(path.stat().st_mode))
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(path, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def append_step_summary(markdown: str) -> None:
    """Add to the GitHub Actions job summary when ``$GITHUB_STEP_SUMMARY`` is set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with Path(target).open("a", encoding="utf-8") as handle:
                handle.write(markdown + "\n")
        except OSError as error:
            raise WriteError(f"GITHUB_STEP_SUMMARY: {_cannot_write(Path(target), error)}") from None


def replace_directory(target: Path, files: Mapping[str, str], marker: str) -> None:
    """Make ``target`` hold exactly ``files``, all at once: they are written
    to a directory beside it, which then takes its place.

    ``marker`` (one of ``files``) is how a directory this made is recognised:
    a non-empty directory without it holds someone else's files and is
    refused, as is a symbolic link.
    """
    if target.is_symlink():
        raise InputError(f"{target}: is a symbolic link; give a directory")
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not (target / marker).is_file():
        raise InputError(
            f"{target}: not empty and not made by tplsync; give a new or empty directory"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    except OSError as error:
        raise _cannot_write(target, error) from None
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private
        if target.exists():
            retired = staging.with_name(staging.name + ".old")
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired)
        else:
            staging.rename(target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot_write(target, error) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
