#include "core/data/dataset.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace ft {

const char* datasetFormatName(DatasetFormat format) {
    switch (format) {
    case DatasetFormat::Messages: return "messages";
    case DatasetFormat::Alpaca: return "alpaca";
    case DatasetFormat::PromptResponse: return "prompt_response";
    case DatasetFormat::Text: return "text";
    case DatasetFormat::PlainText: return "plain_text";
    }
    return "?";
}

namespace {

std::optional<DatasetFormat> detect(const nlohmann::json& row) {
    if (!row.is_object()) return std::nullopt;
    if (row.contains("messages")) return DatasetFormat::Messages;
    if (row.contains("instruction") && row.contains("output")) return DatasetFormat::Alpaca;
    if (row.contains("prompt") && (row.contains("response") || row.contains("completion")))
        return DatasetFormat::PromptResponse;
    if (row.contains("text")) return DatasetFormat::Text;
    return std::nullopt;
}

std::string str(const nlohmann::json& row, const char* key) {
    const auto& v = row.at(key);
    if (!v.is_string()) throw std::runtime_error(std::string("field \"") + key + "\" is not a string");
    return v.get<std::string>();
}

Example toExample(const nlohmann::json& row, DatasetFormat format, int line) {
    Example ex;
    ex.line = line;
    switch (format) {
    case DatasetFormat::Messages:
        if (!row["messages"].is_array() || row["messages"].empty())
            throw std::runtime_error("\"messages\" is not a non-empty list");
        for (const auto& m : row["messages"]) {
            if (!m.is_object() || !m.contains("role") || !m.contains("content"))
                throw std::runtime_error("a message lacks \"role\" or \"content\"");
            ex.messages.push_back({str(m, "role"), m["content"].is_null() ? std::string() : str(m, "content")});
        }
        if (ex.messages.back().role != "assistant")
            throw std::runtime_error("the last message is not from the assistant; there is nothing to learn");
        break;
    case DatasetFormat::Alpaca: {
        std::string prompt = str(row, "instruction");
        if (row.contains("input") && row["input"].is_string() && !row["input"].get<std::string>().empty())
            prompt += "\n\n" + row["input"].get<std::string>();
        if (row.contains("system") && row["system"].is_string()) ex.messages.push_back({"system", str(row, "system")});
        ex.messages.push_back({"user", prompt});
        ex.messages.push_back({"assistant", str(row, "output")});
        break;
    }
    case DatasetFormat::PromptResponse:
        ex.messages.push_back({"user", str(row, "prompt")});
        ex.messages.push_back({"assistant", str(row, row.contains("response") ? "response" : "completion")});
        break;
    case DatasetFormat::Text:
    case DatasetFormat::PlainText: ex.text = str(row, "text"); break;
    }
    if (format != DatasetFormat::Text && format != DatasetFormat::PlainText && ex.messages.back().content.empty())
        throw std::runtime_error("the assistant's answer is empty");
    return ex;
}

bool isRawFormat(DatasetFormat f) { return f == DatasetFormat::Text || f == DatasetFormat::PlainText; }

} // namespace

Dataset loadDataset(const std::filesystem::path& file, DatasetKind kind) {
    const std::string where = file.string();
    const std::string content = readFile(file);
    Dataset ds;
    ds.kind = kind;
    const std::string ext = file.extension().string();

    if (ext == ".txt") {
        if (kind != DatasetKind::RawText)
            throw Error(ErrorCode::InvalidValue, where, "a .txt file holds raw text; choose Base FT or use JSONL pairs");
        ds.format = DatasetFormat::PlainText;
        std::istringstream in(content);
        std::string block, line;
        int lineNo = 0, blockStart = 1;
        auto flush = [&] {
            if (!block.empty()) ds.examples.push_back({{}, block, blockStart});
            block.clear();
        };
        while (std::getline(in, line)) {
            ++lineNo;
            if (line.empty()) {
                flush();
                blockStart = lineNo + 1;
            } else {
                block += (block.empty() ? "" : "\n") + line;
            }
        }
        flush();
        return ds;
    }

    std::vector<std::pair<int, nlohmann::json>> rows;
    if (ext == ".json") {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(content);
        } catch (const nlohmann::json::parse_error& e) {
            throw Error(ErrorCode::ParseError, where, e.what());
        }
        if (!j.is_array()) throw Error(ErrorCode::ParseError, where, "expected a JSON list of records");
        for (size_t i = 0; i < j.size(); ++i) rows.emplace_back(int(i) + 1, j[i]);
    } else {  // JSONL
        std::istringstream in(content);
        std::string line;
        int lineNo = 0;
        while (std::getline(in, line)) {
            ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            try {
                rows.emplace_back(lineNo, nlohmann::json::parse(line));
            } catch (const nlohmann::json::parse_error& e) {
                ds.errors.push_back({lineNo, std::string("not valid JSON: ") + e.what()});
            }
        }
    }

    std::optional<DatasetFormat> format;
    for (const auto& [line, row] : rows) {
        const auto f = detect(row);
        if (!f) {
            ds.errors.push_back({line, "no known fields (messages, instruction/output, prompt/response, text)"});
            continue;
        }
        if (!format) {
            format = *f;
            if ((kind == DatasetKind::RawText) != isRawFormat(*f))
                throw Error(ErrorCode::InvalidValue, where + ":" + std::to_string(line),
                            kind == DatasetKind::RawText ? "records hold instruction pairs; choose Instruct FT"
                                                         : "records hold raw text; choose Base FT");
        }
        if (*f != *format) {
            ds.errors.push_back({line, std::string("format differs from the first record (") + datasetFormatName(*format) + ")"});
            continue;
        }
        try {
            ds.examples.push_back(toExample(row, *f, line));
        } catch (const std::exception& e) {
            ds.errors.push_back({line, e.what()});
        }
    }
    if (format) ds.format = *format;
    if (ds.examples.empty())
        throw Error(ErrorCode::InvalidValue, where,
                    ds.errors.empty() ? "the file holds no records"
                                      : "no usable records; first problem at line " + std::to_string(ds.errors[0].line) +
                                            ": " + ds.errors[0].reason);
    return ds;
}

} // namespace ft
