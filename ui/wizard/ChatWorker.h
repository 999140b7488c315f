#pragma once
// Answers one prompt with the base model and with the tuned one (base + adapter), on the thread it is moved to.
// Models load on the first question and stay loaded. Tokens stream back as queued signals; cancel() is safe from
// any thread and stops at the next token.

#include "core/train/example_encoder.h"
#include "core/inference/language_model.h"
#include "core/model/model_folder.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class ChatWorker : public QObject {
    Q_OBJECT
public:
    enum Side { Base = 0, Tuned = 1 };

    ChatWorker() = default;
    ~ChatWorker() override;
    void cancel() { m_cancel = true; }

public slots:
    // chatTemplate: "" uses the model's own; without any template the prompt is used as plain text.
    void configure(const QString& modelDir, const QString& adapterDir, const QString& chatTemplate);
    void ask(const QString& prompt, int maxNewTokens);

signals:
    void partial(int side, const QString& textSoFar);
    void answered();
    void failed(const QString& message);

private:
    void load();
    QString answer(ft::LanguageModel& lm, const std::vector<int>& prompt, int side, int maxNewTokens);

    QString m_modelDir, m_adapterDir;
    std::string m_template;
    std::unique_ptr<ft::ModelFolder> m_folder;
    std::unique_ptr<ft::ExampleEncoder> m_encoder;  // refers to *m_folder
    std::unique_ptr<ft::LanguageModel> m_base, m_tuned;
    std::atomic<bool> m_cancel{false};
};
