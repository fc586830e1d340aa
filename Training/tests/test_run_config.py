"""config.json: written for every session, checked when a run resumes (train/train.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from train.distill import DistillTrainer, build_distill_parser
from train.train import Trainer, build_parser, check_config, session_config


def args(tmp_path: Path, *extra: str, distill: bool = False):
    if distill:
        return build_distill_parser().parse_args(["--run", str(tmp_path), "--targets", "t", "--eval-targets", "e", *extra])
    return build_parser().parse_args(["--run", str(tmp_path), *extra])


def started(tmp_path: Path, a, trainer_cls) -> None:
    (tmp_path / "ckpt.pt").write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps(session_config(a, trainer_cls)))


def test_a_resumed_run_keeps_its_trainer_config_and_stage(tmp_path: Path) -> None:
    started(tmp_path, args(tmp_path, "--stage", "2"), Trainer)
    check_config(tmp_path, args(tmp_path, "--stage", "2", "--lr", "3e-4", "--minutes", "5"), Trainer)
    with pytest.raises(SystemExit, match="stage 2 \\(now 1\\)"):
        check_config(tmp_path, args(tmp_path), Trainer)
    with pytest.raises(SystemExit, match="config 'gigagan-8x-s' \\(now 'tiny'\\)"):
        check_config(tmp_path, args(tmp_path, "--stage", "2", "--config", "tiny"), Trainer)
    with pytest.raises(SystemExit, match="trainer 'Trainer' \\(now 'DistillTrainer'\\)"):
        check_config(tmp_path, args(tmp_path, "--stage", "2", distill=True), DistillTrainer)


def test_a_distillation_keeps_its_hint_adapter(tmp_path: Path) -> None:
    started(tmp_path, args(tmp_path, "--hint-weight", "0.01", distill=True), DistillTrainer)
    check_config(tmp_path, args(tmp_path, "--hint-weight", "0.02", distill=True), DistillTrainer)
    with pytest.raises(SystemExit, match="hint 'at stage 3' \\(now 'off'\\)"):
        check_config(tmp_path, args(tmp_path, distill=True), DistillTrainer)


def test_config_json_written_before_the_script_was_recorded_still_resumes(tmp_path: Path) -> None:
    """runs/distill-s-* wrote config.json without "script"; their other fields are what is checked."""
    a = args(tmp_path, "--hint-weight", "0.01", distill=True)
    old = session_config(a, DistillTrainer)
    del old["script"]
    (tmp_path / "ckpt.pt").write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps(old))
    check_config(tmp_path, a, DistillTrainer)


def test_a_new_run_is_not_checked(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"trainer": "DistillTrainer", "args": {}}))
    check_config(tmp_path, args(tmp_path), Trainer)
