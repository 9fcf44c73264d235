"GRPO's pieces by hand (advantages, the mask through the first end of turn, the four ways of summing), and the `grpo` command on a tiny model."
import json, math
import pytest
import torch
from lora_course.grpo import group_advantages, mask_through_eos, grpo_loss, correctness_reward, format_reward, fact_questions
from lora_course.cli import main

def test_advantages_by_hand():
    r = torch.tensor([1., 0., 0., 1., 3., 3., 3., 3.])
    adv, zero = group_advantages(r, 4)
    s = math.sqrt(1 / 3)                                   # std of (1, 0, 0, 1) with n - 1
    assert torch.allclose(adv[:4], torch.tensor([.5, -.5, -.5, .5]) / (s + 1e-4))
    assert (adv[4:] == 0).all() and zero[4:].all() and not zero[:4].any()   # a flat group: no signal
    none, _ = group_advantages(r, 4, "none")
    assert torch.allclose(none[:4], torch.tensor([.5, -.5, -.5, .5]))
    batch, _ = group_advantages(r, 4, "batch")
    assert torch.allclose(batch[:4], torch.tensor([.5, -.5, -.5, .5]) / (r.std() + 1e-4))
    nan, _ = group_advantages(torch.tensor([1., float("nan"), 0., 0.]), 4)   # an unscored completion: out of the mean, advantage 0
    assert nan[1] == 0 and torch.allclose(nan[[0, 2, 3]], torch.tensor([2 / 3, -1 / 3, -1 / 3]) / (torch.tensor([1., 0., 0.]).std() + 1e-4))
    with pytest.raises(ValueError, match="scale"): group_advantages(r, 4, "std")

def test_mask_through_the_first_eos():
    ids = torch.tensor([[5, 1, 7, 1], [5, 6, 7, 8]])
    assert mask_through_eos(ids, [1]).tolist() == [[1, 1, 0, 0], [1, 1, 1, 1]]

def test_the_four_sums():
    lp = torch.zeros(2, 3, requires_grad=True)
    mask = torch.tensor([[1, 1, 1], [1, 0, 0]])
    adv = torch.tensor([1., -1.])
    per_seq = lambda t: grpo_loss(lp, lp.detach(), None, adv, mask, loss_type=t, max_completion_length=4).item()
    assert per_seq("grpo") == 0                                   # each completion's mean of -A, then the mean: (-1 + 1) / 2
    assert math.isclose(per_seq("bnpo"), (-3 + 1) / 4)            # all tokens at once: the longer completion weighs more
    assert math.isclose(per_seq("dr_grpo"), (-3 + 1) / (2 * 4))   # a constant divisor: completions × the longest allowed
    assert math.isclose(per_seq("dapo"), (-3 + 1) / 4)
    assert math.isclose(grpo_loss(lp, lp.detach(), None, adv, mask, loss_type="dapo", num_items=8).item(), (-3 + 1) / 8)
    with pytest.raises(ValueError, match="loss_type"): per_seq("ppo")

def test_clipping_and_kl():
    old = torch.zeros(1, 2); adv = torch.tensor([1.])
    lp = torch.log(torch.tensor([[2.0, 0.5]])).requires_grad_()   # ratios 2 and 0.5
    loss = grpo_loss(lp, old, None, adv, torch.ones(1, 2), epsilon=0.2, loss_type="bnpo")
    assert math.isclose(loss.item(), -(1.2 + 0.5) / 2, rel_tol=1e-6)   # min(ρA, clip(ρ)A): 1.2 for ρ = 2, 0.5 for ρ = 0.5
    loss.backward()
    assert lp.grad[0, 0] == 0 and lp.grad[0, 1] != 0                  # the clipped token gets no gradient
    same = torch.zeros(1, 2, requires_grad=True)
    kl = grpo_loss(same, same.detach(), torch.zeros(1, 2), torch.zeros(1), torch.ones(1, 2), beta=0.04, loss_type="bnpo")
    assert kl.item() == 0                                             # at the reference the KL estimate is 0

