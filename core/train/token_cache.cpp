#include "core/train/token_cache.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/content_hash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ft {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'F', 'T', 'T', 'O', 'K', 'E', 'N', 'S'};
constexpr uint32_t kVersion = 1;
constexpr uint64_t kHeaderBytes = 128;

struct Header {
    char magic[8];
    uint32_t version;
    uint32_t idBytes;
    uint64_t key;
    uint64_t examples, tokens, runs, errorBytes;
    int32_t padId;
    uint32_t reserved;
    uint64_t fileBytes;
    uint64_t headerHash;  // of the bytes before it
};
static_assert(sizeof(Header) <= kHeaderBytes);

uint64_t headerHash(const Header& h) {
    ContentHash hash;
    hash.update(&h, offsetof(Header, headerHash));
    return hash.digest();
}

uint64_t align8(uint64_t x) { return (x + 7) & ~uint64_t(7); }

// Where each array starts.
struct Layout {
    uint64_t ids, tokenStarts, runStarts, runs, lines, flags, errors, end;
};
Layout layoutOf(const Header& h) {
    Layout l;
    l.ids = kHeaderBytes;
    l.tokenStarts = align8(l.ids + h.tokens * h.idBytes);
    l.runStarts = l.tokenStarts + (h.examples + 1) * 8;
    l.runs = l.runStarts + (h.examples + 1) * 8;
    l.lines = l.runs + h.runs * sizeof(TokenRun);
    l.flags = align8(l.lines + h.examples * 4);
    l.errors = align8(l.flags + h.examples);
    l.end = l.errors + h.errorBytes;
    return l;
}

struct Mapping {
    void* addr = MAP_FAILED;
    size_t size = 0;
    ~Mapping() {
        if (addr != MAP_FAILED) ::munmap(addr, size);
    }
};

// Offsets that rise from 0 to `last`.
bool risingTo(std::span<const uint64_t> starts, uint64_t last) {
    if (starts.empty() || starts.front() != 0 || starts.back() != last) return false;
    for (size_t i = 1; i < starts.size(); ++i)
        if (starts[i] < starts[i - 1]) return false;
    return true;
}

bool processAlive(long pid) { return ::kill(pid_t(pid), 0) == 0 || errno != ESRCH; }

// Temporary files of writers that no longer run (".partial-<pid>-<n>.tokens").
void removeStalePartials(const fs::path& dir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(".partial-")) continue;
        const long pid = std::strtol(name.c_str() + 9, nullptr, 10);
        if (pid > 0 && !processAlive(pid)) fs::remove(entry.path(), ec);
    }
}

fs::path indexFile(const std::string& absolutePath) {
    ContentHash h;
    h.update(absolutePath);
    return tokenCacheDir() / "index" / (h.hex() + ".json");
}

void writeAll(std::FILE* f, const void* data, size_t bytes, const fs::path& where) {
    if (bytes > 0 && std::fwrite(data, 1, bytes, f) != bytes)
        throw Error(ErrorCode::FileUnwritable, where.string(),
                    "could not write the token cache (disk full?); free space, or set FT_TOKEN_CACHE to another folder");
}

void padTo8(std::FILE* f, uint64_t at, const fs::path& where) {
    static const char zeros[8] = {};
    writeAll(f, zeros, size_t(align8(at) - at), where);
}

} // namespace

