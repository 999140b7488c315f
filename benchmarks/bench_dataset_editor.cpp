// Dataset editor benchmark on a large file (prints figures; not a test): the file opened on a worker, every row
// checked, the table scrolled to its end, a search, the "invalid rows only" filter, an edit with its autosave, and a
// save, each with its wall time, the UI thread's longest block (event_loop_probe.h) and the process's memory. The
// goal for 1,000,000 chat rows (benchmarks/make_million_rows.py): open within 3 s, no block over 50 ms, under 500 MB.
//
//   ft_bench_dataset_editor FILE.jsonl [SEARCH] [--save]     --save also saves the edit: it overwrites FILE (use a copy)

#include "event_loop_probe.h"

#include "dataset/DatasetAutosave.h"
#include "dataset/DatasetEditor.h"
#include "dataset/DatasetFilterProxy.h"
#include "dataset/DatasetTableModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTableView>

#include <sys/resource.h>

namespace {

double rssMb() {  // resident now
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

double peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool save = args.removeAll(QStringLiteral("--save")) > 0;
    if (args.isEmpty()) {
        std::fprintf(stderr, "usage: ft_bench_dataset_editor FILE.jsonl [SEARCH] [--save]\n");
        return 2;
    }
    const QString path = args.value(0);
    const QString term = args.value(1, QStringLiteral("checkpoint memory"));
    QFile::remove(DatasetAutosave::autosavePath(path));
    std::printf("%s: %.1f MB\n", qPrintable(path), double(QFileInfo(path).size()) / 1e6);

    DatasetEditor editor;
    editor.resize(1200, 800);
    editor.show();
    Probe probe(qEnvironmentVariableIsSet("FT_BENCH_TRACE"));  // FT_BENCH_TRACE=1: each block over 20 ms, when
    double worst = 0;

    std::printf("                resident before opening: %.0f MB\n", rssMb());
    probe.begin("open");
    QSignalSpy opened(&editor, &DatasetEditor::fileOpened);
    editor.openFileAsync(path);
    waitUntil([&] { return opened.count() > 0; }, 600000);
    worst = std::max(worst, probe.end());
    const int rows = editor.model()->rowCount();
    std::printf("                %d rows, %s; resident %.0f MB\n", rows,
                editor.model()->isIndexed() ? "indexed" : "read whole", rssMb());

    probe.begin("check rows");
    waitUntil([&] { return !editor.isChecking(); }, 600000);
    worst = std::max(worst, probe.end());
    std::printf("                %d invalid; resident %.0f MB\n", editor.model()->invalidRowCount(), rssMb());

    probe.begin("scroll to end");
    QTableView* view = editor.view();
    for (int step = 0; step <= 20; ++step) {
        const int row = int(qint64(rows - 1) * step / 20);
        view->scrollTo(editor.proxy()->index(row, 1), QAbstractItemView::PositionAtTop);
        QEventLoop wait;
        QTimer::singleShot(20, &wait, &QEventLoop::quit);
        wait.exec();
    }
    worst = std::max(worst, probe.end());

    probe.begin("search");
    editor.setSearchText(term);
    waitUntil([&] { return !editor.isSearching(); }, 600000);
    worst = std::max(worst, probe.end());
    std::printf("                \"%s\": %d rows\n", qPrintable(term), editor.proxy()->rowCount());

    probe.begin("clear search");
    editor.setSearchText(QString());
    waitUntil([&] { return editor.proxy()->rowCount() == rows; }, 60000);
    worst = std::max(worst, probe.end());

    probe.begin("invalid only");
    auto* invalidOnly = editor.findChild<QCheckBox*>();
    invalidOnly->setChecked(true);
    waitUntil([&] { return editor.proxy()->rowCount() < rows; }, 60000);
    worst = std::max(worst, probe.end());
    std::printf("                %d rows shown\n", editor.proxy()->rowCount());
    invalidOnly->setChecked(false);

    probe.begin("edit+autosave");
    DatasetTableModel* model = editor.model();
    model->setData(model->index(rows / 2, DatasetTableModel::FirstFieldColumn), QStringLiteral("edited in the benchmark"));
    QString error;
    const bool autosaved = editor.autosave()->writeNow(&error);
    worst = std::max(worst, probe.end());
    std::printf("                autosave %s, %lld bytes\n", autosaved ? "written" : qPrintable(error),
                QFileInfo(DatasetAutosave::autosavePath(path)).size());
    editor.autosave()->remove();

    if (save) {  // as the Save button does it: on a worker, edits paused
        QSignalSpy saved(&editor, &DatasetEditor::saveFinished);
        probe.begin("save");
        editor.saveInBackground();
        waitUntil([&] { return saved.count() > 0; }, 600000);
        worst = std::max(worst, probe.end());
        std::printf("                %s\n", saved.at(0).at(0).toBool() ? "saved" : qPrintable(saved.at(0).at(1).toString()));
        probe.begin("check again");
        waitUntil([&] { return !editor.isChecking(); }, 600000);
        worst = std::max(worst, probe.end());
    }

    std::printf("longest block of all: %.1f ms (goal: under 50); resident %.0f MB, peak %.0f MB (goal: under 500)\n",
                worst, rssMb(), peakRssMb());
    return 0;
}