def test_rewards_and_split():
    assert correctness_reward([" 9 am</s>", " 9 am."], ["9 am", "9 am"]) == [1.0, 1.0]
    assert format_reward([" Zed</s>"], ["owner"]) == [0.0]
    train, test = fact_questions("train"), fact_questions("test")
    assert train and test and not {q["place"] for q in train} & {q["place"] for q in test}

@pytest.fixture(scope="module")
def chat_llama(tiny_llama, tmp_path_factory):
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from lora_course.chat import with_chat_template
    out = tmp_path_factory.mktemp("chat-llama")
    AutoModelForCausalLM.from_pretrained(tiny_llama).save_pretrained(out)
    with_chat_template(AutoTokenizer.from_pretrained(tiny_llama)).save_pretrained(out)
    return str(out)

def call(argv):
    try: return 0, main(argv)
    except SystemExit as e: return e.code, None

def test_grpo_command_on_your_questions_and_reward(chat_llama, tmp_path, capsys, monkeypatch):
    qs = tmp_path / "qs.jsonl"
    qs.write_text("".join(json.dumps(dict(question=f"What is {i} plus {i}?", answer=str(2 * i))) + "\n" for i in range(20)))
    (tmp_path / "my_rewards.py").write_text("def short(completions, answer, **kw):\n    return [1.0 if len(c) < 8 else 0.0 for c in completions]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    out = tmp_path / "run"
    code, res = call(["grpo", "--model", chat_llama, "--questions", str(qs), "--reward", "my_rewards:short", "--steps", "2",
                      "--num-generations", "4", "--prompts-per-step", "2", "--output", str(out), "--no-progress"])
    assert code == 0 and res["n_train"] == 16 and res["n_eval"] == 4 and len(res["rewards"]) == 2
    assert set(res["before"]) == set(res["after"]) == {"train", "held out"}
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["method"] == "grpo" and saved["reward"] == "my_rewards:short" and (out / "adapter_model.safetensors").exists()
    cases = [(["grpo", "--model", chat_llama, "--questions", str(qs), "--reward", "my_rewards", "--output", str(tmp_path / "a")], "module:function"),
             (["grpo", "--model", chat_llama, "--questions", str(qs), "--reward", "nowhere:f", "--output", str(tmp_path / "b")], "cannot import"),
             (["grpo", "--model", chat_llama, "--questions", str(qs)], "--output")]
    bad = tmp_path / "bad.jsonl"; bad.write_text('{"prompt": "a", "answer": "b"}\n')
    cases.append((["grpo", "--model", chat_llama, "--questions", str(bad), "--output", str(tmp_path / "c")], "lacks the columns ['question']"))
    for argv, fix in cases:
        capsys.readouterr()
        code, _ = call(argv)
        assert code == 2 and fix in capsys.readouterr().err, argv

def test_grpo_command_needs_a_chat_template(tiny_llama, tmp_path, capsys):
    code, _ = call(["grpo", "--model", tiny_llama, "--steps", "1", "--output", str(tmp_path / "x"), "--no-progress"])
    assert code == 2 and "chat template" in capsys.readouterr().err

def test_grpo_memory_is_an_sft_step_on_prompts_times_g(tiny_llama):
    from lora_course.models import load_model
    from lora_course.memory import method_memory
    from lora_course.grpo import grpo_memory
    model, _ = load_model(tiny_llama)
    e = grpo_memory(model, prompts=4, G=8, prompt_tokens=20, completion_tokens=12, precision="fp32")
    assert e["total"] == max(method_memory(model, "LoRA", batch=32, seq=32, precision="fp32")["total"], e["sampling"])
    twice = grpo_memory(model, prompts=4, G=16, prompt_tokens=20, completion_tokens=12, precision="fp32")
    assert twice["activations"] == 2 * e["activations"] and e["weights"] < e["sampling"] < e["total"]
