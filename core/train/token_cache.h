#pragma once
// The token cache: a dataset's encoded examples in one file per key, written once by the streamed preparation and
// memory-mapped by every later run (and the token inspector), so opening a million encoded rows takes milliseconds.
//
// Where: $FT_TOKEN_CACHE, else $XDG_CACHE_HOME/finetune-studio/tokens, else ~/.cache/finetune-studio/tokens.
// Key: the hash of the dataset's bytes with everything that changes its tokens (tokenizer file, chat template,
// special tokens, kind, format, columns, max_seq_length, block_size, train_on_prompt; see prepareTrainingData). The
// content hash is taken while the file is streamed; a small index keeps it per file identity (absolute path, size,
// mtime in ns, inode), so an unchanged file is not read again, and any change of those reads and hashes it anew.
// Size: about 2 bytes a token (4 past a 65,536-token vocabulary) plus ~30 bytes an example: ~0.6 GB for 1M chat rows
// of ~300 tokens. Bounded: after each write the least recently used files go until the folder holds at most
// $FT_TOKEN_CACHE_MAX_GB (default 20) GB; clearTokenCache() (`ftstudio-cli token-cache --clear`) empties it.
//
// File (version 1, little-endian): a 128-byte header (magic "FTTOKENS", version, id width, key, counts, pad id, the
// file's size, a hash of the header) then the ExampleColumns arrays, each 8-byte aligned, then the bad rows as JSON.
// Written to a temporary file in the folder, synced, then renamed: a killed write never leaves a file under a
// cache's name, and a file whose header, size or offsets do not add up is ignored (and rewritten).

#include "core/data/dataset.h"
#include "core/train/example_table.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ft {

std::filesystem::path tokenCacheDir();
std::filesystem::path tokenCacheFile(uint64_t key);

struct TokenCacheContents {
    std::shared_ptr<const ExampleTable> table;
    std::vector<RowError> errors;  // the dataset's bad rows, `file` set to the path given to openTokenCache
    int padId = 0;
    std::filesystem::path path;
};

// The cache file for `key`, mapped; nullopt when there is none or it is not a whole version-1 cache of that key.
// `datasetFile` names the file in the errors read back.
std::optional<TokenCacheContents> openTokenCache(uint64_t key, const std::string& datasetFile);

// Writes one cache: the ids stream into a temporary file through builder() as examples come; commit() adds the rest
// and renames it into place. Dropped without commit(), the temporary file is removed.
class TokenCacheWriter {
public:
    // Throws Error (FileUnwritable) when the folder cannot be made or written.
    explicit TokenCacheWriter(int vocabSize);
    ~TokenCacheWriter();
    TokenCacheWriter(const TokenCacheWriter&) = delete;
    TokenCacheWriter& operator=(const TokenCacheWriter&) = delete;

    ExampleTableBuilder& builder() { return *m_builder; }
    // Returns the cache file's path.
    std::filesystem::path commit(uint64_t key, const std::vector<RowError>& errors, int padId);

private:
    std::filesystem::path m_temp;
    std::FILE* m_file = nullptr;
    std::unique_ptr<ExampleTableBuilder> m_builder;
};

// A file as the index knows it; nullopt when it cannot be stat'ed.
struct FileIdentity {
    std::string path;  // absolute
    uint64_t size = 0, mtimeNs = 0, inode = 0, device = 0;
    bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> fileIdentity(const std::filesystem::path& file);
// The content hash recorded for exactly this identity; nullopt when the file changed or was never hashed.
std::optional<uint64_t> knownContentHash(const FileIdentity& file);
void rememberContentHash(const FileIdentity& file, uint64_t contentHash);

// Removes caches, least recently used first, until the folder holds at most `maxBytes`; `keep` is never removed.
void trimTokenCache(uint64_t maxBytes, const std::filesystem::path& keep = {});
uint64_t tokenCacheLimitBytes();  // $FT_TOKEN_CACHE_MAX_GB, default 20 GB
// Every cache and index entry removed; returns the bytes freed.
uint64_t clearTokenCache();
uint64_t tokenCacheBytes();

} // namespace ft
