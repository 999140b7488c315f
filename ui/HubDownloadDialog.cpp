#include "HubDownloadDialog.h"

#include "HubDownloadWorker.h"

#include "core/hub/hub_error.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

using ft::hub::HubProblem;

namespace {

// The core's sentence in the UI's language, by its code; the subject is the repo, endpoint or file it names.
QString problemText(int problem, const QString& subject, const QString& english) {
    switch (HubProblem(problem)) {
    case HubProblem::Unauthorized:
        return HubDownloadDialog::tr("%1 is gated or private. Accept its terms on its Hub page while logged in, then "
                                     "set HF_TOKEN to a token of that account (or run `huggingface-cli login`) and "
                                     "restart Finetune Studio.").arg(subject);
    case HubProblem::NotFound:
        return HubDownloadDialog::tr("%1 was not found on the Hub (or is private). Check the spelling: ORG/NAME as in "
                                     "the address of its Hub page, and the revision after @.").arg(subject);
    case HubProblem::Unreachable:
        return HubDownloadDialog::tr("Could not reach %1. Check the network connection; with HF_HUB_OFFLINE=1 the "
                                     "models already in the cache are used.").arg(subject);
    case HubProblem::Interrupted:
        return HubDownloadDialog::tr("The download was interrupted. What arrived is kept: click Download to resume.");
    case HubProblem::Corrupt:
        return HubDownloadDialog::tr("%1 arrived corrupted and was discarded. Click Download to fetch it again.")
            .arg(subject);
    case HubProblem::NotCached:
        return HubDownloadDialog::tr("HF_HUB_OFFLINE is set and %1 is not in the Hub cache. Unset HF_HUB_OFFLINE to "
                                     "download it.").arg(subject);
    case HubProblem::NoWeights:
        return HubDownloadDialog::tr("%1 has no safetensors weights, and Finetune Studio reads only those. Choose "
                                     "another repo.").arg(subject);
    case HubProblem::Cancelled:
        return HubDownloadDialog::tr("Cancelled. The files already complete are kept in the Hub cache; click Download "
                                     "to resume.");
    default:
        return english;  // the rare ones (disk, odd HTTP answers) keep the core's detailed sentence
    }
}

QString duration(double seconds) {
    if (seconds < 0) return HubDownloadDialog::tr("estimating");
    const int s = int(seconds + 0.5);
    if (s < 60) return HubDownloadDialog::tr("%n s left", "", s);
    if (s < 3600) return HubDownloadDialog::tr("%1 min %2 s left").arg(s / 60).arg(s % 60);
    return HubDownloadDialog::tr("%1 h %2 min left").arg(s / 3600).arg(s / 60 % 60);
}

} // namespace

HubDownloadDialog::HubDownloadDialog(QWidget* parent)
    : QDialog(parent), m_name(new QLineEdit(this)), m_file(new QLabel(this)), m_bar(new QProgressBar(this)),
      m_detail(new QLabel(this)), m_message(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Download a model"));
    const auto settings = ft::hub::HubSettings::fromEnvironment();
    auto* intro = new QLabel(tr("The model's name on the Hugging Face Hub, as ORG/NAME or ORG/NAME@REVISION. Only "
                                "what training needs is downloaded, into the Hub cache (%1), where transformers "
                                "finds it too.").arg(QString::fromStdString(settings.cacheDir.string())), this);
    intro->setWordWrap(true);
    m_name->setObjectName(QStringLiteral("hubRepo"));
    m_name->setPlaceholderText(QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
    m_file->setObjectName(QStringLiteral("hubFile"));
    m_bar->setObjectName(QStringLiteral("hubProgress"));
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_detail->setObjectName(QStringLiteral("hubDetail"));
    m_message->setObjectName(QStringLiteral("hubMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_download = m_buttons->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
    m_download->setObjectName(QStringLiteral("hubStart"));
    m_download->setDefault(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_name);
    layout->addWidget(m_file);
    layout->addWidget(m_bar);
    layout->addWidget(m_detail);
    layout->addWidget(m_message);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &HubDownloadDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &HubDownloadDialog::reject);
    setRunning(false);
    m_message->setMinimumHeight(2 * fontMetrics().lineSpacing());  // room for a two-line sentence without a resize
    resize(560, sizeHint().height());
}

HubDownloadDialog::~HubDownloadDialog() {
    if (m_cancel) *m_cancel = true;  // the worker stops on its own; nobody waits for it
}

void HubDownloadDialog::setRunning(bool running) {
    m_name->setEnabled(!running);
    m_download->setEnabled(!running);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("&Cancel") : tr("&Close"));
    m_buttons->button(QDialogButtonBox::Cancel)->setAutoDefault(false);
    m_download->setDefault(!running);  // disabling it passed the default on: Return must not mean Close
}

void HubDownloadDialog::start() {
    if (m_cancel) return;
    const auto spec = ft::hub::parseRepoSpec(m_name->text().trimmed().toStdString());
    if (!spec) {
        m_message->setText(tr("'%1' is not a Hub model name. Write ORG/NAME, or ORG/NAME@REVISION for a branch, tag "
                              "or commit.").arg(m_name->text().trimmed()));
        return;
    }
    m_message->setText(tr("Asking the Hub for %1 …").arg(m_name->text().trimmed()));
    m_detail->clear();
    m_bar->setValue(0);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    setRunning(true);
    auto* worker = HubDownloadWorker::start(*spec, ft::hub::HubSettings::fromEnvironment(), m_cancel);
    connect(worker, &HubDownloadWorker::progress, this, &HubDownloadDialog::showProgress);
    connect(worker, &HubDownloadWorker::finished, this, &HubDownloadDialog::finish);
}

void HubDownloadDialog::showProgress(const QString& file, int index, int count, qint64 fileDone, qint64 fileTotal,
                                     qint64 done, qint64 total, double bytesPerSecond, double etaSeconds) {
    if (!m_cancel) return;  // a late signal of a download that was cancelled
    const QLocale locale;
    m_message->clear();
    m_file->setText(tr("%1 (file %2 of %3): %4 of %5")
                        .arg(file).arg(index).arg(count)
                        .arg(locale.formattedDataSize(fileDone), locale.formattedDataSize(fileTotal)));
    m_bar->setValue(total > 0 ? int(1000.0 * done / total) : 0);
    m_detail->setText(tr("%1 of %2 · %3/s · %4")
                          .arg(locale.formattedDataSize(done), locale.formattedDataSize(total),
                               locale.formattedDataSize(qint64(bytesPerSecond)), duration(etaSeconds)));
}

void HubDownloadDialog::finish(const QString& snapshot, int problem, const QString& message, const QString& subject) {
    m_cancel.reset();
    setRunning(false);
    if (problem < 0) {
        m_snapshot = snapshot;
        m_bar->setValue(1000);
        emit downloaded(snapshot);
        accept();
        return;
    }
    m_message->setText(problemText(problem, subject, message));
}

void HubDownloadDialog::reject() {
    if (m_cancel) {  // the worker answers with Cancelled once curl has stopped; the dialog stays to say so
        *m_cancel = true;
        m_message->setText(tr("Cancelling …"));
        return;
    }
    QDialog::reject();
}
