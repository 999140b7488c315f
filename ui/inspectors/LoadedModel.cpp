#include "inspectors/LoadedModel.h"

#include "ErrorText.h"

#include "core/io/safetensors.h"
#include "core/model/tensor_names.h"

namespace {

// "model.layers.0.self_attn.q_proj.weight" → "q_proj": the names LoRA's target_modules match.
QStringList projectionNames(const std::filesystem::path& dir) {
    QStringList names;
    for (const auto& file : ft::modelWeightFiles(dir)) {
        const ft::SafetensorsFile st = ft::SafetensorsFile::open(file);
        for (const auto& e : st.entries()) {
            if (!ft::isBlockProjectionWeight(e.name, e.shape.size())) continue;
            const std::string_view leaf = ft::parseBlockTensorName(e.name)->leaf;
            const QString name = QString::fromUtf8(leaf.data(), qsizetype(leaf.size()));
            if (!names.contains(name)) names << name;
        }
    }
    return names;
}

} // namespace

QString LoadedModel::bosToken() const { return QString::fromStdString(folder.bosToken.value_or(std::string())); }
QString LoadedModel::eosToken() const { return QString::fromStdString(folder.eosToken.value_or(std::string())); }

LoadedModelPtr loadModel(const QString& dir) {
    auto m = std::make_shared<LoadedModel>();
    m->dir = dir;
    try {
        m->folder = ft::openModelFolder(dir.toStdString());
        m->chatTemplate = QString::fromStdString(m->folder.chatTemplate);
        try {
            m->encoder = std::make_unique<ft::ExampleEncoder>(m->folder);
        } catch (const ft::Error& e) {
            // A broken template must not hide the rest: Base FT and the token view still work without it.
            m->templateError = errorText(e);
            m->folder.chatTemplate.clear();
            m->encoder = std::make_unique<ft::ExampleEncoder>(m->folder);
        }
        m->footprint = ft::modelFootprint(m->folder.dir);
        m->linearModules = projectionNames(m->folder.dir);
        for (const auto& s : m->folder.specialTokens) m->specialTokens << QString::fromStdString(s.content);
        for (const auto& t : {m->folder.bosToken, m->folder.eosToken, m->folder.padToken, m->folder.unkToken})
            if (t && !t->empty() && !m->specialTokens.contains(QString::fromStdString(*t)))
                m->specialTokens << QString::fromStdString(*t);
    } catch (const ft::Error& e) {
        auto failed = std::make_shared<LoadedModel>();
        failed->dir = dir;
        failed->error = errorText(e);
        return failed;
    } catch (const std::exception& e) {
        auto failed = std::make_shared<LoadedModel>();
        failed->dir = dir;
        failed->error = QString::fromLocal8Bit(e.what());
        return failed;
    }
    return m;
}
