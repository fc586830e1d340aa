"""Gigascale's position-keyed input noise (Sources/Gigascale/PositionalNoise.swift) in numpy:
N(0, 1) values that are a pure function of (seed, channel, y, x), so overlapping tiles see the
same noise. The one Python copy: the PyTorch benchmark server and the AuraSR check use it to
feed the twin exactly the noise the Swift tiler feeds the generator."""
from __future__ import annotations

import math

import numpy as np

MASK64 = (1 << 64) - 1


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on uint64 arrays (wrapping arithmetic)."""
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def positional_noise(seed: int, c, y, x) -> np.ndarray:
    """PositionalNoise(seed).value(channel:y:x:) on broadcast integer arrays (or plain ints), as
    float32; channel −1 is the style latent's."""
    def u64(v):
        return np.asarray(v, dtype=np.int64).astype(np.uint64)  # two's complement, like truncatingIfNeeded

    with np.errstate(over="ignore"):
        key = (np.uint64(seed & MASK64) ^ (u64(c) * np.uint64(0x9E3779B97F4A7C15))
               ^ (u64(y) * np.uint64(0xC2B2AE3D27D4EB4F)) ^ (u64(x) * np.uint64(0x165667B19E3779F9)))
        a, b = _mix(key), _mix(key ^ np.uint64(0xD6E8FEB86659FD93))
    u1 = ((a >> np.uint64(11)).astype(np.float64) + 1) / 9007199254740992.0
    u2 = (b >> np.uint64(11)).astype(np.float64) / 9007199254740992.0
    return (np.sqrt(-2 * np.log(u1)) * np.cos(2 * math.pi * u2)).astype(np.float32)
