// ftstudio-cli models: the models already on this machine (Hugging Face cache, Ollama, LM Studio, --folder DIRs)
// as JSON, with whether each can be trained here and why not.

#include "cli_args.h"
#include "commands.h"

#include "core/model/model_discovery.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace ftcli {

int models(const Args& argsIn) {
    Args args = argsIn;
    std::vector<std::filesystem::path> folders;
    while (const auto folder = takeOption(args, "--folder")) folders.emplace_back(*folder);
    if (!args.empty()) throw UsageError("usage: ftstudio-cli models [--folder DIR]...");

    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ft::DiscoveredModel& m : ft::discoverModels(ft::defaultDiscoverySources(folders))) {
        nlohmann::ordered_json j;
        j["name"] = m.name;
        j["path"] = m.path;
        j["source"] = m.source;
        j["format"] = m.format;
        j["architecture"] = m.architecture;
        j["parameters"] = m.parameters;
        j["quantization"] = m.quantization;
        j["chat_template"] = m.hasChatTemplate;
        j["trainable"] = m.trainable;
        j["why_not"] = m.trainable ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(m.whyNot);
        j["size_bytes"] = m.sizeBytes;
        if (!m.note.empty()) j["note"] = m.note;
        list.push_back(std::move(j));
    }
    std::printf("%s\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
}

} // namespace ftcli
