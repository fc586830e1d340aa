"""The pieces train/distill_online.py adds: the target ring, the shared margin cut, the portable teacher."""

import random

import torch

from gigagan.make_targets import SCALE, cut_margin
from gigagan.teacher import portable
from gigagan.teacher.rrdbnet import RRDBNet
from train.distill_online import TargetRing


def test_ring_keeps_the_newest_targets():
    ring = TargetRing(capacity=8)
    ring.add(x=torch.arange(5)[:, None], y=torch.arange(5)[:, None] * 10)
    ring.add(x=torch.arange(5, 10)[:, None], y=torch.arange(5, 10)[:, None] * 10)
    assert ring.size == 8
    assert sorted(ring.parts["x"][:, 0].tolist()) == list(range(2, 10))      # 0 and 1 overwritten
    drawn = ring.draw(32, random.Random(0))
    assert torch.equal(drawn["y"], drawn["x"] * 10)                           # parts stay paired
    assert set(drawn["x"][:, 0].tolist()) <= set(range(2, 10))


def test_cut_margin_is_the_same_for_one_sample_and_a_batch():
    margin, tile = 2, 8
    side = tile + 2 * margin
    lr, trunk = torch.rand(3, 3, side, side), torch.rand(3, 64, 2 * side, 2 * side)
    target, hr = torch.rand(3, 3, side * SCALE, side * SCALE), torch.rand(3, 3, side * SCALE, side * SCALE)
    batched = cut_margin(margin, lr, target, hr, trunk)
    assert [tuple(x.shape[-2:]) for x in batched] == [(tile, tile), (tile * SCALE,) * 2, (tile * SCALE,) * 2, (2 * tile,) * 2]
    for i in range(3):
        for whole, single in zip(batched, cut_margin(margin, lr[i], target[i], hr[i], trunk[i])):
            assert torch.equal(whole[i], single)
    assert torch.equal(batched[0], lr[..., margin:margin + tile, margin:margin + tile])


def test_portable_teacher_round_trip(tmp_path):
    torch.manual_seed(0)
    net = RRDBNet(blocks=1)
    with torch.no_grad():       # the ncnn file's precisions: fp16 weights, fp32 biases
        for name, t in net.named_parameters():
            if name.endswith(".weight"):
                t.copy_(t.half().float())
    portable.save(net, tmp_path / "t.safetensors")
    back = RRDBNet(blocks=1)
    back.load_state_dict(portable.load_state(tmp_path / "t.safetensors"))
    for (name, a), b in zip(net.state_dict().items(), back.state_dict().values()):
        assert torch.equal(a, b), name
