#include "ModelFolderProblem.h"

#include "core/model/model_folder_check.h"

#include <QDir>
#include <QStringList>

namespace {

QString joined(const std::vector<std::string>& names) {
    QStringList list;
    for (const std::string& n : names) list << QString::fromStdString(n);
    return list.join(QStringLiteral(", "));
}

} // namespace

QString ModelFolderProblem::of(const QString& dir) {
    const ft::ModelFolderCheck check = ft::checkModelFolder(dir.toStdString());
    return check.ok() ? QString() : describe(dir, check);
}

QString ModelFolderProblem::describe(const QString& dir, const ft::ModelFolderCheck& c) {
    const QString where = QDir::toNativeSeparators(dir);
    if (!c.isFolder) return tr("%1 is not a folder.").arg(where);

    QStringList missing;
    if (!c.hasConfig) missing << QStringLiteral("config.json");
    if (!c.hasWeights) missing << tr("the weights");
    if (!c.hasTokenizer) missing << tr("the tokenizer");
    QStringList text;
    text << tr("%1 is not a model folder. Missing: %2.").arg(where, missing.join(QStringLiteral(", ")));
    text << tr("A model folder (a Hugging Face model, as downloaded) holds config.json; the weights as "
               "model.safetensors, or sharded as model-*.safetensors with model.safetensors.index.json; and the "
               "tokenizer as tokenizer.model or tokenizer.json.");

    if (c.entryCount == 0) {
        text << tr("The folder is empty.");
    } else if (const int more = c.entryCount - int(c.entries.size()); more > 0) {
        text << tr("It holds: %1 and %n more.", nullptr, more).arg(joined(c.entries));
    } else {
        text << tr("It holds: %1.").arg(joined(c.entries));
    }

    // The usual mix-ups, most specific first.
    if (c.isHubCache) {
        if (c.hubSnapshots.empty())
            text << tr("This is a Hugging Face hub cache folder with no snapshot yet: download the model again.");
        else
            text << tr("This is a Hugging Face hub cache folder; the model itself is in a snapshot: open %1 instead.")
                        .arg(QDir::toNativeSeparators(QString::fromStdString(c.hubSnapshots.front().string())));
    } else if (!c.ggufFiles.empty()) {
        text << tr("%1 is a GGUF file (llama.cpp's format): open the file itself, not its folder. It is imported "
                   "once as a model to fine-tune, its weights dequantized, so the quality is that of the file.")
                    .arg(joined(c.ggufFiles));
    } else if (c.isAdapter) {
        text << tr("This is a PEFT adapter (adapter_config.json), trained over a base model: open the base model's "
                   "folder instead.");
    } else if (c.hasShardsWithoutIndex) {
        text << tr("The weights are sharded but model.safetensors.index.json, which names the shards, is missing.");
    } else if (!c.safetensorsFiles.empty() && !c.hasConfig) {
        text << tr("%1 holds weights only: a model also needs the config.json and the tokenizer files published with "
                   "it. Download the whole model folder.")
                    .arg(joined(c.safetensorsFiles));
    }
    return text.join(QStringLiteral("\n\n"));
}
