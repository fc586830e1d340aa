"""BERT WordPiece tokenizer (uncased), pure Python, matching all-MiniLM-L6-v2's tokenizer.

Steps (as BERT's BasicTokenizer + WordpieceTokenizer, do_lower_case=True, tokenize_chinese_chars=True):
  1. clean: drop U+0000, U+FFFD and control characters (categories Cc, Cf, Co, Cs, except \\t \\n \\r;
     unassigned code points are kept and become [UNK]); map whitespace (space, \\t, \\n, \\r,
     category Zs) to a space
  2. put spaces around CJK ideographs (Hugging Face's ranges: Extension E from U+2B920)
  3. split on whitespace; each word: NFD, drop combining marks (category Mn), then lower-case each
     character on its own (no final-sigma rule)
  These follow the Hugging Face `tokenizers` library (what sentence-transformers runs), which
  differs there from BERT's Python BasicTokenizer; Sources/GigaModels/Text does the same.
  4. split off every punctuation character (ASCII 33-47, 58-64, 91-96, 123-126, or category P*)
  5. WordPiece: words longer than 100 characters -> [UNK]; else greedy longest-prefix match,
     continuation pieces prefixed "##"; a word with an unmatchable remainder -> [UNK]
  6. [CLS] + pieces truncated to max_len - 2 + [SEP]; mask 1 for these, padding [PAD] (id 0) mask 0
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

_CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
               (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return any(a <= cp <= b for a, b in _CJK_RANGES)


def basic_tokenize(text: str) -> list[str]:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_whitespace(ch):
            out.append(" ")
        elif _is_cjk(cp):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    words = []
    for word in "".join(out).split():
        word = "".join(c.lower() for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        cur: list[str] = []
        for ch in word:
            if _is_punctuation(ch):
                if cur:
                    words.append("".join(cur))
                    cur = []
                words.append(ch)
            else:
                cur.append(ch)
        if cur:
            words.append("".join(cur))
    return words


class WordPieceTokenizer:
    def __init__(self, vocab_path: str | Path, max_len: int = 32):
        with open(vocab_path, encoding="utf-8") as f:
            tokens = [line.rstrip("\n") for line in f]
        self.vocab = {t: i for i, t in enumerate(tokens)}
        self.tokens = tokens
        self.max_len = max_len
        for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]"):
            if t not in self.vocab:
                raise ValueError(f"{vocab_path}: vocabulary lacks {t}")
        self.pad_id, self.unk_id = self.vocab["[PAD]"], self.vocab["[UNK]"]
        self.cls_id, self.sep_id = self.vocab["[CLS]"], self.vocab["[SEP]"]

    def wordpiece(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            ids.append(found)
            start = end
        return ids

    def tokenize(self, text: str) -> list[int]:
        """Piece ids without [CLS]/[SEP] and without truncation."""
        return [i for w in basic_tokenize(text) for i in self.wordpiece(w)]

    def encode(self, text: str, max_len: int | None = None, pad: bool = True) -> tuple[list[int], list[int]]:
        """-> (ids, attention mask), [CLS] ... [SEP], truncated to max_len, padded with [PAD] if pad."""
        n = max_len or self.max_len
        if n < 2:
            raise ValueError("max_len must be >= 2")
        ids = [self.cls_id] + self.tokenize(text)[: n - 2] + [self.sep_id]
        mask = [1] * len(ids)
        if pad:
            ids += [self.pad_id] * (n - len(ids))
            mask += [0] * (n - len(mask))
        return ids, mask
