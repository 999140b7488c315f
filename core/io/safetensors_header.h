#pragma once
// The safetensors container: 8-byte little-endian header length, a JSON header, then the tensor bytes.
// Parsing and validation live here without LibTorch so they can be fuzzed on their own.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ft {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool, F8_E4M3, F8_E5M2 };

std::optional<DType> dtypeFromName(std::string_view name);  // "F32" -> DType::F32
const char* dtypeName(DType dtype);
int dtypeSize(DType dtype);

struct TensorEntry {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0;  // offsets into the data section
    uint64_t end = 0;
    int64_t numel() const;
};

struct SafetensorsHeader {
    uint64_t headerBytes = 0;  // length of the JSON header (after the 8-byte prefix)
    std::vector<TensorEntry> entries;  // in the order of their offsets
    std::map<std::string, std::string> metadata;
    uint64_t dataOffset() const { return 8 + headerBytes; }
};

// Validates everything before any tensor is touched: sizes, dtypes, shapes, offsets in range,
// no overlaps or gaps, shape × dtype == byte length. `fileSize` is the whole file's size.
// Throws ft::Error naming `where` (the file) and the tensor.
SafetensorsHeader parseSafetensorsHeader(std::string_view headerJson, uint64_t fileSize, const std::string& where);

// Reads the 8-byte prefix; refuses lengths past the end of the file or above a sane cap (100 MB).
uint64_t readHeaderLength(const unsigned char* prefix, uint64_t fileSize, const std::string& where);

} // namespace ft
