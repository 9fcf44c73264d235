"Saving and loading adapters: what is saved selects the same layers, in our loader and in peft."
import json
from lora_course.models import load_model
from lora_course.lora import inject_lora, save_lora, load_lora, saved_targets
from lora_course.micro import micro_model_path

def _adapted(m):
    return sorted(n.removeprefix("base_model.model.").removesuffix(".lora_A") for n, _ in m.named_modules() if n.endswith("lora_A"))

def test_regex_recipe_round_trips(tiny_t5, tmp_path):
    from peft import PeftModel
    m = inject_lora(load_model(tiny_t5)[0], r".*decoder.*\.(q|v)", r=2, lora_alpha=4)
    assert saved_targets(m) != ["q", "v"]                       # last names alone would adapt the encoder too
    save_lora(m, tmp_path)
    cfg = json.loads((tmp_path / "adapter_config.json").read_text())
    assert cfg["base_model_name_or_path"] == tiny_t5            # the folder the model came from
    ours, theirs = load_lora(load_model(tiny_t5)[0], tmp_path), PeftModel.from_pretrained(load_model(tiny_t5)[0], tmp_path)
    assert _adapted(ours) == _adapted(theirs) == _adapted(m) and all("decoder" in n for n in _adapted(m))

def test_last_names_are_kept_when_they_select_the_same_layers(tiny_t5, tmp_path):
    m = inject_lora(load_model(tiny_t5)[0], ["q", "v"], r=2)
    assert saved_targets(m) == ["q", "v"]
    assert _adapted(load_lora(load_model(tiny_t5)[0], save_lora(m, tmp_path))) == _adapted(m)

def test_micro_base_is_saved_as_a_folder_peft_can_load(tmp_path):
    m = inject_lora(load_model("micro-t5")[0], ["q"], r=2)
    save_lora(m, tmp_path, "micro-t5")
    base = json.loads((tmp_path / "adapter_config.json").read_text())["base_model_name_or_path"]
    assert base == str(micro_model_path("micro-t5"))            # "micro-t5" would send peft to the hub

def test_a_variant_adapter_loads_onto_variant_layers_and_says_so_otherwise(tiny_t5, tmp_path):
    import pytest, torch
    from lora_course.variants import VariantLoRALinear
    m = inject_lora(load_model(tiny_t5)[0], ["q", "v"], r=2, lora_alpha=4, layer=VariantLoRALinear, use_dora=True, use_rslora=True)
    for x in m.modules():
        if isinstance(x, VariantLoRALinear): torch.nn.init.normal_(x.lora_B.weight, std=0.1)   # an adapter that changes the output
    save_lora(m, tmp_path)
    with pytest.raises(ValueError, match="layer=VariantLoRALinear"): load_lora(load_model(tiny_t5)[0], tmp_path)
    back = load_lora(load_model(tiny_t5)[0], tmp_path, layer=VariantLoRALinear)
    layers = [x for x in back.modules() if isinstance(x, VariantLoRALinear)]
    assert layers and all(x.use_dora and x.use_rslora for x in layers)
    ids = torch.tensor([[3, 4, 5, 1]])
    with torch.no_grad():
        m.eval(); back.eval()
        assert torch.equal(m(input_ids=ids, labels=ids).logits, back(input_ids=ids, labels=ids).logits)
