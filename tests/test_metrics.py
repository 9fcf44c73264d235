"Generation for both kinds of model, and the metrics' edge cases."
import math, pytest
from lora_course.models import load_model
from lora_course.metrics import generate_summaries, rouge, facts_recall, score_summaries, format_scores, format_value

def test_generation_restores_padding_side_and_training_mode(tiny_t5, tiny_llama):
    for path in (tiny_t5, tiny_llama):
        m, tok = load_model(path)
        m.train(); side = tok.padding_side
        out = generate_summaries(m, tok, ["Ann: hi\nBo: hey", "Ann: lunch on Friday at the Blue Cafe?\nBo: ok"],
                                 batch_size=2, max_new_tokens=5, progress=False)
        assert len(out) == 2 and all(isinstance(s, str) for s in out)
        assert tok.padding_side == side and m.training

def test_causal_generation_is_independent_of_batch_padding(tiny_llama):
    m, tok = load_model(tiny_llama)
    chats = ["Ann: hi", "Ann: lunch on Friday at the Blue Cafe at 1 pm?\nBo: ok, see you there"]
    alone = [generate_summaries(m, tok, [c], max_new_tokens=6, progress=False)[0] for c in chats]
    assert generate_summaries(m, tok, chats, batch_size=2, max_new_tokens=6, progress=False) == alone

def test_rouge_and_facts_edge_cases():
    assert rouge(["a b c"], ["a b c"])["rougeL"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="2 predictions"): rouge(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="empty"): rouge([], [])
    assert math.isnan(facts_recall(["nothing"], ["no facts here"]))   # nothing to recall is not a score of 0
    assert "facts n/a" in format_scores(score_summaries(["nothing"], ["no facts here"]))
    s = score_summaries(["Anna meets Ben on Friday."], ["Anna and Ben meet on Friday at 1 pm."])
    assert s["facts_recall"] == pytest.approx(3 / 4) and set(s) >= {"rouge1", "rouge2", "rougeL", "rougeLsum"}

def test_custom_vocabularies_do_not_share_a_pattern():
    from lora_course.metrics import extract_facts
    assert extract_facts("Paris at noon", ["Paris", "noon"]) == ["paris", "noon"]
    assert extract_facts("Paris at noon", ["Rome"]) == []          # a new list gets its own pattern
    assert extract_facts("Paris at noon", ["Paris", "noon"]) == ["paris", "noon"]

def test_format_value_and_scores():
    assert format_value(0.12345) == "0.123" and format_value(None) == "n/a" and format_value(float("nan")) == "n/a"
    line = format_scores(dict(rouge1=0.9, rouge2=0.8, rougeL=0.85, rougeLsum=0.85, facts_recall=0.7))
    assert line == "ROUGE-1 0.900 · ROUGE-2 0.800 · ROUGE-L 0.850 · facts 0.700"
