// Where the models on this machine are kept, and how each store names them; model_inspection.cpp says what each is.

#include "core/model/model_discovery.h"

#include "core/io/json_file.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace ft {

namespace {

fs::path env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? fs::path(v) : fs::path();
}

bool isDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool isGguf(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".gguf";
}

// A folder that is meant as one model (perhaps an incomplete or unusable one), not a folder of models.
bool looksLikeModelFolder(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / "config.json", ec) || fs::exists(dir / "adapter_config.json", ec)) return true;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.ends_with(".safetensors") || (name.starts_with("pytorch_model") && name.ends_with(".bin"))) return true;
    }
    return false;
}

// Entries of `dir` in name order, so that the scan is the same every time.
std::vector<fs::path> children(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec))
        out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// models--ORG--NAME: the snapshot refs/main names, else the newest one.
fs::path hubSnapshot(const fs::path& repo) {
    std::string main;
    if (std::ifstream ref(repo / "refs" / "main"); ref) std::getline(ref, main);
    if (!main.empty() && isDir(repo / "snapshots" / main)) return repo / "snapshots" / main;
    fs::path newest;
    fs::file_time_type newestTime{};
    std::error_code ec;
    for (const fs::path& s : children(repo / "snapshots")) {
        const auto t = fs::last_write_time(s, ec);
        if (isDir(s) && (newest.empty() || (!ec && t > newestTime))) newest = s, newestTime = t;
    }
    return newest;
}

void scanHubCache(const fs::path& cache, std::vector<DiscoveredModel>& out) {
    for (const fs::path& repo : children(cache)) {
        const std::string dirName = repo.filename().string();
        if (!dirName.starts_with("models--") || !isDir(repo)) continue;  // datasets--, spaces--, .locks
        std::string name = dirName.substr(8);
        if (const auto sep = name.find("--"); sep != std::string::npos) name.replace(sep, 2, "/");
        const fs::path snapshot = hubSnapshot(repo);
        if (snapshot.empty()) {
            DiscoveredModel m = inspectModelFolder(repo, name, "hf-cache");  // lists why: nothing was downloaded
            m.why = NotTrainable::MissingFile;
            m.whyDetail = "snapshots/";
            m.whyNot = describeNotTrainable(m.why, m.whyDetail);
            m.trainable = false;
            out.push_back(std::move(m));
            continue;
        }
        out.push_back(inspectModelFolder(snapshot, name, "hf-cache"));
    }
}

// manifests/<registry>/<namespace>/<name>/<tag>: a JSON manifest whose model layer is a GGUF blob.
void scanOllama(const fs::path& root, std::vector<DiscoveredModel>& out) {
    const fs::path manifests = root / "manifests";
    for (const fs::path& registry : children(manifests))
        for (const fs::path& ns : children(registry))
            for (const fs::path& model : children(ns))
                for (const fs::path& tag : children(model)) {
                    std::error_code ec;
                    if (!fs::is_regular_file(tag, ec)) continue;  // a pipe would block the read
                    std::string name = model.filename().string() + ':' + tag.filename().string();
                    if (ns.filename() != "library") name = ns.filename().string() + '/' + name;
                    if (registry.filename() != "registry.ollama.ai") name = registry.filename().string() + '/' + name;
                    std::string digest;
                    try {
                        const nlohmann::json manifest = readJsonFile(tag);
                        for (const auto& layer : manifest.at("layers"))
                            if (layer.value("mediaType", "") == "application/vnd.ollama.image.model")
                                digest = layer.at("digest").get<std::string>();
                        if (digest.empty()) throw std::runtime_error(tag.string() + ": no model layer");
                    } catch (const std::exception& e) {
                        DiscoveredModel m;
                        m.name = name;
                        m.path = tag.string();
                        m.source = "ollama";
                        m.format = "gguf";
                        m.why = NotTrainable::Unreadable;
                        m.whyDetail = e.what();
                        if (m.whyDetail.starts_with(tag.string())) m.whyDetail.replace(0, tag.parent_path().string().size() + 1, "");
                        m.whyNot = describeNotTrainable(m.why, m.whyDetail);
                        out.push_back(std::move(m));
                        continue;
                    }
                    // "sha256:<hex>" is stored as blobs/sha256-<hex>; the digest never names a path outside blobs/.
                    std::replace(digest.begin(), digest.end(), ':', '-');
                    std::replace(digest.begin(), digest.end(), '/', '_');
                    out.push_back(inspectGgufFile(root / "blobs" / digest, name, "ollama"));
                }
}

// <publisher>/<model>/*.gguf, named "<publisher>/<file>" without ".gguf" (the file names the model and its
// quantization; the folder between repeats it).
void scanLmStudio(const fs::path& root, std::vector<DiscoveredModel>& out) {
    for (const fs::path& publisher : children(root))
        for (const fs::path& model : children(publisher))
            for (const fs::path& file : children(model))
                if (isGguf(file))
                    out.push_back(inspectGgufFile(file, publisher.filename().string() + '/' + file.stem().string(),
                                                  "lmstudio"));
}

void scanFolder(const fs::path& folder, std::vector<DiscoveredModel>& out) {
    if (isGguf(folder)) return out.push_back(inspectGgufFile(folder, folder.stem().string(), "folder"));
    if (!isDir(folder)) return;
    if (looksLikeModelFolder(folder)) return out.push_back(inspectModelFolder(folder, folder.filename().string(), "folder"));
    for (const fs::path& child : children(folder)) {
        if (isGguf(child)) out.push_back(inspectGgufFile(child, child.stem().string(), "folder"));
        else if (isDir(child) && looksLikeModelFolder(child))
            out.push_back(inspectModelFolder(child, child.filename().string(), "folder"));
    }
}

int sourceRank(const std::string& source) {
    static const char* kOrder[] = {"hf-cache", "ollama", "lmstudio", "folder"};
    for (int i = 0; i < 4; ++i)
        if (source == kOrder[i]) return i;
    return 4;
}

} // namespace

DiscoverySources defaultDiscoverySources(const std::vector<fs::path>& extraFolders) {
    // Without HOME the defaults under it are left out rather than read relative to the working folder.
    const fs::path home = env("HOME");
    const auto underHome = [&](const char* rel) { return home.empty() ? fs::path() : home / rel; };
    DiscoverySources s;
    s.hfCache = env("HF_HUB_CACHE");
    if (s.hfCache.empty()) s.hfCache = env("HF_HOME").empty() ? underHome(".cache/huggingface/hub") : env("HF_HOME") / "hub";
    s.ollama = env("OLLAMA_MODELS");
    if (s.ollama.empty()) s.ollama = underHome(".ollama/models");
    if (!home.empty()) s.lmStudio = {home / ".lmstudio/models", home / ".cache/lm-studio/models"};
    s.folders = extraFolders;
    return s;
}

std::vector<DiscoveredModel> discoverModels(const DiscoverySources& sources) {
    std::vector<DiscoveredModel> out;
    if (!sources.hfCache.empty()) scanHubCache(sources.hfCache, out);
    if (!sources.ollama.empty()) scanOllama(sources.ollama, out);
    for (const fs::path& dir : sources.lmStudio) scanLmStudio(dir, out);
    for (const fs::path& dir : sources.folders) scanFolder(dir, out);
    std::stable_sort(out.begin(), out.end(), [](const DiscoveredModel& a, const DiscoveredModel& b) {
        const int ra = sourceRank(a.source), rb = sourceRank(b.source);
        return ra != rb ? ra < rb : a.name < b.name;
    });
    return out;
}

} // namespace ft
