#include "core/io/safetensors.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/mman.h>
#include <sys/stat.h>
#include <torch/torch.h>
#include <unistd.h>

namespace ft {

struct SafetensorsFile::Mapping {
    void* addr = nullptr;
    size_t size = 0;
    std::vector<std::atomic<int>> views;  // live tensors per header entry
    ~Mapping() {
        if (addr && addr != MAP_FAILED) ::munmap(addr, size);
    }
    // madvise DONTNEED on the pages wholly inside [begin, end) of the mapping: only those no neighbour shares.
    void dropPages(uintptr_t begin, uintptr_t end) const {
        const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto base = reinterpret_cast<uintptr_t>(addr);
        const uintptr_t first = (base + begin + page - 1) / page * page, last = (base + end) / page * page;
        if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    }
};

namespace {

torch::Dtype torchDtype(DType dtype) {
    switch (dtype) {
    case DType::F64: return torch::kFloat64;
    case DType::F32: return torch::kFloat32;
    case DType::F16: return torch::kFloat16;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kInt64;
    case DType::I32: return torch::kInt32;
    case DType::I16: return torch::kInt16;
    case DType::I8: return torch::kInt8;
    case DType::U8: return torch::kUInt8;
    case DType::Bool: return torch::kBool;
    case DType::F8_E4M3: return torch::kFloat8_e4m3fn;
    case DType::F8_E5M2: return torch::kFloat8_e5m2;
    }
    return torch::kUInt8;
}

DType fileDtype(torch::Dtype dtype, const std::string& name) {
    switch (dtype) {
    case torch::kFloat64: return DType::F64;
    case torch::kFloat32: return DType::F32;
    case torch::kFloat16: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kInt64: return DType::I64;
    case torch::kInt32: return DType::I32;
    case torch::kInt16: return DType::I16;
    case torch::kInt8: return DType::I8;
    case torch::kUInt8: return DType::U8;
    case torch::kBool: return DType::Bool;
    case torch::kFloat8_e4m3fn: return DType::F8_E4M3;
    case torch::kFloat8_e5m2: return DType::F8_E5M2;
    default: throw Error(ErrorCode::Unsupported, name, std::string("cannot store dtype ") + c10::toString(dtype));
    }
}

} // namespace

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
    const std::string where = path.string();
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw Error(errno == ENOENT ? ErrorCode::FileNotFound : ErrorCode::FileUnreadable, where, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw Error(ErrorCode::FileUnreadable, where, std::strerror(errno));
    }
    auto mapping = std::make_shared<Mapping>();
    mapping->size = static_cast<size_t>(st.st_size);
    if (mapping->size > 0) {
        mapping->addr = ::mmap(nullptr, mapping->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (mapping->size == 0 || mapping->addr == MAP_FAILED) {
        mapping->addr = nullptr;
        throw Error(mapping->size == 0 ? ErrorCode::ParseError : ErrorCode::FileUnreadable, where,
                    mapping->size == 0 ? "empty file" : std::strerror(errno));
    }
    const auto* bytes = static_cast<const unsigned char*>(mapping->addr);
    const uint64_t headerLen = readHeaderLength(bytes, mapping->size, where);

    SafetensorsFile file;
    file.m_path = path;
    file.m_header = parseSafetensorsHeader(
        std::string_view(reinterpret_cast<const char*>(bytes) + 8, headerLen), mapping->size, where);
    mapping->views = std::vector<std::atomic<int>>(file.m_header.entries.size());
    file.m_mapping = std::move(mapping);
    return file;
}

const TensorEntry* SafetensorsFile::find(std::string_view name) const {
    for (const auto& e : m_header.entries)
        if (e.name == name) return &e;
    return nullptr;
}

at::Tensor SafetensorsFile::tensor(std::string_view name) const {
    const TensorEntry* e = find(name);
    if (!e) throw Error(ErrorCode::MissingField, m_path.string(), "no tensor named '" + std::string(name) + "'");
    auto* data = static_cast<unsigned char*>(m_mapping->addr) + m_header.dataOffset() + e->begin;
    const uintptr_t begin = m_header.dataOffset() + e->begin, end = m_header.dataOffset() + e->end;
    std::atomic<int>& views = m_mapping->views[size_t(e - m_header.entries.data())];
    ++views;
    // The last view of an entry gives its pages back: a weight replaced after loading (converted, quantized,
    // copied) leaves no fp32 bytes resident while the rest of the file stays mapped. No tensor sees those pages
    // any more, and a later view faults them in again from the file.
    auto keepAlive = m_mapping;
    return torch::from_blob(
        data, e->shape,
        [keepAlive, &views, begin, end](void*) {
            if (--views == 0) keepAlive->dropPages(begin, end);
        },
        torch::TensorOptions().dtype(torchDtype(e->dtype)));
}

void writeSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<torch::Tensor> cpu;
    cpu.reserve(tensors.size());
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
        const uint64_t bytes = static_cast<uint64_t>(c.numel()) * c.element_size();
        header[name] = {{"dtype", dtypeName(fileDtype(c.scalar_type(), name))},
                        {"shape", c.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        cpu.push_back(std::move(c));
    }
    std::string json = header.dump();
    json.append((8 - json.size() % 8) % 8, ' ');
    writeFileAtomic(path, [&](std::FILE* f) {
        unsigned char prefix[8];
        uint64_t n = json.size();
        for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(n >> (8 * i));
        bool ok = std::fwrite(prefix, 1, 8, f) == 8 && std::fwrite(json.data(), 1, json.size(), f) == json.size();
        for (const auto& c : cpu) {
            const size_t bytes = static_cast<size_t>(c.numel()) * c.element_size();
            ok = ok && (bytes == 0 || std::fwrite(c.data_ptr(), 1, bytes, f) == bytes);
        }
        if (!ok) throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
    });
}

} // namespace ft
