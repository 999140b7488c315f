#pragma once
// Memory-mapped safetensors reader (tensors are views over the mapping, no copy) and an atomic writer.

#include "core/io/safetensors_header.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace at {
class Tensor;
}

namespace ft {

class SafetensorsFile {
public:
    static SafetensorsFile open(const std::filesystem::path& path);

    const std::vector<TensorEntry>& entries() const { return m_header.entries; }
    const std::map<std::string, std::string>& metadata() const { return m_header.metadata; }
    const TensorEntry* find(std::string_view name) const;
    const std::filesystem::path& path() const { return m_path; }

    // A CPU tensor viewing the mapped bytes. The mapping stays alive while any such tensor does; writes go to a
    // private copy-on-write page, never to the file. F8 types come back as uint8 bytes with their shape. When the
    // last tensor viewing an entry goes, the pages wholly inside its bytes are given back (no longer resident).
    at::Tensor tensor(std::string_view name) const;

private:
    struct Mapping;
    std::filesystem::path m_path;
    SafetensorsHeader m_header;
    std::shared_ptr<Mapping> m_mapping;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

// Writes tensors (any device, made contiguous on the CPU) in the given order, header padded with spaces to 8 bytes.
void writeSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace ft
