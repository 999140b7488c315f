#include "core/data/dataset.h"

#include "core/common/error.h"
#include "core/data/csv.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace ft {

namespace {

using Json = nlohmann::json;

struct FormatName {
    DatasetFormat format;
    const char* name;
};
constexpr FormatName kFormats[] = {
    {DatasetFormat::Messages, "messages"},         {DatasetFormat::ShareGpt, "sharegpt"},
    {DatasetFormat::Alpaca, "alpaca"},             {DatasetFormat::PromptResponse, "prompt_response"},
    {DatasetFormat::Text, "text"},                 {DatasetFormat::PlainText, "plain_text"},
};

// A malformed row: reported with its line, the loading goes on.
struct RowProblem : std::runtime_error {
    using std::runtime_error::runtime_error;
};

bool validUtf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + size_t(n) > s.size()) return false;
        uint32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (int k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + size_t(k)]);
            if ((cc >> 6) != 0x2) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;  // overlong, surrogate
        i += size_t(n);
    }
    return true;
}

class RowReader {
public:
    RowReader(const Json& row, const DatasetOptions& options) : m_row(row), m_options(options) {}

    std::string column(const std::string& field) const {
        const auto it = m_options.columns.find(field);
        return it == m_options.columns.end() ? field : it->second;
    }
    bool has(const std::string& field) const {
        const std::string c = column(field);
        return m_row.contains(c) && !m_row[c].is_null() && !(m_row[c].is_string() && m_row[c].get<std::string>().empty() && field == "input");
    }
    std::string str(const std::string& field) const {
        const std::string c = column(field);
        if (!m_row.contains(c)) throw RowProblem("missing field \"" + c + "\"");
        return text(m_row[c], c);
    }
    const Json& raw(const std::string& field) const {
        const std::string c = column(field);
        if (!m_row.contains(c)) throw RowProblem("missing field \"" + c + "\"");
        return m_row[c];
    }
    static std::string text(const Json& v, const std::string& name) {
        if (!v.is_string()) throw RowProblem("field \"" + name + "\" is not a string");
        std::string s = v.get<std::string>();
        if (!validUtf8(s)) throw RowProblem("field \"" + name + "\" is not valid UTF-8");
        return s;
    }

private:
    const Json& m_row;
    const DatasetOptions& m_options;
};

std::optional<DatasetFormat> detect(const RowReader& r) {
    if (r.has("messages")) return DatasetFormat::Messages;
    if (r.has("conversations")) return DatasetFormat::ShareGpt;
    if (r.has("instruction") && r.has("output")) return DatasetFormat::Alpaca;
    if (r.has("prompt") && (r.has("response") || r.has("completion"))) return DatasetFormat::PromptResponse;
    if (r.has("text")) return DatasetFormat::Text;
    return std::nullopt;
}

std::string checkedRole(const std::string& role) {
    if (role == "system" || role == "user" || role == "assistant" || role == "tool") return role;
    throw RowProblem("unknown role \"" + role + "\" (use system, user, assistant or tool)");
}

// ShareGPT speaker names → roles.
std::string shareGptRole(const std::string& from) {
    if (from == "human" || from == "user") return "user";
    if (from == "gpt" || from == "assistant" || from == "chatgpt" || from == "bard") return "assistant";
    if (from == "system") return "system";
    if (from == "tool" || from == "function" || from == "observation") return "tool";
    throw RowProblem("unknown speaker \"" + from + "\" in conversations (use human, gpt, system or tool)");
}

Example toExample(const RowReader& r, DatasetFormat format, int line) {
    Example ex;
    ex.line = line;
    switch (format) {
    case DatasetFormat::Messages:
    case DatasetFormat::ShareGpt: {
        const bool share = format == DatasetFormat::ShareGpt;
        const Json& list = r.raw(share ? "conversations" : "messages");
        if (!list.is_array() || list.empty()) throw RowProblem(std::string("\"") + (share ? "conversations" : "messages") + "\" is not a non-empty list");
        for (const auto& m : list) {
            const char* roleKey = share ? "from" : "role";
            const char* contentKey = share ? "value" : "content";
            if (!m.is_object() || !m.contains(roleKey) || !m.contains(contentKey))
                throw RowProblem(std::string("a message lacks \"") + roleKey + "\" or \"" + contentKey + "\"");
            const std::string who = RowReader::text(m[roleKey], roleKey);
            ex.messages.push_back({share ? shareGptRole(who) : checkedRole(who),
                                   m[contentKey].is_null() ? std::string() : RowReader::text(m[contentKey], contentKey)});
        }
        if (ex.messages.back().role != "assistant")
            throw RowProblem("the last message is not from the assistant; there is nothing to learn");
        break;
    }
    case DatasetFormat::Alpaca: {
        std::string prompt = r.str("instruction");
        if (r.has("input")) prompt += "\n\n" + r.str("input");
        if (r.has("system")) ex.messages.push_back({"system", r.str("system")});
        ex.messages.push_back({"user", prompt});
        ex.messages.push_back({"assistant", r.str("output")});
        break;
    }
    case DatasetFormat::PromptResponse:
        ex.messages.push_back({"user", r.str("prompt")});
        ex.messages.push_back({"assistant", r.str(r.has("response") ? "response" : "completion")});
        break;
    case DatasetFormat::Text:
    case DatasetFormat::PlainText:
        ex.text = r.str("text");
        if (ex.text.empty()) throw RowProblem("the text is empty");
        break;
    }
    if (!isRawTextFormat(format) && ex.messages.back().content.empty()) throw RowProblem("the assistant's answer is empty");
    return ex;
}

