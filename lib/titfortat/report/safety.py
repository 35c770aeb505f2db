"""The report folder contract: what the runner may replace, its lock, its staging folders.

The runner only ever replaces a folder it made itself. Every folder it creates holds a small manifest,
``.titfortat-report.json``, listing the files it wrote. Before a run starts, :func:`check_output_dir`
refuses:

- a path inside the repository's ``data/``, ``lib/``, ``notebooks/``, ``tests/`` or ``.git/``, the
  repository root or any folder above it, the home folder or above, and system folders (``/usr``,
  ``/etc``, ...);
- a path that is a file or a symbolic link;
- an existing folder that is not empty and holds no manifest (the runner did not make it), or a report
  folder holding files the runner did not write (notes added by hand).

An empty existing folder is used as is. One run at a time writes a given folder: :class:`OutputLock`
takes an exclusive lock on ``.<name>.lock`` beside it (a second run is refused at once, naming the
running process). Each run stages into its own ``.<name>.staging-<unique>`` folder; staging folders left
by a run that was killed (they hold the manifest with ``"state": "staging"``) are removed by the next
run, which says so.
"""

from __future__ import annotations

import errno
import fcntl
import json
import re
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from titfortat.paths import repo_root

__all__ = ["MANIFEST", "OutputLock", "UnsafeOutputError", "check_output_dir", "clean_leftovers",
           "make_staging", "read_manifest", "write_manifest"]

MANIFEST = ".titfortat-report.json"
NOTEBOOK_OUTPUT = re.compile(r"^(0\d_[A-Za-z0-9_.-]+|summary\.md|index\.html)$")
"""Names a notebook writes into its output folder (what a folder in state ``notebook`` may hold)."""
MAKER = "titfortat.report"
PROTECTED = ("data", "lib", "notebooks", "tests", ".git")
# System folders: never a report folder, nor anything inside them (``/var/tmp`` excepted).
SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run",
                "/sbin", "/sys", "/usr", "/var")
SYSTEM_ROOTS = ("/", "/home", "/tmp", "/opt", "/srv", "/mnt", "/media", "/root", "/var/tmp")
FILE_MODE = 0o644
DIR_MODE = 0o755


