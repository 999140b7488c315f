#include "core/data/record_format.h"

#include <nlohmann/json.hpp>

#include <cctype>

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

// A preference side given as messages: a non-empty list of role/content objects.
std::vector<ChatMessage> messagesOf(const Json& list, const std::string& name) {
    if (!list.is_array() || list.empty()) refuse(Refusal::NotAList, name);
    std::vector<ChatMessage> out;
    for (const auto& m : list) {
        if (!m.is_object() || !m.contains("role") || !m.contains("content")) refuse(Refusal::MessageLacksField, "role", "content");
        out.push_back({checkedRole(RowReader::text(m["role"], "role")),
                       m["content"].is_null() ? std::string() : RowReader::text(m["content"], "content")});
    }
    return out;
}

bool sameMessage(const ChatMessage& a, const ChatMessage& b) { return a.role == b.role && a.content == b.content; }

// prompt?/chosen/rejected. Message lists without a prompt share their first turns: those are the prompt (TRL's
// extract_prompt). Each answer must say something.
void readPair(const RowReader& r, Example& ex) {
    PreferenceAnswers p;
    const Json& chosen = r.raw("chosen");
    const Json& rejected = r.raw("rejected");
    p.conversational = chosen.is_array();
    if (rejected.is_array() != p.conversational) refuse(Refusal::MixedShapes, r.column("rejected"));
    if (r.has("prompt") && r.raw("prompt").is_array() != p.conversational) refuse(Refusal::MixedShapes, r.column("prompt"));
    if (p.conversational) {
        p.chosenMessages = messagesOf(chosen, r.column("chosen"));
        p.rejectedMessages = messagesOf(rejected, r.column("rejected"));
        if (r.has("prompt")) {
            ex.messages = messagesOf(r.raw("prompt"), r.column("prompt"));
        } else {
            size_t k = 0;
            while (k < p.chosenMessages.size() && k < p.rejectedMessages.size() &&
                   sameMessage(p.chosenMessages[k], p.rejectedMessages[k]))
                ++k;
            if (k == 0) refuse(Refusal::NoSharedPrompt, r.column("chosen"));
            ex.messages.assign(p.chosenMessages.begin(), p.chosenMessages.begin() + std::ptrdiff_t(k));
            p.chosenMessages.erase(p.chosenMessages.begin(), p.chosenMessages.begin() + std::ptrdiff_t(k));
            p.rejectedMessages.erase(p.rejectedMessages.begin(), p.rejectedMessages.begin() + std::ptrdiff_t(k));
        }
        if (p.chosenMessages.empty() || p.chosenMessages.back().content.empty()) refuse(Refusal::EmptyAnswer, r.column("chosen"));
        if (p.rejectedMessages.empty() || p.rejectedMessages.back().content.empty())
            refuse(Refusal::EmptyAnswer, r.column("rejected"));
    } else {
        if (!r.has("prompt")) refuse(Refusal::PlainNeedsPrompt, r.column("prompt"));
        ex.text = r.str("prompt");
        p.chosen = r.str("chosen");
        p.rejected = r.str("rejected");
        if (p.chosen.empty()) refuse(Refusal::EmptyAnswer, r.column("chosen"));
        if (p.rejected.empty()) refuse(Refusal::EmptyAnswer, r.column("rejected"));
    }
    ex.preference = std::move(p);
}

// KTO's label: a JSON bool, 1/0, or the strings a CSV cell holds ("true"/"false", "1"/"0", any case).
bool labelOf(const Json& v, const std::string& name) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1)) return v.get<int64_t>() == 1;
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (s == "true" || s == "1") return true;
        if (s == "false" || s == "0") return false;
    }
    refuse(Refusal::NotBool, name);
}

void readUnpaired(const RowReader& r, Example& ex) {
    PreferenceAnswers p;
    const Json& completion = r.raw("completion");
    p.conversational = completion.is_array();
    if (r.raw("prompt").is_array() != p.conversational) refuse(Refusal::MixedShapes, r.column("prompt"));
    if (p.conversational) {
        ex.messages = messagesOf(r.raw("prompt"), r.column("prompt"));
        p.chosenMessages = messagesOf(completion, r.column("completion"));
        if (p.chosenMessages.back().content.empty()) refuse(Refusal::EmptyAnswer, r.column("completion"));
    } else {
        ex.text = r.str("prompt");
        p.chosen = r.str("completion");
        if (p.chosen.empty()) refuse(Refusal::EmptyAnswer, r.column("completion"));
    }
    p.desirable = labelOf(r.raw("label"), r.column("label"));
    ex.preference = std::move(p);
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
    case DatasetFormat::Preference:
        readPair(r, ex);
        return;
    case DatasetFormat::Unpaired:
        readUnpaired(r, ex);
        return;
    }
    if (!isRawTextFormat(format) && ex.messages.back().content.empty()) refuse(Refusal::EmptyAnswer);
}

} // namespace

std::string describeRefusal(const RowRefusal& r) {
    const std::string field = "\"" + r.field + "\"";
    switch (r.reason) {
    case Refusal::NotObject: return "the record is not a JSON object";
    case Refusal::NoKnownFields:
        return "no known fields (messages, conversations, instruction/output, prompt/response, text, "
               "prompt/chosen/rejected, prompt/completion/label)";
    case Refusal::MissingField: return "missing field " + field;
    case Refusal::NotString: return "field " + field + " is not a string";
    case Refusal::NotUtf8: return "field " + field + " is not valid UTF-8";
    case Refusal::NotAList: return field + " is not a non-empty list";
    case Refusal::MessageLacksField: return "a message lacks " + field + " or \"" + r.value + "\"";
    case Refusal::UnknownRole: return "unknown role \"" + r.value + "\" (use system, user, assistant or tool)";
    case Refusal::UnknownSpeaker:
        return "unknown speaker \"" + r.value + "\" in conversations (use human, gpt, system or tool)";
    case Refusal::LastNotAssistant: return "the last message is not from the assistant; there is nothing to learn";
    case Refusal::EmptyAnswer:
        return r.field.empty() ? "the assistant's answer is empty" : "the answer in " + field + " is empty";
    case Refusal::EmptyText: return "the text is empty";
    case Refusal::MixedShapes:
        return field + " is a string where the other fields are message lists, or a list where they are strings; "
                       "use one shape in a row";
    case Refusal::NoSharedPrompt:
        return "\"chosen\" and \"rejected\" share no first turn to take as the prompt; add a \"prompt\" field";
    case Refusal::PlainNeedsPrompt:
        return "missing field " + field + " (the shared prompt is found by itself only in message lists)";
    case Refusal::NotBool: return "field " + field + " is not true or false";
    }
    return "?";
}

std::optional<DatasetFormat> recordFormat(const Json& record, const ColumnMap& columns) {
    if (!record.is_object()) return std::nullopt;
    const RowReader r(record, columns);
    if (r.has("chosen") && r.has("rejected")) return DatasetFormat::Preference;
    if (r.has("prompt") && r.has("completion") && r.has("label")) return DatasetFormat::Unpaired;
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