std::string tooLong(size_t limit) {
    return "longer than the limit of " + std::to_string(limit) + " bytes (binary data, or a missing line break?)";
}

// One line of the file without its '\n', holding at most `limit` bytes: the rest of a longer line is read past,
// not kept, and the result says so. nullopt at the end of the file.
struct Line {
    std::string text;
    bool tooLong = false;
};
std::optional<Line> readLine(std::istream& in, size_t limit) {
    Line line;
    std::streambuf* buf = in.rdbuf();
    bool any = false;
    for (int c = buf->sbumpc(); c != std::char_traits<char>::eof(); c = buf->sbumpc()) {
        any = true;
        if (c == '\n') return line;
        if (line.text.size() < limit)
            line.text.push_back(char(c));
        else
            line.tooLong = true;
    }
    if (!any) return std::nullopt;
    return line;
}

std::ifstream openForReading(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(std::filesystem::exists(file) ? ErrorCode::FileUnreadable : ErrorCode::FileNotFound, file.string(), "");
    return in;
}

void loadPlainText(std::istream& in, const std::string& where, size_t limit, Dataset& ds) {
    ds.format = DatasetFormat::PlainText;
    std::string block;
    int lineNo = 0, blockStart = 1;
    bool blockTooLong = false;
    auto flush = [&] {
        if (blockTooLong)
            ds.errors.push_back({where, blockStart, "the text block is " + tooLong(limit)});
        else if (block.empty())
            return;
        else if (validUtf8(block))
            ds.examples.push_back({{}, block, blockStart});
        else
            ds.errors.push_back({where, blockStart, "not valid UTF-8 (binary data?)"});
        block.clear();
        blockTooLong = false;
    };
    while (auto line = readLine(in, limit)) {
        ++lineNo;
        std::string& text = line->text;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.empty() && !line->tooLong) {
            flush();
            blockStart = lineNo + 1;
        } else if (line->tooLong || block.size() + text.size() + 1 > limit) {
            blockTooLong = true;
            block.clear();
        } else if (!blockTooLong) {
            block += (block.empty() ? "" : "\n") + text;
        }
    }
    flush();
}

// JSONL: one record a line, streamed.
void jsonlRows(std::istream& in, const std::string& where, size_t limit, Dataset& ds, std::vector<std::pair<int, Json>>& rows) {
    int lineNo = 0;
    while (auto line = readLine(in, limit)) {
        ++lineNo;
        if (line->tooLong) {
            ds.errors.push_back({where, lineNo, "the line is " + tooLong(limit)});
            continue;
        }
        if (line->text.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            rows.emplace_back(lineNo, Json::parse(line->text));
        } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e999
            ds.errors.push_back({where, lineNo, validUtf8(line->text) ? describeJsonError(e, lineNo) : "not valid UTF-8"});
        }
    }
}

// .json and .csv are parsed from memory: refuse a file too big to hold.
std::string readWholeFile(const std::filesystem::path& file, size_t limit) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec && size > limit)
        throw Error(ErrorCode::LimitExceeded, file.string(),
                    "the file has " + std::to_string(size) + " bytes; .json and .csv files are read whole, up to " +
                        std::to_string(limit) + " bytes: convert it to JSONL");
    return readFile(file);
}

