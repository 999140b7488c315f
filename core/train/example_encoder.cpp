#include "core/train/example_encoder.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/text/chat_template.h"
#include "core/text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <numeric>

namespace ft {

ExampleEncoder::ExampleEncoder(const ModelFolder& folder)
    : m_folder(folder), m_tokenizer(std::make_unique<ModelTokenizer>(folder)) {
    if (!folder.chatTemplate.empty())
        m_template = std::make_unique<ChatTemplate>(ChatTemplate::compile(folder.chatTemplate, "chat_template"));
}

ExampleEncoder::~ExampleEncoder() = default;

std::string ExampleEncoder::render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt) const {
    if (!m_template)
        throw Error(ErrorCode::MissingField, (m_folder.dir / "tokenizer_config.json").string() + ": chat_template",
                    "this model has no chat template; choose Base FT or a model with one");
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& m : messages) list.push_back({{"role", m.role}, {"content", m.content}});
    ChatTemplateOptions options;
    options.addGenerationPrompt = addGenerationPrompt;
    options.bosToken = m_folder.bosToken;
    options.eosToken = m_folder.eosToken;
    return m_template->render(list, options);
}

TokenizedExample ExampleEncoder::encodeChat(const Example& example, int maxLength, bool trainOnPrompt) const {
    const std::string where = "example at line " + std::to_string(example.line);
    const auto& msgs = example.messages;
    const std::string full = render(msgs, false);

    // The assistant spans, in bytes of `full`: render the conversation up to each assistant turn with the
    // generation prompt (where the answer begins) and through it (where it ends). Templates that re-render
    // earlier turns differently (e.g. dropping old reasoning) are not prefix-stable and are refused, not guessed.
    std::vector<std::pair<size_t, size_t>> spans;
    for (size_t i = 0; i < msgs.size(); ++i) {
        if (msgs[i].role != "assistant") continue;
        const std::vector<ChatMessage> before(msgs.begin(), msgs.begin() + long(i));
        const std::vector<ChatMessage> through(msgs.begin(), msgs.begin() + long(i) + 1);
        const std::string prefix = render(before, true);
        const std::string upto = i + 1 == msgs.size() ? full : render(through, false);
        if (full.compare(0, upto.size(), upto) != 0 || upto.compare(0, prefix.size(), prefix) != 0)
            throw Error(ErrorCode::Unsupported, where,
                        "the chat template does not render earlier turns as a prefix of later ones, so the assistant's "
                        "tokens cannot be located");
        spans.emplace_back(prefix.size(), upto.size());
    }

    const Encoding enc = m_tokenizer->encode(full);
    TokenizedExample out;
    out.line = example.line;
    out.ids = enc.ids;
    out.labels.assign(enc.ids.size(), kIgnoreIndex);
    if (trainOnPrompt) out.labels = enc.ids;
    for (size_t t = 0; t < enc.ids.size(); ++t) {
        const size_t begin = enc.offsets[t].first, end = enc.offsets[t].second;
        for (const auto& [s, e] : spans)
            if (begin >= s && begin < e && end <= e) out.labels[t] = enc.ids[t];
    }
    if (maxLength > 0 && int(out.ids.size()) > maxLength) {
        out.ids.resize(size_t(maxLength));
        out.labels.resize(size_t(maxLength));
        out.truncated = true;
    }
    return out;
}

std::vector<TokenizedExample> ExampleEncoder::encodeRawText(const std::vector<Example>& examples, int blockSize) const {
    if (blockSize < 2) throw Error(ErrorCode::InvalidValue, "block_size", "must be at least 2");
    std::vector<int> stream;
    for (const auto& ex : examples) {
        const std::vector<int> ids = encodeDocument(ex.text);
        stream.insert(stream.end(), ids.begin(), ids.end());
    }
    // As transformers' run_clm group_texts: the remainder shorter than a block is dropped.
    std::vector<TokenizedExample> blocks;
    for (size_t start = 0; start + size_t(blockSize) <= stream.size(); start += size_t(blockSize)) {
        TokenizedExample b;
        b.ids.assign(stream.begin() + long(start), stream.begin() + long(start) + blockSize);
        b.labels = b.ids;
        b.line = int(blocks.size()) + 1;
        blocks.push_back(std::move(b));
    }
    if (blocks.empty()) throw tooFewTokensForABlock(stream.size(), blockSize);
    return blocks;
}

