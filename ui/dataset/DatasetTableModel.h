#pragma once
// The dataset as a table: a status badge, then one column per field of the detected record layout. data() reads one
// row's cell (O(1)); every change goes through the undo stack as a QUndoCommand. Rows are numbered by their line in
// the file; a line that is not a JSON object shows its text in the first field, to be fixed there.

#include "dataset/DatasetDocument.h"

#include <QAbstractTableModel>
#include <QIcon>

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
    int invalidRowCount() const;
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

    // Rows, and the rows as last read or saved (the autosave refers to those by index).
    const QList<DatasetRow>& rows() const { return m_doc.rows; }
    const QList<DatasetRow>& originalRows() const { return m_original; }

    // Primitives for the undo commands: they change rows and notify views, nothing else.
    void replaceRow(int row, const DatasetRow& value);
    void insertRowsAt(const QList<QPair<int, DatasetRow>>& rows);  // ascending final positions
    void removeRowsAt(const QList<int>& positions);                 // ascending
    void moveRowTo(int from, int to);
    void replaceAllRows(const QList<DatasetRow>& rows);

private:
    bool setRawText(int row, int field, const QString& text);
    QString displayText(const QString& cell) const;
    QString editText(int field, const QString& cell) const;

    DatasetDocument m_doc;
    QList<DatasetRow> m_original;
    QUndoStack* m_undo;
    QIcon m_okIcon, m_badIcon;
};
