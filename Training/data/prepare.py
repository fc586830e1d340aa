#!/usr/bin/env python3
"""Writes the training and evaluation photographs listed in manifest.tsv as 8-bit RGB PNGs.

Reads each source file from the unpacked Debian packages under cache/pkg/<package>/, checks
its sha256 against the manifest, applies the EXIF orientation, downscales it by the manifest's
prescale factor (area average, so JPEG blocks and softness shrink below a pixel), and writes
hr/<id>.png. Photos already written at the expected size are skipped, so a re-run is cheap.

Needs only Pillow. Run by fetch.sh; by hand: python3 Training/data/prepare.py
"""
import hashlib
import io
import os
import re
import sys

from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, "cache")
PACKAGES = os.path.join(CACHE, "pkg")
HR = os.path.join(HERE, "hr")
MANIFEST = os.path.join(HERE, "manifest.tsv")
CAPTIONS = os.path.join(HERE, "captions.tsv")

MANIFEST_COLUMNS = [
    "id", "split", "package", "version", "path", "licence", "source_size",
    "prescale", "hr_size", "sha256", "jpeg_quality", "note",
]


def split_for(photo_id, package):
    """The hold-out rule, a pure function of the id: about 10% of the package photos go to eval.

    A photo is held out when the first byte of sha1(id) is below 26 (26/256 ≈ 10.2%).
    scikit-image's photos are all evaluation photos.
    """
    if package == "python3-skimage":
        return "eval-skimage"
    return "eval" if hashlib.sha1(photo_id.encode("utf-8")).digest()[0] < 26 else "train"


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_path(package, path):
    return os.path.join(PACKAGES, package, path)


def largest_embedded_jpeg(edj_path):
    """Enlightenment's .edj backgrounds are Eet archives holding the same photo as lossy
    (JPEG) images at many sizes; the JPEG streams sit uncompressed in the file, so the largest
    one is the original. Reading it directly needs no edje_decc and keeps the JPEG tables."""
    data = open(edj_path, "rb").read()
    best = None
    for m in re.finditer(b"\xff\xd8\xff", data):
        try:
            im = Image.open(io.BytesIO(data[m.start():]))
        except Exception:
            continue
        if im.format == "JPEG" and (best is None or im.size[0] * im.size[1] > best.size[0] * best.size[1]):
            best = im
    if best is None:
        raise ValueError(f"{edj_path}: no JPEG image inside the Edje archive")
    return best


def open_source(package, path):
    full = source_path(package, path)
    if full.endswith(".edj"):
        return largest_embedded_jpeg(full)
    return Image.open(full)


# The IJG (libjpeg) luminance table at quality 50; quality q scales it by 5000/q % (q < 50)
# or by 200 - 2q % (q >= 50).
IJG_LUMA = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]


