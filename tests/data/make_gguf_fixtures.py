#!/usr/bin/env python3
"""Reference GGUF file and its dequantized tensors for tests/tst_gguf.cpp.

Run with the reference venv (gguf 0.19.0, numpy, safetensors):
    ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_gguf_fixtures.py
Writes tests/data/gguf/reference.gguf with gguf-py's GGUFWriter (version 3, general.alignment 64): metadata of
every value type, arrays included, and tensors of F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K,
Q5_K and Q6_K. Where gguf-py can quantize a type (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1) the tensor `<type>` is that
quantization of varied input (row scales from 1e-7 to 1e4, a zero block, signed zeros, outliers) and `<type>.raw`
holds random blocks; K-quants, which gguf-py cannot quantize, are random blocks only. Random blocks are random
bytes whose f16 scales (d, dmin) are random finite halves, the first blocks forced to 0, -0, +-65504 and
subnormals. F16 and BF16 hold every one of the 65,536 bit patterns.
Writes tests/data/gguf/reference.safetensors: for each tensor its float32 values as gguf-py's GGUFReader reads the
written file and gguf.quants.dequantize turns them into float32, shape as the reader reports it.
"""
import os

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_GGUF = os.path.join(HERE, "gguf", "reference.gguf")
OUT_REF = os.path.join(HERE, "gguf", "reference.safetensors")

# Byte offsets of the f16 scale fields inside one block (ggml-common.h block_* structs).
F16_FIELDS = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}
SPECIAL_HALVES = [0x0000, 0x8000, 0x7BFF, 0xFBFF, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0xBC00]


def random_blocks(rng, qtype, n_blocks):
    _, type_size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    for k, off in enumerate(F16_FIELDS[qtype]):
        h = rng.integers(0, 0x10000, size=n_blocks, dtype=np.uint32).astype(np.uint16)
        h = np.where((h & 0x7C00) == 0x7C00, h & 0xBFFF, h).astype(np.uint16)  # finite: clear an exponent bit
        for i, s in enumerate(SPECIAL_HALVES):
            h[(i + 3 * k) % n_blocks] = s
        blocks[:, off:off + 2] = h.view(np.uint8).reshape(n_blocks, 2)
    return blocks


def varied_input(rng, rows, cols):
    x = rng.standard_normal((rows, cols)).astype(np.float32)
    scales = np.logspace(-7, 4, rows).astype(np.float32)
    x *= scales[:, None]
    x[0, :32] = 0.0             # an all-zero block (d = 0)
    x[1, :32] = -0.0            # signed zeros only
    x[1, 32:64:3] = -0.0
    x[2, 40] = 3.0e4            # one outlier in a block
    x[3, 64:96] = 1.0           # a constant block (max == min for the _1 types)
    x[3, 96:128] = np.linspace(-1, 1, 32)
    return x


def main():
    rng = np.random.default_rng(1729)
    w = gguf.GGUFWriter(OUT_GGUF, "llama")
    w.add_custom_alignment(64)
    w.add_name("GGUF fixture ✓ 테스트")
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4000000000)
    w.add_int32("test.i32", -2000000000)
    w.add_uint64("test.u64", 2**63 + 5)
    w.add_int64("test.i64", -(2**62) - 3)
    w.add_float32("test.f32", 0.1)
    w.add_float64("test.f64", -1.0e300)
    w.add_bool("test.true", True)
    w.add_bool("test.false", False)
    w.add_key_value("test.empty", "", gguf.GGUFValueType.STRING)  # add_string skips empty strings
    w.add_array("test.arr_str", ["a", "", "bc", "✓"])
    w.add_array("test.arr_i32", [1, -2, 3])
    w.add_array("test.arr_f32", [0.5, -0.25])
    w.add_array("test.arr_bool", [True, False, True])
    w.add_key_value("test.arr_u8", [0, 255], gguf.GGUFValueType.ARRAY, sub_type=gguf.GGUFValueType.UINT8)
    w.add_key_value("test.arr_nested", [[1, 2], [3]], gguf.GGUFValueType.ARRAY)
    w.add_context_length(4096)

    tensors = []  # (name, bytes or array, raw_dtype)
    f32 = (rng.standard_normal((4, 64)) * 10).astype(np.float32)
    f32.flat[:8] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -3.4028235e38, 1.17549435e-38]
    tensors.append(("f32", f32, None))
    tensors.append(("f16", np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).reshape(256, 256),
                    None))
    tensors.append(("bf16", np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.uint8).reshape(256, 512),
                    T.BF16))
    for qtype in (T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1):
        tensors.append((qtype.name.lower(), quantize(varied_input(rng, 8, 256), qtype), qtype))
        tensors.append((qtype.name.lower() + ".raw", random_blocks(rng, qtype, 64).reshape(8, -1), qtype))
    for qtype in (T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K):
        tensors.append((qtype.name.lower(), random_blocks(rng, qtype, 24).reshape(6, -1), qtype))
    # A 3-d tensor: the reader reverses ggml's ne into this shape.
    tensors.append(("blk.0.attn_q.weight", quantize(varied_input(rng, 6, 128), T.Q8_0).reshape(2, 3, -1), T.Q8_0))

    for name, data, qtype in tensors:
        w.add_tensor(name, data, raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    # The reference: what gguf-py reads back from the file, dequantized.
    reader = gguf.GGUFReader(OUT_GGUF)
    ref = {}
    for t in reader.tensors:
        values = dequantize(np.asarray(t.data), t.tensor_type).astype(np.float32, copy=False)
        shape = tuple(int(n) for n in reversed(t.shape.tolist()))
        ref[t.name] = np.ascontiguousarray(values.reshape(shape))
        print(f"{t.name:24s} {t.tensor_type.name:5s} {shape} {values.size} values")
    save_file(ref, OUT_REF)


if __name__ == "__main__":
    main()