// CSV/TSV rows as JSON objects keyed by the header row.
std::vector<std::pair<int, Json>> csvRows(const std::string& content, char delimiter, const std::string& where, size_t limit,
                                          Dataset& ds) {
    std::vector<CsvError> errors;
    auto records = parseCsv(content, delimiter, errors);
    for (const auto& e : errors) ds.errors.push_back({where, e.line, e.reason});
    std::vector<std::pair<int, Json>> rows;
    if (records.empty()) return rows;
    const auto header = records.front().fields;
    for (size_t i = 1; i < records.size(); ++i) {
        const auto& rec = records[i];
        size_t bytes = 0;
        for (const auto& f : rec.fields) bytes += f.size();
        if (bytes > limit) {
            ds.errors.push_back({where, rec.line, "the record is " + tooLong(limit)});
            continue;
        }
        if (rec.fields.size() != header.size()) {
            ds.errors.push_back({where, rec.line, "has " + std::to_string(rec.fields.size()) + " fields but the header has " +
                                                      std::to_string(header.size())});
            continue;
        }
        Json row = Json::object();
        bool utf8 = true;
        for (size_t k = 0; k < header.size(); ++k) {
            utf8 = utf8 && validUtf8(rec.fields[k]);
            row[header[k]] = utf8 ? Json(rec.fields[k]) : Json();
        }
        if (!utf8) {
            ds.errors.push_back({where, rec.line, "not valid UTF-8"});
            continue;
        }
        rows.emplace_back(rec.line, std::move(row));
    }
    return rows;
}

} // namespace

const char* datasetFormatName(DatasetFormat format) {
    for (const auto& f : kFormats)
        if (f.format == format) return f.name;
    return "?";
}

std::optional<DatasetFormat> datasetFormatFromName(const std::string& name) {
    for (const auto& f : kFormats)
        if (name == f.name) return f.format;
    return std::nullopt;
}

bool isRawTextFormat(DatasetFormat f) { return f == DatasetFormat::Text || f == DatasetFormat::PlainText; }

Dataset loadDataset(const std::filesystem::path& file, std::optional<DatasetKind> kind, const DatasetOptions& options) {
    const std::string where = file.string();
    Dataset ds;
    const std::string ext = file.extension().string();

    if (ext == ".txt" || options.format == DatasetFormat::PlainText) {
        ds.kind = DatasetKind::RawText;
        if (kind && *kind != DatasetKind::RawText)
            throw Error(ErrorCode::InvalidValue, where, "a .txt file holds raw text; choose Base FT or use JSONL pairs");
        std::ifstream in = openForReading(file);
        loadPlainText(in, where, options.maxLineBytes, ds);
        if (ds.examples.empty()) throw Error(ErrorCode::InvalidValue, where, "the file holds no text");
        return ds;
    }

    std::vector<std::pair<int, Json>> rows;
    if (ext == ".csv" || ext == ".tsv") {
        rows = csvRows(readWholeFile(file, options.maxWholeFileBytes), ext == ".tsv" ? '\t' : ',', where,
                       options.maxLineBytes, ds);
    } else if (ext == ".json") {
        Json j;
        try {
            j = Json::parse(readWholeFile(file, options.maxWholeFileBytes));
        } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e999
            throw Error(ErrorCode::ParseError, where, describeJsonError(e));
        }
        if (!j.is_array()) throw Error(ErrorCode::ParseError, where, "expected a JSON list of records");
        for (size_t i = 0; i < j.size(); ++i) rows.emplace_back(int(i) + 1, std::move(j[i]));
    } else {  // JSONL
        std::ifstream in = openForReading(file);
        jsonlRows(in, where, options.maxLineBytes, ds, rows);
    }

    std::optional<DatasetFormat> format = options.format;
    for (const auto& [line, row] : rows) {
        if (!row.is_object()) {
            ds.errors.push_back({where, line, "the record is not a JSON object"});
            continue;
        }
        const RowReader reader(row, options);
        if (!format) {
            format = detect(reader);
            if (!format) {
                ds.errors.push_back({where, line, "no known fields (messages, conversations, instruction/output, prompt/response, text)"});
                continue;
            }
        }
        if (!kind) kind = isRawTextFormat(*format) ? DatasetKind::RawText : DatasetKind::Instruct;
        if ((*kind == DatasetKind::RawText) != isRawTextFormat(*format))
            throw Error(ErrorCode::InvalidValue, where + ":" + std::to_string(line),
                        *kind == DatasetKind::RawText ? "records hold instruction pairs; choose Instruct FT"
                                                     : "records hold raw text; choose Base FT");
        try {
            ds.examples.push_back(toExample(reader, *format, line));
        } catch (const RowProblem& e) {
            ds.errors.push_back({where, line, e.what()});
        } catch (const Json::exception& e) {
            ds.errors.push_back({where, line, describeJsonError(e)});
        }
    }
    if (format) ds.format = *format;
    ds.kind = kind.value_or(DatasetKind::Instruct);
    std::stable_sort(ds.errors.begin(), ds.errors.end(), [](const RowError& a, const RowError& b) { return a.line < b.line; });
    if (ds.examples.empty())
        throw Error(ErrorCode::InvalidValue, where,
                    ds.errors.empty() ? "the file holds no records"
                                      : "no usable records; first problem at line " + std::to_string(ds.errors[0].line) +
                                            ": " + ds.errors[0].reason);
    return ds;
}

} // namespace ft
