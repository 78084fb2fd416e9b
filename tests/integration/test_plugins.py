"""Run-time plugin loading: the real plugins are separate .so files found at
run time, and each kind of broken plugin is reported and skipped."""
import re
import subprocess

import pytest

from helpers import (EXAMPLES_DIR, INFER_RUN, PLUGIN_DIR, TEST_PLUGIN_ROOT, assert_ok,
                     read_npy_v1_f32, run_infer)

# case -> patterns its --list-plugins line must contain besides "FAILED".
FAKE_CASES = {
    "no_entry_symbol": [r"infer_plugin_entry"],
    "wrong_major": [r"\b99\b", r"\b1\b"],  # the plugin's major and the host's
    "init_fails": [r"fake init failure"],
    "null_entry": [],
    "garbage": [],  # the loader's own message; its wording is the system's
    "core_copy": [r"copy of the engine's core library"],  # would abort inside protobuf
}


@pytest.fixture(scope="module")
def fake_dirs(tmp_path_factory):
    """Folders holding one broken plugin each; "garbage" is a text file
    named like a plugin, "core_copy" a copy of libinfer.so."""
    garbage = tmp_path_factory.mktemp("garbage")
    (garbage / "libinfer_garbage.so").write_text("this is not a shared library\n")
    core_copy = tmp_path_factory.mktemp("core_copy")
    core = (INFER_RUN.parent.parent / "lib" / "libinfer.so").resolve()
    (core_copy / "libinfer_core_copy.so").write_bytes(core.read_bytes())
    made = {"garbage": garbage, "core_copy": core_copy}
    dirs = {case: made.get(case, TEST_PLUGIN_ROOT / case) for case in FAKE_CASES}
    for case, path in dirs.items():
        assert any(path.glob("*.so")), f"fake plugin {case} not built in {path}"
    return dirs


def plugin_line(listing, filename):
    lines = [line for line in listing.splitlines() if filename in line]
    assert len(lines) == 1, f"want one line naming {filename}:\n{listing}"
    return lines[0]


def test_list_plugins_shows_frontend_and_backend_as_separate_files():
    proc = run_infer("--list-plugins")
    assert_ok(proc)
    onnx = plugin_line(proc.stdout, "libinfer_onnx.so")
    cpu = plugin_line(proc.stdout, "libinfer_cpu.so")
    assert "frontend" in onnx.lower() and "FAILED" not in onnx
    assert "backend" in cpu.lower() and "FAILED" not in cpu
    for line in (onnx, cpu):
        assert re.search(r"\d+\.\d+\.\d+", line), f"no version in: {line}"
        assert str(PLUGIN_DIR) in line or "plugins/" in line, f"no path in: {line}"
    assert (PLUGIN_DIR / "libinfer_onnx.so").is_file()
    assert (PLUGIN_DIR / "libinfer_cpu.so").is_file()


@pytest.mark.parametrize("binary", [INFER_RUN, INFER_RUN.parent.parent / "lib" / "libinfer.so"],
                         ids=["infer-run", "libinfer.so"])
def test_plugins_are_not_linked(binary):
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True)
    assert "libinfer_cpu" not in ldd.stdout and "libinfer_onnx" not in ldd.stdout, ldd.stdout


def test_explicit_plugin_folder_runs_model(tmp_path):
    assert_ok(run_infer("--plugins", PLUGIN_DIR, EXAMPLES_DIR / "small_cnn.onnx",
                        "--output-dir", tmp_path))
    assert read_npy_v1_f32(tmp_path / "probs.npy").shape == (1, 10)


def test_plugin_path_environment_variable(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_infer("--plugins", empty, EXAMPLES_DIR / "mlp.onnx",
                     env_extra={"INFER_PLUGIN_PATH": f"{empty}:{PLUGIN_DIR}"})
    assert_ok(proc)


@pytest.mark.parametrize("case", FAKE_CASES)
def test_broken_plugin_is_listed_with_reason(case, fake_dirs):
    proc = run_infer("--list-plugins", "--plugins", fake_dirs[case])
    assert proc.returncode >= 0, f"crashed: {proc.returncode}\n{proc.stderr}"
    listing = proc.stdout + proc.stderr
    line = plugin_line(listing, f"libinfer_{case}.so")
    assert "FAILED" in line, line
    for pattern in FAKE_CASES[case]:
        assert re.search(pattern, line), f"{pattern!r} not in: {line}"


@pytest.mark.parametrize("case", FAKE_CASES)
def test_good_plugins_work_beside_broken_one(case, fake_dirs, tmp_path):
    proc = run_infer("--plugins", PLUGIN_DIR, "--plugins", fake_dirs[case],
                     EXAMPLES_DIR / "small_cnn.onnx", "--output-dir", tmp_path)
    assert_ok(proc)
    assert read_npy_v1_f32(tmp_path / "probs.npy").shape == (1, 10)


def test_listing_mixes_loaded_and_failed(fake_dirs):
    args = ["--list-plugins", "--plugins", PLUGIN_DIR]
    for path in fake_dirs.values():
        args += ["--plugins", path]
    proc = run_infer(*args)
    assert proc.returncode >= 0
    listing = proc.stdout + proc.stderr
    assert "FAILED" not in plugin_line(listing, "libinfer_cpu.so")
    for case in FAKE_CASES:
        assert "FAILED" in plugin_line(listing, f"libinfer_{case}.so")


# --- a backend whose device is absent (probe score 0), like OpenCL without a platform ------

UNAVAILABLE_DIR = TEST_PLUGIN_ROOT / "unavailable"


def test_unavailable_backend_is_listed_as_such_not_as_broken():
    proc = run_infer("--list-plugins", "--plugins", PLUGIN_DIR, "--plugins", UNAVAILABLE_DIR)
    assert_ok(proc)
    line = plugin_line(proc.stdout, "libinfer_unavailable.so")
    assert "fake_unavailable" in line and "UNAVAILABLE: no fake accelerator in this machine" in line
    assert "FAILED" not in line
    assert re.search(r"\b1 unavailable, 0 file\(s\) failed", proc.stdout), proc.stdout


def test_unavailable_backend_first_in_the_order_falls_back_with_a_warning(tmp_path):
    proc = run_infer("--plugins", PLUGIN_DIR, "--plugins", UNAVAILABLE_DIR,
                     "--backends", "fake_unavailable,cpu", EXAMPLES_DIR / "small_cnn.onnx",
                     "--output-dir", tmp_path)
    assert_ok(proc)
    warnings = [l for l in proc.stderr.splitlines() if "fake_unavailable" in l]
    assert len(warnings) == 1, proc.stderr
    assert "unavailable on this machine: no fake accelerator in this machine" in warnings[0]
    assert read_npy_v1_f32(tmp_path / "probs.npy").shape == (1, 10)


def test_only_unavailable_backends_is_a_clear_error():
    proc = run_infer("--plugins", PLUGIN_DIR, "--plugins", UNAVAILABLE_DIR,
                     "--backends", "fake_unavailable", EXAMPLES_DIR / "small_cnn.onnx")
    assert proc.returncode == 1, proc.stderr
    assert "no requested backend can run here: backend 'fake_unavailable' is unavailable" \
        in proc.stderr
