#!/usr/bin/env python3
"""Reference outputs of bitsandbytes' CPU 4-bit quantizer for tests/tst_quantize.cpp.

Run with the venv described in tests/data/quant/README.md:
    /root/.cache/finetune-studio/bnbvenv/bin/python tests/data/make_quant_fixtures.py
Writes tests/data/quant/reference.safetensors: for every case `<case>/input` and, per configuration
`<case>/<nf4|fp4>_b<blocksize>_<dq|plain>/`, the packed bytes, absmax (or the double-quant statistics:
absmax_q uint8, nested_absmax fp32, offset fp32 scalar) and the dequantized tensor. `dynamic_map` holds the
256-entry code of the nested 8-bit quantization as bitsandbytes used it.

Also writes tests/data/quant/realistic_2048.safetensors: the double-quant statistics of NF4, blocksize 64, for a
realistic 2048x2048 bf16 weight (torch.randn(seed 2048) * 0.02 with 8 outlier rows * 25; the weight itself is not
stored, 8 MB: the test regenerates it with LibTorch's randn and checks it against the stored first-level absmax).
Its 65,536 absmax values are what the nested 8-bit quantization sees; bitsandbytes' CPU path quantizes them through
a 65,536-entry table, which an exact nearest-code search misses on 0.27 % of them.
"""
import os
import sys

import bitsandbytes as bnb
import bitsandbytes.functional as F
import numpy
import safetensors
import torch
from bitsandbytes.backends.default.ops import _dequantize_4bit_compute
from bitsandbytes.backends.utils import _get_4bit_code
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "quant", "reference.safetensors")
OUT_REALISTIC = os.path.join(HERE, "quant", "realistic_2048.safetensors")


def tie_values():
    # Exact boundaries: every code value and every midpoint bitsandbytes' bucketize uses, for both tables,
    # scaled by absmax 1 (the block holds +1.0 so absmax is exactly 1), plus zeros and signed zeros.
    vals = [1.0, -1.0, 0.0, -0.0]
    for qt in ("nf4", "fp4"):
        code = F.get_4bit_type(qt, device="cpu")
        s = torch.sort(code).values
        mids = (s[:-1] + s[1:]) / 2
        vals += s.tolist() + mids.tolist()
        vals += torch.nextafter(mids, torch.tensor(2.0)).tolist() + torch.nextafter(mids, torch.tensor(-2.0)).tolist()
    t = torch.tensor(vals, dtype=torch.float32)
    pad = (-t.numel()) % 64
    t = torch.cat([t, torch.zeros(pad)])
    # A block with one outlier, a block of zeros only (absmax 0), and a tiny partial block.
    g = torch.Generator().manual_seed(3)
    outlier = torch.randn(64, generator=g) * 0.01
    outlier[17] = 250.0
    return torch.cat([t, outlier, torch.zeros(64), torch.tensor([0.5, -0.25, 0.125])])


def cases():
    g = torch.Generator().manual_seed(1234)
    yield "rand_4x192", torch.randn(4, 192, generator=g) * 0.5, (64, 128), (False, True)
    yield "partial_1000", torch.randn(1000, generator=g) * 2.0 + 0.3, (64, 128), (False, True)
    yield "odd_3x333", torch.randn(3, 333, generator=g), (64, 128), (False, True)
    yield "ties", tie_values(), (64, 128), (False, True)
    # 260 absmax blocks of 64: two nested blocks of 256, the last one partial.
    yield "nested_16640", torch.randn(16640, generator=g) * torch.linspace(0.1, 3.0, 16640), (64,), (True,)
    yield "bf16_2x160", (torch.randn(2, 160, generator=g) * 0.7).to(torch.bfloat16), (64, 128), (False, True)


def realistic_weight():
    g = torch.Generator().manual_seed(2048)
    w = torch.randn(2048, 2048, generator=g) * 0.02
    rows = torch.randperm(2048, generator=g)[:8]
    w[rows] *= 25.0
    return w.to(torch.bfloat16), rows


def realistic(meta):
    w, rows = realistic_weight()
    _, plain = F.quantize_4bit(w, blocksize=64, compress_statistics=False, quant_type="nf4")
    _, st = F.quantize_4bit(w, blocksize=64, compress_statistics=True, quant_type="nf4")
    out = {
        "outlier_rows": rows.contiguous(),
        "absmax": plain.absmax.contiguous(),           # fp32 [65536]: the input of the nested quantization
        "absmax_q": st.absmax.contiguous(),            # uint8 [65536]
        "nested_absmax": st.state2.absmax.contiguous(),  # fp32 [256]
        "offset": st.offset.reshape(()).contiguous(),
    }
    save_file(out, OUT_REALISTIC, metadata=meta)
    print(f"wrote {OUT_REALISTIC}: {os.path.getsize(OUT_REALISTIC)} bytes")
    cuda = simulate_cuda_nested_codes(out["absmax"] - out["offset"], st.state2.code)
    print(f"simulated CUDA nested codes differ from the CPU's on {int((cuda != out['absmax_q']).sum())} of {cuda.numel()}")


