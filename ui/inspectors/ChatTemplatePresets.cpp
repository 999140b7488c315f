#include "inspectors/ChatTemplatePresets.h"

#include <QRegularExpression>

const std::vector<ChatTemplatePreset>& chatTemplatePresets() {
    static const std::vector<ChatTemplatePreset> presets{
        // teknium/OpenHermes-2.5-Mistral-7B
        {QStringLiteral("ChatML (OpenHermes 2.5)"),
         QStringLiteral(
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n"
        "' + message['content'] + '<|im_end|>' + '\n"
        "'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n"
        "' }}{% endif %}"),
         {QStringLiteral("<|im_start|>"), QStringLiteral("<|im_end|>")}},
        // meta-llama/Meta-Llama-3-8B-Instruct
        {QStringLiteral("Llama 3 Instruct"),
         QStringLiteral(
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n"
        "\n"
        "'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n"
        "\n"
        "' }}{% endif %}"),
         {QStringLiteral("<|start_header_id|>"), QStringLiteral("<|end_header_id|>"), QStringLiteral("<|eot_id|>")}},
        // google/gemma-2-2b-it
        {QStringLiteral("Gemma 2"),
         QStringLiteral(
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\n"
        "' + message['content'] | trim + '<end_of_turn>\n"
        "' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n"
        "'}}{% endif %}"),
         {QStringLiteral("<start_of_turn>"), QStringLiteral("<end_of_turn>")}},
        // mistralai/Mixtral-8x7B-Instruct-v0.1
        {QStringLiteral("Mistral / Mixtral Instruct"),
         QStringLiteral(
        "{%- if messages[0]['role'] == 'system' %}\n"
        "    {%- set system_message = messages[0]['content'] %}\n"
        "    {%- set loop_messages = messages[1:] %}\n"
        "{%- else %}\n"
        "    {%- set loop_messages = messages %}\n"
        "{%- endif %}\n"
        "\n"
        "{{- bos_token }}\n"
        "{%- for message in loop_messages %}\n"
        "    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}\n"
        "        {{- raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}\n"
        "    {%- endif %}\n"
        "    {%- if message['role'] == 'user' %}\n"
        "        {%- if loop.first and system_message is defined %}\n"
        "            {{- ' [INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}\n"
        "        {%- else %}\n"
        "            {{- ' [INST] ' + message['content'] + ' [/INST]' }}\n"
        "        {%- endif %}\n"
        "    {%- elif message['role'] == 'assistant' %}\n"
        "        {{- ' ' + message['content'] + eos_token}}\n"
        "    {%- else %}\n"
        "        {{- raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}\n"
        "    {%- endif %}\n"
        "{%- endfor %}\n"),
         {}},
    };
    return presets;
}

QStringList templateSpecialTokens(const QString& source) {
    for (const auto& p : chatTemplatePresets())
        if (p.source == source) return p.specialTokens;
    static const QRegularExpression marker(QStringLiteral("<\\|[^|<>\\s]+\\|>|</?[a-z]+(?:_[a-z]+)+>"));
    QStringList tokens;
    for (auto it = marker.globalMatch(source); it.hasNext();)
        if (const QString t = it.next().captured(); !tokens.contains(t)) tokens << t;
    return tokens;
}
