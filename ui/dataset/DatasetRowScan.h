#pragma once
// A test run over every row of an indexed (large) dataset file on worker threads: the check of every row after the
// file opens, and search. Rows are read in blocks of neighbouring records, one read each; the result is one byte per
// row of the file (by DatasetRow::sourceIndex, its index in DatasetOriginalRows). progress() is polled by the UI; finished() comes on the UI thread.
// Workers take turns of a few blocks, so two scans (the check and a search) share the pool's threads.
// Deleting the scan (or a new start) cancels the workers, which stop after their block.

#include "dataset/DatasetDocument.h"
#include "dataset/DatasetOriginalRows.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class DatasetRowScan : public QObject {
    Q_OBJECT
public:
    // `row` is the file's row with its bytes in `source` (not yet parsed); returns the row's result byte.
    using Test = std::function<quint8(DatasetRow& row)>;

    explicit DatasetRowScan(QObject* parent = nullptr);
    ~DatasetRowScan() override;

    // Scans `rows` (the file's rows as read: in file order, indexed) of `file`.
    void start(std::shared_ptr<const DatasetSourceFile> file, DatasetOriginalRows rows, Test test);
    void cancel();
    bool isRunning() const;
    double progress() const;  // 0..1
    // The results of the last scan that finished (empty while one runs).
    const std::vector<quint8>& results() const { return m_results; }

    static constexpr int kBlockRows = 2048;
    struct State;  // shared with the workers

signals:
    void finished();

private:
    std::shared_ptr<State> m_state;
    std::vector<quint8> m_results;
};
