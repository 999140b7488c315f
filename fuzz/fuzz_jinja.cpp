// libFuzzer target: the Jinja2 chat-template engine. Input: the template, optionally followed by a NUL byte and
// the messages: a JSON list of messages when it parses as one, else message contents separated by 0x1F.
#include "core/common/error.h"
#include "core/text/chat_template.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

nlohmann::ordered_json messagesFrom(std::string_view rest) {
    auto parsed = nlohmann::ordered_json::parse(rest, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_array()) return parsed;
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    const char* roles[] = {"system", "user", "assistant"};
    for (size_t i = 0, start = 0; start <= rest.size(); ++i) {
        const size_t end = std::min(rest.find('\x1f', start), rest.size());
        messages.push_back({{"role", roles[i % 3]}, {"content", std::string(rest.substr(start, end - start))}});
        start = end + 1;
    }
    return messages;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t nul = input.find('\0');
    const std::string_view source = input.substr(0, nul);
    nlohmann::ordered_json messages =
        nul == std::string_view::npos
            ? nlohmann::ordered_json::parse(R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
                                                {"role":"assistant","content":"Hello!"},{"role":"user","content":"2+2?"}])")
            : messagesFrom(input.substr(nul + 1));
    try {
        const auto tmpl = ft::ChatTemplate::compile(source, "fuzz.jinja");
        ft::ChatTemplateOptions options;
        options.addGenerationPrompt = true;
        options.bosToken = "<s>";
        options.eosToken = "</s>";
        (void)tmpl.render(messages, options);
    } catch (const ft::Error&) {
    }
    return 0;
}
