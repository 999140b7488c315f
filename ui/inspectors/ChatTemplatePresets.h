#pragma once
// A few common chat templates, verbatim from the models' tokenizer_config.json, to compare with or train with.

#include <QString>

#include <vector>

struct ChatTemplatePreset {
    QString name;    // shown in the list (a format name, not translated)
    QString source;  // the Jinja template
};

const std::vector<ChatTemplatePreset>& chatTemplatePresets();
