// The dataset editor on an indexed file (what a file past DatasetLoader::indexThreshold() gets: rows read from the
// file when shown, checked and searched on workers): every row, status, search, filter, edit, save and autosave must
// come out exactly as the editor's whole-file read gives them. The threshold is lowered so a file of a few MB, with
// blocks of the loader's 8 MB read and of the scan's 2,048 rows crossed, stands for the million-row one (the figures
// for that one: benchmarks/bench_dataset_editor.cpp).

#include "dataset_files.h"
#include "dataset/DatasetAutosave.h"
#include "dataset/DatasetEditor.h"
#include "dataset/DatasetFilterProxy.h"
#include "dataset/DatasetLoader.h"
#include "dataset/DatasetQualityWidget.h"
#include "dataset/DatasetRowScan.h"
#include "dataset/DatasetTableModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QSignalSpy>
#include <QCheckBox>
#include <QFile>
#include <QInputMethodEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

namespace {

// Chat rows (a user turn, an answer, sometimes a system turn) of varied length, in English and Korean, with escapes,
// blank lines between some, and every kind of bad row the editor flags: not JSON, not an object, no known fields, a
// missing answer, an empty answer, content that is not text.
QByteArray chatFile(int rows, const QByteArray& newline = "\n") {
    static const char* words[] = {"model", "token", "학습", "데이터", "river", "graph", "quiet", "모델", "engine",
                                  "matrix", "silver", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "é"};
    QRandomGenerator rng(77);
    auto text = [&](int n) {
        QString s;
        for (int k = 0; k < n; ++k) s += QString::fromUtf8(words[rng.bounded(int(std::size(words)))]) + u' ';
        return s.trimmed();
    };
    QByteArray out = newline;  // a leading blank line: the file's prefix
    for (int i = 0; i < rows; ++i) {
        QJsonArray messages;
        if (i % 5 == 0) messages.append(QJsonObject{{"role", "system"}, {"content", text(4)}});
        messages.append(QJsonObject{{"role", "user"}, {"content", QStringLiteral("Q%1 ").arg(i) + text(5 + int(rng.bounded(40)))}});
        messages.append(QJsonObject{{"role", "assistant"}, {"content", text(20 + int(rng.bounded(200)))}});
        QByteArray line = QJsonDocument(QJsonObject{{"messages", messages}, {"id", i}}).toJson(QJsonDocument::Compact);
        switch (i % 997) {
        case 11: line.chop(7); break;                                  // cut short: not JSON
        case 12: line = "[1, 2, 3]"; break;                            // not an object
        case 13: line = R"({"nothing": "known"})"; break;              // no known fields
        case 14: line.replace("\"assistant\"", "\"user\""); break;     // no answer at the end
        case 15: line = R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":""}]})"; break;
        case 16: line = R"({"messages":[{"role":"user","content":7},{"role":"assistant","content":"a"}]})"; break;
        default: break;
        }
        out += line + newline;
        if (i % 101 == 0) out += "  " + newline;  // a blank line stays with the record before it
    }
    out.chop(newline.size());  // no line end after the last record
    return out;
}

// Waits for the editor's workers: the load, the check of every row, a search.
void settle(DatasetEditor& editor) {
    QTRY_VERIFY_WITH_TIMEOUT(!editor.isLoading() && !editor.isChecking() && !editor.isSearching(), 60000);
}

// Types `text` as a user would: ASCII as key presses, anything else committed by the input method (how Korean is
// typed; QTest's key clicks take Latin-1 only).
void typeText(QWidget* widget, const QString& text) {
    for (qsizetype i = 0; i < text.size();) {
        qsizetype j = i;
        const bool ascii = text[i].unicode() < 128;
        while (j < text.size() && (text[j].unicode() < 128) == ascii) ++j;
        if (ascii) {
            QTest::keyClicks(widget, text.mid(i, j - i));
        } else {
            QInputMethodEvent commit;
            commit.setCommitString(text.mid(i, j - i));
            QApplication::sendEvent(widget, &commit);
        }
        i = j;
    }
}

QList<int> shownRows(const DatasetEditor& editor) {
    QList<int> rows;
    for (int r = 0; r < editor.proxy()->rowCount(); ++r)
        rows.append(editor.proxy()->mapToSource(editor.proxy()->index(r, 0)).row());
    return rows;
}

} // namespace

