#!/usr/bin/env python3
"""Writes tests/data/reference.safetensors with the safetensors Python package (pip install safetensors numpy),
so the C++ reader is checked against files the reference library writes."""
import os
import numpy as np
from safetensors.numpy import save_file

here = os.path.dirname(os.path.abspath(__file__))
bf16 = np.array([1.5, -2.0, 0.25], dtype=np.float32).view(np.uint32) >> 16  # exact in bfloat16
tensors = {
    "a_f32": (np.arange(6, dtype=np.float32).reshape(2, 3) / 4.0),
    "b_bf16": bf16.astype(np.uint16),
    "c_i64": np.array([-1, 1 << 40], dtype=np.int64),
    "d_f16": np.array([[0.5], [-0.125]], dtype=np.float16),
}
path = os.path.join(here, "reference.safetensors")
save_file(tensors, path, metadata={"made_by": "safetensors-python"})
# numpy has no bfloat16: patch the header's dtype for b_bf16 from U16 to BF16 (same size, same bytes).
with open(path, "r+b") as f:
    n = int.from_bytes(f.read(8), "little")
    header = f.read(n)
    patched = header.rstrip(b" ").replace(b'"U16"', b'"BF16"')
    rest = f.read()
with open(path, "wb") as f:
    pad = (8 - len(patched) % 8) % 8
    patched += b" " * pad
    f.write(len(patched).to_bytes(8, "little") + patched + rest)
print("wrote", path)
