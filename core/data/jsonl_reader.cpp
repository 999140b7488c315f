#include "core/data/jsonl_reader.h"

#include "core/common/error.h"
#include "core/data/record_format.h"
#include "core/io/json_error.h"

#include <algorithm>
#include <cstring>

namespace ft {

JsonlReader::JsonlReader(const std::filesystem::path& file, size_t maxLineBytes)
    : m_where(file.string()), m_limit(maxLineBytes) {
    m_file = std::fopen(file.c_str(), "rb");
    if (!m_file)
        throw Error(std::filesystem::exists(file) ? ErrorCode::FileUnreadable : ErrorCode::FileNotFound, m_where, "");
    // Reads of up to 4 MB; a small file gets a buffer of its size (a zeroed 4 MB for every dataset of a few rows
    // made small loads, and a fuzzer's, spend their time in page faults).
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(file, ec);
    m_buffer.resize(ec ? size_t(4) << 20 : size_t(std::clamp<uintmax_t>(size + 1, 4096, uintmax_t(4) << 20)));
}

JsonlReader::~JsonlReader() {
    if (m_file) std::fclose(m_file);
}

bool JsonlReader::refill() {
    m_pos = 0;
    m_end = std::fread(m_buffer.data(), 1, m_buffer.size(), m_file);
    if (m_end == 0 && std::ferror(m_file)) throw Error(ErrorCode::FileUnreadable, m_where, "a read failed midway");
    m_hash.update(m_buffer.data(), m_end);
    m_bytesRead += m_end;
    return m_end > 0;
}

std::vector<JsonlLine> JsonlReader::next(size_t bytes) {
    std::vector<JsonlLine> out;
    size_t taken = 0;
    while (taken < bytes || out.empty()) {
        if (m_pos == m_end && !refill()) {
            if (m_inLine) {  // the last line, without its '\n'
                m_current.line = ++m_lineNo;
                out.push_back(std::move(m_current));
                m_current = {};
                m_inLine = false;
            }
            break;
        }
        const char* begin = m_buffer.data() + m_pos;
        const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', m_end - m_pos));
        const size_t n = size_t((newline ? newline : m_buffer.data() + m_end) - begin);
        const size_t room = m_limit - std::min(m_limit, m_current.text.size());
        m_current.text.append(begin, std::min(n, room));
        if (n > room) m_current.tooLong = true;
        m_inLine = true;
        m_pos += n;
        if (!newline) continue;
        ++m_pos;  // past the '\n'
        m_current.line = ++m_lineNo;
        taken += m_current.text.size() + 1;
        out.push_back(std::move(m_current));
        m_current = {};
        m_inLine = false;
    }
    return out;
}

std::string tooLongReason(size_t limit) {
    return "longer than the limit of " + std::to_string(limit) + " bytes (binary data, or a missing line break?)";
}

ParsedLine parseJsonlLine(const JsonlLine& line, const std::string& where, size_t limit) {
    using Bad = RowError;
    if (line.tooLong) return ParsedLine(std::in_place_type<Bad>, Bad{where, line.line, "the line is " + tooLongReason(limit)});
    if (line.text.find_first_not_of(" \t\r") == std::string::npos) return ParsedLine(std::in_place_type<std::monostate>);
    try {
        return ParsedLine(std::in_place_type<nlohmann::json>, nlohmann::json::parse(line.text));
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
        return ParsedLine(std::in_place_type<Bad>,
                          Bad{where, line.line, validUtf8(line.text) ? describeJsonError(e, line.line) : "not valid UTF-8"});
    }
}

} // namespace ft
