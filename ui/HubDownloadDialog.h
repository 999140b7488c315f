#pragma once
// "Download a model": a Hugging Face Hub name (ORG/NAME[@REVISION]) pulled into the Hub cache on a worker thread,
// with the file, bytes, speed and time left. Cancel keeps the files already complete (and the part of the current
// one, for a resume); the UI thread never waits on the download.

#include <QDialog>
#include <atomic>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

class HubDownloadDialog : public QDialog {
    Q_OBJECT
public:
    explicit HubDownloadDialog(QWidget* parent = nullptr);
    ~HubDownloadDialog() override;

    bool isDownloading() const { return m_cancel != nullptr; }
    QString snapshot() const { return m_snapshot; }

signals:
    void downloaded(const QString& snapshot);  // the snapshot folder, once every file is in place

public slots:
    void reject() override;  // Cancel: stops a running download, else closes

private:
    void start();
    void showProgress(const QString& file, int index, int count, qint64 fileDone, qint64 fileTotal, qint64 done,
                      qint64 total, double bytesPerSecond, double etaSeconds);
    void finish(const QString& snapshot, int problem, const QString& message, const QString& subject);
    void setRunning(bool running);

    QLineEdit* m_name;
    QLabel* m_file;
    QProgressBar* m_bar;
    QLabel* m_detail;
    QLabel* m_message;
    QDialogButtonBox* m_buttons;
    QPushButton* m_download;
    std::shared_ptr<std::atomic<bool>> m_cancel;  // set while a download runs
    QString m_snapshot;
};
