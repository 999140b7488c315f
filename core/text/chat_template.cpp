#include "core/text/chat_template.h"

#include "core/common/error.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/parser.h"

#include <nlohmann/json.hpp>

namespace ft {

struct ChatTemplate::Program {
    jinja::Template tmpl;
};

namespace {

jinja::Value fromJson(const nlohmann::ordered_json& j, const std::string& where, int depth = 0) {
    using jinja::Value;
    if (depth >= jinja::kMaxValueDepth)
        throw Error(ErrorCode::LimitExceeded, where,
                    "input JSON nested deeper than " + std::to_string(jinja::kMaxValueDepth) + " levels");
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null:
        return Value::none();
    case nlohmann::ordered_json::value_t::boolean:
        return Value::boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
        return Value::integer(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
        const auto u = j.get<uint64_t>();
        if (u > static_cast<uint64_t>(INT64_MAX))
            throw Error(ErrorCode::Unsupported, where,
                        "integer " + std::to_string(u) + " does not fit in 64 bits");
        return Value::integer(static_cast<int64_t>(u));
    }
    case nlohmann::ordered_json::value_t::number_float:
        return Value::real(j.get<double>());
    case nlohmann::ordered_json::value_t::string:
        return Value::string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        std::vector<Value> items;
        items.reserve(j.size());
        for (const auto& item : j)
            items.push_back(fromJson(item, where, depth + 1));
        return Value::list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        auto dict = std::make_shared<jinja::DictData>();
        for (const auto& [key, value] : j.items())
            dict->set(Value::string(key), fromJson(value, where, depth + 1));
        return Value::dict(std::move(dict));
    }
    default:
        throw Error(ErrorCode::Unsupported, where, "binary JSON values cannot be passed to a template");
    }
}

} // namespace

ChatTemplate::ChatTemplate(std::shared_ptr<const Program> program) : m_program(std::move(program)) {}
ChatTemplate::ChatTemplate(ChatTemplate&&) noexcept = default;
ChatTemplate& ChatTemplate::operator=(ChatTemplate&&) noexcept = default;
ChatTemplate::~ChatTemplate() = default;

ChatTemplate ChatTemplate::compile(std::string_view source, std::string name) {
    auto program = std::make_shared<Program>();
    program->tmpl = jinja::parseTemplate(source, std::move(name));
    return ChatTemplate(std::move(program));
}

std::string ChatTemplate::render(const nlohmann::ordered_json& messages,
                                 const ChatTemplateOptions& options) const {
    if (!m_program) throw Error(ErrorCode::Internal, "", "render() on a moved-from ChatTemplate");
    const std::string& name = m_program->tmpl.name;
    using jinja::Value;
    // What transformers passes to render(): messages, tools, documents, add_generation_prompt, then the
    // special tokens and extra kwargs.
    auto context = std::make_shared<jinja::Scope>(jinja::Interpreter::makeGlobals());
    auto& vars = context->vars;
    vars["messages"] = fromJson(messages, name);
    vars["tools"] = options.tools ? fromJson(*options.tools, name) : Value::none();
    vars["documents"] = options.documents ? fromJson(*options.documents, name) : Value::none();
    vars["add_generation_prompt"] = Value::boolean(options.addGenerationPrompt);
    if (options.bosToken) vars["bos_token"] = Value::string(*options.bosToken);
    if (options.eosToken) vars["eos_token"] = Value::string(*options.eosToken);
    if (options.extra && !options.extra->is_null()) {
        if (!options.extra->is_object())
            throw Error(ErrorCode::InvalidValue, name, "extra template variables must be a JSON object");
        for (const auto& [key, value] : options.extra->items()) {
            if (key == "messages" || key == "tools" || key == "documents" || key == "add_generation_prompt")
                throw Error(ErrorCode::InvalidValue, name,
                            "extra variable '" + key + "' would replace a fixed one");
            vars[key] = fromJson(value, name);
        }
    }
    jinja::Interpreter interpreter(m_program->tmpl, options.limits);
    return interpreter.render(context);
}

} // namespace ft
