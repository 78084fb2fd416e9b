"""Every optimisation level on ResNet-50, MobileNetV2 and the transformer encoder:
outputs equal to level 0 within 1e-5 (relative to the output scale), node counts
that never grow from one level to the next, and at least one pass that changed
something at each level above 0."""

import pytest

from levels import MODELS, measure
from optimizer_util import zoo_model


@pytest.mark.parametrize("name", list(MODELS))
def test_every_level_matches_level_0(name):
    zoo_model(name)  # skips when the model zoo was not exported
    result = measure(name)
    levels = result["levels"]
    for level, v in levels.items():
        assert v["rel_diff"] <= 1e-5, (level, v["rel_diff"], v["report"])
    assert levels[1]["nodes"] <= levels[0]["nodes"]
    assert levels[2]["nodes"] <= levels[1]["nodes"], levels[2]["report"]
    for level in (1, 2):
        assert "FAILED" not in levels[level]["report"], levels[level]["report"]
