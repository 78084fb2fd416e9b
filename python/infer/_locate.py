"""Finds libinfer.so and the plugin folder that goes with it.

The library, first match wins (python/README.md explains each):
  1. $INFER_LIBRARY (a path; set but missing is an error, not a fallback)
  2. an engine bundled in the package: infer/_engine/<libdir>/ (an install prefix)
  3. the repository's build/lib, when this package is imported from a checkout
  4. pkg-config's `infer` package (libdir, plugindir): a prefix from `cmake --install`
     whose <libdir>/pkgconfig is on PKG_CONFIG_PATH or pkg-config's default path
  5. ctypes.util.find_library("infer"): the dynamic loader's cache (ldconfig)
  6. <prefix>/<libdir> for sys.prefix, /usr/local, /usr and /opt/infer

The plugin folder: plugins=... given to a session or Environment; else the
folder pkg-config names, or the one beside the library as infer-run looks:
<libdir>/infer/plugins (installed) or <libdir>/../plugins (build tree). Folders
in $INFER_PLUGIN_PATH are scanned too (the engine adds them itself).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ._errors import NoSuchFile

# The soname first: this binding is written for ABI major 0.
LIBRARY_NAMES = ("libinfer.so.0", "libinfer.so")
_PACKAGE_DIR = Path(__file__).resolve().parent
_HOW_TO_FIX = ("Fix: set INFER_LIBRARY=/path/to/libinfer.so (and INFER_PLUGIN_PATH=/path/to/"
               "plugins), or install the engine with `cmake --install build --prefix PREFIX` "
               "and put PREFIX/lib/pkgconfig on PKG_CONFIG_PATH, or call "
               "infer.load_library(path).")


@dataclass
class Candidate:
    """Where the library may be: `where` is a folder to look in for LIBRARY_NAMES,
    a file, or (from find_library) a name for the dynamic loader; `plugins` is
    the plugin folder that comes with it, if known."""

    how: str
    where: str
    plugins: Path | None = None

    def file(self) -> str | None:
        """What to dlopen, or None when nothing is there."""
        if "/" not in self.where:
            return self.where
        p = Path(self.where)
        if p.is_dir():
            return next((str(p / n) for n in LIBRARY_NAMES if (p / n).is_file()), None)
        return self.where if p.is_file() else None


def _libdirs(prefix: Path) -> list[Path]:
    multiarch = sysconfig.get_config_var("MULTIARCH")
    subdirs = ["lib", "lib64"] + ([f"lib/{multiarch}"] if multiarch else [])
    return [prefix / d for d in subdirs]


def _pkg_config(tried: list[str]) -> list[Candidate]:
    exe = shutil.which("pkg-config")
    if exe is None:
        tried.append("pkg-config: not installed")
        return []

    def variable(name: str) -> str:
        out = subprocess.run([exe, f"--variable={name}", "infer"], capture_output=True,
                             text=True, timeout=30)
        return out.stdout.strip() if out.returncode == 0 else ""

    libdir = variable("libdir")
    if not libdir:
        tried.append("pkg-config: no package 'infer' (PKG_CONFIG_PATH="
                     f"{os.environ.get('PKG_CONFIG_PATH', '')!r})")
        return []
    plugindir = variable("plugindir")
    return [Candidate("pkg-config infer", libdir, Path(plugindir) if plugindir else None)]


def candidates(tried: list[str]) -> Iterator[Candidate]:
    """Every place to try, in order, made as needed (pkg-config and
    find_library run programs). Sources that yield no place are noted in `tried`."""
    env = os.environ.get("INFER_LIBRARY")
    if env:
        yield Candidate("$INFER_LIBRARY", env)
        return
    tried.append("$INFER_LIBRARY: not set")
    for libdir in _libdirs(_PACKAGE_DIR / "_engine"):
        yield Candidate("bundled", str(libdir))
    repo = _PACKAGE_DIR.parents[1]
    if (repo / "python" / "pyproject.toml").is_file() and (repo / "CMakeLists.txt").is_file():
        yield Candidate("source tree", str(repo / "build" / "lib"))
    yield from _pkg_config(tried)
    name = ctypes.util.find_library("infer")
    if name:
        yield Candidate("ctypes.util.find_library", name)
    else:
        tried.append("ctypes.util.find_library('infer'): no match")
    for prefix in dict.fromkeys([Path(sys.prefix), Path("/usr/local"), Path("/usr"),
                                 Path("/opt/infer")]):
        for libdir in _libdirs(prefix):
            yield Candidate("prefix", str(libdir))


def not_found(tried: list[str]) -> NoSuchFile:
    lines = "\n".join(f"  {t}" for t in tried)
    return NoSuchFile(f"libinfer.so not found. Searched:\n{lines}\n{_HOW_TO_FIX}")


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def loaded_path(function) -> Path | None:
    """The file a loaded library lives in (also when dlopen found it by name)."""
    info = _DlInfo()
    dladdr = ctypes.CDLL(None).dladdr
    if dladdr(ctypes.cast(function, ctypes.c_void_p), ctypes.byref(info)) and info.dli_fname:
        return Path(os.fsdecode(info.dli_fname)).resolve()
    return None


def plugin_dirs_beside(library: Path) -> list[Path]:
    """Where the plugins are for a library at `library`, as infer-run looks."""
    return [library.parent / "infer" / "plugins", library.parent.parent / "plugins"]


def no_plugin_folder(library: Path, searched: list[Path]) -> NoSuchFile:
    where = ", ".join(str(p) for p in searched)
    return NoSuchFile(f"no plugin folder found for {library} (searched {where}); pass "
                      "plugins=DIR (e.g. PREFIX/lib/infer/plugins or build/plugins) or set "
                      "INFER_PLUGIN_PATH")
