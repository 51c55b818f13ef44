"""The output folder as a transaction: each document folder is built under ``OUT/.staging/``
and renamed into place only when complete; a lock keeps two runs apart; folders of removed
inputs are pruned on request.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.sources import InputError

STAGING_DIR = ".staging"
"""Hidden folder where document folders are built before they are renamed into place."""
LOCK_NAME = ".lock"


class OutputLocked(Exception):
    """Another run is writing to the same output folder."""


def replace_folder_atomically(build: Callable[[Path], list[str]], target: Path) -> list[str]:
    """Build a folder in ``.staging/`` and swap it into place only when it is complete."""
    staging, written = build_staged_folder(build, target)
    swap_into_place(staging, target)
    return written


def build_staged_folder(build: Callable[[Path], list[str]], target: Path) -> tuple[Path, list[str]]:
    """Call ``build`` on an empty ``<out>/.staging/<pid>/new/<name>``; return it and the files written.

    A half-built folder is removed if ``build`` fails; if this process is killed instead,
    :func:`recover_staging` removes it later.
    """
    staging = target.parent / STAGING_DIR / str(os.getpid()) / "new" / target.name
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    try:
        return staging, build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_into_place(staging: Path, target: Path) -> None:
    """Rename a complete folder to ``target``, replacing the previous one.

    The previous folder is moved to ``<out>/.staging/<pid>/old/<name>`` for the instant
    between the two renames; if the process dies in that instant, :func:`recover_staging`
    moves it back.
    """
    retired = target.parent / STAGING_DIR / str(os.getpid()) / "old" / target.name
    if retired.exists():
        shutil.rmtree(retired)
    retired.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def recover_staging(out_root: Path, pid: int | None = None) -> None:
    """Clean up after processes that died while writing: restore previous folders, drop partial ones.

    Only call this while no live process is writing into ``out_root`` (the batch holds a lock,
    and calls it with ``pid`` only once that worker is dead).
    """
    staging = out_root / STAGING_DIR
    if not staging.is_dir():
        return
    run_dirs = [staging / str(pid)] if pid is not None else sorted(staging.iterdir())
    for run_dir in run_dirs:
        old = run_dir / "old"
        if old.is_dir():
            for retired in sorted(old.iterdir()):
                target = out_root / retired.name
                if not target.exists():
                    retired.rename(target)
        if run_dir.is_dir():
            shutil.rmtree(run_dir, ignore_errors=True)
        elif run_dir.exists():
            run_dir.unlink()
    _remove_if_empty(staging)


def prune_folder(out_root: Path, doc_id: str) -> None:
    """Delete a document folder at once (renamed away first, so it never half-exists); raises OSError."""
    trash = out_root / STAGING_DIR / f"prune-{os.getpid()}" / doc_id
    trash.parent.mkdir(parents=True, exist_ok=True)
    (out_root / doc_id).rename(trash)
    shutil.rmtree(trash.parent, ignore_errors=True)
    _remove_if_empty(out_root / STAGING_DIR)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


@contextmanager
def output_lock(out_root: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<out>/.lock`` for the whole run (released by the OS if we die)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no locking
        yield
        return
    handle = (out_root / LOCK_NAME).open("a")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise OutputLocked(f"another run is writing to {out_root} (lock {out_root / LOCK_NAME} is held)") from error
        yield
    finally:
        handle.close()


def write_failed(target: Path, error: OSError) -> InputError:
    """The reason when a document folder cannot be written; only the folder's name, so the
    manifest never carries this machine's paths."""
    return InputError(f"cannot write outputs to {target.name}/: {error.strerror or error}", "write_failed")
