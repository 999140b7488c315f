#pragma once
// The dataset as a table: a status badge, then one column per field of the detected record layout. data() reads one
// row's cell (O(1)); every change goes through the undo stack as a QUndoCommand. Rows are numbered by their line in
// the file; a line that is not a JSON object shows its text in the first field, to be fixed there. An indexed (large)
// document's rows are read from its file when shown (a few thousand kept parsed); their issues, for the count and the
// "invalid only" filter, come from a check of every row on workers (setRowChecks).

#include "dataset/DatasetDocument.h"
#include "dataset/DatasetOriginalRows.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QIcon>

#include <atomic>
#include <vector>

class QUndoStack;

class DatasetTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // The status badge comes first; the dataset's own fields follow, as many as the schema has.
    enum Column { StatusColumn = 0, FirstFieldColumn = 1 };
    enum Role { IssueRole = Qt::UserRole + 1 };  // the row's RowIssue, as int

    explicit DatasetTableModel(QObject* parent = nullptr);

    // Shows a loaded document; clears the undo history.
    void setDocument(DatasetDocument doc);
    const DatasetDocument& document() const { return m_doc; }
    const DatasetSchema& schema() const { return m_doc.schema; }
    QString filePath() const { return m_doc.path; }
    QUndoStack* undoStack() const { return m_undo; }
    bool isModified() const;
    bool isIndexed() const { return m_doc.isIndexed(); }
    // An indexed document's rows count once checked (rowsChecked). Kept up to date by each edit, not counted again
    // (the status line asks after every edit; a million rows took ~15 ms).
    int invalidRowCount() const;

    // Row `i` with its cells: an indexed row is read and parsed (and kept among the recently shown). The reference
    // lasts until the next call.
    const DatasetRow& row(int i) const;
    DatasetRow loaded(const DatasetRow& row) const;
    // The row's issue; an indexed row's from the check of every row (None until it is done).
    RowIssue issueOf(const DatasetRow& row) const;
    // The issue of each of the file's rows (by sourceIndex), from DatasetRowScan; empty: not checked yet.
    void setRowChecks(std::vector<quint8> issues);
    bool rowsChecked() const { return !isIndexed() || m_checks.size() == size_t(m_original.size()); }
    // Why a row is invalid, in full (the Status cell's tooltip), and as the short label the cell shows.
    QString statusText(const DatasetRow& row) const;
    QString statusLabel(const DatasetRow& row) const;
    QStringList possibleStatusLabels() const;  // every label this file's fields can give, to size the column

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // Edits, each pushed on undoStack(). Row numbers are this model's (not a proxy's).
    void addRow(int position = -1);  // an empty row; -1 appends
    void duplicateRows(QList<int> rows);
    void deleteRows(QList<int> rows);
    bool shiftRow(int row, int delta);  // move up (-1) or down (+1)

    // The file's bytes with the edits; untouched rows as they were read. Atomic (QSaveFile); marks the stack clean.
    QByteArray serialized() const;
    bool saveTo(const QString& path, QString* error = nullptr);

    // An indexed document's save in two halves, so that the writing (a second or more for a large file) runs on a
    // worker: writeIndexed writes `doc` (a copy of document(), taken while edits wait) and notes where each row went;
    // adoptSave, on this thread, makes the rows the written file's.
    struct IndexedSave {
        QString path, error;
        std::shared_ptr<DatasetSourceFile> file;  // the written file, open; null when the save failed
        std::vector<qint64> offsets;
        std::vector<int> lines;
        QByteArray prefix, sha1;
        qint64 size = 0;
        QList<DatasetRow> rows;  // the written file's, indexed: made here, on the worker, not by adoptSave
    };
    static IndexedSave writeIndexed(const DatasetDocument& doc, const QString& path, std::atomic<qint64>* written = nullptr);
    bool adoptSave(IndexedSave save, QString* error = nullptr);

    // Rows, and the rows as last read or saved (the autosave refers to those by index).
    const QList<DatasetRow>& rows() const { return m_doc.rows; }
    const DatasetOriginalRows& originalRows() const { return m_original; }

    // Primitives for the undo commands: they change rows and notify views, nothing else.
    void replaceRow(int row, const DatasetRow& value);
    void insertRowsAt(const QList<QPair<int, DatasetRow>>& rows);  // ascending final positions
    void removeRowsAt(const QList<int>& positions);                 // ascending
    void moveRowTo(int from, int to);
    void replaceAllRows(const QList<DatasetRow>& rows);

private:
    bool saveIndexed(const QString& path, QString* error);
    bool setRawText(int row, int field, const QString& text);
    QString displayText(const QString& cell) const;
    QString editText(int field, const QString& cell) const;

    DatasetDocument m_doc;
    DatasetOriginalRows m_original;
    std::vector<quint8> m_checks;                  // indexed: RowIssue per row of the file
    mutable int m_invalid = -1;                    // invalidRowCount(); -1: to be counted
    int invalid(const DatasetRow& row) const { return issueOf(row) != RowIssue::None ? 1 : 0; }
    mutable QCache<qint64, DatasetRow> m_loaded{4096};  // indexed rows read for display, by offset
    QUndoStack* m_undo;
    QIcon m_okIcon, m_badIcon;
};
