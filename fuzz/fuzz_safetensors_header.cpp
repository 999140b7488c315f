// libFuzzer target: a whole .safetensors file (8-byte length, JSON header, data) through the header parser.
#include "core/common/error.h"
#include "core/io/safetensors_header.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const uint64_t headerBytes = ft::readHeaderLength(data, size, "fuzz.safetensors");
        const std::string_view json(reinterpret_cast<const char*>(data) + 8, headerBytes);
        const ft::SafetensorsHeader header = ft::parseSafetensorsHeader(json, size, "fuzz.safetensors");
        for (const auto& e : header.entries) (void)e.numel();
    } catch (const ft::Error&) {
    }
    return 0;
}
