"""The optional semantic extra (all-MiniLM-L6-v2 run with numpy), and the keyword fallback.

The model tests run when the extra is installed (`make semantic`; CI installs it). Their fixed
vectors are what sentence-transformers gives for the same model, so a swapped or corrupted
weights file, or a broken forward pass, fails here.
"""

from __future__ import annotations

import pytest

from claims.corroboration import semantic
from claims.corroboration.archive import archive_search, archive_upsert
from claims.corroboration.passages import rerank
from claims.models import ArchiveDocument

needs_model = pytest.mark.skipif(
    not semantic.available(), reason="the semantic extra is not installed (make semantic)"
)

Kind = ArchiveDocument.Kind


def test_without_the_extra_ranking_falls_back_to_keywords(monkeypatch, db):
    def missing(name):
        raise ImportError(name)

    semantic.available.cache_clear()
    monkeypatch.setattr(semantic, "import_module", missing)
    try:
        assert semantic.available() is False
        archive_upsert(kind=Kind.FACT_CHECK, key="a", url="https://x.example/a", title="Embassy "
                       "staff were not in the building", text="")  # fmt: skip
        ranked = rerank("embassy staff not in the building", archive_search("embassy staff"))
        assert ranked and not any("meaning" in reason for reason in ranked[0].reasons)
    finally:
        semantic.available.cache_clear()


def test_a_model_of_another_version_is_not_used(monkeypatch):
    semantic.available.cache_clear()
    monkeypatch.setattr(semantic, "import_module", lambda name: None)
    monkeypatch.setattr(semantic.metadata, "version", lambda name: "0.2.0")
    try:
        assert semantic.available() is False
    finally:
        semantic.available.cache_clear()


@needs_model
def test_fixed_vectors():
    vectors = semantic.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    assert vectors.shape == (3, semantic.DIMENSIONS)
    assert vectors[0][:5] == pytest.approx(
        [0.03324154, 0.00440608, -0.00627695, 0.04837875, -0.13870221], abs=1e-5
    )
    similarity = vectors @ vectors.T
    assert similarity[0][0] == pytest.approx(1.0, abs=1e-5)
    # sentence-transformers' documented score for this pair with all-MiniLM-L6-v2.
    assert similarity[0][1] == pytest.approx(0.7553, abs=1e-3)
    assert similarity[0][2] == pytest.approx(0.2474, abs=1e-3)


@needs_model
def test_texts_give_the_same_vector_alone_or_in_a_padded_batch():
    alone = semantic.encode(["Protesters stormed the US embassy in Baghdad."])[0]
    batch = semantic.encode(
        [
            "Short.",
            "Protesters stormed the US embassy in Baghdad.",
            "A much longer sentence that forces padding on the shorter ones in the same batch.",
        ]
    )[1]
    assert batch == pytest.approx(alone, abs=1e-5)


@needs_model
def test_document_embeddings_are_stored_and_reused(db, monkeypatch):
    document = archive_upsert(
        kind=Kind.FACT_CHECK,
        key="fc",
        url="https://x.example/fc",
        title="Embassy staff were not in the building",
        text="",
    )
    (first,) = semantic.document_embeddings([document])
    document.refresh_from_db()
    assert document.embedding_model == semantic.MODEL_ID
    monkeypatch.setattr(semantic, "encode", lambda texts: pytest.fail("computed again"))
    (again,) = semantic.document_embeddings([document])
    assert again == pytest.approx(first)


@needs_model
def test_meaning_lifts_a_paraphrase_above_a_keyword_decoy(db):
    paraphrase = archive_upsert(
        kind=Kind.FACT_CHECK,
        key="paraphrase",
        url="https://x.example/p",
        title="No American diplomats were inside the compound when it was attacked.",
        text="",
    )
    archive_upsert(
        kind=Kind.FACT_CHECK,
        key="decoy",
        url="https://x.example/d",
        title="The embassy staff party in the building had the ambassador as its DJ.",
        text="",
    )
    claim = "US embassy staff were not in the building during the attack"
    hits = archive_search(claim) + archive_search("american diplomats compound attacked")
    unique = list({hit.document.pk: hit for hit in hits}.values())
    ranked = rerank(claim, unique, use_semantic=True)
    assert ranked[0].document == paraphrase
    assert any(reason.startswith("meaning") for reason in ranked[0].reasons)
