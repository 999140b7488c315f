#pragma once
// Renders Hugging Face chat templates exactly as transformers' apply_chat_template(tokenize=False) does:
// a sandboxed Jinja2 3.1 subset with trim_blocks, lstrip_blocks and loop controls, transformers' tojson,
// raise_exception() and strftime_now() (fixed to 2024-07-26 so renders are reproducible).
// Anything the engine does not implement fails with ErrorCode::Unsupported instead of rendering wrong.

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ft {

struct TemplateLimits {
    int maxCallDepth = 200;                  // nested macro calls
    long long maxLoopIterations = 1'000'000; // summed over all loops of one render
    size_t maxOutputBytes = 64u << 20;       // the output, and any string built on the way
    size_t maxListItems = 1'000'000;         // any list built on the way ([x] * n, list + list, ...)
};

struct ChatTemplateOptions {
    bool addGenerationPrompt = false;
    std::optional<std::string> bosToken; // nullopt: variable undefined
    std::optional<std::string> eosToken;
    const nlohmann::ordered_json* tools = nullptr;     // nullptr → none
    const nlohmann::ordered_json* documents = nullptr; // nullptr → none
    // Object of extra variables, like transformers' extra kwargs: they may override bos_token/eos_token;
    // messages, tools, documents and add_generation_prompt are refused (InvalidValue). May be nullptr.
    const nlohmann::ordered_json* extra = nullptr;
    TemplateLimits limits;
};

// A compiled template is immutable: one instance may render on several threads at once.
class ChatTemplate {
  public:
    // Parses the template once; throws ft::Error(ParseError/Unsupported) with "<name>:<line>".
    static ChatTemplate compile(std::string_view source, std::string name = "chat_template");
    // Renders; throws ft::Error (TemplateRaised with the exact message, LimitExceeded, InvalidValue,
    // Unsupported).
    std::string render(const nlohmann::ordered_json& messages, const ChatTemplateOptions& options = {}) const;

    ChatTemplate(ChatTemplate&&) noexcept;
    ChatTemplate& operator=(ChatTemplate&&) noexcept;
    ~ChatTemplate();

  private:
    struct Program;
    explicit ChatTemplate(std::shared_ptr<const Program>);
    std::shared_ptr<const Program> m_program;
};

} // namespace ft