class TestLargeDataset : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString file(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        writeAll(path, bytes);
        return path;
    }
    // The file opened whole (as small files are) and indexed.
    void openBoth(const QString& path, DatasetEditor& whole, DatasetEditor& indexed) {
        const qint64 threshold = DatasetLoader::indexThreshold();
        auto restore = qScopeGuard([threshold] { DatasetLoader::setIndexThreshold(threshold); });
        DatasetLoader::setIndexThreshold(1ll << 40);
        QVERIFY(whole.openFile(path));
        QVERIFY(!whole.model()->isIndexed());
        DatasetLoader::setIndexThreshold(0);
        QVERIFY(indexed.openFile(path));
        QVERIFY(indexed.model()->isIndexed());
        settle(indexed);
    }

private slots:
    void rowsAsTheWholeReadGivesThem_data();
    void rowsAsTheWholeReadGivesThem();
    void searchAndFilterByKeyboardAndMouse();
    void searchRulingOutByBytesIsExact_data();
    void searchRulingOutByBytesIsExact();
    void editsSaveAndAutosaveAsTheWholeRead();
    void savesInTheBackgroundByKeyboard();
    void noQualityReportButSaysWhy();
};

void TestLargeDataset::rowsAsTheWholeReadGivesThem_data() {
    QTest::addColumn<QByteArray>("newline");
    QTest::addColumn<int>("rows");
    QTest::newRow("LF, 10k rows (8 MB blocks crossed)") << QByteArray("\n") << 10000;
    QTest::newRow("CRLF, 3k rows") << QByteArray("\r\n") << 3000;
}

void TestLargeDataset::rowsAsTheWholeReadGivesThem() {
    QFETCH(QByteArray, newline);
    QFETCH(int, rows);
    const QByteArray bytes = chatFile(rows, newline);
    if (rows >= 10000) QVERIFY2(bytes.size() > (8 << 20), "the file must cross the loader's 8 MB read block");
    const QString path = file(QStringLiteral("rows.jsonl"), bytes);
    DatasetEditor whole, indexed;
    openBoth(path, whole, indexed);
    const DatasetTableModel& w = *whole.model();
    const DatasetTableModel& x = *indexed.model();
    QAbstractItemModelTester tester(indexed.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    QCOMPARE(x.schema().layout(), w.schema().layout());
    QCOMPARE(x.rowCount(), w.rowCount());
    QCOMPARE(x.columnCount(), w.columnCount());
    QCOMPARE(x.document().prefix, w.document().prefix);
    QCOMPARE(x.document().newline, w.document().newline);
    QCOMPARE(x.document().sourceHash, w.document().sourceHash);
    QVERIFY(x.rowsChecked());
    QCOMPARE(x.invalidRowCount(), w.invalidRowCount());
    QVERIFY(w.invalidRowCount() >= 6 * (rows / 997));
    for (int r = 0; r < w.rowCount(); ++r) {
        const DatasetRow& a = w.rows()[r];
        QVERIFY(x.rows()[r].isIndexed());
        QCOMPARE(x.rows()[r].line, a.line);
        QCOMPARE(x.issueOf(x.rows()[r]), a.issue);  // from the check on workers
        const DatasetRow b = x.row(r);              // read from the file now
        QCOMPARE(b.source, a.source);
        QCOMPARE(b.cells, a.cells);
        QCOMPARE(b.issue, a.issue);
        QCOMPARE(b.issueField, a.issueField);
        QCOMPARE(b.issueOffset, a.issueOffset);
        QCOMPARE(b.shape, a.shape);
        QCOMPARE(b.raw, a.raw);
        QCOMPARE(b.missing, a.missing);
        QCOMPARE(b.badType, a.badType);
        if (r % 97 == 0)  // what the table shows, status and cells
            for (int c = 0; c < w.columnCount(); ++c)
                for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::EditRole)})
                    QCOMPARE(x.index(r, c).data(role), w.index(r, c).data(role));
    }
    QCOMPARE(x.serialized(), bytes);  // untouched: byte for byte
}

