"""Benchmark: our `LoRALinear` (notebook 04) against peft's LoRA layer, one layer, realistic shapes.

Forward + backward of one linear layer with LoRA r=16 on 4096 tokens (batch × sequence), as inside a real model:
the input needs its gradient (the layers below it train too), the frozen weight gets none. Shapes: 768×768
(flan-t5-base's attention), 768×3072 (its feed-forward) and 4096×4096 (a 7B model's attention). Both layers wrap
copies of the same `nn.Linear` with the same adapters; their outputs are checked equal first. Timings are
interleaved (ours, peft's, ours, ...) so a slow phase of the machine hits both alike; medians reported.
The course's goal: ours ≤ 1.1 × peft's. Writes bench/results/lora_layer.json.
Usage: python bench/lora_layer.py [--repeats 7] [--tokens 4096] [--quick]   (--quick: one small shape, 2 repeats, writes nothing)
"""
import argparse, copy, statistics, time
from common import write_result

SHAPES = [(768, 768), (768, 3072), (4096, 4096)]   # (d_in, d_out)

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--repeats", type=int, default=7); p.add_argument("--tokens", type=int, default=4096)
    p.add_argument("--r", type=int, default=16); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    import torch
    from torch import nn
    from peft import LoraConfig, get_peft_model
    from lora_course.lora import inject_lora
    shapes, repeats, tokens = ([(128, 256)], 2, 256) if a.quick else (SHAPES, a.repeats, a.tokens)

    class OneLayer(nn.Module):
        def __init__(self, layer): super().__init__(); self.proj = layer
        def forward(self, x): return self.proj(x)

    rows = []
    for d_in, d_out in shapes:
        torch.manual_seed(0)
        layer = nn.Linear(d_in, d_out)
        ours = inject_lora(OneLayer(copy.deepcopy(layer)), ["proj"], r=a.r, lora_alpha=2 * a.r)
        theirs = get_peft_model(OneLayer(copy.deepcopy(layer)), LoraConfig(r=a.r, lora_alpha=2 * a.r, target_modules=["proj"]))
        with torch.no_grad():   # same adapter weights, B nonzero so the LoRA path counts
            for m in (ours.proj, theirs.base_model.model.proj):
                A = m.lora_A if isinstance(m.lora_A, nn.Linear) else m.lora_A["default"]
                B = m.lora_B if isinstance(m.lora_B, nn.Linear) else m.lora_B["default"]
                g = torch.Generator().manual_seed(1)
                A.weight.copy_(torch.randn(A.weight.shape, generator=g) * 0.02); B.weight.copy_(torch.randn(B.weight.shape, generator=g) * 0.02)
        x = torch.randn(tokens, d_in, requires_grad=True); grad_out = torch.randn(tokens, d_out)
        diff = (ours(x) - theirs(x)).abs().max().item()
        if diff > 1e-4: raise SystemExit(f"outputs differ ({diff:.2e}) for {d_in}×{d_out}: the benchmark compares equal work only")
        def step(m):
            def run():
                x.grad = None; m.zero_grad(set_to_none=True)
                m(x).backward(grad_out)
            return run
        fns = {"ours": step(ours), "peft": step(theirs)}
        for fn in fns.values(): fn()   # warm-up
        t = {k: [] for k in fns}
        for _ in range(repeats):
            for k, fn in fns.items():
                s = time.perf_counter(); fn(); t[k].append(time.perf_counter() - s)
        ms = {k: statistics.median(v) * 1e3 for k, v in t.items()}
        rows.append(dict(shape=[d_in, d_out], tokens=tokens, r=a.r, max_output_diff=diff, ours_ms=ms["ours"], peft_ms=ms["peft"],
                         ratio=ms["ours"] / ms["peft"]))
        print(f"{d_in:5d}×{d_out:<5d} {tokens} tokens, r={a.r}: forward+backward ours {ms['ours']:8.2f} ms · peft {ms['peft']:8.2f} ms · "
              f"ratio {rows[-1]['ratio']:.3f} (outputs equal within {diff:.1e})", flush=True)
    worst = max(r["ratio"] for r in rows)
    print(f"worst ratio ours / peft: {worst:.3f} (the course's goal: ≤ 1.1)")
    if not a.quick:
        import peft
        write_result("lora_layer", dict(rows=rows, worst_ratio=worst, repeats=repeats, peft=peft.__version__))
