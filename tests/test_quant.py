"Our NF4 (notebook 05) against bitsandbytes on tensors the notebook does not try, and the bits it stores."
import pytest, torch
import bitsandbytes.functional as bnbF
from lora_course.quant import nf4_codebook, quantize_nf4, dequantize_nf4, bits_per_parameter, double_quantize, double_dequantize

@pytest.mark.slow
@pytest.mark.parametrize("shape,blocksize", [((7,), 64), ((33, 65), 64), ((128, 3), 128), ((5, 200), 256)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_nf4_matches_bitsandbytes(shape, blocksize, dtype):
    torch.manual_seed(sum(shape))
    w = (torch.randn(shape) * 3).to(dtype)
    packed, absmax = quantize_nf4(w, blocksize)
    theirs, state = bnbF.quantize_4bit(w, blocksize=blocksize, quant_type="nf4", compress_statistics=False)
    assert torch.equal(packed, theirs.reshape(-1)) and torch.equal(absmax, state.absmax)
    diff = (dequantize_nf4(packed, absmax, w.shape, blocksize, dtype).float() - bnbF.dequantize_4bit(theirs, state).float()).abs().max()
    assert diff <= 2 * torch.finfo(dtype).eps * absmax.max()   # computed levels vs bitsandbytes' typed table (notebook 05)

def test_codebook_sorted_with_exact_zero():
    cb = nf4_codebook()
    assert cb.shape == (16,) and torch.all(cb[1:] > cb[:-1]) and (cb == 0).sum() == 1 and cb[0] == -1 and cb[-1] == 1

def test_double_quantization_bits_and_error():
    w = torch.randn(256, 1024)
    assert abs(bits_per_parameter(w) - 4.5) < 1e-3 and abs(bits_per_parameter(w, double=True) - 4.127) < 2e-3
    _, absmax = quantize_nf4(w)
    assert ((double_dequantize(*double_quantize(absmax)) - absmax).abs() / absmax).max() < 0.05
