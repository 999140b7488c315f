#pragma once
// The Hub's model API as far as a pull needs it: the repo name a user types, the revision JSON
// (GET /api/models/{repo}/revision/{rev}: "sha" and "siblings"[].rfilename) and which of its files training reads.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ft::hub {

struct RepoSpec {
    std::string repo;               // "ORG/NAME" (or "NAME")
    std::string revision = "main";  // branch, tag or commit
};

// "ORG/NAME[@REVISION]"; nullopt when it is not a Hub repo id (huggingface_hub's validate_repo_id rules).
std::optional<RepoSpec> parseRepoSpec(std::string_view text);

struct RepoRevision {
    std::string commit;              // "sha"
    std::vector<std::string> files;  // "siblings"[].rfilename
};

// Throws std::invalid_argument naming what is missing or mistyped.
RepoRevision parseRevisionJson(std::string_view json);

// What training needs, in download order: config.json, generation_config.json, the tokenizer files,
// tokenizer_config.json, chat_template.jinja, then model.safetensors or the index and its model-*-of-*.safetensors
// shards. Only top-level files: README, *.bin, onnx/, consolidated.safetensors and the like are left on the Hub.
std::vector<std::string> trainingFiles(const std::vector<std::string>& files);
bool hasSafetensors(const std::vector<std::string>& files);

// Percent-encodes everything outside RFC 3986's unreserved set; '/' kept where keepSlash (file paths).
std::string urlQuote(std::string_view text, bool keepSlash);

bool isCommitHash(std::string_view revision);  // 40 lowercase hex digits

} // namespace ft::hub