std::vector<int> ExampleEncoder::encodeDocument(const std::string& text) const {
    // tokenizer(text) as run_clm calls it (BOS where the folder adds one), then EOS to end the document unless the
    // tokenizer already put one there.
    std::vector<int> ids = m_tokenizer->encodeWithSpecialTokens(text);
    const auto& suffix = m_tokenizer->specialSuffix();
    const int eos = m_tokenizer->eosId();
    if (eos >= 0 && (suffix.empty() || suffix.back() != eos)) ids.push_back(eos);
    return ids;
}

Error tooFewTokensForABlock(size_t tokens, int blockSize) {
    return Error(ErrorCode::InvalidValue, "block_size",
                 "the text has " + std::to_string(tokens) + " tokens, fewer than one block of " +
                     std::to_string(blockSize) + "; lower block_size or add text");
}

namespace {

size_t commonPrefix(const std::vector<int>& a, const std::vector<int>& b) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

std::vector<ChatMessage> joined(const std::vector<ChatMessage>& a, const std::vector<ChatMessage>& b) {
    std::vector<ChatMessage> out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

} // namespace

TokenizedPreference ExampleEncoder::encodePreference(const Example& example, PreferenceTokenization how) const {
    if (!example.preference) throw Error(ErrorCode::InvalidValue, "example at line " + std::to_string(example.line),
                                         "is not a preference row (prompt with chosen and rejected answers)");
    const PreferenceAnswers& p = *example.preference;
    const bool paired = !p.desirable.has_value();
    TokenizedPreference out;
    out.line = example.line;
    out.desirable = p.desirable;

    if (how == PreferenceTokenization::Trl) {
        // DPOTrainer/KTOTrainer._prepare_dataset: the prompt alone (with the generation prompt) and prompt + answer,
        // each tokenized whole; the answer starts where they diverge.
        std::vector<int> prompt, chosen, rejected;
        if (p.conversational) {
            prompt = m_tokenizer->encode(render(example.messages, true)).ids;
            chosen = m_tokenizer->encode(render(joined(example.messages, p.chosenMessages), false)).ids;
            if (paired) rejected = m_tokenizer->encode(render(joined(example.messages, p.rejectedMessages), false)).ids;
        } else {
            // Plain answers end with the EOS text unless they already do, then go through tokenizer(text).
            const std::string eos = m_folder.eosToken.value_or("");
            const auto withEos = [&](const std::string& answer) {
                return eos.empty() || answer.ends_with(eos) ? answer : answer + eos;
            };
            prompt = m_tokenizer->encodeWithSpecialTokens(example.text);
            chosen = m_tokenizer->encodeWithSpecialTokens(example.text + withEos(p.chosen));
            if (paired) rejected = m_tokenizer->encodeWithSpecialTokens(example.text + withEos(p.rejected));
        }
        size_t promptLength = commonPrefix(prompt, chosen);
        if (paired) promptLength = std::min(promptLength, commonPrefix(prompt, rejected));
        out.promptCut = promptLength < prompt.size();
        out.chosen = std::move(chosen);
        out.rejected = std::move(rejected);
        out.chosenPrompt = out.rejectedPrompt = int(promptLength);
        return out;
    }

    // trl.experimental.orpo: text first (the chat template applied: the prompt is what the renders share), then
    // tokens without special ones; where the prompt's last token merges into the answer, it moves to the answer.
    const std::string where = "example at line " + std::to_string(example.line);
    std::string promptText = example.text, chosenText = p.chosen, rejectedText = p.rejected;
    if (p.conversational) {
        const std::string& lastRole = example.messages.back().role;
        if (lastRole != "user" && lastRole != "tool")
            throw Error(ErrorCode::Unsupported, where,
                        "ORPO needs the prompt to end with a user (or tool) turn; this one ends with \"" + lastRole +
                            "\". Move the turn into the answers or choose DPO");
        const std::string prompt = render(example.messages, true);
        const std::string full = render(joined(example.messages, p.chosenMessages), false);
        const std::string fullRejected = paired ? render(joined(example.messages, p.rejectedMessages), false) : full;
        size_t n = 0;
        while (n < prompt.size() && n < full.size() && n < fullRejected.size() && prompt[n] == full[n] &&
               prompt[n] == fullRejected[n])
            ++n;
        promptText = prompt.substr(0, n);
        chosenText = full.substr(n);
        rejectedText = fullRejected.substr(n);
    }
    const std::vector<int> prompt = m_tokenizer->encode(promptText).ids;
    struct Sides {
        std::vector<int> ids;
        size_t promptLength;
    };
    const auto build = [&](const std::string& answer) {  // build_tokenized_answer
        Sides s{m_tokenizer->encode(promptText + answer).ids, prompt.size()};
        if (s.ids.size() < prompt.size())
            throw Error(ErrorCode::Unsupported, where, "the prompt has more tokens than prompt and answer together");
        if (!std::equal(prompt.begin(), prompt.end(), s.ids.begin())) --s.promptLength;
        return s;
    };
    Sides c = build(chosenText);
    Sides r = paired ? build(rejectedText) : c;
    size_t differing = 0;
    for (size_t i = 0; i < std::min(c.promptLength, r.promptLength); ++i) differing += c.ids[i] != r.ids[i] ? 1 : 0;
    if (differing > 1 || (c.promptLength > r.promptLength ? c.promptLength - r.promptLength : r.promptLength - c.promptLength) > 1)
        throw Error(ErrorCode::Unsupported, where,
                    "the prompt tokenizes differently before the chosen and the rejected answer beyond its last "
                    "token; ORPO cannot tell where the answers start");
    const int bos = m_tokenizer->bosId(), eos = m_tokenizer->eosId();
    for (Sides* s : {&c, &r}) {
        if (bos >= 0 && (s->promptLength == 0 || s->ids.front() != bos)) {
            s->ids.insert(s->ids.begin(), bos);
            ++s->promptLength;
        }
        if (eos >= 0 && (s->ids.size() == s->promptLength || s->ids.back() != eos)) s->ids.push_back(eos);
    }
    out.promptCut = c.promptLength < prompt.size() + ((bos >= 0 && (prompt.empty() || prompt.front() != bos)) ? 1 : 0);
    out.chosen = std::move(c.ids);
    out.chosenPrompt = int(c.promptLength);
    if (paired) {
        out.rejected = std::move(r.ids);
        out.rejectedPrompt = int(r.promptLength);
    }
    return out;
}

std::vector<std::vector<size_t>> packRows(const std::vector<size_t>& lengths, int maxLength) {
    std::vector<size_t> byLength(lengths.size());
    std::iota(byLength.begin(), byLength.end(), size_t(0));
    std::stable_sort(byLength.begin(), byLength.end(), [&](size_t a, size_t b) { return lengths[a] > lengths[b]; });
    std::vector<std::vector<size_t>> members;  // example indices per row
    std::multimap<int, size_t> room;           // tokens still free → row
    for (const size_t i : byLength) {
        const int n = int(lengths[i]);
        const auto fit = room.lower_bound(n);
        if (fit == room.end()) {
            members.push_back({i});
            if (maxLength > n) room.emplace(maxLength - n, members.size() - 1);
        } else {
            const auto [left, row] = *fit;
            room.erase(fit);
            members[row].push_back(i);
            if (left > n) room.emplace(left - n, row);
        }
    }
    for (auto& m : members) std::sort(m.begin(), m.end());
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    return members;
}

std::vector<TokenizedExample> packExamples(const std::vector<TokenizedExample>& examples, int maxLength) {
    std::vector<size_t> lengths;
    lengths.reserve(examples.size());
    for (const auto& e : examples) lengths.push_back(e.ids.size());
    const std::vector<std::vector<size_t>> members = packRows(lengths, maxLength);
    std::vector<TokenizedExample> rows(members.size());
    for (size_t r = 0; r < members.size(); ++r) {
        auto& row = rows[r];
        row.line = examples[members[r].front()].line;
        int segment = 0;
        for (const size_t i : members[r]) {
            const auto& e = examples[i];
            ++segment;
            row.ids.insert(row.ids.end(), e.ids.begin(), e.ids.end());
            row.labels.insert(row.labels.end(), e.labels.begin(), e.labels.end());
            row.segments.insert(row.segments.end(), e.ids.size(), segment);
            row.truncated = row.truncated || e.truncated;
        }
    }
    return rows;
}

} // namespace ft
