#include "SettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent), m_language(new QComboBox(this)), m_device(new QComboBox(this)) {
    setWindowTitle(tr("Settings"));
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    m_device->addItem(tr("Automatic (GPU when available)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));

    auto* form = new QFormLayout();
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), new QLabel(tr("A new language applies when the app starts again."), this));
    form->addRow(tr("Default &device:"), m_device);
    const std::pair<AppSettings::Folder, QString> folders[] = {
        {AppSettings::Folder::Projects, tr("Projects folder:")},
        {AppSettings::Folder::Models, tr("Models folder:")},
        {AppSettings::Folder::Datasets, tr("Datasets folder:")},
        {AppSettings::Folder::Exports, tr("Exports folder:")},
    };
    for (const auto& [kind, label] : folders) {
        auto* edit = new QLineEdit(this);
        auto* browse = new QToolButton(this);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(tr("Choose a folder"));
        connect(browse, &QToolButton::clicked, this, [this, edit] {
            const QString d = QFileDialog::getExistingDirectory(this, tr("Choose a Folder"), edit->text());
            if (!d.isEmpty()) edit->setText(d);
        });
        auto* row = new QHBoxLayout();
        row->addWidget(edit, 1);
        row->addWidget(browse);
        form->addRow(label, row);
        m_folders[kind] = edit;
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    load();
}

void SettingsDialog::load() {
    m_language->setCurrentIndex(std::max(0, m_language->findData(AppSettings::language())));
    m_device->setCurrentIndex(std::max(0, m_device->findData(AppSettings::defaultDevice())));
    for (const auto& [kind, edit] : m_folders) edit->setText(AppSettings::folder(kind));
}

void SettingsDialog::save() const {
    AppSettings::setLanguage(m_language->currentData().toString());
    AppSettings::setDefaultDevice(m_device->currentData().toString());
    for (const auto& [kind, edit] : m_folders) AppSettings::setFolder(kind, edit->text().trimmed());
}
