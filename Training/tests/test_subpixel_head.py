"""The sub-pixel head (config `subpixel_scale`): geometry, JSON compatibility and pixel order."""

import dataclasses
import json

import pytest
import torch
import torch.nn.functional as F

from gigagan.config import CONFIGS, ConfigError, GeneratorConfig
from gigagan.generator import Generator


def _tiny_subpixel(s: int) -> GeneratorConfig:
    cfg = CONFIGS["tiny"]
    n = cfg.num_up - s.bit_length() + 1
    return dataclasses.replace(cfg, decoder_widths=cfg.decoder_widths[:n], decoder_blocks=cfg.decoder_blocks[:n],
                               subpixel_scale=s).validate()


def test_json_without_the_field_means_no_sub_pixel_head():
    d = CONFIGS["gigagan-8x-s-v2"].to_dict()
    assert "subpixel_scale" not in d
    assert GeneratorConfig.from_dict(d).subpixel_scale == 1


def test_the_field_round_trips_and_shortens_the_decoder():
    cfg = CONFIGS["gigagan-8x-s-v3"]
    assert cfg.num_up == 4 and cfg.to_rgb_kernel == 3
    assert GeneratorConfig.from_json(cfg.to_json()) == cfg


def test_a_decoder_of_the_wrong_length_is_refused():
    d = CONFIGS["gigagan-8x-s-v3"].to_dict()
    d["subpixel_scale"] = 2
    with pytest.raises(ConfigError, match="decoder_widths needs"):
        GeneratorConfig.from_dict(d)


@pytest.mark.parametrize("s", [2, 4, 8])
@torch.no_grad()
def test_the_head_is_a_conv_then_pixel_shuffle_on_the_last_stage(s):
    torch.manual_seed(0)
    gen = Generator(_tiny_subpixel(s)).eval()
    cfg = gen.cfg
    cond = gen.condition(torch.randn(1, cfg.z_dim), torch.randn(1, 5, cfg.text_embed_dim),
                         torch.ones(1, 5, dtype=torch.bool))
    lr = torch.rand(1, 3, 16, 24)
    last = {}
    hook = gen.to_rgb.register_forward_hook(lambda m, i, o: last.update(x=i[0], y=o))
    out = gen.forward_tile(lr, cond)
    hook.remove()
    assert last["x"].shape[-2:] == (16 * 8 // s, 24 * 8 // s) and last["y"].shape[1] == 3 * s * s
    # channel c*s*s + i*s + j of the conv lands at pixel (s*y + i, s*x + j) of colour c
    y = last["y"]
    want = F.interpolate(lr, scale_factor=8, mode="bicubic", align_corners=False)
    want[0, 1, s * 2 + 1, s * 3 + (s - 1)] += y[0, 1 * s * s + 1 * s + (s - 1), 2, 3]
    assert torch.allclose(out[0, 1, s * 2 + 1, s * 3 + (s - 1)], want[0, 1, s * 2 + 1, s * 3 + (s - 1)], atol=1e-6)
    assert out.shape == (1, 3, 128, 192)


def test_files_without_a_sub_pixel_head_do_not_name_the_field():
    assert "subpixel_scale" not in CONFIGS["gigagan-8x-s-v2"].to_json()
    assert '"subpixel_scale":4' in CONFIGS["gigagan-8x-s-v3"].to_json()
