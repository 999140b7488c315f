#include "core/io/gguf_file.h"

#include "core/common/error.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ft {

struct GgufFile::Mapping {
    void* addr = nullptr;
    size_t size = 0;
    ~Mapping() {
        if (addr && addr != MAP_FAILED) ::munmap(addr, size);
    }
};

const char* ggufValueTypeName(GgufValueType type) {
    switch (type) {
    case GgufValueType::UInt8: return "uint8";
    case GgufValueType::Int8: return "int8";
    case GgufValueType::UInt16: return "uint16";
    case GgufValueType::Int16: return "int16";
    case GgufValueType::UInt32: return "uint32";
    case GgufValueType::Int32: return "int32";
    case GgufValueType::Float32: return "float32";
    case GgufValueType::Bool: return "bool";
    case GgufValueType::String: return "string";
    case GgufValueType::Array: return "array";
    case GgufValueType::UInt64: return "uint64";
    case GgufValueType::Int64: return "int64";
    case GgufValueType::Float64: return "float64";
    }
    return "unknown";
}

bool GgufValue::isInteger() const {
    return std::holds_alternative<uint64_t>(value) || std::holds_alternative<int64_t>(value);
}

namespace {

constexpr uint32_t kMaxDims = 4;        // GGML_MAX_DIMS
constexpr int kMaxArrayDepth = 8;       // arrays of arrays are legal; nesting beyond this is hostile

// A cursor over the file's bytes that refuses to read past the end, naming the field it was reading.
class Reader {
public:
    Reader(std::span<const uint8_t> bytes, const std::string& where) : m_bytes(bytes), m_where(where) {}

    uint64_t pos() const { return m_pos; }
    uint64_t left() const { return m_bytes.size() - m_pos; }
    const std::string& where() const { return m_where; }

