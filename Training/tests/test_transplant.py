"""transplant (gigagan/init.py): widening a stage keeps what the generator computes."""

import dataclasses

import pytest
import torch

from gigagan.config import CONFIGS
from gigagan.generator import Generator
from gigagan.init import init_for_training, transplant


def _tiny(**kw):
    return dataclasses.replace(CONFIGS["tiny"], **kw).validate()


def _output(gen: Generator) -> torch.Tensor:
    torch.manual_seed(3)
    cfg = gen.cfg
    cond = gen.condition(torch.randn(1, cfg.z_dim), torch.randn(1, cfg.max_tokens, cfg.text_embed_dim),
                         torch.ones(1, cfg.max_tokens, dtype=torch.bool))
    return gen.forward_tile(torch.rand(1, 3, 16, 16), cond)


@torch.no_grad()
def test_widening_a_stage_without_skip_keeps_the_output():
    torch.manual_seed(0)
    trained = init_for_training(Generator(CONFIGS["tiny"]))
    for p in trained.parameters():            # away from init, so zeros or copies cannot hide a mistake
        p.add_(0.05 * torch.randn_like(p))
    widths = list(CONFIGS["tiny"].decoder_widths)
    widths[3] += 4
    wider = init_for_training(Generator(_tiny(decoder_widths=widths)))
    changed = transplant(wider, trained.state_dict())
    assert changed, "the widened stage's tensors should be reported"
    torch.testing.assert_close(_output(wider), _output(trained), rtol=0, atol=1e-5)


@torch.no_grad()
def test_narrowing_the_last_stage_copies_its_first_channels():
    trained = init_for_training(Generator(CONFIGS["tiny"]))
    widths = list(CONFIGS["tiny"].decoder_widths)
    widths[-1] -= 1
    narrower = init_for_training(Generator(_tiny(decoder_widths=widths)))
    transplant(narrower, trained.state_dict())
    assert torch.equal(narrower.to_rgb.weight, trained.to_rgb.weight[:, : widths[-1]])


def test_a_stage_with_a_skip_cannot_change_width():
    trained = Generator(CONFIGS["tiny"])
    widths = list(CONFIGS["tiny"].decoder_widths)
    widths[2] += 4
    with pytest.raises(ValueError, match="skip"):
        transplant(Generator(_tiny(decoder_widths=widths)), trained.state_dict())


@torch.no_grad()
def test_a_sub_pixel_head_starts_fresh_and_keeps_the_shared_stages():
    trained = init_for_training(Generator(CONFIGS["tiny"]))
    for p in trained.parameters():
        p.add_(0.05 * torch.randn_like(p))
    cfg = CONFIGS["tiny"]
    shuffled = init_for_training(Generator(_tiny(decoder_widths=cfg.decoder_widths[:4],
                                                 decoder_blocks=cfg.decoder_blocks[:4], subpixel_scale=4)))
    fresh_head = shuffled.to_rgb.weight.clone()
    changed = transplant(shuffled, trained.state_dict())
    assert "to_rgb.weight" in changed and "to_rgb.bias" in changed
    assert torch.equal(shuffled.to_rgb.weight, fresh_head)
    assert torch.equal(shuffled.to_rgb.bias, torch.zeros(3 * 16))
    assert torch.equal(shuffled.decoder[3].up.weight, trained.decoder[3].up.weight)
