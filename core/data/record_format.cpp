#include "core/data/record_format.h"

#include <nlohmann/json.hpp>

namespace ft {

namespace {

using Json = nlohmann::json;

// Thrown inside readExample, which turns it into its result.
struct Refused {
    RowRefusal refusal;
};

[[noreturn]] void refuse(Refusal reason, std::string field = {}, std::string value = {}) {
    throw Refused{{reason, std::move(field), std::move(value)}};
}

class RowReader {
public:
    RowReader(const Json& row, const ColumnMap& columns) : m_row(row), m_columns(columns) {}

    std::string column(const std::string& field) const {
        const auto it = m_columns.find(field);
        return it == m_columns.end() ? field : it->second;
    }
    // Present and not null; an empty "input" counts as absent (Alpaca files write "input": "" for none).
    bool has(const std::string& field) const {
        const std::string c = column(field);
        return m_row.contains(c) && !m_row[c].is_null() && !(m_row[c].is_string() && m_row[c].get<std::string>().empty() && field == "input");
    }
    std::string str(const std::string& field) const { return text(raw(field), column(field)); }
    const Json& raw(const std::string& field) const {
        const std::string c = column(field);
        if (!m_row.contains(c)) refuse(Refusal::MissingField, c);
        return m_row[c];
    }
    static std::string text(const Json& v, const std::string& name) {
        if (!v.is_string()) refuse(Refusal::NotString, name);
        std::string s = v.get<std::string>();
        if (!validUtf8(s)) refuse(Refusal::NotUtf8, name);
        return s;
    }

private:
    const Json& m_row;
    const ColumnMap& m_columns;
};

std::string checkedRole(const std::string& role) {
    if (role == "system" || role == "user" || role == "assistant" || role == "tool") return role;
    refuse(Refusal::UnknownRole, "role", role);
}

// ShareGPT speaker names → roles.
std::string shareGptRole(const std::string& from) {
    if (from == "human" || from == "user") return "user";
    if (from == "gpt" || from == "assistant" || from == "chatgpt" || from == "bard") return "assistant";
    if (from == "system") return "system";
    if (from == "tool" || from == "function" || from == "observation") return "tool";
    refuse(Refusal::UnknownSpeaker, "from", from);
}

// Each message is added as it is read, so a refusal leaves the turns before it in `ex`.
void readConversation(const RowReader& r, bool share, Example& ex) {
    const std::string listKey = share ? "conversations" : "messages";
    const Json& list = r.raw(listKey);
    if (!list.is_array() || list.empty()) refuse(Refusal::NotAList, listKey);
    const std::string roleKey = share ? "from" : "role";
    const std::string contentKey = share ? "value" : "content";
    for (const auto& m : list) {
        if (!m.is_object() || !m.contains(roleKey) || !m.contains(contentKey))
            refuse(Refusal::MessageLacksField, roleKey, contentKey);
        const std::string who = RowReader::text(m[roleKey], roleKey);
        ex.messages.push_back({share ? shareGptRole(who) : checkedRole(who),
                               m[contentKey].is_null() ? std::string() : RowReader::text(m[contentKey], contentKey)});
    }
    if (ex.messages.back().role != "assistant") refuse(Refusal::LastNotAssistant);
}

void readExample(const RowReader& r, DatasetFormat format, Example& ex) {
    switch (format) {
    case DatasetFormat::Messages:
    case DatasetFormat::ShareGpt:
        readConversation(r, format == DatasetFormat::ShareGpt, ex);
        break;
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
        if (ex.text.empty()) refuse(Refusal::EmptyText, r.column("text"));
        break;
    }
    if (!isRawTextFormat(format) && ex.messages.back().content.empty()) refuse(Refusal::EmptyAnswer);
}

} // namespace

std::string describeRefusal(const RowRefusal& r) {
    const std::string field = "\"" + r.field + "\"";
    switch (r.reason) {
    case Refusal::NotObject: return "the record is not a JSON object";
    case Refusal::NoKnownFields: return "no known fields (messages, conversations, instruction/output, prompt/response, text)";
    case Refusal::MissingField: return "missing field " + field;
    case Refusal::NotString: return "field " + field + " is not a string";
    case Refusal::NotUtf8: return "field " + field + " is not valid UTF-8";
    case Refusal::NotAList: return field + " is not a non-empty list";
    case Refusal::MessageLacksField: return "a message lacks " + field + " or \"" + r.value + "\"";
    case Refusal::UnknownRole: return "unknown role \"" + r.value + "\" (use system, user, assistant or tool)";
    case Refusal::UnknownSpeaker:
        return "unknown speaker \"" + r.value + "\" in conversations (use human, gpt, system or tool)";
    case Refusal::LastNotAssistant: return "the last message is not from the assistant; there is nothing to learn";
    case Refusal::EmptyAnswer: return "the assistant's answer is empty";
    case Refusal::EmptyText: return "the text is empty";
    }
    return "?";
}

std::optional<DatasetFormat> recordFormat(const Json& record, const ColumnMap& columns) {
    if (!record.is_object()) return std::nullopt;
    const RowReader r(record, columns);
    if (r.has("messages")) return DatasetFormat::Messages;
    if (r.has("conversations")) return DatasetFormat::ShareGpt;
    if (r.has("instruction") && r.has("output")) return DatasetFormat::Alpaca;
    if (r.has("prompt") && (r.has("response") || r.has("completion"))) return DatasetFormat::PromptResponse;
    if (r.has("text")) return DatasetFormat::Text;
    return std::nullopt;
}

RecordRead readRecord(const Json& record, DatasetFormat format, const ColumnMap& columns) {
    RecordRead read;
    if (!record.is_object()) {
        read.refusal = RowRefusal{Refusal::NotObject, {}, {}};
        return read;
    }
    try {
        readExample(RowReader(record, columns), format, read.example);
    } catch (const Refused& e) {
        read.refusal = e.refusal;
    }
    return read;
}

std::optional<RowRefusal> whyRowIsRefused(const Json& record, DatasetFormat format, const ColumnMap& columns) {
    return readRecord(record, format, columns).refusal;
}

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

} // namespace ft
