#include "wizard/ExportPage.h"

#include "EnterKey.h"
#include "ModelExporter.h"
#include "ProjectDocument.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/MethodChoices.h"
#include "wizard/SideBySideChat.h"

#include "core/train/run_folder.h"

#include <QButtonGroup>
#include <QDir>
#include <QFileInfo>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

ExportPage::ExportPage(QWidget* parent)
    : WizardPage(parent), m_formats(new QButtonGroup(this)), m_path(new QLineEdit(this)),
      m_export(new QPushButton(tr("&Export"), this)), m_status(new QLabel(this)), m_chat(new SideBySideChat(this)),
      m_exporter(new ModelExporter(this)) {
    connect(m_exporter, &ModelExporter::finished, this,
            [this](ModelExporter::Kind, bool ok, const QString& message, const QString& path) { finish(ok, message, path); });
    setTitle(tr("Export and try"));
    setFinalPage(true);
    auto* box = new QGroupBox(tr("Export as"), this);
    box->setObjectName(QStringLiteral("exportFormats"));  // the tour points at it
    auto* boxLayout = new QVBoxLayout(box);
    const std::pair<Format, QString> formats[] = {
        {Peft, tr("PEFT adapter folder (small; load it over the base model with peft or this app)")},
        {Merged, tr("Merged model (the adapter folded into a full copy of the base weights)")},
        {Gguf, tr("GGUF LoRA adapter for llama.cpp")},
    };
    for (const auto& [id, label] : formats) {
        auto* radio = new QRadioButton(label, box);
        m_formats->addButton(radio, id);
        boxLayout->addWidget(radio);
    }
    m_formats->button(Peft)->setChecked(true);
    auto* browse = new QPushButton(tr("&Browse…"), this);
    auto* row = new QHBoxLayout();
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    row->addWidget(m_export);
    m_status->setWordWrap(true);
    auto* chatBox = new QGroupBox(tr("Try it: base and tuned model side by side"), this);
    auto* chatLayout = new QVBoxLayout(chatBox);
    chatLayout->addWidget(m_chat);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(box);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(chatBox, 1);

    connect(m_formats, &QButtonGroup::idClicked, this, [this](int id) {
        if (!m_pathEdited) m_path->setText(defaultPath(Format(id)));
    });
    connect(m_path, &QLineEdit::textEdited, this, [this] { m_pathEdited = true; });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = format() == Gguf ? QFileDialog::getSaveFileName(this, tr("GGUF file"), m_path->text(), tr("GGUF (*.gguf)"))
                                           : QFileDialog::getExistingDirectory(this, tr("Export into"), m_path->text());
        if (!p.isEmpty()) setOutputPath(p);
    });
    connect(m_export, &QPushButton::clicked, this, &ExportPage::exportNow);
    handleEnterKey(m_path, [this] { exportNow(); });  // Enter in the path exports; it does not finish the wizard
}

void ExportPage::initializePage() {
    const ft::Project& p = studio()->project();
    const ft::MethodSpec* method = ft::findMethod(p.method);
    const bool lora = method && method->mergeable;
    const bool full = method && !method->exportsAdapter;
    // Merging and GGUF work on LoRA pairs (a full fine-tune is its own merged model); the other methods export
    // their own adapter folder.
    m_formats->button(Peft)->setEnabled(!full);
    m_formats->button(Merged)->setEnabled(lora || full);
    m_formats->button(Gguf)->setEnabled(lora);
    if (full) setFormat(Merged);
    else if (!lora) setFormat(Peft);
    if (!m_pathEdited) m_path->setText(defaultPath(format()));
    // The chat tries what an export would write: the run's final adapter, or a stopped run's last checkpoint's.
    const auto run = studio()->document()->selectedRun();
    const QString adapter = run ? QString::fromStdString(run->adapter.string()) : QString();
    m_chat->setModels(studio()->resolvedPath(p.model), adapter, QString::fromStdString(p.chatTemplate));
    m_chat->setEnabled(!full && !adapter.isEmpty());
    if (full) m_status->setText(tr("A full fine-tune is exported as a merged model; open that folder to chat with it."));
    else if (run && !run->finished() && !run->latestCheckpoint.empty())
        m_status->setText(tr("Run %1 stopped at step %2 of %3: its last checkpoint is what gets exported.")
                              .arg(QString::fromStdString(run->id))
                              .arg(run->stepsDone)
                              .arg(run->totalSteps));
    else m_status->clear();
}

QString ExportPage::defaultPath(Format f) const {
    const QString base = studio() && !studio()->runOutput().isEmpty() ? studio()->runOutput() + QStringLiteral("/export")
                                                                      : QStringLiteral("export");
    switch (f) {
    case Peft: return base + QStringLiteral("/adapter");
    case Merged: return base + QStringLiteral("/merged");
    case Gguf: return base + QStringLiteral("/adapter.gguf");
    }
    return base;
}

void ExportPage::setFormat(Format f) {
    m_formats->button(f)->setChecked(true);
    if (!m_pathEdited) m_path->setText(defaultPath(f));
}

ExportPage::Format ExportPage::format() const { return Format(m_formats->checkedId()); }

void ExportPage::setOutputPath(const QString& path) {
    m_path->setText(path);
    m_pathEdited = true;
}

QString ExportPage::outputPath() const { return m_path->text(); }

void ExportPage::exportNow() {
    if (m_exporting) return;
    const QString out = outputPath();
    const QString run = studio()->runOutput();
    if (run.isEmpty()) return finish(false, tr("Train first: there is no finished run to export."), out);
    QDir().mkpath(QFileInfo(out).absolutePath());  // the exporters write the last path component atomically
    m_exporting = true;
    m_export->setEnabled(false);
    m_status->setText(tr("Exporting to %1 …").arg(out));
    emit completeChanged();
    // The same request the CLI and the main window make: core decides what the run's method can be exported as.
    const ModelExporter::Kind kind = format() == Peft     ? ModelExporter::Kind::PeftAdapter
                                     : format() == Merged ? ModelExporter::Kind::MergedModel
                                                          : ModelExporter::Kind::GgufAdapter;
    m_exporter->exportRun(run, kind, out);
}

void ExportPage::finish(bool ok, const QString& message, const QString& path) {
    m_exporting = false;
    m_export->setEnabled(true);
    m_status->setText(ok ? tr("Exported to %1").arg(path) : message);
    emit completeChanged();
    emit exported(ok, message, path);
}
