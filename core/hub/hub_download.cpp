#include "core/hub/hub_download.h"

#include "core/hub/hub_cache.h"
#include "core/hub/hub_error.h"
#include "core/hub/hub_http.h"
#include "core/hub/sha256.h"

#include <chrono>
#include <cstdio>
#include <curl/curl.h>
#include <fcntl.h>
#include <memory>
#include <sys/file.h>
#include <unistd.h>

namespace ft::hub {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

struct FileMeta {
    std::string name;
    std::string etag;       // normalized: no W/, no quotes; the sha256 for LFS files
    uint64_t size = 0;      // X-Linked-Size, else Content-Length; 0 when unknown
    bool sizeKnown = false;
    // The /resolve URL on the Hub (after its own redirects). The body is fetched from it again rather than from the
    // storage URL the HEAD saw: that one is signed for a limited time, and a big model's last shard starts late.
    std::string url;
};

std::string hostOf(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    const auto start = scheme + 3;
    return url.substr(start, url.find('/', start) - start);
}

std::string originOf(const std::string& url) {
    const auto scheme = url.find("://");
    return url.substr(0, url.find('/', scheme == std::string::npos ? 0 : scheme + 3));
}

// _normalize_etag: etag.lstrip("W/").strip('"'); lstrip takes any leading 'W' and '/' characters, as Python does.
std::string normalizeEtag(std::string etag) {
    etag.erase(0, etag.find_first_not_of("W/"));
    const auto first = etag.find_first_not_of('"');
    if (first == std::string::npos) return {};
    return etag.substr(first, etag.find_last_not_of('"') - first + 1);
}

bool isSha256(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class Puller {
public:
    Puller(const RepoSpec& spec, const PullOptions& options)
        : m_spec(spec), m_options(options), m_settings(options.settings), m_cache(m_settings.cacheDir, spec.repo) {}

    PullResult run();

private:
    PullResult fromCache() const;
    std::vector<std::string> authHeaders(const std::string& url) const;
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }
    [[noreturn]] void fail(const HttpResponse& r, const std::string& url) const;
    void check(const HttpResponse& r, const std::string& url) const {
        if (r.curlCode != CURLE_OK || r.status < 200 || r.status >= 300) fail(r, url);
    }
    FileMeta head(const std::string& commit, const std::string& file) const;
    void download(const FileMeta& meta);
    void report(bool force);

    const RepoSpec& m_spec;
    const PullOptions& m_options;
    const HubSettings& m_settings;
    RepoCache m_cache;
    PullProgress m_progress;
    uint64_t m_transferred = 0;  // over the network in this pull
    int m_filesDone = 0;
    Clock::time_point m_start = Clock::now(), m_lastReport{};
};

std::vector<std::string> Puller::authHeaders(const std::string& url) const {
    // The token goes to the Hub only, never to the storage it redirects to (as huggingface_hub does).
    if (m_settings.token.empty() || hostOf(url) != hostOf(m_settings.endpoint)) return {};
    return {"Authorization: Bearer " + m_settings.token};
}

void Puller::fail(const HttpResponse& r, const std::string& url) const {
    const std::string& repo = m_spec.repo;
    const std::string& endpoint = m_settings.endpoint;
    if (r.stoppedByCaller && cancelled())
        throw HubError(HubProblem::Cancelled, repo, "Cancelled. Files already complete are kept in the cache; "
                                                    "pull again to resume.");
    if (r.status == 0 || r.curlCode != CURLE_OK) {
        if (r.status == 0)
            throw HubError(HubProblem::Unreachable, endpoint,
                           "Could not reach " + endpoint + " (" + r.error + "). Check the network connection or "
                           "HF_ENDPOINT; set HF_HUB_OFFLINE=1 to use what is already in the cache.");
        throw HubError(HubProblem::Interrupted, url,
                       "The download from " + hostOf(url) + " was interrupted (" + r.error + "). What arrived is "
                       "kept: run the same pull again to resume.");
    }
    const std::string code = r.header("x-error-code");
    if (r.status == 401 || r.status == 403) {
        if (code == "RepoNotFound")  // the Hub answers so for a missing repo and for a private one alike
            throw HubError(HubProblem::NotFound, repo,
                           "No repo " + repo + " on " + endpoint + ", or it is private. Check the spelling "
                           "(ORG/NAME, as in the address of its Hub page); if it is private, set HF_TOKEN to a "
                           "token with access or run `huggingface-cli login`.");
        throw HubError(HubProblem::Unauthorized, repo,
                       repo + " is gated or private" +
                           (m_settings.token.empty() ? std::string(" and no token was sent")
                                                     : std::string(" and the token was refused")) +
                           ". Accept its terms on " + endpoint + "/" + repo + " while logged in, then set HF_TOKEN "
                           "to a token of that account or run `huggingface-cli login`.");
    }
    if (r.status == 404) {
        if (code == "RevisionNotFound")
            throw HubError(HubProblem::NotFound, repo,
                           repo + " has no revision '" + m_spec.revision + "'. Check the branch, tag or commit "
                           "after the @.");
        if (code == "EntryNotFound")
            throw HubError(HubProblem::NotFound, url, "The Hub lists a file it does not serve (" + url + "). Try "
                                                      "again later.");
        throw HubError(HubProblem::NotFound, repo,
                       "No repo " + repo + (m_spec.revision == "main" ? "" : " at revision '" + m_spec.revision + "'") +
                           " on " + endpoint + ". Check the spelling (ORG/NAME, as in the address of its Hub page).");
    }
    throw HubError(HubProblem::HttpError, url,
                   hostOf(url) + " answered HTTP " + std::to_string(r.status) + " for " + url + ". Try again later.");
}

// get_hf_file_metadata: a HEAD that follows redirects on the Hub itself but not to other hosts, whose metadata
// (X-Linked-Etag, X-Linked-Size, Location) is on the redirect response.
FileMeta Puller::head(const std::string& commit, const std::string& file) const {
    std::string url = m_settings.endpoint + "/" + m_spec.repo + "/resolve/" + commit + "/" + urlQuote(file, true);
    for (int hop = 0; hop < 10; ++hop) {
        const HttpResponse r = perform({"HEAD", url, authHeaders(url), false, {}, [this] { return cancelled(); }});
        if (r.curlCode != CURLE_OK || r.status < 200 || r.status >= 400) fail(r, url);
        std::string location = r.header("location");
        if (r.status >= 300 && !location.empty() && location.front() == '/') location = originOf(url) + location;
        if (r.status >= 300 && hostOf(location) == hostOf(url)) {
            url = location;
            continue;
        }
        FileMeta m;
        m.name = file;
        m.etag = normalizeEtag(!r.header("x-linked-etag").empty() ? r.header("x-linked-etag") : r.header("etag"));
        std::string size = r.header("x-linked-size");
        if (size.empty() && r.status < 300) size = r.header("content-length");
        if (!size.empty()) {
            m.size = std::stoull(size);
            m.sizeKnown = true;
        }
        m.url = url;
        if (m.etag.empty() || m.etag.find('/') != std::string::npos || m.etag.starts_with("."))
            throw HubError(HubProblem::HttpError, url,
                           hostOf(url) + " sent no usable ETag for " + file + ", so it cannot be cached. Check that "
                           "HF_ENDPOINT is a Hugging Face Hub.");
        return m;
    }
    throw HubError(HubProblem::HttpError, url, "Too many redirects for " + url + ". Check HF_ENDPOINT.");
}

void Puller::report(bool force) {
    if (!m_options.onProgress) return;
    const auto now = Clock::now();
    if (!force && now - m_lastReport < std::chrono::milliseconds(100)) return;
    m_lastReport = now;
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    m_progress.bytesPerSecond = seconds > 0 ? m_transferred / seconds : 0;
    m_progress.etaSeconds = m_progress.bytesPerSecond > 0 && m_progress.total >= m_progress.done
                                ? (m_progress.total - m_progress.done) / m_progress.bytesPerSecond
                                : -1;
    m_options.onProgress(m_progress);
}

// One body into blobs/<etag>.incomplete, resumed from its size with a Range request, then checked and renamed.
void Puller::download(const FileMeta& meta) {
    const fs::path part = m_cache.incomplete(meta.etag), blob = m_cache.blob(meta.etag);
    std::error_code ec;
    fs::create_directories(blob.parent_path(), ec);
    uint64_t have = fs::exists(part) ? fs::file_size(part, ec) : 0;
    if (ec || (meta.sizeKnown && have > meta.size)) have = 0;
    const bool lfs = isSha256(meta.etag);
    Sha256 sha;
    if (lfs && have > 0) {  // the bytes kept from before count towards the hash
        std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(part.c_str(), "rb"), std::fclose);
        char buf[1 << 16];
        uint64_t left = have;
        while (in && left > 0) {
            const size_t n = std::fread(buf, 1, std::min<uint64_t>(sizeof buf, left), in.get());
            if (n == 0) break;
            sha.update(buf, n);
            left -= n;
        }
    }
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(part.c_str(), have > 0 ? "r+b" : "wb"), std::fclose);
    if (!out) throw HubError(HubProblem::DiskError, part.string(),
                             "Could not write " + part.string() + ". Check free space and permissions of the Hub "
                             "cache, or choose another with --cache or HF_HUB_CACHE.");
    std::fseek(out.get(), static_cast<long>(have), SEEK_SET);
    m_progress.fileDone = have;
    m_progress.done += have;

    // A part as long as the file (the last run stopped between its last byte and the rename) needs no request.
    if (!(meta.sizeKnown && have == meta.size && have > 0)) {
        // curl follows the redirect to storage and, on another host, leaves the Authorization header behind.
        std::vector<std::string> headers = authHeaders(meta.url);
        headers.push_back("Accept-Encoding: identity");
        if (have > 0) headers.push_back("Range: bytes=" + std::to_string(have) + "-");
        bool first = true, diskFull = false;
        HttpRequest request{"GET", meta.url, headers, true, {}, [this] { return cancelled(); }};
        request.onBody = [&](long status, const char* data, size_t size) {
            if (first && have > 0 && status == 200) {  // the server ignored our Range: start over
                std::fseek(out.get(), 0, SEEK_SET);
                if (::ftruncate(::fileno(out.get()), 0) != 0) return !(diskFull = true);
                sha.reset();
                m_progress.done -= have;
                m_progress.fileDone = have = 0;
            }
            first = false;
            if (std::fwrite(data, 1, size, out.get()) != size) return !(diskFull = true);
            if (lfs) sha.update(data, size);
            m_progress.fileDone += size;
            m_progress.done += size;
            m_transferred += size;
            report(false);
            return true;
        };
        const HttpResponse r = perform(request);
        const bool flushed = std::fflush(out.get()) == 0;
        out.reset();
        if (diskFull || !flushed)
            throw HubError(HubProblem::DiskError, part.string(),
                           "Could not write " + part.string() + ". Check free space in the Hub cache, or choose "
                           "another with --cache or HF_HUB_CACHE.");
        if (r.status == 416) fs::remove(part, ec);  // our part is not a prefix of this file: the next pull starts over
        check(r, meta.url);
    }
    out.reset();

    const uint64_t got = fs::file_size(part, ec);
    if (meta.sizeKnown && got != meta.size) {
        fs::remove(part, ec);
        throw HubError(HubProblem::Corrupt, meta.name,
                       meta.name + " arrived with " + std::to_string(got) + " bytes where the Hub announced " +
                           std::to_string(meta.size) + "; it was discarded. Pull again.");
    }
    if (lfs) {
        const std::string digest = sha.hexDigest();
        if (digest != meta.etag) {
            fs::remove(part, ec);
            throw HubError(HubProblem::Corrupt, meta.name,
                           meta.name + " arrived corrupted: its sha256 is " + digest + ", the Hub says " + meta.etag +
                               ". It was discarded; pull again, and if it happens again the file on the Hub or a "
                               "proxy in between is at fault.");
        }
    }
    fs::rename(part, blob, ec);
    if (ec) throw HubError(HubProblem::DiskError, blob.string(), "Could not write " + blob.string() + " (" +
                                                                     ec.message() + "). Check the Hub cache.");
    ++m_filesDone;
    report(true);
}

