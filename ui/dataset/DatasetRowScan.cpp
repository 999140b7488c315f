#include "dataset/DatasetRowScan.h"

#include "BackgroundPriority.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

// Scans have a pool of their own, so a scan never waits behind (or starves) the loads and reports in the others.
Q_GLOBAL_STATIC(QThreadPool, scanPool)

struct DatasetRowScan::State {
    std::shared_ptr<const DatasetSourceFile> file;
    DatasetOriginalRows rows;
    Test test;
    std::vector<quint8> results;
    std::atomic<int> nextBlock{0};
    std::atomic<qint64> rowsDone{0};
    std::atomic<int> workersLeft{0};
    std::atomic<bool> cancelled{false};

    // A few blocks, then back to the end of the pool's queue: a search started while every row is being checked gets
    // its turn at once instead of after the whole check. Returns whether blocks are left.
    bool workSome() {
        const int n = int(rows.size());
        for (int k = 0; k < kBlocksPerTurn; ++k) {
            const int block = nextBlock++;
            if (cancelled || block * kBlockRows >= n) return false;
            const int first = block * kBlockRows, last = std::min(n, first + kBlockRows) - 1;
            const qint64 begin = rows.offset(first);
            const QByteArray bytes = file->read(begin, rows.offset(last) + rows.length(last) - begin);
            for (int i = first; i <= last && !cancelled; ++i) {
                DatasetRow row = rows.at(i);
                const qint64 at = row.offset - begin;
                row.source = at + row.length <= bytes.size() ? bytes.mid(at, row.length) : QByteArray();
                results[size_t(i)] = row.source.isEmpty() ? quint8(0) : test(row);
            }
            rowsDone += last - first + 1;
        }
        return !cancelled && nextBlock * kBlockRows < n;
    }

    static constexpr int kBlocksPerTurn = 4;
};

namespace {
// One worker's turn; it queues its next turn while blocks are left, and the last worker to finish hands the results
// to the UI thread, unless the scan was cancelled or replaced.
void takeTurn(const std::shared_ptr<DatasetRowScan::State>& state, const QPointer<DatasetRowScan>& self,
              const std::function<void(const std::shared_ptr<DatasetRowScan::State>&)>& deliver) {
    lowerThisThreadsPriority();
    if (state->workSome()) {
        scanPool()->start([state, self, deliver] { takeTurn(state, self, deliver); });
        return;
    }
    if (--state->workersLeft > 0 || state->cancelled) return;
    deliver(state);
}
} // namespace

DatasetRowScan::DatasetRowScan(QObject* parent) : QObject(parent) {}

DatasetRowScan::~DatasetRowScan() { cancel(); }

void DatasetRowScan::start(std::shared_ptr<const DatasetSourceFile> file, DatasetOriginalRows rows, Test test) {
    cancel();
    m_results.clear();
    auto state = std::make_shared<State>();
    state->file = std::move(file);
    state->rows = std::move(rows);
    state->test = std::move(test);
    state->results.assign(size_t(state->rows.size()), 0);
    const int workers = std::max(1, std::min(QThread::idealThreadCount(),
                                             int((state->rows.size() + kBlockRows - 1) / kBlockRows)));
    state->workersLeft = workers;
    m_state = state;
    QPointer<DatasetRowScan> self(this);
    auto deliver = [self](const std::shared_ptr<State>& state) {
        QMetaObject::invokeMethod(qApp, [state, self] {
            if (!self || self->m_state != state || state->cancelled) return;
            self->m_results = std::move(state->results);
            self->m_state.reset();
            emit self->finished();
        }, Qt::QueuedConnection);
    };
    for (int w = 0; w < workers; ++w) scanPool()->start([state, self, deliver] { takeTurn(state, self, deliver); });
}

void DatasetRowScan::cancel() {
    if (m_state) m_state->cancelled = true;
    m_state.reset();
}

bool DatasetRowScan::isRunning() const { return bool(m_state); }

double DatasetRowScan::progress() const {
    if (!m_state) return m_results.empty() ? 0.0 : 1.0;
    const qint64 n = m_state->rows.size();
    return n == 0 ? 1.0 : double(m_state->rowsDone) / double(n);
}
