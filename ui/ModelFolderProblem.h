#pragma once
// Why a folder is not a model folder, in words: what File > Open Model needs (config.json, the safetensors weights,
// the tokenizer), what is missing, and what the folder holds instead, with a hint for the usual mix-ups (a GGUF file,
// a lone .safetensors, a PEFT adapter, a Hugging Face hub cache folder).

#include <QCoreApplication>
#include <QString>

namespace ft {
struct ModelFolderCheck;
}

class ModelFolderProblem {
    Q_DECLARE_TR_FUNCTIONS(ModelFolderProblem)
public:
    // "" when `dir` looks like a model folder (cheap: file names only, for the UI thread).
    static QString of(const QString& dir);
    static QString describe(const QString& dir, const ft::ModelFolderCheck& check);
};
