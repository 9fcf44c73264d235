"The retrieval and answering pieces of notebook 08 on cases the notebook does not spell out."
import math, pytest, torch
from lora_course.town import fact_records, UNKNOWN_PLACES
from lora_course.metrics import exact_match
from lora_course.rag import (chunk_documents, BM25, VectorIndex, TfidfIndex, recall_at_k, reading_examples, answer_questions,
                             score_answers, why_wrong)

def test_chunks_keep_text_and_ids():
    docs = [dict(doc_id="a", text="One. Two! Three?"), dict(doc_id="b", text="Alone")]
    ch = chunk_documents(docs)
    assert [c["chunk_id"] for c in ch] == ["a#0", "a#1", "a#2", "b#0"] and " ".join(c["text"] for c in ch[:3]) == docs[0]["text"]

def test_bm25_matches_the_formula():
    bm = BM25(["cat cat dog", "dog bird", "fish"], k1=1.2, b=0.5)
    idf = lambda f: math.log((3 - f + 0.5) / (f + 0.5) + 1)
    avg = 6 / 3
    expect = idf(1) * 2 * 2.2 / (2 + 1.2 * (1 - 0.5 + 0.5 * 3 / avg)) + idf(2) * 1 * 2.2 / (1 + 1.2 * (1 - 0.5 + 0.5 * 3 / avg))
    assert abs(bm.score("cat dog")[0] - expect) < 1e-9 and bm.score("cat dog")[2] == 0
    assert bm.search(["bird"], k=5)[0][0][0] == 1 and len(bm.search(["bird"], k=5)[0]) == 3   # k capped at the corpus

def test_vector_index_is_cosine_topk():
    vecs = {"x": [1.0, 0.0], "y": [0.6, 0.8], "z": [0.0, 1.0], "q": [0.8, 0.6]}
    fake = lambda texts: torch.tensor([vecs[t] for t in texts])
    idx = VectorIndex(["x", "y", "z"], ["X", "Y", "Z"], embed_fn=fake)
    (first, s1), (second, _) = idx.search(["q"], k=2)[0]
    assert (first, second) == ("Y", "X") and abs(s1 - 0.96) < 1e-6
    with pytest.raises(ValueError, match="ids"): VectorIndex(["x"], ["X", "Y"], embed_fn=fake)

def test_lexical_retrievers_find_the_place():
    kb = fact_records(2)
    qs = [q for q in kb["questions"] if q["doc_id"]]
    ch = chunk_documents(kb["docs"])
    for idx in (BM25, TfidfIndex):
        res = idx([c["text"] for c in ch], [c["chunk_id"] for c in ch]).search([q["question"] for q in qs], k=3)
        assert recall_at_k(res, [q["doc_id"] for q in qs], 3, key=lambda i: i.split("#")[0]) >= 0.9

def test_reading_practice_is_honest():
    ex = reading_examples([3], k=1, n_dropped=4, n_invented=5)
    assert sum(e["answer"] == "unknown" for e in ex) == 4 * 3 + 5        # every question about a dropped or invented place
    assert not any(p in e["prompt"] for e in ex for p in UNKNOWN_PLACES)  # the test's unknown places never appear
    known = [e for e in ex if e["answer"] != "unknown"]
    assert sum(e["answer"] in e["prompt"] for e in known) / len(known) >= 0.95   # the passage holds the answer: reading suffices
    with pytest.raises(ValueError, match="seed 0"): reading_examples([0, 1])

def _reader(prompts):
    "A reader that really reads: it finds the passage about the question's place and answers from it (hour, owner or price)."
    import re
    out = []
    for p in prompts:
        passages, q = p.split("\n\n")[0].split("\n"), p.split("Question: ")[-1]
        place = re.search(r"(the [A-Z]\w+ [A-Z]\w+)", q).group(1)
        pat = r"opens at (\d+ [ap]m)" if "open" in q else r"(\w+) owns" if "owns" in q else r"costs (\d+ dollars)"
        hits = [m.group(1) for t in passages if place.lower() in t.lower() for m in [re.search(pat, t)] if m]
        out.append(hits[0] if hits else "unknown")
    return out

def test_answers_cite_the_passage_that_holds_them(monkeypatch):
    import lora_course.rag as rag
    kb = fact_records(1)
    ch = chunk_documents(kb["docs"])
    idx = BM25([c["text"] for c in ch], [c["chunk_id"] for c in ch])
    qs = [q for q in kb["questions"] if q["doc_id"]][:12]
    monkeypatch.setattr(rag, "generate_texts", lambda model, tok, prompts, **kw: _reader(prompts))
    ans = answer_questions(None, None, qs, idx, k=3)
    assert all(len(a["sources"]) == 3 for a in ans)
    right = [(a, q) for a, q in zip(ans, qs) if exact_match(a["answer"], q["answer"])]
    assert len(right) >= 9                                              # BM25 handed it the right passage most of the time
    for a, q in right:                                                  # each right answer cites a retrieved passage that states it
        assert a["cited"] in a["sources"] and q["answer"] in idx.text_of[a["cited"]]
    assert score_answers(ans, qs)["cited"] == 1.0
    monkeypatch.setattr(rag, "generate_texts", lambda model, tok, prompts, **kw: ["42 pm"] * len(prompts))   # answers from nowhere
    assert all(a["cited"] is None for a in answer_questions(None, None, qs, idx, k=3))

def test_why_wrong_reads_the_evidence():
    kb1, kb2 = fact_records(1), fact_records(2)
    i = next(j for j, (a, b) in enumerate(zip(kb1["questions"], kb2["questions"])) if a["answer"] != b["answer"])
    q2, q1 = kb2["questions"][i], kb1["questions"][i]
    assert "old" in why_wrong(dict(answer=q1["answer"], sources=[]), q2, q1)
    unk = next(q for q in kb2["questions"] if q["doc_id"] is None)
    assert "made up" in why_wrong(dict(answer="9 am", sources=[]), unk)
    ch = chunk_documents(kb2["docs"]); idx = BM25([c["text"] for c in ch], [c["chunk_id"] for c in ch])
    other = next(c["chunk_id"] for c in ch if c["doc_id"] != q2["doc_id"])
    assert "retrieval missed" in why_wrong(dict(answer="x", sources=[other]), q2, q1, idx)
    right = next(c["chunk_id"] for c in ch if c["doc_id"] == q2["doc_id"] and q2["answer"] in c["text"])
    assert "misread" in why_wrong(dict(answer="x", sources=[right]), q2, q1, idx)