def jpeg_quality(im):
    """Estimated IJG quality (1-100) of a JPEG from its luminance quantisation table, or None.

    Compares the sum of the table with the IJG table scaled to each quality; works for tables
    from other encoders too, as an 'equivalent quality'."""
    tables = getattr(im, "quantization", None)
    if not tables:
        return None
    total = sum(tables[min(tables)])
    best_q, best_err = None, None
    for q in range(1, 101):
        scale = 5000 / q if q < 50 else 200 - 2 * q
        ref = sum(min(255, max(1, int((v * scale + 50) // 100))) for v in IJG_LUMA)
        err = abs(ref - total)
        if best_err is None or err < best_err:
            best_q, best_err = q, err
    return best_q


def to_rgb8(im):
    """EXIF orientation applied, alpha composited over white, 16-bit reduced: 8-bit RGB."""
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, im)
    if im.mode in ("I;16", "I;16B", "I"):
        im = im.point(lambda v: v / 257).convert("L")
    return im.convert("RGB")


def prescaled(im, factor):
    """Area-average downscale by an integer factor (odd edge rows/columns are cropped off)."""
    if factor == 1:
        return im
    w, h = im.size
    return im.crop((0, 0, w - w % factor, h - h % factor)).reduce(factor)


def read_manifest(path=MANIFEST):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != MANIFEST_COLUMNS:
            raise ValueError(f"{path}: unexpected header {header}")
        for n, line in enumerate(f, start=2):
            if not line.strip():
                continue
            values = line.rstrip("\n").split("\t")
            if len(values) != len(header):
                raise ValueError(f"{path}:{n}: {len(values)} columns, expected {len(header)}")
            rows.append(dict(zip(header, values)))
    return rows


def check_captions(rows, path=CAPTIONS):
    """Every photo needs exactly one non-empty caption, and captions.tsv lists no other ids."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines[:1] != ["id\tcaption"]:
        raise ValueError(f"{path}: the first line must be 'id<TAB>caption'")
    captions = {}
    for n, line in enumerate(lines[1:], start=2):
        photo_id, _, caption = line.partition("\t")
        if not caption.strip() or photo_id in captions:
            raise ValueError(f"{path}:{n}: empty or repeated caption for {photo_id!r}")
        captions[photo_id] = caption
    ids = {row["id"] for row in rows}
    if ids != set(captions):
        raise ValueError(f"{path}: no caption for {sorted(ids - set(captions))}, "
                         f"not in the manifest {sorted(set(captions) - ids)}")


def parse_size(text):
    w, h = text.split("x")
    return int(w), int(h)


def prepare(row):
    """Writes hr/<id>.png for one manifest row; returns 'written' or 'kept'."""
    out = os.path.join(HR, row["id"] + ".png")
    hr_size = parse_size(row["hr_size"])
    if os.path.exists(out):
        try:
            with Image.open(out) as done:
                if done.size == hr_size and done.mode == "RGB":
                    return "kept"
        except Exception:
            pass
    src = source_path(row["package"], row["path"])
    if not os.path.exists(src):
        raise FileNotFoundError(f"{src}: missing; run fetch.sh to unpack {row['package']}")
    digest = sha256_of(src)
    if digest != row["sha256"]:
        raise ValueError(f"{src}: sha256 {digest} does not match the manifest ({row['package']} "
                         f"{row['version']} expected)")
    if split_for(row["id"], row["package"]) != row["split"]:
        raise ValueError(f"manifest.tsv: {row['id']} has split {row['split']}, the hold-out rule says "
                         f"{split_for(row['id'], row['package'])}")
    im = to_rgb8(open_source(row["package"], row["path"]))
    if im.size != parse_size(row["source_size"]):
        raise ValueError(f"{src}: decoded size {im.size[0]}x{im.size[1]}, manifest says {row['source_size']}")
    im = prescaled(im, int(row["prescale"]))
    if im.size != hr_size:
        raise ValueError(f"{src}: prescaled size {im.size[0]}x{im.size[1]}, manifest says {row['hr_size']}")
    os.makedirs(HR, exist_ok=True)
    tmp = out + ".tmp.png"
    im.save(tmp, compress_level=3)
    os.replace(tmp, out)
    return "written"


def main():
    rows = read_manifest()
    check_captions(rows)
    counts = {}
    megapixels = {}
    for row in rows:
        status = prepare(row)
        counts[status] = counts.get(status, 0) + 1
        w, h = parse_size(row["hr_size"])
        megapixels[row["split"]] = megapixels.get(row["split"], 0) + w * h / 1e6
        print(f"{status:8s} {row['split']:13s} {row['id']}", flush=True)
    listed = {row["id"] + ".png" for row in rows}
    stale = sorted(f for f in os.listdir(HR) if f.endswith(".png") and f not in listed)
    for f in stale:
        os.remove(os.path.join(HR, f))
        print(f"removed  {f} (not in the manifest)")
    summary = ", ".join(f"{split} {sum(1 for r in rows if r['split'] == split)} photos "
                        f"{mp:.1f} MP" for split, mp in sorted(megapixels.items()))
    print(f"hr/: {len(rows)} photos ({counts.get('written', 0)} written, {counts.get('kept', 0)} kept); {summary}")


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError) as e:
        print(f"prepare.py: {e}", file=sys.stderr)
        sys.exit(1)
