#pragma once
// A JSONL file read in chunks of whole lines, as loadDataset reads it: the same line numbers, the same limit on a
// line's length (a longer line is reported, its bytes read past and not kept), with every byte of the file hashed on
// the way (the token cache's key needs the content, and the bytes pass by anyway).

#include "core/data/dataset.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "core/io/content_hash.h"

namespace ft {

struct JsonlLine {
    int line = 0;  // 1-based
    std::string text;
    bool tooLong = false;
};

class JsonlReader {
public:
    // Throws Error (FileNotFound, FileUnreadable).
    JsonlReader(const std::filesystem::path& file, size_t maxLineBytes);
    ~JsonlReader();
    JsonlReader(const JsonlReader&) = delete;
    JsonlReader& operator=(const JsonlReader&) = delete;

    // The next lines, about `bytes` of text (at least one line); empty at the end of the file.
    std::vector<JsonlLine> next(size_t bytes);
    // The hash of the bytes read so far: the whole file's once next() came back empty.
    uint64_t contentHash() const { return m_hash.digest(); }
    uint64_t bytesRead() const { return m_bytesRead; }

private:
    bool refill();
    std::FILE* m_file = nullptr;
    std::string m_where;
    size_t m_limit;
    std::vector<char> m_buffer;
    size_t m_pos = 0, m_end = 0;
    JsonlLine m_current;
    bool m_inLine = false;  // bytes of m_current were read (an unterminated last line still counts)
    int m_lineNo = 0;
    uint64_t m_bytesRead = 0;
    ContentHash m_hash;
};

// "longer than the limit of N bytes (...)": the words loadDataset uses for a line or record past the limit.
std::string tooLongReason(size_t limit);

// One line as loadDataset takes it: monostate for a blank line (skipped), else the parsed record or why the row is
// left out.
using ParsedLine = std::variant<std::monostate, nlohmann::json, RowError>;
ParsedLine parseJsonlLine(const JsonlLine& line, const std::string& where, size_t limit);

} // namespace ft
