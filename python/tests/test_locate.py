"""How the package finds libinfer.so and its plugins: each way in a fresh
interpreter, with a copy of the package under test placed where no other way
applies. The installed-prefix cases need INFER_TEST_PREFIX (a `cmake --install`
prefix; tests/python_package sets it)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MODELS, REPO

import infer

PREFIX = os.environ.get("INFER_TEST_PREFIX")
needs_prefix = pytest.mark.skipif(not PREFIX, reason="INFER_TEST_PREFIX (an installed engine) "
                                  "not set; tests/python_package sets it")

# Prints where the library and plugins came from, then runs a model.
PROBE = f"""
import json, numpy as np, infer
from infer import _capi
lib = str(infer.library_path())
plugins = str(_capi.default_plugin_dir())
sess = infer.InferenceSession({str(MODELS / "mlp.onnx")!r}, backends=["cpu"])
(y,) = sess.run(None, {{"input": np.ones((1, 16), np.float32)}})
print(json.dumps({{"how": _capi._found.how, "lib": lib, "plugins": plugins,
                   "file": infer.__file__, "shape": list(y.shape)}}))
"""


def clean_env(**extra) -> dict:
    """The environment without any of the package's own hints."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("INFER_LIBRARY", "INFER_PLUGIN_PATH", "PYTHONPATH", "PKG_CONFIG_PATH")}
    env["PKG_CONFIG_PATH"] = ""
    env.update(extra)
    return env


def run_probe(env: dict, code: str = PROBE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, cwd="/")


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A copy of the package under test, outside any checkout: only the way
    a test sets up can find the engine (PYTHONPATH points here)."""
    root = tmp_path / "site"
    shutil.copytree(Path(infer.__file__).parent, root / "infer",
                    ignore=shutil.ignore_patterns("__pycache__", "_engine"))
    return root


def probe_ok(env) -> dict:
    out = run_probe(env)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["shape"] == [1, 10]
    return result


def test_nothing_found_says_what_was_searched_and_how_to_fix(package_copy):
    code = "import infer; infer.load_library()"
    out = run_probe(clean_env(PYTHONPATH=str(package_copy)), code)
    if out.returncode == 0:
        pytest.skip("an engine is installed system-wide here")
    assert "NoSuchFile" in out.stderr and "libinfer.so not found. Searched:" in out.stderr
    for searched in ("$INFER_LIBRARY: not set", "bundled:", "pkg-config", "find_library",
                     "/usr/local/lib"):
        assert searched in out.stderr
    assert "Fix: set INFER_LIBRARY" in out.stderr and "PKG_CONFIG_PATH" in out.stderr


def test_infer_library_set_but_missing_is_an_error(package_copy, tmp_path):
    missing = tmp_path / "nope" / "libinfer.so"
    out = run_probe(clean_env(PYTHONPATH=str(package_copy), INFER_LIBRARY=str(missing)),
                    "import infer; infer.version()")
    assert out.returncode != 0 and f"libinfer.so not found at '{missing}'" in out.stderr


def test_library_without_plugin_folder_says_how_to_fix(package_copy, tmp_path):
    lonely = tmp_path / "lonely" / "libinfer.so"
    lonely.parent.mkdir()
    shutil.copy(infer.library_path(), lonely)
    out = run_probe(clean_env(PYTHONPATH=str(package_copy), INFER_LIBRARY=str(lonely)))
    assert out.returncode != 0 and "no plugin folder found for" in out.stderr
    assert "plugins=DIR" in out.stderr and "INFER_PLUGIN_PATH" in out.stderr
    # INFER_PLUGIN_PATH alone is enough.
    plugins = infer.get_environment().plugins()
    cpu_dir = str(Path(next(p.path for p in plugins if p.name == "cpu")).parent)
    probe_ok(clean_env(PYTHONPATH=str(package_copy), INFER_LIBRARY=str(lonely),
                       INFER_PLUGIN_PATH=cpu_dir))


@pytest.mark.skipif(not (REPO / "build" / "lib" / "libinfer.so").exists(),
                    reason="no build/ in this checkout")
def test_source_tree_uses_its_build():
    result = probe_ok(clean_env(PYTHONPATH=str(REPO / "python")))
    assert result["how"] == "source tree"
    assert Path(result["lib"]).parent == REPO / "build" / "lib"
    assert Path(result["plugins"]) == REPO / "build" / "plugins"


@needs_prefix
def test_installed_prefix_through_pkg_config(package_copy):
    pc = Path(PREFIX) / "lib" / "pkgconfig"
    result = probe_ok(clean_env(PYTHONPATH=str(package_copy), PKG_CONFIG_PATH=str(pc)))
    assert result["how"] == "pkg-config infer"
    assert Path(result["lib"]).parent == Path(PREFIX).resolve() / "lib"
    assert Path(result["plugins"]).resolve() == Path(PREFIX).resolve() / "lib" / "infer" / "plugins"


@needs_prefix
def test_installed_prefix_through_infer_library(package_copy):
    """Only the library given: the plugins are found beside it, as infer-run does."""
    lib = Path(PREFIX) / "lib" / "libinfer.so"
    result = probe_ok(clean_env(PYTHONPATH=str(package_copy), INFER_LIBRARY=str(lib)))
    assert result["how"] == "$INFER_LIBRARY"
    assert Path(result["plugins"]) == Path(PREFIX).resolve() / "lib" / "infer" / "plugins"


@needs_prefix
def test_engine_bundled_in_the_package(package_copy):
    """An install prefix at infer/_engine ships the engine inside the package."""
    shutil.copytree(PREFIX, package_copy / "infer" / "_engine", symlinks=True)
    result = probe_ok(clean_env(PYTHONPATH=str(package_copy)))
    assert result["how"] == "bundled"
    assert Path(result["lib"]).is_relative_to(package_copy)


def test_installed_copy_is_the_one_tested():
    """Under tests/python_package the package comes from the pip install, not python/."""
    installed = os.environ.get("INFER_TEST_INSTALLED")
    if not installed:
        pytest.skip("testing the source tree")
    assert Path(infer.__file__).resolve().is_relative_to(Path(installed).resolve())
