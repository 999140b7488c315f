#include "core/io/safetensors_header.h"

#include "core/common/error.h"
#include "core/io/json_error.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ft {

namespace {
constexpr uint64_t kMaxHeaderBytes = 100u << 20;  // the reference implementation's limit

struct DTypeRow {
    DType dtype;
    const char* name;
    int size;
};
constexpr DTypeRow kDTypes[] = {
    {DType::F64, "F64", 8},  {DType::F32, "F32", 4},  {DType::F16, "F16", 2},        {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8},  {DType::I32, "I32", 4},  {DType::I16, "I16", 2},        {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},    {DType::Bool, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};
} // namespace

std::optional<DType> dtypeFromName(std::string_view name) {
    for (const auto& row : kDTypes)
        if (name == row.name) return row.dtype;
    return std::nullopt;
}

const char* dtypeName(DType dtype) {
    for (const auto& row : kDTypes)
        if (row.dtype == dtype) return row.name;
    return "?";
}

int dtypeSize(DType dtype) {
    for (const auto& row : kDTypes)
        if (row.dtype == dtype) return row.size;
    return 0;
}

int64_t TensorEntry::numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

uint64_t readHeaderLength(const unsigned char* prefix, uint64_t fileSize, const std::string& where) {
    if (fileSize < 8) throw Error(ErrorCode::ParseError, where, "file is shorter than the 8-byte header length");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | prefix[i];
    if (n > kMaxHeaderBytes)
        throw Error(ErrorCode::ParseError, where, "header length " + std::to_string(n) + " exceeds 100 MB");
    if (n > fileSize - 8)
        throw Error(ErrorCode::ParseError, where,
                    "header length " + std::to_string(n) + " runs past the end of the file (" +
                        std::to_string(fileSize) + " bytes); the file is truncated");
    return n;
}

SafetensorsHeader parseSafetensorsHeader(std::string_view headerJson, uint64_t fileSize, const std::string& where) {
    SafetensorsHeader header;
    header.headerBytes = headerJson.size();
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(headerJson);
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw Error(ErrorCode::ParseError, where, "header JSON: " + describeJsonError(e));
    }
    if (!root.is_object()) throw Error(ErrorCode::ParseError, where, "header is not a JSON object");
    const uint64_t dataBytes = fileSize - 8 - header.headerBytes;

    for (auto it = root.begin(); it != root.end(); ++it) {
        const std::string& name = it.key();
        const auto& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object()) throw Error(ErrorCode::ParseError, where, "__metadata__ is not an object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    throw Error(ErrorCode::ParseError, where, "__metadata__." + m.key() + " is not a string");
                header.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string at = where + ": tensor '" + name + "'";
        if (!v.is_object()) throw Error(ErrorCode::ParseError, at, "entry is not an object");
        if (!v.contains("dtype") || !v["dtype"].is_string()) throw Error(ErrorCode::MissingField, at, "no dtype");
        if (!v.contains("shape") || !v["shape"].is_array()) throw Error(ErrorCode::MissingField, at, "no shape");
        if (!v.contains("data_offsets") || !v["data_offsets"].is_array() || v["data_offsets"].size() != 2)
            throw Error(ErrorCode::MissingField, at, "no data_offsets [begin, end]");
        TensorEntry e;
        e.name = name;
        const auto dtype = dtypeFromName(v["dtype"].get<std::string>());
        if (!dtype) throw Error(ErrorCode::Unsupported, at, "unknown dtype " + v["dtype"].get<std::string>());
        e.dtype = *dtype;
        uint64_t numel = 1;
        for (const auto& d : v["shape"]) {
            if (!d.is_number_unsigned()) throw Error(ErrorCode::ParseError, at, "shape holds a non-natural number");
            const uint64_t dim = d.get<uint64_t>();
            if (dim != 0 && numel > dataBytes / dim)  // also guards the multiplication against overflow
                throw Error(ErrorCode::ParseError, at, "shape is larger than the file");
            numel *= dim;
            e.shape.push_back(static_cast<int64_t>(dim));
        }
        for (const auto& o : v["data_offsets"])
            if (!o.is_number_unsigned()) throw Error(ErrorCode::ParseError, at, "data_offsets are not natural numbers");
        e.begin = v["data_offsets"][0].get<uint64_t>();
        e.end = v["data_offsets"][1].get<uint64_t>();
        if (e.begin > e.end || e.end > dataBytes)
            throw Error(ErrorCode::ParseError, at,
                        "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                            "] fall outside the data section of " + std::to_string(dataBytes) + " bytes");
        if (numel * static_cast<uint64_t>(dtypeSize(e.dtype)) != e.end - e.begin)
            throw Error(ErrorCode::ParseError, at,
                        "shape x dtype is " + std::to_string(numel * dtypeSize(e.dtype)) + " bytes but data_offsets span " +
                            std::to_string(e.end - e.begin));
        header.entries.push_back(std::move(e));
    }

    std::sort(header.entries.begin(), header.entries.end(),
              [](const TensorEntry& a, const TensorEntry& b) { return a.begin < b.begin || (a.begin == b.begin && a.end < b.end); });
    uint64_t cursor = 0;
    for (const auto& e : header.entries) {
        if (e.begin != cursor)
            throw Error(ErrorCode::ParseError, where + ": tensor '" + e.name + "'",
                        e.begin < cursor ? "overlaps the tensor before it" : "leaves a gap before it");
        cursor = e.end;
    }
    if (cursor != dataBytes)
        throw Error(ErrorCode::ParseError, where,
                    "data section has " + std::to_string(dataBytes) + " bytes but the tensors cover " + std::to_string(cursor));
    return header;
}

} // namespace ft