class UnsafeOutputError(RuntimeError):
    """The output folder may not be written: the message says why and how to proceed."""


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a folder the runner made, or ``None`` when there is none (or it is not ours)."""
    m = folder / MANIFEST
    try:
        data = json.loads(m.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("made_by") == MAKER else None


def write_manifest(folder: Path, state: str, files: Iterable[str] = ()) -> Path:
    """Write the manifest: who made the folder, its state (``staging``, ``report`` or ``failed``), the files.

    No timestamps, so that two runs give identical bytes.
    """
    data = {"made_by": MAKER, "format": 1, "state": state, "files": sorted(files)}
    path = folder / MANIFEST
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.chmod(path, FILE_MODE)
    return path


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _shown(path: Path) -> str:
    """A path for messages: relative to the repository when inside it, absolute otherwise."""
    try:
        return path.relative_to(repo_root()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def check_output_dir(path: Path, *, root: Path | None = None, what: str = "output_dir") -> Path:
    """Check that the runner may (re)place a report at ``path``; return its resolved absolute path.

    Raises :class:`UnsafeOutputError` with the reason and how to proceed.
    """
    root = (root or repo_root()).resolve()
    raw = Path(path).expanduser()
    if not raw.is_absolute():
        raw = root / raw
    if raw.is_symlink():
        raise UnsafeOutputError(f"{what} {_shown(raw)} is a symbolic link; give the real folder path instead")
    out = raw.resolve()
    hint = "choose a folder under reports/, e.g. reports/<name>"
    if _inside(root, out):
        raise UnsafeOutputError(f"{what} {_shown(out)} is the repository or a folder above it; {hint}")
    for sub in PROTECTED:
        if _inside(out, root / sub):
            raise UnsafeOutputError(f"{what} {_shown(out)} lies inside the repository's {sub}/, which the runner "
                                    f"never writes; {hint}")
    if ".git" in out.parts:
        raise UnsafeOutputError(f"{what} {_shown(out)} lies inside a .git folder; {hint}")
    home = Path.home().resolve()
    if _inside(home, out):
        raise UnsafeOutputError(f"{what} {_shown(out)} is your home folder or a folder above it; {hint}")
    s = out.as_posix()
    if s in SYSTEM_ROOTS or any(s == t or s.startswith(t + "/") for t in SYSTEM_TREES) and not s.startswith("/var/tmp/"):
        raise UnsafeOutputError(f"{what} {_shown(out)} is a system folder; {hint}")
    if out.exists() and not out.is_dir():
        raise UnsafeOutputError(f"{what} {_shown(out)} is a file, not a folder; the runner does not replace files. "
                                f"Move the file away or {hint}")
    if out.is_dir():
        entries = sorted(p.name for p in out.iterdir())
        if entries:
            manifest = read_manifest(out)
            if manifest is None:
                listed = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
                raise UnsafeOutputError(
                    f"{what} {_shown(out)} already exists, is not empty ({len(entries)} entries: {listed}) and was "
                    f"not made by the report runner (it has no {MANIFEST}); the runner only replaces folders it "
                    f"made. Choose another output_dir, or move or delete that folder yourself first")
            if manifest.get("state") == "notebook":
                # made by a notebook run outside the runner (JupyterLab, nbval, make notebooks): the workbook's
                # own output names only (numbered notebook outputs, the summary and the page)
                foreign = sorted(e for e in entries if e != MANIFEST and not NOTEBOOK_OUTPUT.match(e))
            else:
                foreign = sorted(set(entries) - set(manifest.get("files", [])) - {MANIFEST})
            if foreign:
                raise UnsafeOutputError(
                    f"{what} {_shown(out)} is a report folder, but it holds files the runner did not write: "
                    f"{', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''}. Move them out of the folder "
                    "(a new run replaces the whole folder), or choose another output_dir")
    return out


class OutputLock:
    """Exclusive lock of one output folder, held for the whole run (``.<name>.lock`` beside it).

    ``OutputLock(out).acquire()`` raises :class:`UnsafeOutputError` at once when another run holds it;
    the lock file is removed on release.
    """

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.path = output_dir.parent / f".{output_dir.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = ""
                try:
                    holder = os.read(fd, 100).decode("ascii", "replace").strip()
                except OSError:
                    pass
                os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise UnsafeOutputError(
                        f"another report run{f' (process {holder})' if holder else ''} is writing "
                        f"{_shown(self.output_dir)} right now; wait for it to finish, or choose another output_dir"
                    ) from None
                raise
            # The file may have been removed by the previous holder between open and lock: retry then.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def make_staging(output_dir: Path) -> Path:
    """A new staging folder of this run beside ``output_dir`` (unique name), with its manifest."""
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.staging-", dir=output_dir.parent))
    os.chmod(staging, DIR_MODE)
    write_manifest(staging, "staging")
    return staging


def clean_leftovers(output_dir: Path, log: Callable[[str], None]) -> None:
    """Remove staging folders a killed run left beside ``output_dir`` (only ones holding our manifest).

    Call with the output folder's lock held: no live run can own them then. If a run was killed while
    swapping folders (old report moved aside, new one not yet in place), the old report is put back.
    """
    parent = output_dir.parent
    if not parent.is_dir():
        return
    for p in sorted(parent.glob(f".{output_dir.name}.staging*")):
        if p.is_dir() and not p.is_symlink() and read_manifest(p) is not None:
            shutil.rmtree(p)
            log(f"Removed {_shown(p)}, the staging folder of an earlier run that was interrupted.")
        else:
            log(f"Left {_shown(p)} alone: it looks like a staging folder but has no {MANIFEST} (an older runner's, "
                "or not the runner's at all); delete it yourself if you do not need it.")
    previous = parent / f".{output_dir.name}.previous"
    if previous.is_dir() and read_manifest(previous) is not None:
        if output_dir.exists():
            shutil.rmtree(previous)
            log(f"Removed {_shown(previous)}, left by an earlier run that was interrupted.")
        else:
            os.replace(previous, output_dir)
            log(f"Restored the previous report into {_shown(output_dir)} (an earlier run was interrupted "
                "while replacing it).")


def normalize_modes(folder: Path) -> None:
    """Files 0644, folders 0755, throughout ``folder``: the same modes whichever library wrote them."""
    os.chmod(folder, DIR_MODE)
    for dirpath, dirnames, filenames in os.walk(folder):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), DIR_MODE)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), FILE_MODE)