    const uint8_t* take(uint64_t n, const std::string& field) {
        if (n > left())
            throw Error(ErrorCode::ParseError, m_where + ": " + field,
                        "needs " + std::to_string(n) + " bytes at offset " + std::to_string(m_pos) + ", the file has " +
                            std::to_string(left()) + " left (truncated?)");
        const uint8_t* p = m_bytes.data() + m_pos;
        m_pos += n;
        return p;
    }
    template <typename T> T scalar(const std::string& field) {
        T v;
        std::memcpy(&v, take(sizeof(T), field), sizeof(T)); // GGUF is little-endian, as are our targets
        return v;
    }
    std::string string(const std::string& field) {
        const uint64_t n = scalar<uint64_t>(field + " (length)");
        const uint8_t* p = take(n, field);
        return {reinterpret_cast<const char*>(p), size_t(n)};
    }
    // A count of items of at least `minBytes` each must fit in what is left of the file.
    uint64_t count(const std::string& field, uint64_t minBytes) {
        const uint64_t n = scalar<uint64_t>(field);
        if (n > left() / minBytes)
            throw Error(ErrorCode::ParseError, m_where + ": " + field,
                        std::to_string(n) + " items of at least " + std::to_string(minBytes) + " bytes each, " +
                            std::to_string(left()) + " bytes left in the file");
        return n;
    }

private:
    std::span<const uint8_t> m_bytes;
    const std::string& m_where;
    uint64_t m_pos = 0;
};

uint64_t minValueBytes(GgufValueType t) {
    switch (t) {
    case GgufValueType::UInt8: case GgufValueType::Int8: case GgufValueType::Bool: return 1;
    case GgufValueType::UInt16: case GgufValueType::Int16: return 2;
    case GgufValueType::UInt32: case GgufValueType::Int32: case GgufValueType::Float32: return 4;
    case GgufValueType::UInt64: case GgufValueType::Int64: case GgufValueType::Float64: return 8;
    case GgufValueType::String: return 8;     // the length
    case GgufValueType::Array: return 4 + 8;  // element type and count
    }
    return 1;
}

GgufValueType valueType(Reader& r, const std::string& field) {
    const uint32_t id = r.scalar<uint32_t>(field);
    if (id > uint32_t(GgufValueType::Float64))
        throw Error(ErrorCode::ParseError, r.where() + ": " + field, "unknown value type " + std::to_string(id));
    return GgufValueType(id);
}

GgufValue readValue(Reader& r, GgufValueType type, const std::string& field, int depth) {
    GgufValue v;
    v.type = type;
    switch (type) {
    case GgufValueType::UInt8: v.value = uint64_t(r.scalar<uint8_t>(field)); break;
    case GgufValueType::Int8: v.value = int64_t(r.scalar<int8_t>(field)); break;
    case GgufValueType::UInt16: v.value = uint64_t(r.scalar<uint16_t>(field)); break;
    case GgufValueType::Int16: v.value = int64_t(r.scalar<int16_t>(field)); break;
    case GgufValueType::UInt32: v.value = uint64_t(r.scalar<uint32_t>(field)); break;
    case GgufValueType::Int32: v.value = int64_t(r.scalar<int32_t>(field)); break;
    case GgufValueType::UInt64: v.value = r.scalar<uint64_t>(field); break;
    case GgufValueType::Int64: v.value = r.scalar<int64_t>(field); break;
    case GgufValueType::Float32: v.value = double(r.scalar<float>(field)); break;
    case GgufValueType::Float64: v.value = r.scalar<double>(field); break;
    case GgufValueType::Bool: {
        const uint8_t b = r.scalar<uint8_t>(field);
        if (b > 1) throw Error(ErrorCode::ParseError, r.where() + ": " + field, "bool byte " + std::to_string(b));
        v.value = b == 1;
        break;
    }
    case GgufValueType::String: v.value = r.string(field); break;
    case GgufValueType::Array: {
        if (depth >= kMaxArrayDepth)
            throw Error(ErrorCode::LimitExceeded, r.where() + ": " + field,
                        "arrays nested deeper than " + std::to_string(kMaxArrayDepth));
        v.elementType = valueType(r, field + " (element type)");
        const uint64_t n = r.count(field + " (array length)", minValueBytes(v.elementType));
        std::vector<GgufValue> items;
        items.reserve(size_t(n));
        for (uint64_t i = 0; i < n; ++i)
            items.push_back(readValue(r, v.elementType, field + "[" + std::to_string(i) + "]", depth + 1));
        v.value = std::move(items);
        break;
    }
    }
    return v;
}

bool mulOverflows(uint64_t a, uint64_t b, uint64_t& out) { return __builtin_mul_overflow(a, b, &out); }

} // namespace

GgufFile GgufFile::open(const std::filesystem::path& path) {
    const std::string where = path.string();
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0)
        throw Error(errno == ENOENT ? ErrorCode::FileNotFound : ErrorCode::FileUnreadable, where, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        throw Error(ErrorCode::FileUnreadable, where, std::strerror(e));
    }
    auto mapping = std::make_shared<Mapping>();
    mapping->size = size_t(st.st_size);
    if (mapping->size == 0) {
        ::close(fd);
        throw Error(ErrorCode::ParseError, where, "empty file");
    }
    mapping->addr = ::mmap(nullptr, mapping->size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int e = errno;
    ::close(fd);
    if (mapping->addr == MAP_FAILED) {
        mapping->addr = nullptr;
        throw Error(ErrorCode::FileUnreadable, where, std::strerror(e));
    }
    GgufFile file = parse({static_cast<const uint8_t*>(mapping->addr), mapping->size}, where);
    file.m_mapping = std::move(mapping);
    return file;
}

