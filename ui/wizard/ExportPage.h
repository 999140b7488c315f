#pragma once
// Page 7: export the result — the PEFT adapter folder, the adapter merged into the base (a whole Hugging Face
// model), or a llama.cpp GGUF adapter — and try it: one prompt answered by the base and the tuned model side by side.
// Exports run on worker threads.

#include "wizard/WizardPage.h"

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class ModelExporter;
class SideBySideChat;

class ExportPage : public WizardPage {
    Q_OBJECT
public:
    enum Format { Peft, Merged, Gguf };

    explicit ExportPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override { return !m_exporting; }

    void setFormat(Format format);
    Format format() const;
    void setOutputPath(const QString& path);
    QString outputPath() const;
    SideBySideChat* chat() const { return m_chat; }

public slots:
    void exportNow();

signals:
    void exported(bool ok, const QString& message, const QString& path);

private:
    QString defaultPath(Format format) const;
    void finish(bool ok, const QString& message, const QString& path);

    QButtonGroup* m_formats;
    QLineEdit* m_path;
    QPushButton* m_export;
    QLabel* m_status;
    SideBySideChat* m_chat;
    ModelExporter* m_exporter;  // merged and GGUF exports, on a worker
    bool m_exporting = false;
    bool m_pathEdited = false;
};
