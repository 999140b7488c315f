#pragma once
// Try the tuned model: one prompt, answered by the base model and by the tuned one side by side. Generation runs
// on a ChatWorker in its own thread; the answers stream in.

#include <QString>
#include <QThread>
#include <QWidget>

class ChatWorker;
class QLineEdit;
class QLabel;
class QPlainTextEdit;
class QPushButton;

class SideBySideChat : public QWidget {
    Q_OBJECT
public:
    explicit SideBySideChat(QWidget* parent = nullptr);
    ~SideBySideChat() override;

    void setModels(const QString& modelDir, const QString& adapterDir, const QString& chatTemplate);
    QString baseAnswer() const;
    QString tunedAnswer() const;
    bool isBusy() const { return m_busy; }

public slots:
    void ask(const QString& prompt);

signals:
    void answered();
    void failed(const QString& message);

private:
    void setBusy(bool busy);

    QThread m_thread;
    ChatWorker* m_worker;
    QLineEdit* m_prompt;
    QPushButton* m_send;
    QPlainTextEdit* m_base;
    QPlainTextEdit* m_tuned;
    QLabel* m_status;
    bool m_busy = false;
};