fs::path tokenCacheDir() {
    if (const char* env = std::getenv("FT_TOKEN_CACHE"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "finetune-studio" / "tokens";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".cache" / "finetune-studio" / "tokens";
}

fs::path tokenCacheFile(uint64_t key) { return tokenCacheDir() / (hex64(key) + ".tokens"); }

std::optional<TokenCacheContents> openTokenCache(uint64_t key, const std::string& datasetFile) {
    const fs::path path = tokenCacheFile(key);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    auto mapping = std::make_shared<Mapping>();
    if (::fstat(fd, &st) == 0 && uint64_t(st.st_size) >= kHeaderBytes) {
        mapping->size = size_t(st.st_size);
        mapping->addr = ::mmap(nullptr, mapping->size, PROT_READ, MAP_SHARED, fd, 0);
    }
    ::close(fd);
    if (mapping->addr == MAP_FAILED) return std::nullopt;
    const auto* base = static_cast<const std::byte*>(mapping->addr);
    Header h;
    std::memcpy(&h, base, sizeof h);
    const uint64_t fileBytes = mapping->size;
    if (std::memcmp(h.magic, kMagic, 8) != 0 || h.version != kVersion || h.headerHash != headerHash(h) ||
        h.key != key || h.fileBytes != fileBytes || (h.idBytes != 2 && h.idBytes != 4) || h.examples > fileBytes ||
        h.tokens > fileBytes || h.runs > fileBytes || h.errorBytes > fileBytes)
        return std::nullopt;
    const Layout l = layoutOf(h);
    if (l.end != fileBytes) return std::nullopt;

    ExampleColumns c;
    const auto at = [&](uint64_t offset) { return base + offset; };
    c.ids = at(l.ids);
    c.idBytes = int(h.idBytes);
    c.tokenStarts = {reinterpret_cast<const uint64_t*>(at(l.tokenStarts)), size_t(h.examples + 1)};
    c.runStarts = {reinterpret_cast<const uint64_t*>(at(l.runStarts)), size_t(h.examples + 1)};
    c.runs = {reinterpret_cast<const TokenRun*>(at(l.runs)), size_t(h.runs)};
    c.lines = {reinterpret_cast<const int32_t*>(at(l.lines)), size_t(h.examples)};
    c.flags = {reinterpret_cast<const uint8_t*>(at(l.flags)), size_t(h.examples)};
    // The offsets are checked (a few MB read for a million rows); the ids are not, a checksum of them would read the
    // whole file on every open. The rename makes a file whole or absent, and the header's hash and sizes catch damage.
    if (!risingTo(c.tokenStarts, h.tokens) || !risingTo(c.runStarts, h.runs)) return std::nullopt;
    for (size_t i = 0; i < h.examples; ++i) {
        const uint64_t n = c.tokenStarts[i + 1] - c.tokenStarts[i];
        for (uint64_t r = c.runStarts[i]; r < c.runStarts[i + 1]; ++r)
            if (c.runs[r].begin >= c.runs[r].end || c.runs[r].end > n) return std::nullopt;
    }

    TokenCacheContents out;
    try {
        const auto errors = nlohmann::json::parse(std::string_view(reinterpret_cast<const char*>(at(l.errors)), size_t(h.errorBytes)));
        for (const auto& e : errors) out.errors.push_back({datasetFile, e.at(0).get<int>(), e.at(1).get<std::string>()});
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    out.table = std::make_shared<const ExampleTable>(c, mapping);
    out.padId = h.padId;
    out.path = path;
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // recently used: trimming removes it last
    return out;
}

TokenCacheWriter::TokenCacheWriter(int vocabSize) {
    static std::atomic<int> counter{0};
    const fs::path dir = tokenCacheDir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    removeStalePartials(dir);
    m_temp = dir / (".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".tokens");
    m_file = std::fopen(m_temp.c_str(), "wb");
    if (!m_file)
        throw Error(ErrorCode::FileUnwritable, dir.string(),
                    std::string("cannot write the token cache here (") + std::strerror(errno) +
                        "); make the folder writable, or set FT_TOKEN_CACHE to another folder");
    const char header[kHeaderBytes] = {};
    writeAll(m_file, header, sizeof header, m_temp);  // the real one goes in last
    m_builder = std::make_unique<ExampleTableBuilder>(vocabSize, m_file);
}

TokenCacheWriter::~TokenCacheWriter() {
    if (m_file) {
        std::fclose(m_file);
        std::error_code ec;
        fs::remove(m_temp, ec);
    }
}

fs::path TokenCacheWriter::commit(uint64_t key, const std::vector<RowError>& errors, int padId) {
    const ExampleColumns c = m_builder->columns();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : errors) list.push_back({e.line, e.reason});
    const std::string errorText = list.dump();

    Header h{};
    std::memcpy(h.magic, kMagic, 8);
    h.version = kVersion;
    h.idBytes = uint32_t(c.idBytes);
    h.key = key;
    h.examples = c.lines.size();
    h.tokens = c.tokenStarts.back();
    h.runs = c.runs.size();
    h.errorBytes = errorText.size();
    h.padId = padId;
    const Layout l = layoutOf(h);
    h.fileBytes = l.end;
    h.headerHash = headerHash(h);

    padTo8(m_file, l.ids + h.tokens * h.idBytes, m_temp);
    writeAll(m_file, c.tokenStarts.data(), c.tokenStarts.size_bytes(), m_temp);
    writeAll(m_file, c.runStarts.data(), c.runStarts.size_bytes(), m_temp);
    writeAll(m_file, c.runs.data(), c.runs.size_bytes(), m_temp);
    writeAll(m_file, c.lines.data(), c.lines.size_bytes(), m_temp);
    padTo8(m_file, l.lines + c.lines.size_bytes(), m_temp);
    writeAll(m_file, c.flags.data(), c.flags.size_bytes(), m_temp);
    padTo8(m_file, l.flags + c.flags.size_bytes(), m_temp);
    writeAll(m_file, errorText.data(), errorText.size(), m_temp);
    if (std::fseek(m_file, 0, SEEK_SET) != 0) throw Error(ErrorCode::FileUnwritable, m_temp.string(), "seek failed");
    writeAll(m_file, &h, sizeof h, m_temp);
    if (std::fflush(m_file) != 0 || ::fsync(::fileno(m_file)) != 0)
        throw Error(ErrorCode::FileUnwritable, m_temp.string(), "could not write the token cache (disk full?)");
    std::fclose(m_file);
    m_file = nullptr;
    const fs::path path = tokenCacheFile(key);
    std::error_code ec;
    fs::rename(m_temp, path, ec);
    if (ec) {
        fs::remove(m_temp, ec);
        throw Error(ErrorCode::FileUnwritable, path.string(), "could not rename the token cache into place");
    }
    m_builder.reset();
    return path;
}

std::optional<FileIdentity> fileIdentity(const fs::path& file) {
    std::error_code ec;
    const fs::path abs = fs::absolute(file, ec);
    struct stat st {};
    if (ec || ::stat(abs.c_str(), &st) != 0) return std::nullopt;
    FileIdentity id;
    id.path = abs.lexically_normal().string();
    id.size = uint64_t(st.st_size);
    id.mtimeNs = uint64_t(st.st_mtim.tv_sec) * 1000000000ull + uint64_t(st.st_mtim.tv_nsec);
    id.inode = uint64_t(st.st_ino);
    id.device = uint64_t(st.st_dev);
    return id;
}

std::optional<uint64_t> knownContentHash(const FileIdentity& file) {
    try {
        const auto j = nlohmann::json::parse(readFile(indexFile(file.path)));
        const FileIdentity known{j.at("path").get<std::string>(), j.at("size").get<uint64_t>(),
                                 j.at("mtime_ns").get<uint64_t>(), j.at("inode").get<uint64_t>(),
                                 j.at("device").get<uint64_t>()};
        if (!(known == file)) return std::nullopt;
        return std::stoull(j.at("content").get<std::string>(), nullptr, 16);
    } catch (const std::exception&) {  // absent, unreadable, or not ours: hash the file again
        return std::nullopt;
    }
}

void rememberContentHash(const FileIdentity& file, uint64_t contentHash) {
    const nlohmann::json j{{"path", file.path},   {"size", file.size},     {"mtime_ns", file.mtimeNs},
                           {"inode", file.inode}, {"device", file.device}, {"content", hex64(contentHash)}};
    try {
        const fs::path index = indexFile(file.path);
        fs::create_directories(index.parent_path());
        writeFileAtomic(index, j.dump());
    } catch (const std::exception&) {  // the next run hashes the file again; nothing else is lost
    }
}

uint64_t tokenCacheLimitBytes() {
    double gb = 20;
    if (const char* env = std::getenv("FT_TOKEN_CACHE_MAX_GB"); env && *env) gb = std::max(0.0, std::atof(env));
    return uint64_t(gb * 1e9);
}

void trimTokenCache(uint64_t maxBytes, const fs::path& keep) {
    struct Entry {
        fs::path path;
        uint64_t bytes;
        fs::file_time_type used;
    };
    std::vector<Entry> entries;
    uint64_t total = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(tokenCacheDir(), ec)) {
        if (e.path().extension() != ".tokens" || e.path().filename().string().starts_with(".")) continue;
        const uint64_t bytes = e.file_size(ec);
        entries.push_back({e.path(), bytes, e.last_write_time(ec)});
        total += bytes;
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
    for (const Entry& e : entries) {
        if (total <= maxBytes) break;
        if (e.path == keep) continue;
        if (fs::remove(e.path, ec)) total -= e.bytes;
    }
}

uint64_t tokenCacheBytes() {
    uint64_t total = 0;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(tokenCacheDir(), ec))
        if (e.is_regular_file(ec)) total += e.file_size(ec);
    return total;
}

uint64_t clearTokenCache() {
    const fs::path dir = tokenCacheDir();
    uint64_t freed = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with(".partial-")) {
            const long pid = std::strtol(name.c_str() + 9, nullptr, 10);
            if (pid > 0 && processAlive(pid)) continue;  // a write under way
        }
        if (e.path().extension() == ".tokens") {
            const uint64_t bytes = e.file_size(ec);
            if (fs::remove(e.path(), ec)) freed += bytes;
        }
    }
    for (const auto& e : fs::directory_iterator(dir / "index", ec)) fs::remove(e.path(), ec);
    return freed;
}

} // namespace ft
