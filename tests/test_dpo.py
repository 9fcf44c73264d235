"The DPO pieces of notebook 07 on cases the notebook does not spell out: batch layout, masking, and the loss's fixed points."
import math, torch
from lora_course.dpo import preference_batch, sequence_logprobs, dpo_loss
from lora_course.town import preference_records
from lora_course.models import load_model

def test_batch_layout_and_masks(tiny_llama, tiny_t5):
    recs = preference_records(3, "train")
    _, ltok = load_model(tiny_llama); _, ttok = load_model(tiny_t5)
    b = preference_batch(recs, ltok, "causal")
    assert b["input_ids"].shape[0] == 6 and b["completion_mask"].shape == b["input_ids"].shape
    # the completion of row i (chosen) and row i+3 (rejected) follow the same prompt
    first = b["completion_mask"].argmax(1)
    assert torch.equal(first[:3], first[3:]) and torch.equal(b["input_ids"][0, :first[0]], b["input_ids"][3, :first[3]])
    s = preference_batch(recs, ttok, "seq2seq")
    assert torch.equal(s["input_ids"][:3], s["input_ids"][3:]) and (s["labels"] == -100).any()

def test_logprobs_ignore_padding(tiny_llama):
    m, tok = load_model(tiny_llama)
    recs = preference_records(2, "train")
    one = sequence_logprobs(m, preference_batch(recs[:1], tok, "causal"))
    two = sequence_logprobs(m, preference_batch(recs, tok, "causal"))
    assert torch.allclose(one, two[[0, 2]], atol=1e-4)     # padding to a longer batch changes nothing

def test_loss_fixed_points():
    z = torch.zeros(4)
    loss, c, r = dpo_loss(z, z, z, z)
    assert abs(loss.item() - math.log(2)) < 1e-7 and c.abs().sum() == 0 and r.abs().sum() == 0
    big = dpo_loss(torch.full((4,), 100.0), z, z, z, beta=1.0)[0]
    assert big.item() < 1e-6

def test_habit_data_and_rambling_pairs():
    from lora_course.data import load_dialogues
    from lora_course.town import RAMBLING
    from lora_course.dpo import with_habit, rambling_pairs, rambling_share
    ds = load_dialogues("micro", "validation")
    habit = with_habit(ds)
    assert 0.55 < rambling_share(habit["summary"]) < 0.78 and rambling_share(ds["summary"]) == 0      # about two in three
    assert all(h in (s, s + RAMBLING) for s, h in zip(ds["summary"], habit["summary"]))           # only the tail is added
    assert rambling_share(["Amy meets Ben. They also talked about the weath"]) == 0                  # too short to tell
    assert rambling_share(["Amy meets Ben. They also talked about the weather and many o"]) == 1     # cut off by generation
    pairs = rambling_pairs(20, "test")
    assert all(p["rejected"] == p["chosen"] + RAMBLING and p["kind"] == "rambling" for p in pairs)
