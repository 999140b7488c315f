#include "core/hub/hub_api.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace ft::hub {

std::optional<RepoSpec> parseRepoSpec(std::string_view text) {
    RepoSpec spec;
    std::string_view repo = text;
    if (const auto at = text.find('@'); at != std::string_view::npos) {
        repo = text.substr(0, at);
        spec.revision = std::string(text.substr(at + 1));
        // The revision becomes a path under refs/: no empty, "." or ".." component.
        static const std::regex badRevision(R"((^|/)\.{0,2}(/|$))");
        if (std::regex_search(spec.revision, badRevision)) return std::nullopt;
    }
    // validate_repo_id: [namespace/]name of [\w\-.] up to 96 characters, no "--" or "..", not starting or
    // ending with - or .
    static const std::regex id(R"(^(\b[\w\-.]+\b/)?\b[\w\-.]{1,96}\b$)");
    const std::string r(repo);
    if (!std::regex_match(r, id) || r.find("--") != std::string::npos || r.find("..") != std::string::npos ||
        r.ends_with(".git"))
        return std::nullopt;
    spec.repo = r;
    return spec;
}

RepoRevision parseRevisionJson(std::string_view json) {
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("the answer is not a JSON object");
    RepoRevision r;
    if (!j.contains("sha") || !j["sha"].is_string()) throw std::invalid_argument("\"sha\" is missing");
    r.commit = j["sha"].get<std::string>();
    if (!isCommitHash(r.commit)) throw std::invalid_argument("\"sha\" is not a commit hash");
    if (!j.contains("siblings") || !j["siblings"].is_array()) throw std::invalid_argument("\"siblings\" is missing");
    for (const auto& s : j["siblings"]) {
        if (!s.is_object() || !s.contains("rfilename") || !s["rfilename"].is_string())
            throw std::invalid_argument("a sibling has no \"rfilename\"");
        r.files.push_back(s["rfilename"].get<std::string>());
    }
    return r;
}

namespace {

const char* const kSmallFiles[] = {
    "config.json", "generation_config.json",
    "tokenizer.json", "tokenizer.model", "vocab.json", "merges.txt", "added_tokens.json", "special_tokens_map.json",
    "tokenizer_config.json", "chat_template.jinja",
};

bool isShard(const std::string& name) {
    static const std::regex shard(R"(^model-\d+-of-\d+\.safetensors$)");
    return std::regex_match(name, shard);
}

bool has(const std::vector<std::string>& files, const std::string& name) {
    return std::find(files.begin(), files.end(), name) != files.end();
}

} // namespace

std::vector<std::string> trainingFiles(const std::vector<std::string>& files) {
    std::vector<std::string> picked;
    for (const char* name : kSmallFiles)
        if (has(files, name)) picked.push_back(name);
    if (has(files, "model.safetensors.index.json")) {
        picked.push_back("model.safetensors.index.json");
        std::vector<std::string> shards;
        std::copy_if(files.begin(), files.end(), std::back_inserter(shards), isShard);
        std::sort(shards.begin(), shards.end());
        picked.insert(picked.end(), shards.begin(), shards.end());
    } else if (has(files, "model.safetensors")) {
        picked.push_back("model.safetensors");
    }
    return picked;
}

bool hasSafetensors(const std::vector<std::string>& files) {
    return has(files, "model.safetensors") || has(files, "model.safetensors.index.json");
}

std::string urlQuote(std::string_view text, bool keepSlash) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

bool isCommitHash(std::string_view revision) {
    return revision.size() == 40 &&
           std::all_of(revision.begin(), revision.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
}

} // namespace ft::hub
