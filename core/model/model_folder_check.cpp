#include "core/model/model_folder_check.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace ft {

namespace {

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);  // follows links: a hub snapshot's files are links into blobs/
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// models--ORG--NAME/snapshots/<commit>/: the commits, refs/main's first.
std::vector<fs::path> hubSnapshots(const fs::path& repo) {
    std::vector<fs::path> snapshots;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(repo / "snapshots", ec))
        if (e.is_directory(ec)) snapshots.push_back(e.path());
    std::sort(snapshots.begin(), snapshots.end());
    std::string main;
    if (std::ifstream ref(repo / "refs" / "main"); ref) std::getline(ref, main);
    const auto it = std::find_if(snapshots.begin(), snapshots.end(), [&](const fs::path& p) { return p.filename() == main; });
    if (it != snapshots.end()) std::rotate(snapshots.begin(), it, it + 1);
    return snapshots;
}

} // namespace

ModelFolderCheck checkModelFolder(const fs::path& dir, int maxEntries) {
    ModelFolderCheck c;
    std::error_code ec;
    c.isFolder = fs::is_directory(dir, ec);
    if (!c.isFolder) return c;
    c.hasConfig = isFile(dir / "config.json");
    c.hasWeights = isFile(dir / "model.safetensors") || isFile(dir / "model.safetensors.index.json");
    c.hasTokenizer = isFile(dir / "tokenizer.model") || isFile(dir / "tokenizer.json");
    c.isAdapter = isFile(dir / "adapter_config.json");

    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        const bool folder = e.is_directory(ec);
        if (!folder && endsWith(lower, ".gguf")) c.ggufFiles.push_back(name);
        if (!folder && endsWith(lower, ".safetensors")) {
            c.safetensorsFiles.push_back(name);
            if (name.starts_with("model-") && name.find("-of-") != std::string::npos) c.hasShardsWithoutIndex = true;
        }
        names.push_back(folder ? name + '/' : name);
    }
    if (c.hasWeights) c.hasShardsWithoutIndex = false;
    std::sort(names.begin(), names.end());
    std::sort(c.ggufFiles.begin(), c.ggufFiles.end());
    std::sort(c.safetensorsFiles.begin(), c.safetensorsFiles.end());
    c.entryCount = int(names.size());
    if (int(names.size()) > maxEntries) names.resize(size_t(std::max(0, maxEntries)));
    c.entries = std::move(names);

    // The hub's cache keeps a model as models--ORG--NAME/{blobs,refs,snapshots/<commit>}; the model folder is a
    // snapshot. Someone may also pick the snapshots/ folder itself.
    const fs::path abs = fs::absolute(dir, ec).lexically_normal();
    const fs::path self = abs.has_filename() ? abs : abs.parent_path();
    fs::path repo;
    if (self.filename().string().starts_with("models--")) repo = self;
    else if (self.filename() == "snapshots" && self.parent_path().filename().string().starts_with("models--"))
        repo = self.parent_path();
    if (!repo.empty() && fs::is_directory(repo / "snapshots", ec)) {
        c.isHubCache = true;
        c.hubSnapshots = hubSnapshots(repo);
    }
    return c;
}

} // namespace ft
