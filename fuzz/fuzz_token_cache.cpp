// libFuzzer target: the token cache reader (openTokenCache) on damaged cache files. The input is a cache file whose
// magic, version, key, size and header hash are set right before it is read (a random file would stop at the
// magic or the header's hash), so the fuzzer explores the counts, offsets, runs and the bad rows' JSON. A cache that
// opens is read through, every example, as training and the token inspector read it.
#include "core/io/content_hash.h"
#include "core/train/token_cache.h"
#include "fuzz/scratch.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::filesystem::path dir = [] {
        const auto d = fuzzScratchDir() / ("ft-fuzz-token-cache-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        ::setenv("FT_TOKEN_CACHE", d.c_str(), 1);
        return d;
    }();
    constexpr uint64_t kKey = 0x5eed;
    std::string bytes(reinterpret_cast<const char*>(data), size);
    if (bytes.size() >= 80) {  // the header's fields, as token_cache.cpp lays them out
        std::memcpy(bytes.data(), "FTTOKENS", 8);
        const uint32_t version = 1;
        std::memcpy(bytes.data() + 8, &version, 4);
        std::memcpy(bytes.data() + 16, &kKey, 8);
        const uint64_t fileBytes = bytes.size();
        std::memcpy(bytes.data() + 64, &fileBytes, 8);
        ft::ContentHash hash;
        hash.update(bytes.data(), 72);
        const uint64_t digest = hash.digest();
        std::memcpy(bytes.data() + 72, &digest, 8);
    }
    const std::filesystem::path file = ft::tokenCacheFile(kKey);
    if (std::FILE* f = std::fopen(file.c_str(), "wb")) {
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    } else {
        return 0;
    }
    if (const auto cache = ft::openTokenCache(kKey, "fuzz.jsonl")) {
        for (size_t i = 0; i < cache->table->size(); ++i) {
            const ft::TokenizedExample e = cache->table->example(i);
            if (e.ids.size() != e.labels.size() || e.ids.size() != cache->table->length(i)) __builtin_trap();
        }
    }
    return 0;
}
