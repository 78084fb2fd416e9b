"""The model zoo, exported once a session by Debian's torch into
INFER_MODEL_ZOO_DIR (CTest: ${CMAKE_BINARY_DIR}/model_zoo; by hand:
build/model_zoo), where unchanged exports are kept between runs."""
import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

# The integration suite's helpers (paths from the environment, infer-run runner).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))
from helpers import BUILD_DIR, GENERATORS_DIR, INFER_RUN, TORCH_PYTHON  # noqa: E402

sys.path.insert(0, str(GENERATORS_DIR))
import export_model_zoo  # noqa: E402  (plain data without torch: the ZOO table)

ZOO_DIR = pathlib.Path(os.environ.get("INFER_MODEL_ZOO_DIR", BUILD_DIR / "model_zoo"))
EXPORT_TIMEOUT_S = 900


def pytest_sessionstart(session):
    if not INFER_RUN.is_file():
        pytest.exit(f"{INFER_RUN} not built: run scripts/build.sh first", returncode=2)


class Zoo:
    def __init__(self, folder, manifest, export_log):
        self.dir = folder
        self.manifest = manifest
        self.export_log = export_log

    def model(self, name):
        """(path, manifest entry); fails the test with the exporter's error if
        this model was not exported."""
        entry = self.manifest["models"].get(name)
        if entry is None:
            error = self.manifest.get("errors", {}).get(name) or self.export_log
            pytest.fail(f"{name} was not exported by export_model_zoo.py:\n{error}", pytrace=False)
        return self.dir / entry["file"], entry


@pytest.fixture(scope="session")
def zoo():
    probe = subprocess.run([TORCH_PYTHON, "-c", "import torch, torchvision"], capture_output=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip(f"{TORCH_PYTHON} cannot import torch and torchvision: no model zoo")
    ZOO_DIR.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    proc = subprocess.run([TORCH_PYTHON, str(GENERATORS_DIR / "export_model_zoo.py"),
                           "--out", str(ZOO_DIR)], capture_output=True, text=True,
                          errors="backslashreplace", cwd=GENERATORS_DIR,
                          timeout=EXPORT_TIMEOUT_S, check=False)
    log = f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    print(f"\nmodel zoo export ({time.monotonic() - start:.0f} s):\n{proc.stdout}", end="")
    try:
        manifest = json.loads((ZOO_DIR / export_model_zoo.MANIFEST).read_text())
    except (OSError, ValueError) as e:
        pytest.fail(f"export_model_zoo.py wrote no manifest ({e}):\n{log}", pytrace=False)
    return Zoo(ZOO_DIR, manifest, log)
