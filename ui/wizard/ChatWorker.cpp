#include "wizard/ChatWorker.h"

#include "ErrorText.h"

#include "core/text/tokenizer.h"

#include <algorithm>

ChatWorker::~ChatWorker() = default;

void ChatWorker::configure(const QString& modelDir, const QString& adapterDir, const QString& chatTemplate) {
    if (modelDir == m_modelDir && adapterDir == m_adapterDir && chatTemplate.toStdString() == m_template) return;
    m_modelDir = modelDir;
    m_adapterDir = adapterDir;
    m_template = chatTemplate.toStdString();
    m_base.reset();
    m_tuned.reset();
    m_encoder.reset();
    m_folder.reset();
}

void ChatWorker::load() {
    if (m_base) return;
    m_folder = std::make_unique<ft::ModelFolder>(ft::openModelFolder(m_modelDir.toStdString()));
    if (!m_template.empty()) m_folder->chatTemplate = m_template;  // as the model was trained
    m_encoder = std::make_unique<ft::ExampleEncoder>(*m_folder);
    m_base = ft::LanguageModel::load(m_modelDir.toStdString());
    m_tuned = ft::LanguageModel::load(m_modelDir.toStdString());
    m_tuned->applyAdapter(m_adapterDir.toStdString());
}

void ChatWorker::ask(const QString& prompt, int maxNewTokens) {
    m_cancel = false;
    try {
        load();
        const auto& tok = m_encoder->tokenizer();
        std::vector<int> ids;
        if (!m_folder->chatTemplate.empty()) {
            ids = tok.encode(m_encoder->render({{"user", prompt.toStdString()}}, /*addGenerationPrompt=*/true)).ids;
        } else {
            ids = tok.encode(prompt.toStdString()).ids;
            if (m_folder->addBosToken && tok.bosId() >= 0) ids.insert(ids.begin(), tok.bosId());
        }
        answer(*m_base, ids, Base, maxNewTokens);
        answer(*m_tuned, ids, Tuned, maxNewTokens);
    } catch (const ft::Error& e) {
        emit failed(errorText(e));
        return;
    } catch (const std::exception& e) {
        emit failed(QString::fromLocal8Bit(e.what()));
        return;
    }
    emit answered();
}

// Greedy, so the two sides differ only by the adapter.
QString ChatWorker::answer(ft::LanguageModel& lm, const std::vector<int>& prompt, int side, int maxNewTokens) {
    ft::GenerationOptions options = m_folder->generation;
    options.doSample = false;
    options.maxNewTokens = maxNewTokens;
    const auto& tok = m_encoder->tokenizer();
    if (tok.eosId() >= 0) options.eosTokenIds.push_back(tok.eosId());
    std::vector<int> generated;
    QString text;
    lm.generate(prompt, options, [&](int token) {
        if (m_cancel) return false;
        if (std::find(options.eosTokenIds.begin(), options.eosTokenIds.end(), token) != options.eosTokenIds.end())
            return false;
        generated.push_back(token);
        text = QString::fromStdString(tok.decode(generated));
        emit partial(side, text);
        return true;
    });
    return text;
}
