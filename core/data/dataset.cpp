#include "core/data/dataset.h"

#include "core/common/error.h"
#include "core/data/csv.h"
#include "core/data/record_format.h"
#include "core/data/jsonl_reader.h"
#include "core/data/row_reader.h"
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
    {DatasetFormat::Preference, "preference"},     {DatasetFormat::Unpaired, "unpaired"},
};

std::string tooLong(size_t limit) { return tooLongReason(limit); }

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
void jsonlRows(const std::filesystem::path& file, size_t limit, Dataset& ds, std::vector<std::pair<int, Json>>& rows) {
    const std::string where = file.string();
    JsonlReader reader(file, limit);
    for (auto lines = reader.next(1u << 20); !lines.empty(); lines = reader.next(1u << 20))
        for (const JsonlLine& line : lines) {
            ParsedLine parsed = parseJsonlLine(line, where, limit);
            if (auto* error = std::get_if<RowError>(&parsed)) ds.errors.push_back(std::move(*error));
            else if (auto* record = std::get_if<Json>(&parsed)) rows.emplace_back(line.line, std::move(*record));
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

DatasetKind kindOfFormat(DatasetFormat f) {
    if (isRawTextFormat(f)) return DatasetKind::RawText;
    if (f == DatasetFormat::Preference || f == DatasetFormat::Unpaired) return DatasetKind::Preference;
    return DatasetKind::Instruct;
}

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
        jsonlRows(file, options.maxLineBytes, ds, rows);
    }

    RowReader reader(where, kind, options);
    for (const auto& [line, row] : rows) {
        RowOutcome outcome = reader.next(line, row);
        if (outcome.error) ds.errors.push_back(std::move(*outcome.error));
        if (outcome.example) ds.examples.push_back(std::move(*outcome.example));
    }
    if (reader.format()) ds.format = *reader.format();
    ds.kind = reader.kind().value_or(DatasetKind::Instruct);
    std::stable_sort(ds.errors.begin(), ds.errors.end(), [](const RowError& a, const RowError& b) { return a.line < b.line; });
    if (ds.examples.empty()) throw noUsableRecords(where, ds.errors);
    return ds;
}

Error noUsableRecords(const std::string& file, const std::vector<RowError>& errors) {
    return Error(ErrorCode::InvalidValue, file,
                 errors.empty() ? "the file holds no records"
                                : "no usable records; first problem at line " + std::to_string(errors[0].line) + ": " +
                                      errors[0].reason);
}

std::vector<Example> unpairPreferences(const std::vector<Example>& rows) {
    constexpr size_t kChunk = 1000;  // datasets.map(batched=True)'s default batch
    std::vector<Example> out;
    out.reserve(rows.size() * 2);
    for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
        const size_t end = std::min(rows.size(), begin + kChunk);
        for (const bool chosen : {true, false})
            for (size_t i = begin; i < end; ++i) {
                const Example& row = rows[i];
                if (!row.preference || row.preference->desirable) {
                    if (chosen) out.push_back(row);
                    continue;
                }
                Example one = row;
                PreferenceAnswers& p = *one.preference;
                if (!chosen) {
                    p.chosen = p.rejected;
                    p.chosenMessages = p.rejectedMessages;
                }
                p.rejected.clear();
                p.rejectedMessages.clear();
                p.desirable = chosen;
                out.push_back(std::move(one));
            }
    }
    return out;
}

Example chosenConversation(const Example& row) {
    Example out = row;
    if (row.preference && row.preference->conversational) {
        const auto& answer = row.preference->chosenMessages;
        out.messages.insert(out.messages.end(), answer.begin(), answer.end());
        out.preference.reset();
    }
    return out;
}

} // namespace ft
