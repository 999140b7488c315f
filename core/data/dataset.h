#pragma once
// Training examples read from the user's files (JSONL, JSON arrays, CSV/TSV, plain text). Every bad row is reported
// by line and reason, counted and left out; loading never stops at the first bad row.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ft {

struct ChatMessage {
    std::string role;     // "system", "user", "assistant", "tool"
    std::string content;
};

// A preference row's answers (DatasetKind::Preference): the better and the worse one of a pair, or one answer and
// whether it is desirable (unpaired rows, KTO). Conversational rows hold messages, rendered with the chat template
// after the prompt; plain rows hold strings, tokenized as written after the prompt (as TRL does).
struct PreferenceAnswers {
    bool conversational = false;
    std::vector<ChatMessage> chosenMessages, rejectedMessages;  // conversational
    std::string chosen, rejected;                               // plain
    std::optional<bool> desirable;  // unpaired: the answer is in `chosen` (or `chosenMessages`), and this its label
};

struct Example {
    std::vector<ChatMessage> messages;  // instruct examples; a conversational preference row's prompt
    std::string text;                   // raw-text examples (base FT); a plain preference row's prompt
    int line = 0;                       // 1-based line where the record starts in the source file
    std::optional<PreferenceAnswers> preference;  // preference rows only
};

enum class DatasetKind { Instruct, RawText, Preference };

// Record shapes. Instruct: messages (OpenAI role/content), ShareGPT (conversations of from/value), Alpaca
// (instruction, input?, output, system?), prompt/response (or completion); raw text: {"text"} records or a .txt file
// (one document per blank-line-separated block); preference: prompt?/chosen/rejected (strings, or message lists whose
// shared first turns are the prompt when there is no "prompt"), and unpaired prompt/completion/label (KTO).
enum class DatasetFormat { Messages, ShareGpt, Alpaca, PromptResponse, Text, PlainText, Preference, Unpaired };

struct DatasetOptions {
    std::optional<DatasetFormat> format;         // detected from the first usable record when absent
    std::map<std::string, std::string> columns;  // our field name → the file's ("output" → "answer")
    // Hostile-input limits. JSONL and .txt files are read line by line: a longer line (or .txt block, or CSV
    // record) is reported with its line number and skipped, never held whole. .json and .csv/.tsv are parsed from
    // memory, so files past maxWholeFileBytes are refused (use JSONL for bigger data sets).
    size_t maxLineBytes = 16u << 20;
    size_t maxWholeFileBytes = 512u << 20;
};

struct RowError {
    std::string file;
    int line = 0;
    std::string reason;
};

struct Dataset {
    DatasetKind kind = DatasetKind::Instruct;
    DatasetFormat format = DatasetFormat::Messages;
    std::vector<Example> examples;
    std::vector<RowError> errors;  // rows left out, with why
};

// `kind` nullopt: follow the detected format (raw text or instruction records).
Dataset loadDataset(const std::filesystem::path& file, std::optional<DatasetKind> kind, const DatasetOptions& options = {});

// loadDataset's refusal of a file none of whose rows is usable (`errors` sorted by line).
class Error;
Error noUsableRecords(const std::string& file, const std::vector<RowError>& errors);

const char* datasetFormatName(DatasetFormat format);
std::optional<DatasetFormat> datasetFormatFromName(const std::string& name);
bool isRawTextFormat(DatasetFormat format);
DatasetKind kindOfFormat(DatasetFormat format);

// Pairs made into KTO's unpaired rows, as TRL's unpair_preference_dataset orders them: per 1,000 pairs (its map
// batch), each chosen answer labelled desirable, then each rejected one undesirable. Unpaired rows pass through.
std::vector<Example> unpairPreferences(const std::vector<Example>& rows);

// A conversational preference row as one conversation, the prompt's turns then the chosen answer's (an unpaired
// row's completion), as a chat-template preview shows it; any other row as it is.
Example chosenConversation(const Example& row);

} // namespace ft
