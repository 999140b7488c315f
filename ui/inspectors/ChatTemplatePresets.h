#pragma once
// A few common chat templates, verbatim from the models' tokenizer_config.json, to compare with or train with.

#include <QString>
#include <QStringList>

#include <vector>

struct ChatTemplatePreset {
    QString name;    // shown in the list (a format name, not translated)
    QString source;  // the Jinja template
    // The control tokens its text spells out, each one token in the tokenizer the template comes from (bos_token and
    // eos_token come from the model and are not listed). Mistral's [INST] is plain text in its own tokenizer.
    QStringList specialTokens;
};

const std::vector<ChatTemplatePreset>& chatTemplatePresets();

// The special tokens a template writes: a preset's own list, or for another template the <|…|> and <snake_case>
// markers in its text (the two spellings chat formats use), each once, in order of appearance.
QStringList templateSpecialTokens(const QString& source);