GgufFile GgufFile::parse(std::span<const uint8_t> bytes, const std::string& where) {
    GgufFile f;
    f.m_where = where;
    f.m_file = bytes;
    Reader r(bytes, f.m_where);

    const uint8_t* magic = r.take(4, "magic");
    if (std::memcmp(magic, "GGUF", 4) != 0)
        throw Error(ErrorCode::ParseError, where + ": magic", "not a GGUF file (no 'GGUF' at the start)");
    f.m_version = r.scalar<uint32_t>("version");
    if (f.m_version != 2 && f.m_version != 3)
        throw Error(ErrorCode::Unsupported, where + ": version",
                    "GGUF version " + std::to_string(f.m_version) + " (2 and 3 are read; a byte-swapped version "
                    "means a big-endian file)");

    // Each tensor info is at least a name length, n_dims, type and offset; each key/value a key length, a type
    // and one byte of value.
    const uint64_t nTensors = r.count("tensor_count", 8 + 4 + 4 + 8);
    const uint64_t nKv = r.count("metadata_kv_count", 8 + 4 + 1);

    f.m_kv.reserve(size_t(nKv));
    for (uint64_t i = 0; i < nKv; ++i) {
        const std::string field = "metadata[" + std::to_string(i) + "]";
        std::string key = r.string(field + " key");
        const GgufValueType type = valueType(r, key + " (type)");
        GgufValue value = readValue(r, type, key, 0);
        if (!f.m_kvIndex.emplace(key, f.m_kv.size()).second)
            throw Error(ErrorCode::ParseError, where + ": " + key, "duplicate metadata key");
        f.m_kv.emplace_back(std::move(key), std::move(value));
    }

    if (const GgufValue* a = f.find("general.alignment")) {
        if (a->type != GgufValueType::UInt32)
            throw Error(ErrorCode::InvalidValue, where + ": general.alignment",
                        std::string("type ") + ggufValueTypeName(a->type) + ", expected uint32");
        const uint64_t align = std::get<uint64_t>(a->value);
        if (align == 0 || (align & (align - 1)) != 0)
            throw Error(ErrorCode::InvalidValue, where + ": general.alignment",
                        std::to_string(align) + " is not a power of two");
        f.m_alignment = align;
    }

    f.m_tensors.reserve(size_t(nTensors));
    for (uint64_t i = 0; i < nTensors; ++i) {
        GgufTensorInfo t;
        t.name = r.string("tensor[" + std::to_string(i) + "] name");
        const std::string field = "tensor '" + t.name + "'";
        const uint32_t nDims = r.scalar<uint32_t>(field + " n_dims");
        if (nDims > kMaxDims)
            throw Error(ErrorCode::ParseError, where + ": " + field + " n_dims",
                        std::to_string(nDims) + " dimensions, at most " + std::to_string(kMaxDims));
        t.numel = 1;
        for (uint32_t d = 0; d < nDims; ++d) {
            const uint64_t n = r.scalar<uint64_t>(field + " ne[" + std::to_string(d) + "]");
            if (n > uint64_t(std::numeric_limits<int64_t>::max()) || mulOverflows(t.numel, n, t.numel) ||
                t.numel > uint64_t(std::numeric_limits<int64_t>::max()))
                throw Error(ErrorCode::ParseError, where + ": " + field + " ne",
                            "the element count overflows 64 bits");
            t.ne.push_back(n);
        }
        const uint32_t typeId = r.scalar<uint32_t>(field + " type");
        const GgmlTypeTraits* traits = ggmlTypeTraits(typeId);
        if (!traits)
            throw Error(ErrorCode::Unsupported, where + ": " + field + " type",
                        "unknown ggml type id " + std::to_string(typeId));
        t.type = traits->type;
        const uint64_t rowLen = t.ne.empty() ? 1 : t.ne[0];
        if (rowLen % traits->blockSize != 0)
            throw Error(ErrorCode::ParseError, where + ": " + field + " ne[0]",
                        "row of " + std::to_string(rowLen) + " values is not whole " + traits->name +
                            " blocks of " + std::to_string(traits->blockSize));
        t.bytes = t.numel / traits->blockSize * traits->typeSize; // numel < 2^63, typeSize < 2^9: no overflow
        if (t.bytes / traits->typeSize != t.numel / traits->blockSize)
            throw Error(ErrorCode::ParseError, where + ": " + field, "byte size overflows 64 bits");
        t.offset = r.scalar<uint64_t>(field + " offset");
        if (t.offset % f.m_alignment != 0)
            throw Error(ErrorCode::ParseError, where + ": " + field + " offset",
                        std::to_string(t.offset) + " is not a multiple of the alignment " +
                            std::to_string(f.m_alignment));
        if (!f.m_tensorIndex.emplace(t.name, f.m_tensors.size()).second)
            throw Error(ErrorCode::ParseError, where + ": " + field, "duplicate tensor name");
        f.m_tensors.push_back(std::move(t));
    }

    // The data section starts at the next multiple of the alignment after the tensor infos.
    const uint64_t pad = (f.m_alignment - r.pos() % f.m_alignment) % f.m_alignment;
    f.m_dataOffset = r.pos() + pad;
    if (!f.m_tensors.empty() && f.m_dataOffset > bytes.size())
        throw Error(ErrorCode::ParseError, where + ": data section",
                    "starts at " + std::to_string(f.m_dataOffset) + ", past the end of the file (" +
                        std::to_string(bytes.size()) + " bytes; truncated?)");
    const uint64_t dataBytes = f.m_dataOffset <= bytes.size() ? bytes.size() - f.m_dataOffset : 0;
    for (const auto& t : f.m_tensors) {
        if (t.offset > dataBytes || t.bytes > dataBytes - t.offset)
            throw Error(ErrorCode::ParseError, where + ": tensor '" + t.name + "'",
                        "bytes [" + std::to_string(t.offset) + ", " + std::to_string(t.offset) + " + " +
                            std::to_string(t.bytes) + ") of the data section lie past the end of the file (" +
                            std::to_string(dataBytes) + " data bytes; truncated?)");
    }
    return f;
}