void TestLargeDataset::searchAndFilterByKeyboardAndMouse() {
    const QString path = file(QStringLiteral("search.jsonl"), chatFile(6000));
    DatasetEditor whole, indexed;
    openBoth(path, whole, indexed);
    indexed.resize(900, 600);
    indexed.show();
    QVERIFY(QTest::qWaitForWindowExposed(&indexed));
    auto* search = indexed.findChild<QLineEdit*>();
    QVERIFY(search);

    // Typed terms: case-insensitive, Korean, text that JSON escapes in the file, a key (not a cell's text), nothing.
    for (const QString& term : {QStringLiteral("SILVER"), QStringLiteral("학습 데이터"), QStringLiteral("\"quoted\""),
                                QStringLiteral("back\\slash"), QStringLiteral("É"), QStringLiteral("Q4242 "),
                                QStringLiteral("\"role\""), QStringLiteral("no such words")}) {
        search->setFocus();
        search->selectAll();
        QTest::keyClick(search, Qt::Key_Backspace);
        typeText(search, term);
        QCOMPARE(search->text(), term);
        QTRY_VERIFY_WITH_TIMEOUT(indexed.isSearching() || indexed.proxy()->searchText() == term, 5000);
        settle(indexed);
        whole.setSearchText(term);
        QCOMPARE(shownRows(indexed), shownRows(whole));
    }
    QVERIFY(shownRows(whole).isEmpty());
    search->selectAll();
    QTest::keyClick(search, Qt::Key_Backspace);
    QTRY_COMPARE_WITH_TIMEOUT(indexed.proxy()->rowCount(), indexed.model()->rowCount(), 5000);
    whole.setSearchText(QString());

    // "Invalid rows only", clicked: the rows the check on workers found.
    auto* invalidOnly = indexed.findChild<QCheckBox*>();
    QVERIFY(invalidOnly && invalidOnly->isEnabled());
    QTest::mouseClick(invalidOnly, Qt::LeftButton, {}, QPoint(8, invalidOnly->height() / 2));
    QVERIFY(invalidOnly->isChecked());
    whole.findChild<QCheckBox*>()->setChecked(true);
    QCOMPARE(shownRows(indexed), shownRows(whole));
    QCOMPARE(indexed.proxy()->rowCount(), whole.model()->invalidRowCount());
    QVERIFY(indexed.proxy()->rowCount() > 0);
}

// The search rules most rows out by their bytes (DatasetEditor::startSearch); these files have no escapes, so every
// row goes that way, with the cells Qt writes anew: numbers reformatted, lists and objects compacted with keys sorted,
// content that is not text, characters JSON may leave unescaped (DEL, U+2028).
void TestLargeDataset::searchRulingOutByBytesIsExact_data() {
    QTest::addColumn<QByteArray>("bytes");
    QByteArray chat, records;
    for (int i = 0; i < 3000; ++i) {
        const QByteArray n = QByteArray::number(i);
        const QByteArray content = i % 7 == 0 ? "4.2e1" : i % 7 == 1 ? "[1, 2.50, true]" : i % 7 == 2 ? "true"
                                   : i % 7 == 3 ? "{\"z\": 1, \"a\": \"x y\"}" : "\"Q" + n + " plain 학습 é \x7f \xe2\x80\xa8 end\"";
        chat += "{\"messages\": [{\"role\": \"user\", \"content\": \"ask " + n + "\"}, {\"role\": \"assistant\", \"content\": " +
                content + "}], \"score\": 1.50e0}\n";
        records += "{\"b\": 1.50, \"a\": \"x y " + n + "\", \"c\": [3e2, \"é\"], \"d\": null}\n";
    }
    QTest::newRow("chat") << chat;
    QTest::newRow("records of no known shape") << records;
}

