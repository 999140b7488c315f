#pragma once
// GGUF reader (versions 2 and 3, little-endian): metadata key/values of every type, tensor infos, alignment and
// the data section, memory-mapped. Every count, length, size and offset is checked against the file before it is
// used; errors name the file and the field. Plain C++ (no torch): GgufFile::parse takes bytes, for the fuzzer.
// Spec: ggml/docs/gguf.md; the reference reader is gguf-py's GGUFReader.

#include "core/io/ggml_dequantize.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ft {

// gguf_type ids of metadata values.
enum class GgufValueType : uint32_t {
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8,
    Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
};
const char* ggufValueTypeName(GgufValueType type);

struct GgufValue {
    GgufValueType type = GgufValueType::UInt8;
    GgufValueType elementType = GgufValueType::UInt8; // arrays only
    // Unsigned types in uint64_t, signed in int64_t, floats in double (a float32 widened exactly).
    std::variant<uint64_t, int64_t, double, bool, std::string, std::vector<GgufValue>> value;

    bool isInteger() const;
    bool isArray() const { return type == GgufValueType::Array; }
};

struct GgufTensorInfo {
    std::string name;
    std::vector<uint64_t> ne; // ggml order, fastest-varying first (ne[0] is the row length)
    GgmlType type = GgmlType::F32;
    uint64_t offset = 0;      // from the start of the data section
    uint64_t numel = 0;
    uint64_t bytes = 0;

    // PyTorch order (outermost first): ne reversed, as gguf-py's GGUFReader reports tensor shapes.
    std::vector<int64_t> shape() const { return {ne.rbegin(), ne.rend()}; }
};

class GgufFile {
public:
    static GgufFile open(const std::filesystem::path& path);
    // Parses a whole file already in memory; the bytes must outlive the GgufFile. `where` names it in errors.
    static GgufFile parse(std::span<const uint8_t> file, const std::string& where);

    uint32_t version() const { return m_version; }
    uint64_t alignment() const { return m_alignment; }
    uint64_t dataOffset() const { return m_dataOffset; }
    const std::string& where() const { return m_where; }

    // Keys in file order.
    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return m_kv; }
    const GgufValue* find(std::string_view key) const;
    // Typed getters: nullopt when the key is absent, ft::Error (InvalidValue, naming the key) when its type differs.
    // getInt accepts any integer type whose value fits int64; getFloat accepts float32/float64.
    std::optional<std::string> getString(std::string_view key) const;
    std::optional<int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    std::optional<std::vector<std::string>> getStringArray(std::string_view key) const;
    std::string architecture() const { return getString("general.architecture").value_or(""); }

    const std::vector<GgufTensorInfo>& tensors() const { return m_tensors; }
    const GgufTensorInfo* findTensor(std::string_view name) const;
    // The tensor's bytes inside the mapping (checked in bounds when the file was opened).
    std::span<const uint8_t> tensorBytes(const GgufTensorInfo& info) const;
    // Dequantized to float32 in ggml order (row-major over shape()); throws Unsupported for types we cannot.
    std::vector<float> dequantize(const GgufTensorInfo& info) const;

private:
    struct Mapping;
    std::string m_where;
    std::shared_ptr<Mapping> m_mapping; // null when parsed from caller-owned bytes
    std::span<const uint8_t> m_file;
    uint32_t m_version = 0;
    uint64_t m_alignment = 32;
    uint64_t m_dataOffset = 0;
    std::vector<std::pair<std::string, GgufValue>> m_kv;
    std::map<std::string, size_t, std::less<>> m_kvIndex;
    std::vector<GgufTensorInfo> m_tensors;
    std::map<std::string, size_t, std::less<>> m_tensorIndex;
};

} // namespace ft
