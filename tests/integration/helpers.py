"""Paths and helpers shared by the integration tests.

CTest passes the paths in the environment (see CMakeLists.txt); the defaults
let `pytest tests/integration` work by hand after a build into build/.
"""
import os
import pathlib
import subprocess

import numpy as np

SOURCE_DIR = pathlib.Path(os.environ.get("INFER_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))
BUILD_DIR = SOURCE_DIR / "build"
INFER_RUN = pathlib.Path(os.environ.get("INFER_RUN", BUILD_DIR / "bin" / "infer-run"))
PLUGIN_DIR = pathlib.Path(os.environ.get("INFER_PLUGIN_DIR", BUILD_DIR / "plugins"))
TEST_PLUGIN_ROOT = pathlib.Path(os.environ.get("INFER_TEST_PLUGIN_ROOT",
                                               BUILD_DIR / "test_plugins"))
TORCH_PYTHON = os.environ.get("INFER_TORCH_PYTHON", "/usr/bin/python3")
EXAMPLES_DIR = SOURCE_DIR / "examples" / "models"
GENERATORS_DIR = SOURCE_DIR / "tests" / "models"

ERROR_PREFIX = "infer-run: error: "


def run_infer(*args, env_extra=None, timeout=120):
    """Runs infer-run with INFER_PLUGIN_PATH cleared unless given."""
    env = {k: v for k, v in os.environ.items() if k != "INFER_PLUGIN_PATH"}
    env.update(env_extra or {})
    return subprocess.run([str(INFER_RUN), *map(str, args)], capture_output=True, text=True,
                          errors="backslashreplace",  # model names may be any bytes
                          env=env, timeout=timeout, check=False)


def assert_ok(proc):
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"


def assert_clean_error(proc):
    """A failure must be an ordinary non-zero exit (not a signal) with exactly
    one line on stderr, starting with the error prefix. Returns the message."""
    detail = f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode > 0, "crashed or succeeded: " + detail
    assert proc.returncode < 128, "looks like a signal exit: " + detail
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, "want exactly one stderr line: " + detail
    assert lines[0].startswith(ERROR_PREFIX), detail
    return lines[0][len(ERROR_PREFIX):]


def read_npy_v1_f32(path):
    """Loads an output file after checking it is what the contract promises:
    npy format 1.0, little-endian float32, C order."""
    raw = pathlib.Path(path).read_bytes()
    assert raw[:6] == b"\x93NUMPY", f"{path}: not an npy file"
    assert raw[6:8] == b"\x01\x00", f"{path}: npy version {raw[6]}.{raw[7]}, want 1.0"
    header = raw[10:10 + int.from_bytes(raw[8:10], "little")].decode("latin1")
    assert "'descr': '<f4'" in header, header
    assert "'fortran_order': False" in header, header
    return np.load(path)


def write_npy(path, array):
    np.save(path, array)
    return path
