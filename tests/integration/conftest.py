"""Fixtures: fresh model exports and hand-built models, made once a session."""
import pathlib
import subprocess
import sys

import pytest

from helpers import GENERATORS_DIR, INFER_RUN, TORCH_PYTHON

sys.path.insert(0, str(GENERATORS_DIR))
import make_onnx_models  # noqa: E402  (needs the path above)


def pytest_sessionstart(session):
    if not INFER_RUN.is_file():
        pytest.exit(f"{INFER_RUN} not built: run scripts/build.sh first", returncode=2)


@pytest.fixture(scope="session")
def fresh_models(tmp_path_factory):
    """small_cnn.onnx and mlp.onnx exported now by Debian's torch. Runs in its
    own process: that Python has torch and numpy 1.x, this one numpy 2.x."""
    probe = subprocess.run([TORCH_PYTHON, "-c", "import torch"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"{TORCH_PYTHON} cannot import torch; only the committed models are tested")
    out = tmp_path_factory.mktemp("fresh")
    for script, name in [("make_small_cnn.py", "small_cnn"), ("make_mlp.py", "mlp")]:
        subprocess.run([TORCH_PYTHON, str(GENERATORS_DIR / script), "--out",
                        str(out / f"{name}.onnx")], check=True, cwd=GENERATORS_DIR)
    return out


@pytest.fixture(scope="session")
def hand_models(tmp_path_factory):
    """Every model of make_onnx_models.py, by file name."""
    out = tmp_path_factory.mktemp("hand")
    paths = [pathlib.Path(make(str(out))) for make in make_onnx_models.ALL]
    return {p.name: p for p in paths}
