"""Benchmark: our NF4 quantize/dequantize (notebook 05) against bitsandbytes' on this CPU, on realistic weight shapes.

Checks equality first: block absmax bit-identical; 4-bit codes identical except ties, weights that lie exactly on the
midpoint between two levels, where our computed NF4 levels and bitsandbytes' printed table differ in the last bit
(`code_differences` of notebook 05: the script counts them and stops if any other code differs); dequantized values equal up to the rounding notebook 05
explains. Then it times both, each after a warm-up call (bitsandbytes may compile its CPU kernels on first
use), median of interleaved repeats. The course's goal: our time ≤ 2 × bitsandbytes'.
Writes bench/results/nf4.json.
Usage: python bench/nf4.py [--repeats 7] [--quick]   (--quick: one small shape, 2 repeats, writes nothing)
"""
import argparse, statistics, time
from common import write_result

SHAPES = [(768, 768), (768, 3072), (4096, 4096)]
BLOCKSIZE = 64

def median_time(fn, repeats:int)->float:
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--repeats", type=int, default=7); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    import torch
    import bitsandbytes.functional as bnbF
    from lora_course.env import quiet_hf; quiet_hf()
    from lora_course.quant import quantize_nf4, dequantize_nf4, code_differences
    shapes, repeats = ([(128, 128)], 2) if a.quick else (SHAPES, a.repeats)
    torch.manual_seed(0)
    rows = []
    for shape in shapes:
        for dtype in (torch.float32, torch.bfloat16):
            w = (torch.randn(shape) * 0.02).to(dtype)
            ours = lambda: quantize_nf4(w, BLOCKSIZE)
            theirs = lambda: bnbF.quantize_4bit(w, blocksize=BLOCKSIZE, quant_type="nf4", compress_statistics=False)
            (packed, absmax), (their_packed, state) = ours(), theirs()   # also the warm-up
            if not torch.equal(absmax, state.absmax): raise SystemExit(f"block absmax differs from bitsandbytes' for {shape} {dtype}")
            d = code_differences(w, absmax, packed, their_packed, BLOCKSIZE)
            if d["differ"] != d["ties"]:
                raise SystemExit(f"{d['differ'] - d['ties']} NF4 codes differ from bitsandbytes' away from a tie ({shape} {dtype}): "
                                 "the benchmark compares equal work only")
            ties = d["positions"]
            deq = lambda: dequantize_nf4(packed, absmax, w.shape, BLOCKSIZE, dtype)
            their_deq = lambda: bnbF.dequantize_4bit(their_packed, state)
            gap = (deq().float() - their_deq().float()).abs().reshape(-1)
            gap[ties] = 0                                                # a tie decoded to its neighbouring level
            diff = gap.max().item()
            t = {}
            for _ in range(repeats):   # interleaved: a slow phase of the machine hits both alike
                for name, fn in (("ours_q", ours), ("bnb_q", theirs), ("ours_dq", deq), ("bnb_dq", their_deq)):
                    t.setdefault(name, []).append(median_time(fn, 1))
            m = {k: statistics.median(v) * 1e3 for k, v in t.items()}
            rows.append(dict(shape=list(shape), dtype=str(dtype).split(".")[1], codes=2 * packed.numel(), boundary_ties=len(ties), max_dequant_diff=diff,
                             ours_quantize_ms=m["ours_q"], bnb_quantize_ms=m["bnb_q"], quantize_ratio=m["ours_q"] / m["bnb_q"],
                             ours_dequantize_ms=m["ours_dq"], bnb_dequantize_ms=m["bnb_dq"], dequantize_ratio=m["ours_dq"] / m["bnb_dq"]))
            r = rows[-1]
            print(f"{str(shape):14s} {r['dtype']:9s} codes identical but {len(ties)} boundary ties · max |dequant diff| {diff:.1e} · "
                  f"quantize {r['ours_quantize_ms']:8.2f} vs "
                  f"{r['bnb_quantize_ms']:8.2f} ms ({r['quantize_ratio']:.2f}×) · dequantize {r['ours_dequantize_ms']:8.2f} vs "
                  f"{r['bnb_dequantize_ms']:8.2f} ms ({r['dequantize_ratio']:.2f}×)")
    worst = max(max(r["quantize_ratio"], r["dequantize_ratio"]) for r in rows)
    print(f"worst ratio ours / bitsandbytes: {worst:.2f}× (the course's goal: ≤ 2×)")
    if not a.quick:
        import bitsandbytes
        write_result("nf4", dict(rows=rows, worst_ratio=worst, blocksize=BLOCKSIZE, repeats=repeats, bitsandbytes=bitsandbytes.__version__))
