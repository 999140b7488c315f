#pragma once
// Which format one dataset record is in, and why a record is refused: the one implementation that loadDataset and
// the dataset editor both ask. No LibTorch, no Qt.

#include "core/data/dataset.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ft {

// Our field name → the file's ("output" → "answer"), as in DatasetOptions::columns.
using ColumnMap = std::map<std::string, std::string>;

// Why a record is left out. A code, so the UI can say it in the user's language; describeRefusal gives
// loadDataset's English.
enum class Refusal : std::uint8_t {
    NotObject,          // the record is not a JSON object
    NoKnownFields,      // nothing names a format (messages, conversations, instruction/output, prompt/response, text)
    MissingField,       // `field` is absent
    NotString,          // `field` is not a string (in a message: "role", "content", "from" or "value")
    NotUtf8,            // `field` holds bytes that are not UTF-8
    NotAList,           // `field` ("messages" or "conversations") is not a non-empty list
    MessageLacksField,  // a message is not an object with `field` ("role" or "from") and `value` ("content" or "value")
    UnknownRole,        // `value`: the role as written
    UnknownSpeaker,     // `value`: ShareGPT's "from" as written
    LastNotAssistant,   // nothing to learn
    EmptyAnswer,        // the assistant's (last) answer is ""; preference rows: `field` ("chosen", "rejected", "completion")
    EmptyText,
    MixedShapes,        // preference: `field` is a string where the others are message lists, or the other way round
    NoSharedPrompt,     // preference message lists without "prompt" share no first turn to take as the prompt
    PlainNeedsPrompt,   // preference strings without "prompt": only message lists carry an implicit one
    NotBool,            // `field` (KTO's "label") is not true/false (or 1/0, "true"/"false")
};

struct RowRefusal {
    Refusal reason = Refusal::NotObject;
    std::string field;  // the file's field name, after the column map
    std::string value;  // see Refusal
    bool operator==(const RowRefusal&) const = default;
};

// The plain-English reason loadDataset reports for a left-out row ("missing field \"output\"").
std::string describeRefusal(const RowRefusal& refusal);

// The format the record's fields name, tried in the order chosen+rejected (preference), prompt+completion+label
// (unpaired), messages, conversations, instruction+output, prompt+response/completion, text; nullopt for none (or a
// record that is not an object).
std::optional<DatasetFormat> recordFormat(const nlohmann::json& record, const ColumnMap& columns = {});

// A record read as `format`: its training example, or why it is refused. On a refusal `example` holds what was read
// before it (the turns before an unknown role, a whole conversation whose answer is empty), for the editor's report.
struct RecordRead {
    Example example;
    std::optional<RowRefusal> refusal;
};
RecordRead readRecord(const nlohmann::json& record, DatasetFormat format, const ColumnMap& columns = {});
// readRecord's refusal alone.
std::optional<RowRefusal> whyRowIsRefused(const nlohmann::json& record, DatasetFormat format, const ColumnMap& columns = {});

// Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF.
bool validUtf8(std::string_view s);

} // namespace ft
