#!/usr/bin/env python3
"""Regenerates manifest.tsv from the hand-made selection.tsv and the unpacked packages.

Only needed when the selection changes (fetch.sh uses the committed manifest). For each
selected file it records the package version, the sha256, the decoded size after EXIF
orientation, the estimated JPEG quality, the prescale factor and the split:

  prescale 2 when the source is a JPEG of estimated quality below 90 or was judged soft by
  looking at it at 100% (soft = yes in selection.tsv), else 1.

Run after fetch.sh has unpacked the packages:  python3 Training/data/make_manifest.py
"""
import os
import subprocess
import sys

import prepare

SELECTION = os.path.join(prepare.HERE, "selection.tsv")
DEBS = os.path.join(prepare.CACHE, "debs")
MIN_QUALITY = 90


def package_versions():
    versions = {}
    for name in os.listdir(DEBS):
        if name.endswith(".deb"):
            out = subprocess.run(["dpkg-deb", "-f", os.path.join(DEBS, name), "Package", "Version"],
                                 check=True, capture_output=True, text=True).stdout
            fields = dict(line.split(": ", 1) for line in out.strip().splitlines())
            versions[fields["Package"]] = fields["Version"]
    return versions


def read_selection():
    rows = []
    with open(SELECTION, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            photo_id, package, path, licence, soft = line.rstrip("\n").split("\t")
            rows.append(dict(id=photo_id, package=package, path=path, licence=licence, soft=soft))
    return rows


def manifest_row(sel, versions):
    src = prepare.source_path(sel["package"], sel["path"])
    raw = prepare.open_source(sel["package"], sel["path"])
    quality = prepare.jpeg_quality(raw) if raw.format == "JPEG" else None
    im = prepare.to_rgb8(raw)
    w, h = im.size
    notes = []
    if src.endswith(".edj"):
        notes.append("largest JPEG inside the Edje archive")
    prescale = 1
    if quality is not None and quality < MIN_QUALITY:
        prescale = 2
        notes.append(f"JPEG q{quality} < {MIN_QUALITY}")
    if sel["soft"] == "yes":
        prescale = 2
        notes.append("soft at 100%")
    return dict(
        id=sel["id"], split=prepare.split_for(sel["id"], sel["package"]), package=sel["package"],
        version=versions[sel["package"]], path=sel["path"], licence=sel["licence"],
        source_size=f"{w}x{h}", prescale=str(prescale),
        hr_size=f"{(w - w % prescale) // prescale}x{(h - h % prescale) // prescale}",
        sha256=prepare.sha256_of(src), jpeg_quality=str(quality) if quality else "-",
        note="; ".join(notes) or "-",
    )


def main():
    versions = package_versions()
    selection = read_selection()
    ids = [s["id"] for s in selection]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        sys.exit(f"selection.tsv: duplicate ids {sorted(duplicates)}")
    rows = [manifest_row(s, versions) for s in selection]
    with open(prepare.MANIFEST, "w", encoding="utf-8") as f:
        f.write("\t".join(prepare.MANIFEST_COLUMNS) + "\n")
        for row in rows:
            f.write("\t".join(row[c] for c in prepare.MANIFEST_COLUMNS) + "\n")
    print(f"manifest.tsv: {len(rows)} photos")


if __name__ == "__main__":
    main()
