"LoRA's variants through the `finetune` command: each trains, is saved, and scores the same when `evaluate` reloads it from disk."
import json, pytest
from lora_course.cli import finetune_model, evaluate_saved

@pytest.mark.slow
@pytest.mark.parametrize("options", [dict(dora=True, rslora=True, loraplus_ratio=16), dict(init="pissa"), dict(init="olora")])
def test_variant_trains_saves_and_reloads(tmp_path, options):
    out = tmp_path / "adapter"
    ft = finetune_model(method="lora", steps=3, n_eval=8, output=out, progress=False, **options)
    saved = json.loads((out / "adapter_config.json").read_text())
    assert saved["use_dora"] == options.get("dora", False) and saved["use_rslora"] == options.get("rslora", False)
    if "init" in options: assert saved["r"] == 16          # PiSSA/OLoRA are shared as a plain LoRA of rank 2r on the original weights
    assert evaluate_saved(adapter=out, n=8, progress=False)["scores"] == ft["scores"]   # reloaded on the original base: the same summaries
    assert json.loads((out / "metrics.json").read_text())["loraplus_ratio"] == options.get("loraplus_ratio", 0)

def test_loraplus_gives_b_its_own_learning_rate():
    import torch
    from lora_course.lora import attach_lora
    from lora_course.models import load_model
    from lora_course.variants import loraplus_optimizer
    m = attach_lora(load_model("micro-t5")[0], targets=["q", "v"])
    opt = loraplus_optimizer(m, lr=1e-3, loraplus_lr_ratio=16)
    ids = {id(p) for g in opt.param_groups if g["lr"] == 16e-3 for p in g["params"]}
    assert ids == {id(p) for n, p in m.named_parameters() if "lora_B" in n} and isinstance(opt, torch.optim.AdamW)

@pytest.mark.parametrize("options, message", [(dict(method="full", dora=True), "use them with --method lora"),
                                              (dict(method="qlora", init="pissa"), "full-precision weights"),
                                              (dict(init="gaussian"), "unknown init")])
def test_variant_errors_name_the_fix(options, message):
    with pytest.raises(ValueError, match=message): finetune_model(steps=1, n_eval=0, progress=False, **options)
