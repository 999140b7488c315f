// libFuzzer target: the Hub's revision JSON and a typed repo name, through the parsers a pull trusts them to.
#include "core/hub/hub_api.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const ft::hub::RepoRevision r = ft::hub::parseRevisionJson(text);
        for (const auto& f : ft::hub::trainingFiles(r.files))
            if (f.find('/') != std::string::npos || f.find("..") != std::string::npos) __builtin_trap();  // top level only
        (void)ft::hub::urlQuote(r.commit, false);
    } catch (const std::invalid_argument&) {
    }
    if (const auto spec = ft::hub::parseRepoSpec(text)) {
        // What becomes a cache path must not climb out of it: no ".." in the name, no "." or ".." component in
        // the revision (refs/<revision>).
        if (spec->repo.find("..") != std::string::npos) __builtin_trap();
        const std::string rev = "/" + spec->revision + "/";
        if (rev.find("/../") != std::string::npos || rev.find("/./") != std::string::npos) __builtin_trap();
        (void)ft::hub::urlQuote(spec->revision, false);
    }
    return 0;
}
