// ftstudio-cli gguf-info: what a GGUF file holds, as JSON (no tensor data is read).
// ftstudio-cli import-gguf: a GGUF file as a Hugging Face model folder to fine-tune.

#include "commands.h"
#include "cli_args.h"

#include "core/io/gguf_file.h"
#include "core/model/gguf_import.h"

#include <chrono>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

namespace ftcli {

int ggufInfo(const Args& args) {
    if (args.size() != 1) throw UsageError("usage: ftstudio-cli gguf-info FILE.gguf");
    const ft::GgufFile f = ft::GgufFile::open(args[0]);
    std::map<std::string, uint64_t> types; // type name -> tensor count
    uint64_t parameters = 0;
    nlohmann::ordered_json tensors = nlohmann::ordered_json::array();
    for (const auto& t : f.tensors()) {
        ++types[ft::ggmlTypeName(t.type)];
        parameters += t.numel;
        tensors.push_back({{"name", t.name}, {"type", ft::ggmlTypeName(t.type)}, {"shape", t.shape()}});
    }
    nlohmann::ordered_json j;
    j["version"] = f.version();
    j["architecture"] = f.architecture();
    j["name"] = f.getString("general.name").value_or("");
    j["alignment"] = f.alignment();
    j["metadata_keys"] = f.metadata().size();
    j["tensor_count"] = f.tensors().size();
    j["parameters"] = parameters;
    j["types"] = types;
    j["tensors"] = tensors;
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
}

int importGguf(const Args& args) {
    if (args.size() != 2) throw UsageError("usage: ftstudio-cli import-gguf FILE.gguf OUT_DIR");
    const auto start = std::chrono::steady_clock::now();
    int lastPercent = -1;
    const ft::GgufImport r = ft::importGguf(args[0], args[1], [&](int done, int total) {
        const int percent = 100 * done / total;
        if (percent / 10 != lastPercent / 10) std::fprintf(stderr, "importing: %d %% of %d tensors\n", percent, total);
        lastPercent = percent;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const std::string& note : r.notes) std::fprintf(stderr, "note: %s\n", note.c_str());
    std::fprintf(stderr, "%s (%s, stored as %s, %lld parameters) imported in %.1f s; its weights are now float32: "
                         "their quality is that of the %s file\n",
                 r.modelType.c_str(), r.architecture.c_str(), r.storedAs.c_str(), static_cast<long long>(r.parameters),
                 seconds, r.storedAs.c_str());
    std::printf("%s\n", std::filesystem::absolute(r.folder).string().c_str());
    return 0;
}

} // namespace ftcli