def simulate_cuda_nested_codes(x, code):
    """bitsandbytes' CUDA kQuantizeBlockwise for the nested codes (csrc/kernels.cu dQuantize<0>), in fp32 numpy:
    x * (1 / absmax), a 7-step binary search of the 256 codes, then the neighbour across the fp32 midpoint. For the
    record (README.md, Quantization) until it is checked on a GPU."""
    code = code.numpy().astype(numpy.float32)
    x = x.numpy().astype(numpy.float32).reshape(-1, 256)
    inv = (numpy.float32(1) / numpy.abs(x).max(axis=1)).astype(numpy.float32)
    out = []
    for v in (x * inv[:, None]).astype(numpy.float32).reshape(-1):
        pivot, upper_pivot, lower_pivot = 127, 255, 0
        lower, upper = numpy.float32(-1), numpy.float32(1)
        val = code[pivot]
        i = 64
        while i > 0:
            if v > val:
                lower_pivot, lower, pivot = pivot, val, pivot + i
            else:
                upper_pivot, upper, pivot = pivot, val, pivot - i
            val = code[pivot]
            i >>= 1
        if upper_pivot == 255:
            upper = code[upper_pivot]
        if lower_pivot == 0:
            lower = code[lower_pivot]
        if v > val:
            out.append(upper_pivot if v > numpy.float32((upper + val) * numpy.float32(0.5)) else pivot)
        else:
            out.append(lower_pivot if v < numpy.float32((lower + val) * numpy.float32(0.5)) else pivot)
    return torch.tensor(out, dtype=torch.uint8)


def main():
    out = {}
    for name, x, blocksizes, dqs in cases():
        out[f"{name}/input"] = x.contiguous()
        for qt in ("nf4", "fp4"):
            for bs in blocksizes:
                for dq in dqs:
                    key = f"{name}/{qt}_b{bs}_{'dq' if dq else 'plain'}"
                    packed, st = F.quantize_4bit(x, blocksize=bs, compress_statistics=dq, quant_type=qt)
                    out[f"{key}/packed"] = packed.reshape(-1).contiguous()
                    if dq:
                        out[f"{key}/absmax_q"] = st.absmax.contiguous()
                        out[f"{key}/nested_absmax"] = st.state2.absmax.contiguous()
                        out[f"{key}/offset"] = st.offset.reshape(()).contiguous()
                        out.setdefault("dynamic_map", st.state2.code.contiguous())
                    else:
                        out[f"{key}/absmax"] = st.absmax.contiguous()
                    # bitsandbytes' public CPU path: on AVX-512 machines its C kernel takes the block of element
                    # (row, col) as row * (cols // blocksize) + col // blocksize, which is wrong when a row is not a
                    # whole number of blocks and there are several rows (the quantizer's blocks run over the
                    # flattened tensor). Kept as a record of the difference.
                    cpu_kernel = F.dequantize_4bit(packed, st).contiguous()
                    # bitsandbytes' device-independent kernel (backends/default/ops.py _dequantize_4bit_compute),
                    # flattened blocks like the quantizer and the CUDA kernel: the reference for every case.
                    absmax = st.absmax
                    if st.nested:
                        absmax = F.dequantize_blockwise(st.absmax, st.state2) + st.offset
                    code = _get_4bit_code(qt, packed.device)
                    out[f"{key}/dequantized"] = _dequantize_4bit_compute(
                        packed.reshape(-1), absmax, code, bs, st.shape, st.dtype
                    ).contiguous()
                    # Stored only where the two differ, to keep the file small.
                    if not torch.equal(cpu_kernel.reshape(-1), out[f"{key}/dequantized"].reshape(-1)):
                        out[f"{key}/dequantized_cpu_kernel"] = cpu_kernel
    meta = {
        "bitsandbytes": bnb.__version__,
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "safetensors": safetensors.__version__,
        "python": sys.version.split()[0],
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
    }
    save_file(out, OUT, metadata=meta)
    print(f"wrote {OUT}: {len(out)} tensors, {os.path.getsize(OUT)} bytes; {meta}")
    realistic(meta)


if __name__ == "__main__":
    main()
