"""The generator twin's checks (gigagan/smoke_test.py) and the portable helpers, under pytest.

    cd Training && .venv/bin/python -m pytest
"""
from __future__ import annotations

import numpy as np
import pytest

from gigagan import smoke_test
from gigagan.config import get_config
from gigagan.positional_noise import positional_noise
from gigagan.text_encoder import TextEncoder
from fixtures import portable_random


@pytest.fixture(scope="module")
def text() -> TextEncoder:
    return TextEncoder()


def test_config_round_trips_and_rejects_unknown_or_missing_fields() -> None:
    smoke_test.config_checks()


@pytest.mark.parametrize("name", ["tiny", "gigagan-8x-s"])
def test_generator(name: str, text: TextEncoder) -> None:
    smoke_test.run_config(get_config(name), text)


def test_other_scales(text: TextEncoder) -> None:
    smoke_test.scale_variant_checks(text)


def test_positional_noise_is_a_function_of_position_with_unit_variance() -> None:
    c, y, x = np.meshgrid(np.arange(3), np.arange(64), np.arange(64), indexing="ij")
    a = positional_noise(7, c, y, x)
    assert np.array_equal(a[:, 10:20, 5:9], positional_noise(7, c[:, 10:20, 5:9], y[:, 10:20, 5:9], x[:, 10:20, 5:9]))
    assert not np.array_equal(a, positional_noise(8, c, y, x))
    assert abs(float(a.mean())) < 0.05 and abs(float(a.std()) - 1) < 0.05


def test_portable_random_values_follow_the_layout() -> None:
    spec = portable_random.layout({"a.weight": [64, 32, 3, 3], "a.bias": [64], "n.gamma": [32]}, {}, seed=3)
    values = portable_random.tensors(spec)
    assert [t["name"] for t in spec["tensors"]] == ["a.bias", "a.weight", "n.gamma"]
    assert values["a.weight"].dtype == np.float16 and values["a.weight"].shape == (64, 32, 3, 3)
    assert abs(float(values["a.weight"].astype(np.float64).std()) - 1 / np.sqrt(288)) < 0.005
    assert abs(float(values["n.gamma"].astype(np.float64).mean()) - 1) < 0.1
    again = portable_random.tensors(portable_random.layout({"a.weight": [64, 32, 3, 3], "a.bias": [64], "n.gamma": [32]}, {}, seed=3))
    assert all(np.array_equal(values[k], again[k]) for k in values)
