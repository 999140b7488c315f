// ftstudio-cli gguf-info: what a GGUF file holds, as JSON (no tensor data is read).

#include "commands.h"
#include "cli_args.h"

#include "core/io/gguf_file.h"

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

} // namespace ftcli
