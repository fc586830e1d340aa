"""Pack the photo set small enough to travel (e.g. to a lent GPU machine, whose transfers are
limited to 64 MiB): every photo as a high-quality JPEG, plus the manifest and captions.

    cd Training && .venv/bin/python -m data.pack OUT_DIR [--quality 92] [--splits train eval]

train.train --data OUT_DIR then reads OUT_DIR/hr/<id>.jpg where no PNG is there, and the caption
features from OUT_DIR/text-features.pt instead of running the text encoder. JPEG at q92 adds a
little compression noise on top of the (prescaled) photos; fine for moving a run to a GPU, and the
final evaluation (eval/eval.py) still reads the lossless PNGs here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from PIL import Image

from gigagan.data import TEXT_FEATURES, read_tsv

DATA = Path(__file__).resolve().parent


def write_text_features(path: Path) -> None:
    """The frozen text encoder's features of every caption and of the empty prompt, so a packed
    run needs neither Models/text-encoder (45 MB) nor the encoder's code path."""
    import torch
    from gigagan.data import read_captions
    from gigagan.text_encoder import TextEncoder
    prompts = sorted(set(read_captions(DATA / "captions.tsv").values()) | {""})
    feats, mask = TextEncoder().encode(prompts)
    torch.save({"prompts": prompts, "features": feats.half(), "mask": mask}, path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--quality", type=int, default=92)
    ap.add_argument("--splits", nargs="+", default=["train", "eval"])
    ap.add_argument("--max-side", type=int,
                    help="shrink larger photos (Lanczos) to this longest side, to fit the teacher's weights "
                         "beside them (train.distill_online; its teacher makes targets from any photo)")
    a = ap.parse_args()
    (a.out / "hr").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "manifest.tsv", a.out / "manifest.tsv")
    shutil.copy(DATA / "captions.tsv", a.out / "captions.tsv")
    total = 0
    for row in read_tsv(DATA / "manifest.tsv"):
        if row["split"] not in a.splits:
            continue
        dst = a.out / "hr" / f"{row['id']}.jpg"
        with Image.open(DATA / "hr" / f"{row['id']}.png") as im:
            im = im.convert("RGB")
            if a.max_side and max(im.size) > a.max_side:
                im.thumbnail((a.max_side, a.max_side), Image.LANCZOS)
            im.save(dst, quality=a.quality, subsampling=0)
        total += dst.stat().st_size
    write_text_features(a.out / TEXT_FEATURES)
    print(f"wrote {a.out}: {total / 2**20:.1f} MiB of photos, caption features in {TEXT_FEATURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