void TestLargeDataset::searchRulingOutByBytesIsExact() {
    QFETCH(QByteArray, bytes);
    const QString path = file(QStringLiteral("bytes.jsonl"), bytes);
    DatasetEditor whole, indexed;
    openBoth(path, whole, indexed);
    for (const QString& term : {QStringLiteral("42"), QStringLiteral("4.2"), QStringLiteral("1.5"), QStringLiteral("2.5"),
                                QStringLiteral("300"), QStringLiteral("e"), QStringLiteral("E1"), QStringLiteral("e+"),
                                QStringLiteral("x y"), QStringLiteral("X Y 12"), QStringLiteral("true"),
                                QStringLiteral("null"), QStringLiteral("u007f"), QStringLiteral("u2028"),
                                QStringLiteral("\x7f"), QStringLiteral("\u2028"), QStringLiteral("Q12 "),
                                QStringLiteral("학습 É"), QStringLiteral("1,2"), QStringLiteral("[1"), QStringLiteral("a\":")}) {
        indexed.setSearchText(term);
        settle(indexed);
        whole.setSearchText(term);
        QVERIFY2(shownRows(indexed) == shownRows(whole), qPrintable(term));
    }
}

void TestLargeDataset::editsSaveAndAutosaveAsTheWholeRead() {
    const QByteArray bytes = chatFile(5000);
    const QString wholePath = file(QStringLiteral("edit-whole.jsonl"), bytes);
    const QString indexedPath = file(QStringLiteral("edit-indexed.jsonl"), bytes);
    const qint64 threshold = DatasetLoader::indexThreshold();
    auto restore = qScopeGuard([threshold] { DatasetLoader::setIndexThreshold(threshold); });

    // The same edits in each: a cell, a bad row fixed as text, rows added, duplicated, deleted and moved.
    auto edit = [](DatasetEditor& editor) {
        DatasetTableModel* m = editor.model();
        const int answer = m->schema().fieldCount() - 1;
        QVERIFY(m->setData(m->index(3, DatasetTableModel::FirstFieldColumn + answer), QStringLiteral("고친 답")));
        const int bad = 11;  // record 11 is cut short: not JSON
        QVERIFY(m->row(bad).raw);
        QVERIFY(m->setData(m->index(bad, DatasetTableModel::FirstFieldColumn),
                           QStringLiteral(R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})")));
        m->addRow(10);
        m->duplicateRows({20, 4000});
        m->deleteRows({30, 31, 4500});
        QVERIFY(m->shiftRow(40, -1));
    };
    DatasetLoader::setIndexThreshold(1ll << 40);
    DatasetEditor whole;
    QVERIFY(whole.openFile(wholePath));
    edit(whole);
    DatasetLoader::setIndexThreshold(0);
    QByteArray autosaved;
    {
        DatasetEditor indexed;
        QVERIFY(indexed.openFile(indexedPath));
        settle(indexed);
        edit(indexed);
        QCOMPARE(indexed.model()->serialized(), whole.model()->serialized());
        QCOMPARE(indexed.model()->invalidRowCount(), whole.model()->invalidRowCount());
        QVERIFY(indexed.autosave()->writeNow());
        autosaved = readAll(DatasetAutosave::autosavePath(indexedPath));
        QVERIFY2(autosaved.size() < 8192, "untouched rows are ranges of the file's rows");
    }  // gone without saving, as in a crash

    // The autosave restores into a newly indexed editor, and saving writes what the whole read writes.
    DatasetEditor indexed;
    QVERIFY(indexed.openFile(indexedPath));
    settle(indexed);
    QString error;
    QVERIFY2(indexed.recover(&error), qPrintable(error));
    QCOMPARE(indexed.model()->serialized(), whole.model()->serialized());
    QVERIFY2(indexed.save(&error), qPrintable(error));
    QVERIFY2(whole.save(&error), qPrintable(error));
    QCOMPARE(readAll(indexedPath), readAll(wholePath));
    QVERIFY(!DatasetEditor::hasRecovery(indexedPath));

    // After the save the rows are the new file's: shown, counted and saved again as a fresh read of it gives them.
    settle(indexed);
    DatasetEditor reread;
    QVERIFY(reread.openFile(indexedPath));
    settle(reread);
    QCOMPARE(indexed.model()->rowCount(), reread.model()->rowCount());
    QCOMPARE(indexed.model()->invalidRowCount(), reread.model()->invalidRowCount());
    for (int r = 0; r < reread.model()->rowCount(); r += 7) {
        QCOMPARE(indexed.model()->row(r).cells, reread.model()->row(r).cells);
        QCOMPARE(indexed.model()->rows()[r].line, reread.model()->rows()[r].line);
    }
    const int lastColumn = indexed.model()->columnCount() - 1;
    QVERIFY(indexed.model()->setData(indexed.model()->index(0, lastColumn), QStringLiteral("again")));
    indexed.undoStack()->undo();
    QVERIFY(!indexed.isModified());
    const QByteArray saved = readAll(indexedPath);
    QVERIFY(indexed.model()->setData(indexed.model()->index(2, lastColumn), QStringLiteral("x")));
    indexed.undoStack()->undo();  // back to the file's bytes, though loaded since
    QVERIFY2(indexed.save(&error), qPrintable(error));
    QCOMPARE(readAll(indexedPath), saved);
}

// Ctrl+S on a large file writes it on a worker, edits paused until it is written; the result is what the whole
// read's save writes.
void TestLargeDataset::savesInTheBackgroundByKeyboard() {
    const QByteArray bytes = chatFile(4000);
    const QString wholePath = file(QStringLiteral("bg-whole.jsonl"), bytes);
    const QString path = file(QStringLiteral("bg.jsonl"), bytes);
    DatasetEditor whole, indexed;
    openBoth(wholePath, whole, indexed);
    const qint64 threshold = DatasetLoader::indexThreshold();
    auto restore = qScopeGuard([threshold] { DatasetLoader::setIndexThreshold(threshold); });
    DatasetLoader::setIndexThreshold(0);
    QVERIFY(indexed.openFile(path));
    settle(indexed);
    indexed.show();
    indexed.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&indexed));

    for (DatasetEditor* e : {&whole, &indexed}) {
        DatasetTableModel* m = e->model();
        QVERIFY(m->setData(m->index(7, m->columnCount() - 1), QStringLiteral("saved on a worker")));
        m->deleteRows({100, 2000});
    }
    for (DatasetEditor* e : {&whole, &indexed}) e->setSearchText(QStringLiteral("silver"));
    settle(indexed);
    QCOMPARE(shownRows(indexed), shownRows(whole));
    QTableView* view = indexed.view();
    indexed.selectRow(indexed.proxy()->mapToSource(indexed.proxy()->index(5, 0)).row());
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    QSignalSpy finished(&indexed, &DatasetEditor::saveFinished);
    QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(view->editTriggers(), QAbstractItemView::NoEditTriggers);  // paused until the file is written
    QTest::keyClick(view, Qt::Key_Delete);  // the Delete key does nothing meanwhile (row 5 is selected)
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(!indexed.isModified());
    QVERIFY(view->editTriggers() != QAbstractItemView::NoEditTriggers);
    QString error;
    QVERIFY2(whole.save(&error), qPrintable(error));
    QCOMPARE(readAll(path), readAll(wholePath));
    QCOMPARE(indexed.model()->rowCount(), whole.model()->rowCount());
    QVERIFY(!DatasetEditor::hasRecovery(path));
    QVERIFY(!indexed.isSearching());  // the search's result carried over to the new file's rows, with no search again
    QCOMPARE(shownRows(indexed), shownRows(whole));
    QVERIFY(!shownRows(whole).isEmpty());
}

void TestLargeDataset::noQualityReportButSaysWhy() {
    const QString path = file(QStringLiteral("report.jsonl"), chatFile(500));
    DatasetEditor whole, indexed;
    openBoth(path, whole, indexed);
    auto* button = indexed.qualityWidget()->findChild<QPushButton*>();
    QVERIFY(button && !button->isEnabled());
    bool said = false;
    for (auto* label : indexed.qualityWidget()->findChildren<QLabel*>())
        said = said || label->text().contains(QStringLiteral("off for a file this large"));
    QVERIFY(said);
}

QTEST_MAIN(TestLargeDataset)
#include "tst_large_dataset.moc"
