#include "core/export/gguf_writer.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstring>

namespace ft {

namespace {

// gguf_type (ggml/include/gguf.h)
enum : uint32_t { kU8 = 0, kI8, kU16, kI16, kU32, kI32, kF32, kBool, kString, kArray, kU64, kI64, kF64 };

constexpr size_t kMaxTensorName = 63;  // GGML_MAX_NAME 64, with the terminator

template <typename T>
void put(std::string& out, T value) {  // little-endian: the machines we build for are
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void putString(std::string& out, const std::string& s) {
    put<uint64_t>(out, s.size());
    out += s;
}

template <typename T>
std::string scalar(uint32_t type, T value) {
    std::string v;
    put<uint32_t>(v, type);
    put<T>(v, value);
    return v;
}

uint64_t padded(uint64_t n) { return (n + kGgufAlignment - 1) / kGgufAlignment * kGgufAlignment; }

} // namespace

int ggmlTypeSize(GgmlType type) { return int(ggmlTypeTraits(uint32_t(type))->typeSize); }

void GgufWriter::addKv(const std::string& key, std::string encodedValue) {
    for (const auto& kv : m_kv)
        if (kv.key == key) throw Error(ErrorCode::Internal, "gguf: " + key, "metadata key added twice");
    m_kv.push_back({key, std::move(encodedValue)});
}

void GgufWriter::addString(const std::string& key, const std::string& value) {
    std::string v;
    put<uint32_t>(v, kString);
    putString(v, value);
    addKv(key, std::move(v));
}
void GgufWriter::addUint32(const std::string& key, uint32_t value) { addKv(key, scalar(kU32, value)); }
void GgufWriter::addInt32(const std::string& key, int32_t value) { addKv(key, scalar(kI32, value)); }
void GgufWriter::addUint64(const std::string& key, uint64_t value) { addKv(key, scalar(kU64, value)); }
void GgufWriter::addFloat32(const std::string& key, float value) { addKv(key, scalar(kF32, value)); }
void GgufWriter::addBool(const std::string& key, bool value) { addKv(key, scalar(kBool, uint8_t(value ? 1 : 0))); }

void GgufWriter::addArray(const std::string& key, const std::vector<uint32_t>& values) {
    std::string v;
    put<uint32_t>(v, kArray);
    put<uint32_t>(v, kU32);
    put<uint64_t>(v, values.size());
    for (uint32_t x : values) put(v, x);
    addKv(key, std::move(v));
}

void GgufWriter::addArray(const std::string& key, const std::vector<std::string>& values) {
    std::string v;
    put<uint32_t>(v, kArray);
    put<uint32_t>(v, kString);
    put<uint64_t>(v, values.size());
    for (const auto& s : values) putString(v, s);
    addKv(key, std::move(v));
}

void GgufWriter::addTensor(const std::string& name, const std::vector<int64_t>& shape, GgmlType type, std::string data) {
    if (name.empty() || name.size() > kMaxTensorName)
        throw Error(ErrorCode::InvalidValue, "gguf tensor " + name, "names must have 1 to 63 bytes (GGML_MAX_NAME)");
    if (shape.empty() || shape.size() > 4)
        throw Error(ErrorCode::InvalidValue, "gguf tensor " + name, "ggml tensors have 1 to 4 dimensions");
    int64_t numel = 1;
    for (int64_t d : shape) numel *= d;
    if (uint64_t(numel) * ggmlTypeSize(type) != data.size())
        throw Error(ErrorCode::Internal, "gguf tensor " + name,
                    "holds " + std::to_string(data.size()) + " bytes for " + std::to_string(numel) + " elements");
    for (const auto& t : m_tensors)
        if (t.name == name) throw Error(ErrorCode::Internal, "gguf tensor " + name, "added twice");
    m_tensors.push_back({name, shape, type, std::move(data)});
}

void GgufWriter::write(const std::filesystem::path& path) const {
    std::string head;
    put<uint32_t>(head, 0x46554747u);  // "GGUF"
    put<uint32_t>(head, kGgufVersion);
    put<uint64_t>(head, m_tensors.size());
    put<uint64_t>(head, m_kv.size());
    for (const auto& kv : m_kv) {
        putString(head, kv.key);
        head += kv.value;
    }
    uint64_t offset = 0;
    for (const auto& t : m_tensors) {
        putString(head, t.name);
        put<uint32_t>(head, uint32_t(t.shape.size()));
        for (auto d = t.shape.rbegin(); d != t.shape.rend(); ++d) put<uint64_t>(head, uint64_t(*d));
        put<uint32_t>(head, uint32_t(t.type));
        put<uint64_t>(head, offset);
        offset += padded(t.data.size());
    }
    head.append(padded(head.size()) - head.size(), '\0');

    writeFileAtomic(path, [&](std::FILE* f) {
        bool ok = std::fwrite(head.data(), 1, head.size(), f) == head.size();
        const std::string zeros(kGgufAlignment, '\0');
        for (const auto& t : m_tensors) {
            ok = ok && std::fwrite(t.data.data(), 1, t.data.size(), f) == t.data.size();
            const size_t pad = padded(t.data.size()) - t.data.size();
            ok = ok && (pad == 0 || std::fwrite(zeros.data(), 1, pad, f) == pad);
        }
        if (!ok) throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
    });
}

} // namespace ft