const GgufValue* GgufFile::find(std::string_view key) const {
    auto it = m_kvIndex.find(key);
    return it == m_kvIndex.end() ? nullptr : &m_kv[it->second].second;
}

namespace {

[[noreturn]] void wrongType(const std::string& where, std::string_view key, const GgufValue& v, const char* want) {
    throw Error(ErrorCode::InvalidValue, where + ": " + std::string(key),
                std::string("type ") + ggufValueTypeName(v.type) + ", expected " + want);
}

} // namespace

std::optional<std::string> GgufFile::getString(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (v->type != GgufValueType::String) wrongType(m_where, key, *v, "string");
    return std::get<std::string>(v->value);
}

std::optional<int64_t> GgufFile::getInt(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (const auto* s = std::get_if<int64_t>(&v->value)) return *s;
    if (const auto* u = std::get_if<uint64_t>(&v->value)) {
        if (*u > uint64_t(std::numeric_limits<int64_t>::max()))
            throw Error(ErrorCode::InvalidValue, m_where + ": " + std::string(key),
                        std::to_string(*u) + " does not fit int64");
        return int64_t(*u);
    }
    wrongType(m_where, key, *v, "an integer");
}

std::optional<double> GgufFile::getFloat(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (const auto* d = std::get_if<double>(&v->value)) return *d;
    wrongType(m_where, key, *v, "float32 or float64");
}

std::optional<bool> GgufFile::getBool(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (const auto* b = std::get_if<bool>(&v->value)) return *b;
    wrongType(m_where, key, *v, "bool");
}

std::optional<std::vector<std::string>> GgufFile::getStringArray(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (v->type != GgufValueType::Array || v->elementType != GgufValueType::String)
        wrongType(m_where, key, *v, "array of strings");
    std::vector<std::string> out;
    const auto& items = std::get<std::vector<GgufValue>>(v->value);
    out.reserve(items.size());
    for (const auto& item : items) out.push_back(std::get<std::string>(item.value));
    return out;
}

const GgufTensorInfo* GgufFile::findTensor(std::string_view name) const {
    auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

std::span<const uint8_t> GgufFile::tensorBytes(const GgufTensorInfo& info) const {
    return m_file.subspan(size_t(m_dataOffset + info.offset), size_t(info.bytes));
}

std::vector<float> GgufFile::dequantize(const GgufTensorInfo& info) const {
    const std::string field = m_where + ": tensor '" + info.name + "'";
    const GgmlTypeTraits* traits = ggmlTypeTraits(uint32_t(info.type));
    if (!traits->dequantize)
        throw Error(ErrorCode::Unsupported, field, std::string("dequantizing ") + traits->name + " is not implemented");
    std::vector<float> out(size_t(info.numel));
    dequantizeToFloat(info.type, tensorBytes(info), out, field.c_str());
    return out;
}

} // namespace ft