PullResult Puller::fromCache() const {
    const std::optional<std::string> commit =
        isCommitHash(m_spec.revision) ? std::optional(m_spec.revision) : m_cache.readRef(m_spec.revision);
    const fs::path snap = commit ? m_cache.snapshot(*commit) : fs::path();
    if (!commit || !fs::exists(snap / "config.json") ||
        !(fs::exists(snap / "model.safetensors") || fs::exists(snap / "model.safetensors.index.json")))
        throw HubError(HubProblem::NotCached, m_spec.repo,
                       "HF_HUB_OFFLINE is set and the Hub cache (" + m_settings.cacheDir.string() + ") does not hold " +
                           m_spec.repo + "@" + m_spec.revision + ". Unset HF_HUB_OFFLINE to download it.");
    PullResult result;
    result.snapshot = snap;
    result.commit = *commit;
    result.offline = true;
    for (const auto& e : fs::recursive_directory_iterator(snap))
        if (!e.is_directory()) result.files.push_back(fs::relative(e.path(), snap).generic_string());
    return result;
}

PullResult Puller::run() {
    if (m_settings.offline) return fromCache();

    // The revision's commit and file list.
    const std::string api =
        m_settings.endpoint + "/api/models/" + m_spec.repo + "/revision/" + urlQuote(m_spec.revision, false);
    std::string json;
    HttpRequest request{"GET", api, authHeaders(api), true, {}, [this] { return cancelled(); }};
    request.onBody = [&json](long, const char* data, size_t size) { return json.append(data, size), true; };
    check(perform(request), api);
    RepoRevision revision;
    try {
        revision = parseRevisionJson(json);
    } catch (const std::exception& e) {
        throw HubError(HubProblem::HttpError, api, "The answer of " + api + " is not the Hub's (" + e.what() +
                                                       "). Check HF_ENDPOINT.");
    }
    if (!hasSafetensors(revision.files))
        throw HubError(HubProblem::NoWeights, m_spec.repo,
                       m_spec.repo + " has no safetensors weights (model.safetensors or model.safetensors.index.json)"
                       ", and Finetune Studio reads only those. Pick a repo that has them.");

    PullResult result;
    result.commit = revision.commit;
    result.snapshot = m_cache.snapshot(revision.commit);
    result.files = trainingFiles(revision.files);

    // What is missing: a file already in the snapshot is done without a request (a commit never changes).
    std::vector<FileMeta> toFetch;
    for (const auto& file : result.files) {
        if (fs::exists(result.snapshot / file)) continue;
        FileMeta meta = head(revision.commit, file);
        if (fs::exists(m_cache.blob(meta.etag))) {
            m_cache.link(revision.commit, file, meta.etag);  // the same content under another name or commit
            continue;
        }
        m_progress.total += meta.size;
        toFetch.push_back(std::move(meta));
    }

    m_progress.fileCount = static_cast<int>(toFetch.size());
    for (const FileMeta& meta : toFetch) {
        ++m_progress.fileIndex;
        m_progress.file = meta.name;
        m_progress.fileTotal = meta.size;
        // One download of a blob at a time, with the lock huggingface_hub takes (.locks/<repo folder>/<etag>.lock).
        const fs::path lockPath = m_settings.cacheDir / ".locks" / repoFolderName(m_spec.repo) / (meta.etag + ".lock");
        std::error_code ec;
        fs::create_directories(lockPath.parent_path(), ec);
        const int lock = ::open(lockPath.c_str(), O_RDWR | O_CREAT, 0644);
        if (lock >= 0) ::flock(lock, LOCK_EX);
        try {
            if (!fs::exists(m_cache.blob(meta.etag))) download(meta);
        } catch (...) {
            if (lock >= 0) ::close(lock);
            throw;
        }
        if (lock >= 0) ::close(lock);
        m_cache.link(revision.commit, meta.name, meta.etag);
    }
    if (m_spec.revision != revision.commit) m_cache.writeRef(m_spec.revision, revision.commit);
    result.filesDownloaded = m_filesDone;
    result.bytesDownloaded = m_transferred;
    return result;
}

} // namespace

PullResult pull(const RepoSpec& spec, const PullOptions& options) {
    return Puller(spec, options).run();
}

} // namespace ft::hub
