#pragma once
// The dataset editor: a toolbar (add, duplicate, delete, move up/down, undo, redo, save), a search box, the table
// and the quality report. Large files are read on a worker thread; edits are autosaved and offered back after a crash.
// Files past DatasetLoader::indexThreshold() are indexed: rows are read when shown, checked and searched on workers
// with the progress in the status line; the quality report, which needs every row in memory, is off for them.

#include <QFutureWatcher>
#include <QWidget>

#include <functional>

#include "dataset/DatasetLoader.h"
#include "dataset/DatasetQualityReport.h"
#include "dataset/DatasetTableModel.h"

#include <atomic>
#include <memory>

class DatasetAutosave;
class DatasetRowScan;
class DatasetFilterProxy;
class PreferencePairView;
class DatasetQualityWidget;
class QAction;
class QCheckBox;
class QFrame;
class QLabel;
class QLineEdit;
class QTableView;
class QUndoStack;

class DatasetEditor : public QWidget {
    Q_OBJECT
public:
    explicit DatasetEditor(QWidget* parent = nullptr);
    ~DatasetEditor() override;

    // Reads the file on this thread and shows it (tests, small files); openFileAsync reads on a worker.
    bool openFile(const QString& path, QString* error = nullptr);
    void openFileAsync(const QString& path);
    // Until the file read on the worker is shown (the worker's end alone is not: its result is adopted a turn later).
    bool isLoading() const { return m_loadPending; }
    // Writes the dataset back atomically; untouched rows keep their bytes. Removes the autosave.
    bool save(QString* error = nullptr);
    bool saveAs(const QString& path, QString* error = nullptr);
    // The Save button and key: an indexed (large) file is written on a worker, edits paused meanwhile, the progress
    // in the status line; saveFinished() tells the end. A small file is saved at once (save()).
    void saveInBackground();
    bool isSaving() const { return m_saving.isRunning(); }
    QString filePath() const;
    bool isModified() const;

    // Edits autosaved for `path` by a session that ended without saving.
    static bool hasRecovery(const QString& path);
    // Restores them into the dataset just opened, as one undoable step.
    bool recover(QString* error = nullptr);
    void discardRecovery();

    // The real tokenizer's count for the truncation finding (called on a worker thread); default: an estimate.
    void setTokenCounter(std::function<int(const QString&)> counter);
    void analyze();  // the quality report, computed on a worker; reportReady() when done

    void selectRow(int row);        // a model row; clears a search that hides it
    bool selectLine(int line);      // the row whose record starts on this line of the file (evaluation's links)
    QList<int> selectedRows() const;  // model rows, ascending
    void setSearchText(const QString& text);
    // Indexed (large) files: the check of every row and a search run on workers; these say whether one runs.
    bool isChecking() const;
    bool isSearching() const;

    QUndoStack* undoStack() const;
    DatasetTableModel* model() const { return m_model; }
    DatasetFilterProxy* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    DatasetQualityWidget* qualityWidget() const { return m_quality; }
    PreferencePairView* pairView() const { return m_pair; }  // shown for preference rows
    DatasetAutosave* autosave() const { return m_autosave; }

public slots:
    void addRow();
    void duplicateSelected();
    void deleteSelected();
    void moveSelected(int delta);

signals:
    void modifiedChanged(bool modified);
    void fileOpened(bool ok, const QString& error);
    void recoveryAvailable(const QString& autosavePath);
    void reportReady();
    void saveFinished(bool ok, const QString& error);

private:
    void buildActions();
    void buildLayout();
    bool adopt(DatasetLoader::Result result, QString* error);
    void updateStatus();
    void showCurrentPair();
    void startCheck();
    void startSearch(const QString& text);
    std::vector<quint8> searchMatchesByRow() const;
    void afterSave(const QString& path, std::vector<quint8> matches);
    void setEditable(bool editable);  // paused while a save runs

    DatasetTableModel* m_model;
    DatasetFilterProxy* m_proxy;
    DatasetAutosave* m_autosave;
    QTableView* m_view;
    DatasetQualityWidget* m_quality;
    PreferencePairView* m_pair;
    QLineEdit* m_search;
    QCheckBox* m_invalidOnly;
    QLabel* m_status;
    QFrame* m_recoveryBar;
    QLabel* m_recoveryText;
    QList<QAction*> m_actions;  // add, duplicate, delete, up, down, undo, redo, save
    QFutureWatcher<DatasetLoader::Result> m_loader;
    bool m_loadPending = false;
    QFutureWatcher<DatasetQualityReport> m_analysis;
    DatasetRowScan* m_check;
    DatasetRowScan* m_searchScan;
    QString m_scannedSearch;  // the text m_searchScan looks for
    QTimer* m_progress;       // refreshes the status line while a scan or a save runs
    QFutureWatcher<DatasetTableModel::IndexedSave> m_saving;
    std::shared_ptr<std::atomic<qint64>> m_savedBytes;
    qint64 m_saveTotal = 0;
    int m_saveUndoIndex = 0;
    std::function<int(const QString&)> m_tokenCounter;
};
