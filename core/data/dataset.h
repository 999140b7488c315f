#pragma once
// Training examples read from the user's files, with every bad row reported by line and reason.

#include <filesystem>
#include <string>
#include <vector>

namespace ft {

struct ChatMessage {
    std::string role;     // "system", "user", "assistant", "tool"
    std::string content;
};

struct Example {
    std::vector<ChatMessage> messages;  // instruct examples
    std::string text;                   // raw-text examples (base FT)
    int line = 0;                       // 1-based line (JSONL) or record index (JSON) in the source file
};

enum class DatasetKind { Instruct, RawText };

// The shapes we read. Instruct: {"messages": [...]}, {"instruction", "input"?, "output"} (Alpaca),
// {"prompt", "response"|"completion"}; raw text: {"text"} or plain .txt (one document per blank-line block).
enum class DatasetFormat { Messages, Alpaca, PromptResponse, Text, PlainText };

struct RowError {
    int line = 0;
    std::string reason;
};

struct Dataset {
    DatasetKind kind = DatasetKind::Instruct;
    DatasetFormat format = DatasetFormat::Messages;
    std::vector<Example> examples;
    std::vector<RowError> errors;  // rows skipped, with why
};

Dataset loadDataset(const std::filesystem::path& file, DatasetKind kind);

const char* datasetFormatName(DatasetFormat format);

} // namespace ft
