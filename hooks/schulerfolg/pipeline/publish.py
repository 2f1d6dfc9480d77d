"""Putting a finished build in place: the same bytes for the same sources, and only whole builds.

A build writes into a staging folder beside the real site folder. Only when it has finished without
error (and, in strict mode, without warnings) does the staging folder take the site folder's place;
otherwise it is deleted and the previous site stays as it was. A build that was killed cannot delete
its folder: the next build removes such leftovers (their names carry the process id of their build).
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def normalize_gzip(raw: bytes) -> bytes:
    """The same content, compressed without the time stamp and file name that make each build differ."""
    return gzip.compress(gzip.decompress(raw), compresslevel=9, mtime=0)


def normalize_tree(root: Path) -> list[Path]:
    """Rewrite every ``*.gz`` file below ``root`` with ``normalize_gzip``; the files changed."""
    changed = []
    for path in sorted(root.rglob("*.gz")):
        raw = path.read_bytes()
        fixed = normalize_gzip(raw)
        if fixed != raw:
            path.write_bytes(fixed)
            changed.append(path)
    return changed


def _folder_mode(target: Path) -> int:
    """The permissions the site folder has, or would get from ``mkdir`` (0777 less the umask)."""
    if target.is_dir():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


LEGACY_STALE_AFTER = 600
"""Seconds after which a leftover staging folder without a process id in its name is removed."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(target: Path) -> list[Path]:
    """Delete the staging and swap folders that killed builds left beside ``target``; the folders removed."""
    removed = []
    for kind in ("neu", "alt"):
        prefix = f".{target.name}.{kind}-"
        for folder in target.parent.glob(f"{prefix}*"):
            rest = folder.name[len(prefix):]
            pid = rest.split("-")[0] if "-" in rest else ""
            if pid.isdigit():
                stale = not _alive(int(pid))
            else:  # made by an older version of this module, without a process id
                stale = time.time() - folder.stat().st_mtime > LEGACY_STALE_AFTER
            if stale and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


class WarningCounter(logging.Handler):
    """Counts warnings, as MkDocs does in strict mode (where one warning fails the build)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class StagedSite:
    """A build in progress: written to ``staging``, moved to ``target`` only when complete."""

    target: Path
    staging: Path
    counter: WarningCounter = field(default_factory=WarningCounter)
    logger: logging.Logger | None = None

    @classmethod
    def begin(cls, target: Path, logger: logging.Logger | None = None) -> "StagedSite":
        """A fresh staging folder beside ``target`` (same file system, so the final move is a rename)."""
        target = target.resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.neu-{os.getpid()}-", dir=target.parent))
        staging.chmod(_folder_mode(target))  # mkdtemp makes it private (0700); a web server must read it
        staged = cls(target, staging, logger=logger)
        if logger is not None:
            logger.addHandler(staged.counter)
        return staged

    def commit(self, strict: bool) -> bool:
        """Put the staged build in place; in strict mode only if no warning was logged. True if done."""
        self._detach()
        if strict and self.counter.count:
            self.discard()
            return False
        normalize_tree(self.staging)
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.alt-{os.getpid()}-", dir=self.target.parent))
            os.rename(self.target, old / self.target.name)
        os.rename(self.staging, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return True

    def discard(self) -> None:
        """Remove the staging folder (after an error); the previous site is left untouched."""
        self._detach()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _detach(self) -> None:
        if self.logger is not None:
            self.logger.removeHandler(self.counter)
