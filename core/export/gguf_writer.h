#pragma once
// A GGUF v3 writer (ggml's container, as gguf-py's GGUFWriter writes it and ggml/src/gguf.cpp reads it):
//   "GGUF", version 3, tensor count, KV count  (little-endian u32, u32, u64, u64)
//   KV pairs: key string, value type u32, value      (strings: u64 length + UTF-8 bytes, no terminator)
//   tensor infos: name, n_dims u32, ne[] u64 (innermost first), ggml type u32, offset u64 into the data section
//   zero padding to the alignment, then each tensor's bytes, each padded to the alignment.
// Torch-free: tensors are given as bytes in row-major (torch) order with their torch shape.

#include "core/io/ggml_dequantize.h" // GgmlType, the one table of ggml's types

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ft {

// Bytes per element of the types we write (F32, F16, BF16: ggml types of block size 1).
int ggmlTypeSize(GgmlType type);

constexpr uint32_t kGgufVersion = 3;
constexpr uint64_t kGgufAlignment = 32;  // GGUF_DEFAULT_ALIGNMENT; no general.alignment key is written for it

class GgufWriter {
public:
    // Metadata in the order added (gguf-py keeps insertion order; llama.cpp does not care, but diffs stay small).
    void addString(const std::string& key, const std::string& value);
    void addUint32(const std::string& key, uint32_t value);
    void addInt32(const std::string& key, int32_t value);
    void addUint64(const std::string& key, uint64_t value);
    void addFloat32(const std::string& key, float value);
    void addBool(const std::string& key, bool value);
    void addArray(const std::string& key, const std::vector<uint32_t>& values);
    void addArray(const std::string& key, const std::vector<std::string>& values);

    // `shape` outermost first (torch order); written reversed as ggml's ne[]. `data` holds numel × type-size bytes.
    void addTensor(const std::string& name, const std::vector<int64_t>& shape, GgmlType type, std::string data);

    // Writes the whole file atomically (temp file, then rename). Throws FileUnwritable.
    void write(const std::filesystem::path& path) const;

private:
    struct Kv {
        std::string key;
        std::string value;  // type id + payload, already encoded
    };
    struct Tensor {
        std::string name;
        std::vector<int64_t> shape;
        GgmlType type;
        std::string data;
    };
    void addKv(const std::string& key, std::string encodedValue);

    std::vector<Kv> m_kv;
    std::vector<Tensor> m_tensors;
};

} // namespace ft
