#include "wizard/SideBySideChat.h"

#include "EnterKey.h"

#include "wizard/ChatWorker.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace {
constexpr int kMaxNewTokens = 96;
}

SideBySideChat::SideBySideChat(QWidget* parent)
    : QWidget(parent), m_worker(new ChatWorker), m_prompt(new QLineEdit(this)), m_send(new QPushButton(tr("&Ask both"), this)),
      m_base(new QPlainTextEdit(this)), m_tuned(new QPlainTextEdit(this)), m_status(new QLabel(this)) {
    m_thread.setObjectName(QStringLiteral("chat"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();

    m_prompt->setObjectName(QStringLiteral("chatPrompt"));
    m_prompt->setPlaceholderText(tr("Ask something from your data…"));
    handleEnterKey(m_prompt, [this] { ask(m_prompt->text()); });  // asks; never the wizard's Finish
    for (QPlainTextEdit* e : {m_base, m_tuned}) e->setReadOnly(true);
    auto* row = new QHBoxLayout();
    row->addWidget(m_prompt, 1);
    row->addWidget(m_send);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addLayout(row, 0, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Base model"), this), 1, 0);
    grid->addWidget(new QLabel(tr("Tuned model"), this), 1, 1);
    grid->addWidget(m_base, 2, 0);
    grid->addWidget(m_tuned, 2, 1);
    grid->addWidget(m_status, 3, 0, 1, 2);

    connect(m_send, &QPushButton::clicked, this, [this] { ask(m_prompt->text()); });
    connect(m_worker, &ChatWorker::partial, this, [this](int side, const QString& text) {
        (side == ChatWorker::Base ? m_base : m_tuned)->setPlainText(text);
    });
    connect(m_worker, &ChatWorker::answered, this, [this] {
        setBusy(false);
        m_status->clear();
        emit answered();
    });
    connect(m_worker, &ChatWorker::failed, this, [this](const QString& message) {
        setBusy(false);
        m_status->setText(message);
        emit failed(message);
    });
}

SideBySideChat::~SideBySideChat() {
    m_worker->cancel();  // stops at the next token; then the thread's event loop ends
    m_thread.quit();
    m_thread.wait();
}

void SideBySideChat::setModels(const QString& modelDir, const QString& adapterDir, const QString& chatTemplate) {
    QMetaObject::invokeMethod(m_worker, [w = m_worker, modelDir, adapterDir, chatTemplate] {
        w->configure(modelDir, adapterDir, chatTemplate);
    }, Qt::QueuedConnection);
}

void SideBySideChat::ask(const QString& prompt) {
    if (m_busy || prompt.trimmed().isEmpty()) return;
    m_prompt->setText(prompt);
    m_base->clear();
    m_tuned->clear();
    m_status->setText(tr("Generating… (the models load on the first question)"));
    setBusy(true);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, prompt] { w->ask(prompt, kMaxNewTokens); }, Qt::QueuedConnection);
}

void SideBySideChat::setBusy(bool busy) {
    m_busy = busy;
    m_send->setEnabled(!busy);
}

QString SideBySideChat::baseAnswer() const { return m_base->toPlainText(); }
QString SideBySideChat::tunedAnswer() const { return m_tuned->toPlainText(); }
