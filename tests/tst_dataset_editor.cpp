// The dataset editor: the table model (checked by QAbstractItemModelTester), undoable edits, byte-preserving saves of
// JSONL and CSV, autosave recovery, the quality report's findings, and a 100k-row file.

#include "dataset_files.h"
#include "dataset/DatasetAutosave.h"
#include "dataset/DatasetEditor.h"
#include "dataset/DatasetFilterProxy.h"
#include "dataset/DatasetLoader.h"
#include "dataset/DatasetQualityReport.h"
#include "dataset/DatasetQualityWidget.h"
#include "dataset/DatasetTableModel.h"
#include "dataset/NearDuplicateFinder.h"
#include "dataset/PreferencePairView.h"

#include "core/data/dataset.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

namespace {

QStringList headers(const QAbstractItemModel& m) {
    QStringList out;
    for (int c = 0; c < m.columnCount(); ++c) out << m.headerData(c, Qt::Horizontal).toString();
    return out;
}

QString cell(const DatasetTableModel& m, int row, int field) {
    return m.rows()[row].cells[field];
}

QModelIndex fieldIndex(const DatasetTableModel& m, int row, int field) {
    return m.index(row, DatasetTableModel::FirstFieldColumn + field);
}

// Three prompt/response records with hand-made spacing and an extra field a re-serialization would reorder.
const QByteArray kJsonl = "{\"prompt\": \"one\",  \"response\": \"first\", \"id\": 1}\n"
                          "{\"prompt\":\"two\",\"response\":\"second\"}\n"
                          "\n"
                          "{ \"response\" : \"third\", \"prompt\" : \"three\" }";  // no line end at the end

} // namespace

class TestDatasetEditor : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString file(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        writeAll(path, bytes);
        return path;
    }

private slots:
    void detectsLayout_data();
    void detectsLayout();
    void rowStatus_data();
    void rowStatus();
    void agreesWithLoadDataset_data();
    void agreesWithLoadDataset();
    void rowsAreNumberedByFileLine();
    void invalidJsonRowIsEditableText();
    void statusColumnFitsItsLabels();
    void modelTester();
    void filterFollowsEveryEdit();
    void preferencePairsSideBySide();
    void preferenceEditsKeepListsAndLabels();
    void editUndoRedo();
    void addDuplicateDeleteMove();
    void saveKeepsUntouchedBytes();
    void editsMessages();
    void delegateEditsMultiLine();
    void csvRoundTrip();
    void autosaveRecovery();
    void normalize_data();
    void normalize();
    void qualityReport();
    void qualityWidgetSelectsRow();
    void largeFile();
    void concurrentLoadsFinish();
};

void TestDatasetEditor::detectsLayout_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("columns");
    QTest::newRow("prompt/response") << QByteArray(R"({"prompt":"p","response":"r"})")
                                     << QStringList{"Status", "prompt", "response"};
    QTest::newRow("prompt/completion") << QByteArray(R"({"prompt":"p","completion":"c"})")
                                       << QStringList{"Status", "prompt", "completion"};
    QTest::newRow("alpaca") << QByteArray(R"({"instruction":"i","input":"","output":"o"})")
                            << QStringList{"Status", "instruction", "input", "output"};
    QTest::newRow("alpaca with system") << QByteArray(R"({"system":"s","instruction":"i","output":"o"})")
                                        << QStringList{"Status", "system", "instruction", "input", "output"};
    QTest::newRow("chat triple")
        << QByteArray(R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})")
        << QStringList{"Status", "System", "User", "Assistant"};
    QTest::newRow("multi-turn messages")
        << QByteArray(R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"u2"},{"role":"assistant","content":"a2"}]})")
        << QStringList{"Status", "Conversation (JSON)"};
    QTest::newRow("sharegpt") << QByteArray(R"({"conversations":[{"from":"human","value":"u"},{"from":"gpt","value":"a"}]})")
                              << QStringList{"Status", "Conversations (JSON)"};
    QTest::newRow("text") << QByteArray(R"({"text":"t"})") << QStringList{"Status", "text"};
    QTest::newRow("preference") << QByteArray(R"({"prompt":"p","chosen":"c","rejected":"r"})")
                                << QStringList{"Status", "prompt", "chosen", "rejected"};
    QTest::newRow("unpaired") << QByteArray(R"({"prompt":"p","completion":"c","label":true})")
                              << QStringList{"Status", "prompt", "completion", "label"};
    QTest::newRow("unknown") << QByteArray(R"({"question":"q"})") << QStringList{"Status", "Record (JSON)"};
}

void TestDatasetEditor::detectsLayout() {
    QFETCH(QByteArray, line);
    QFETCH(QStringList, columns);
    const auto result = DatasetLoader::parse(line + "\n", QStringLiteral("x.jsonl"));
    QVERIFY2(result.ok(), qPrintable(result.error));
    DatasetTableModel model;
    model.setDocument(result.document);
    QCOMPARE(headers(model), columns);
    QCOMPARE(model.rowCount(), 1);
    const bool known = !columns.contains(QStringLiteral("Record (JSON)"));
    QCOMPARE(model.rows()[0].isValid(), known);
}

// The Status cell shows a short label; its tooltip gives the whole reason.
void TestDatasetEditor::rowStatus_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("issue");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("status");
    const QByteArray pr = R"({"prompt":"p","response":"r"})" "\n";
    QTest::newRow("ok") << pr + R"({"prompt":"a","response":"b"})" << int(RowIssue::None) << "OK" << "OK";
    QTest::newRow("empty answer") << pr + R"({"prompt":"a","response":""})" << int(RowIssue::EmptyAnswer) << "Empty answer" << "Empty answer";
    QTest::newRow("blank answer") << pr + R"({"prompt":"a","response":" \n "})" << int(RowIssue::EmptyAnswer) << "Empty answer" << "Empty answer";
    QTest::newRow("empty prompt") << pr + R"({"prompt":"","response":"b"})" << int(RowIssue::EmptyPrompt) << "Empty prompt" << "Empty prompt";
    QTest::newRow("missing field") << pr + R"({"prompt":"a"})" << int(RowIssue::MissingField) << "Missing “response”"
                                   << "Missing field “response”";
    QTest::newRow("not text") << pr + R"({"prompt":"a","response":5})" << int(RowIssue::NotString) << "“response” is not text"
                              << "Field “response” is not text";
    QTest::newRow("not json") << pr + "{\"prompt\": oops" << int(RowIssue::NotJson) << "Not valid JSON"
                              << "Not valid JSON at line 2, column 12: expected a value (a string in double quotes, a number, "
                                 "true/false/null, an object or a list) but found “oops”";
    QTest::newRow("unclosed string") << pr + "{\"prompt\": \"a" << int(RowIssue::NotJson) << "Not valid JSON"
                                     << "Not valid JSON at line 2, column 14: a string is missing its closing quote";
    QTest::newRow("not object") << pr + "[1, 2]" << int(RowIssue::NotObject) << "Not a JSON object" << "Not a JSON object";
    const QByteArray turns = R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})" "\n";
    QTest::newRow("last not assistant") << turns + R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"u"}]})"
                                        << int(RowIssue::LastNotAssistant) << "No answer at the end"
                                        << "The last message is not from the assistant";
    QTest::newRow("unknown role") << turns + R"({"messages":[{"role":"robot","content":"u"},{"role":"assistant","content":"a"}]})"
                                  << int(RowIssue::UnknownRole) << "Unknown role" << "Unknown role (use system, user, assistant or tool)";
    QTest::newRow("empty final answer") << turns + R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":""},{"role":"user","content":"u"},{"role":"assistant","content":""}]})"
                                        << int(RowIssue::EmptyAnswer) << "Empty answer" << "Empty answer";
}

void TestDatasetEditor::rowStatus() {
    QFETCH(QByteArray, content);
    QFETCH(int, issue);
    QFETCH(QString, label);
    QFETCH(QString, status);
    const auto result = DatasetLoader::parse(content, QStringLiteral("x.jsonl"));
    QVERIFY2(result.ok(), qPrintable(result.error));
    DatasetTableModel model;
    model.setDocument(result.document);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.rows()[0].isValid());
    QCOMPARE(model.index(1, DatasetTableModel::StatusColumn).data(DatasetTableModel::IssueRole).toInt(), issue);
    QCOMPARE(model.index(1, DatasetTableModel::StatusColumn).data().toString(), label);
    QCOMPARE(model.index(1, DatasetTableModel::StatusColumn).data(Qt::ToolTipRole).toString(), status);
}

// Issue 18: the editor asks core (core/data/record_format.h) which rows training leaves out, so on a mixed file it
// flags the rows loadDataset reports, by the same lines; it is stricter only about blank text (`stricter`: a blank
// answer or an empty prompt, which training keeps).
void TestDatasetEditor::agreesWithLoadDataset_data() {
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QList<int>>("refused");   // file lines loadDataset leaves out
    QTest::addColumn<QList<int>>("stricter");  // file lines only the editor flags
    QTest::newRow("prompt/response") << QList<QByteArray>{
        R"({"prompt":"p","response":"r"})",
        R"({"prompt":"p","response":""})",
        R"({"prompt":"p"})",
        R"({"prompt":"p","response":5})",
        R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})",
        R"({"question":"q"})",
        R"({"prompt": oops})",
        R"([1, 2])",
        R"({"prompt":"p","response":"r","id":9})",
        R"({"prompt":"p","response":" \n "})",
        R"({"prompt":"","response":"r"})",
        R"({"text":"t"})",
    } << QList<int>{2, 3, 4, 5, 6, 7, 8, 12} << QList<int>{10, 11};
    QTest::newRow("messages") << QList<QByteArray>{
        R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})",
        R"({"messages":[{"role":"user","content":5},{"role":"assistant","content":"a"}]})",
        R"({"messages":[]})",
        R"({"messages":[{"role":"robot","content":"u"},{"role":"assistant","content":"a"}]})",
        R"({"messages":[{"role":"user","content":"u"}]})",
        R"({"messages":[{"role":"user"},{"role":"assistant","content":"a"}]})",
        R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":""}]})",
        R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":null},{"role":"assistant","content":"a"}],"id":1})",
        R"({"messages":"hi"})",
        R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"  "}]})",
        R"({"prompt":"p","response":"r"})",
    } << QList<int>{2, 3, 4, 5, 6, 7, 9, 11} << QList<int>{10};
    QTest::newRow("chat triple") << QList<QByteArray>{
        R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})",
        R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":""}]})",
        R"({"messages":[{"role":"user","content":""},{"role":"assistant","content":"a"}]})",
        R"({"instruction":"i","output":"o"})",
    } << QList<int>{2, 4} << QList<int>{3};
    QTest::newRow("sharegpt") << QList<QByteArray>{
        R"({"conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}]})",
        R"({"conversations":[{"from":"alien","value":"q"},{"from":"gpt","value":"a"}]})",
        R"({"conversations":[{"role":"user","content":"q"}]})",
        R"({"conversations":[{"from":"human","value":"q"}]})",
        R"({"conversations":[{"from":"system","value":"s"},{"from":"user","value":"q"},{"from":"chatgpt","value":"a"}]})",
    } << QList<int>{2, 3, 4} << QList<int>{};
    QTest::newRow("alpaca") << QList<QByteArray>{
        R"({"system":"s","instruction":"i","input":"","output":"o"})",
        R"({"instruction":"i","input":7,"output":"o"})",
        R"({"instruction":"i","output":"o","system":null})",
        R"({"instruction":"i","output":""})",
        R"({"output":"o"})",
    } << QList<int>{2, 4, 5} << QList<int>{};
    QTest::newRow("text") << QList<QByteArray>{R"({"text":"t"})", R"({"text":""})", R"({"text":5})", R"({"text":" "})"}
                          << QList<int>{2, 3} << QList<int>{4};
    // Preference rows: strings or message lists, the implicit prompt of lists, and what core refuses.
    QTest::newRow("preference") << QList<QByteArray>{
        R"({"prompt":"p","chosen":"c","rejected":"r"})",
        R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]})",
        R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"b"}]})",
        R"({"prompt":"p","chosen":"","rejected":"r"})",
        R"({"chosen":"c","rejected":"r"})",
        R"({"prompt":"p","chosen":[{"role":"assistant","content":"a"}],"rejected":"r"})",
        R"({"chosen":[{"role":"user","content":"q"}],"rejected":[{"role":"assistant","content":"b"}]})",
    } << QList<int>{4, 5, 6, 7} << QList<int>{};
    QTest::newRow("unpaired") << QList<QByteArray>{
        R"({"prompt":"p","completion":"c","label":true})",
        R"({"prompt":"p","completion":"c","label":"false"})",
        R"({"prompt":"p","completion":"c","label":"maybe"})",
        R"({"prompt":"p","completion":"","label":false})",
    } << QList<int>{3, 4} << QList<int>{};
}

void TestDatasetEditor::agreesWithLoadDataset() {
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QList<int>, refused);
    QFETCH(QList<int>, stricter);
    const QByteArray bytes = lines.join('\n') + '\n';
    const QString path = file(QStringLiteral("agree.jsonl"), bytes);
    const ft::Dataset ds = ft::loadDataset(path.toStdString(), std::nullopt);
    QList<int> coreRefused;
    for (const auto& e : ds.errors) coreRefused.append(e.line);
    QCOMPARE(coreRefused, refused);

    const auto loaded = DatasetLoader::parse(bytes, path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error));
    QList<int> flagged;
    for (const DatasetRow& row : loaded.document.rows)
        if (!row.isValid() && !stricter.contains(row.line)) flagged.append(row.line);
        else QVERIFY2(row.isValid() != stricter.contains(row.line), qPrintable(QString::number(row.line)));
    QCOMPARE(flagged, refused);
}

// Issue 16: rows are numbered by their line in the file (blank lines counted), added rows by "+"; after a save the
// numbers are the lines just written.
void TestDatasetEditor::rowsAreNumberedByFileLine() {
    const QByteArray bytes = "{\"prompt\":\"a\",\"response\":\"b\"}\n"
                             "\n"
                             "{\"prompt\":\"c\",\"response\":\"d\"}\n"
                             "{\"prompt\": \"e\", \"response\": oops}\n"
                             "\n"
                             "{\"prompt\":\"f\",\"response\":\"g\"}\n";
    DatasetEditor editor;
    const QString path = file(QStringLiteral("lines.jsonl"), bytes);
    QVERIFY(editor.openFile(path));
    DatasetTableModel* m = editor.model();
    QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto numbers = [&](const QAbstractItemModel* model) {
        QStringList out;
        for (int r = 0; r < model->rowCount(); ++r) out << model->headerData(r, Qt::Vertical).toString();
        return out;
    };
    QCOMPARE(numbers(m), (QStringList{"1", "3", "4", "6"}));
    QCOMPARE(numbers(editor.proxy()), (QStringList{"1", "3", "4", "6"}));
    QVERIFY(m->headerData(2, Qt::Vertical, Qt::ToolTipRole).toString().contains(QLatin1String("4")));
    editor.setSearchText(QStringLiteral("oops"));  // the view's header shows the file line of what is left
    QCOMPARE(numbers(editor.proxy()), QStringList{"4"});
    editor.setSearchText(QString());

    m->addRow(1);
    m->duplicateRows({4});
    QCOMPARE(numbers(m), (QStringList{"1", "+", "3", "4", "6", "+"}));
    QVERIFY(m->setData(fieldIndex(*m, 1, 0), QStringLiteral("new prompt")));
    QVERIFY(m->setData(fieldIndex(*m, 1, 1), QStringLiteral("new answer")));

    QString error;
    QVERIFY2(editor.save(&error), qPrintable(error));
    const QList<QByteArray> lines = readAll(path).split('\n');
    const QStringList after = numbers(m);
    QCOMPARE(after, (QStringList{"1", "3", "4", "5", "7", "8"}));
    for (int r = 0; r < m->rowCount(); ++r) {
        const QByteArray line = lines.value(after[r].toInt() - 1);
        const QString first = m->index(r, DatasetTableModel::FirstFieldColumn).data(Qt::EditRole).toString();
        QVERIFY2(line.contains(first.toUtf8()), line.constData());
    }
}

// Issue 16: a line that is not JSON showed empty cells. Its text is shown (and edited) in the first field; once it
// is a record of the file's format the row is read like any other, and the edit undoes like any other.
void TestDatasetEditor::invalidJsonRowIsEditableText() {
    const QByteArray broken = "{\"prompt\": \"e\", \"response\": oops, \"id\": 7}";
    const QByteArray bytes = "{\"prompt\":\"a\",\"response\":\"b\"}\n"
                             "\n" + broken + "\n"
                             "{\"prompt\":\"f\",\"response\":\"g\"}\n";
    DatasetEditor editor;
    const QString path = file(QStringLiteral("raw.jsonl"), bytes);
    QVERIFY(editor.openFile(path));
    DatasetTableModel* m = editor.model();
    QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(editor.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(m->rows()[1].issue, RowIssue::NotJson);
    QCOMPARE(fieldIndex(*m, 1, 0).data().toString(), QString::fromUtf8(broken));
    QCOMPARE(fieldIndex(*m, 1, 0).data(Qt::EditRole).toString(), QString::fromUtf8(broken));
    QVERIFY(m->flags(fieldIndex(*m, 1, 0)) & Qt::ItemIsEditable);
    QVERIFY(!(m->flags(fieldIndex(*m, 1, 1)) & Qt::ItemIsEditable));  // no fields until it is a record
    const QString status = m->index(1, DatasetTableModel::StatusColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(status.startsWith(QLatin1String("Not valid JSON at line 3, column 29: ")), qPrintable(status));

    // Text that still is not a record stays raw, with the new reason, and would be saved as typed.
    const QByteArray stillBroken = "{\"prompt\": \"x\", \"response\": \"y";
    QVERIFY(m->setData(fieldIndex(*m, 1, 0), QString::fromUtf8(stillBroken)));
    QVERIFY(m->rows()[1].raw);
    QCOMPARE(m->rows()[1].issue, RowIssue::NotJson);
    const QString tip = m->index(1, DatasetTableModel::StatusColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.endsWith(QLatin1String("a string is missing its closing quote")), qPrintable(tip));
    QVERIFY(m->serialized().contains("\n" + stillBroken + "\n"));
    editor.undoStack()->undo();
    QCOMPARE(fieldIndex(*m, 1, 0).data().toString(), QString::fromUtf8(broken));

    // Typed in the view: double-click the cell, replace the text, Ctrl+Enter.
    editor.resize(1000, 500);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QTableView* view = editor.view();
    const QModelIndex cellIndex = editor.proxy()->mapFromSource(fieldIndex(*m, 1, 0));
    const QPoint at = view->visualRect(cellIndex).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    auto* edit = view->findChild<QPlainTextEdit*>();
    QVERIFY(edit);
    QTRY_VERIFY(edit->isVisible());
    QCOMPARE(edit->toPlainText(), QString::fromUtf8(broken));
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, QStringLiteral("{\"prompt\": \"e\", \"response\": \"fixed\", \"id\": 7}"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(editor.undoStack()->count(), 1);
    QVERIFY(m->rows()[1].isValid());
    QVERIFY(!m->rows()[1].raw);
    QCOMPARE(cell(*m, 1, 0), QStringLiteral("e"));
    QCOMPARE(cell(*m, 1, 1), QStringLiteral("fixed"));
    QCOMPARE(m->headerData(1, Qt::Vertical).toString(), QStringLiteral("3"));
    QVERIFY(m->flags(fieldIndex(*m, 1, 1)) & Qt::ItemIsEditable);

    // Undo brings the broken line back, redo the fix.
    editor.undoStack()->undo();
    QCOMPARE(m->rows()[1].issue, RowIssue::NotJson);
    QCOMPARE(fieldIndex(*m, 1, 0).data().toString(), QString::fromUtf8(broken));
    QVERIFY(!editor.isModified());
    editor.undoStack()->redo();
    QVERIFY(m->rows()[1].isValid());

    // A field edited afterwards is written over the fixed record: its other keys ("id") stay.
    QVERIFY(m->setData(fieldIndex(*m, 1, 1), QStringLiteral("fixed twice")));
    QString error;
    QVERIFY2(editor.save(&error), qPrintable(error));
    const QList<QByteArray> lines = readAll(path).split('\n');
    QCOMPARE(lines.value(0), QByteArray("{\"prompt\":\"a\",\"response\":\"b\"}"));
    const QJsonObject saved = QJsonDocument::fromJson(lines.value(2)).object();
    QCOMPARE(saved.value(QStringLiteral("response")).toString(), QStringLiteral("fixed twice"));
    QCOMPARE(saved.value(QStringLiteral("id")).toInt(), 7);

}

// Issue 16: the Status column cut its reason off. It is as wide as the label each row shows, and the tooltip holds
// the whole reason.
void TestDatasetEditor::statusColumnFitsItsLabels() {
    const QByteArray bytes = "{\"instruction\":\"a\",\"input\":\"\",\"output\":\"b\"}\n"
                             "{\"instruction\":\"a\"}\n"
                             "{\"instruction\":\"a\",\"output\":5}\n"
                             "{\"instruction\":\"\",\"output\":\"b\"}\n"
                             "{\"instruction\":\"a\",\"output\":\"\"}\n"
                             "{\"instruction\": tru}\n"
                             "[1, 2]\n"
                             "{\"nothing\": \"known\"}\n";
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("status.jsonl"), bytes)));
    editor.resize(1100, 600);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QTableView* view = editor.view();
    const int width = view->horizontalHeader()->sectionSize(DatasetTableModel::StatusColumn);
    // What the delegate needs for icon and text of every row shown (sizeHintForColumn is protected in QTableView).
    const int needed = static_cast<QAbstractItemView*>(view)->sizeHintForColumn(DatasetTableModel::StatusColumn);
    QVERIFY2(needed <= width, qPrintable(QStringLiteral("%1 > %2").arg(needed).arg(width)));
    QVERIFY(width <= 320);
    for (int r = 0; r < editor.model()->rowCount(); ++r) {
        const QModelIndex i = editor.model()->index(r, DatasetTableModel::StatusColumn);
        const QString tip = i.data(Qt::ToolTipRole).toString();
        QCOMPARE(tip, editor.model()->statusText(editor.model()->rows()[r]));
        QVERIFY(tip.size() >= i.data().toString().size());
        QVERIFY2(!tip.contains(QLatin1String("json.exception")), qPrintable(tip));
    }
}

void TestDatasetEditor::modelTester() {
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("tester.jsonl"), kJsonl)));
    QAbstractItemModelTester modelTest(editor.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTest(editor.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    DatasetTableModel* m = editor.model();
    QVERIFY(m->setData(fieldIndex(*m, 0, 1), QStringLiteral("edited")));
    m->addRow(1);
    m->duplicateRows({0, 2});
    QVERIFY(m->shiftRow(0, 1));
    m->deleteRows({1, 3});
    editor.setSearchText(QStringLiteral("two"));
    QCOMPARE(editor.proxy()->rowCount(), 1);
    editor.setSearchText(QString());
    while (m->undoStack()->canUndo()) m->undoStack()->undo();
    while (m->undoStack()->canRedo()) m->undoStack()->redo();
}

// The filter proxy maps its rows itself: through random edits, inserts, removals, moves, undo and redo with a search
// and "invalid only" switched on and off, it shows exactly the rows a plain filter of the model would, in order,
// Qt's model tester sees consistent signals, and the current row stays on its record while that is shown.
void TestDatasetEditor::filterFollowsEveryEdit() {
    QByteArray jsonl;
    for (int i = 0; i < 60; ++i)
        jsonl += QStringLiteral(R"({"prompt":"%1 question %2","response":"%3"})")
                     .arg(i % 3 == 0 ? "apple" : "pear").arg(i).arg(i % 7 == 0 ? "" : "answer")
                     .toUtf8() + "\n";
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("filter.jsonl"), jsonl)));
    editor.resize(900, 600);
    editor.show();
    editor.activateWindow();  // the move shortcuts (Alt+Up/Down) go to the active window
    QVERIFY(QTest::qWaitForWindowActive(&editor));
    DatasetTableModel* m = editor.model();
    DatasetFilterProxy* proxy = editor.proxy();
    QAbstractItemModelTester proxyTest(proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto* invalidOnly = editor.findChild<QCheckBox*>();
    QVERIFY(invalidOnly);

    const auto expected = [&] {
        QList<int> rows;
        for (int r = 0; r < m->rowCount(); ++r) {
            const DatasetRow& row = m->rows()[r];
            if (proxy->invalidOnly() && row.issue == RowIssue::None) continue;
            const QString search = proxy->searchText();
            if (!search.isEmpty() && std::none_of(row.cells.begin(), row.cells.end(), [&](const QString& c) {
                    return c.contains(search, Qt::CaseInsensitive);
                }))
                continue;
            rows << r;
        }
        return rows;
    };
    QRandomGenerator rng(20261208);
    // "question 1" shows neighbours (rows 1, 10-19, 100+...), so moves pass shown rows too.
    const QStringList searches{QString(), QStringLiteral("apple"), QStringLiteral("PEAR"), QStringLiteral("question 1"),
                               QStringLiteral("question 1")};
    QSignalSpy moves(proxy, &QAbstractItemModel::rowsMoved);
    for (int step = 0; step < 600; ++step) {
        const int rows = m->rowCount();
        const int row = rows > 0 ? int(rng.bounded(rows)) : 0;
        const QString caseName = QStringLiteral("step %1").arg(step);
        switch (rng.bounded(11)) {
        case 0:  // an edit that may take the row into or out of the search, or make it invalid
            if (rows > 0) {
                const QStringList texts{"apple pie", "pear", "", "question 12", "plain"};
                QVERIFY(m->setData(fieldIndex(*m, row, int(rng.bounded(2))), texts[int(rng.bounded(texts.size()))]));
            }
            break;
        case 1: m->addRow(int(rng.bounded(rows + 1))); break;
        case 2: if (rows > 0) m->duplicateRows({row, int(rng.bounded(rows))}); break;
        case 3: if (rows > 2) m->deleteRows({row, int(rng.bounded(rows))}); break;
        case 4:  // a shown row moved with Alt+Up / Alt+Down, as a user does
            if (proxy->rowCount() > 0) {
                editor.view()->setCurrentIndex(proxy->index(int(rng.bounded(proxy->rowCount())), 1));
                editor.view()->setFocus();
                QTest::keyClick(editor.view(), rng.bounded(2) ? Qt::Key_Down : Qt::Key_Up, Qt::AltModifier);
            }
            break;
        case 10:  // a shown row moved by the model (the editor's own move may clear a search that hides the row)
            if (proxy->rowCount() > 0)
                m->shiftRow(proxy->mapToSource(proxy->index(int(rng.bounded(proxy->rowCount())), 1)).row(),
                            rng.bounded(2) ? 1 : -1);
            break;
        case 5: if (m->undoStack()->canUndo()) m->undoStack()->undo(); break;
        case 6: if (m->undoStack()->canRedo()) m->undoStack()->redo(); break;
        case 7: editor.setSearchText(searches[int(rng.bounded(searches.size()))]); break;
        case 8: invalidOnly->setChecked(!invalidOnly->isChecked()); break;
        case 9: {  // the current row, through a refilter that keeps it shown
            if (proxy->rowCount() == 0) break;
            const QModelIndex current = proxy->index(int(rng.bounded(proxy->rowCount())), 1);
            editor.view()->setCurrentIndex(current);
            const int source = proxy->mapToSource(current).row();
            editor.setSearchText(QString());
            if (invalidOnly->isChecked()) invalidOnly->setChecked(false);
            QCOMPARE(proxy->mapToSource(editor.view()->currentIndex()).row(), source);
            // ...and in sight, though the rows before it came back
            QTRY_VERIFY(editor.view()->viewport()->rect().intersects(editor.view()->visualRect(editor.view()->currentIndex())));
            break;
        }
        }
        const QList<int> want = expected();
        QCOMPARE(proxy->rowCount(), int(want.size()));
        for (int p = 0; p < want.size(); ++p) {
            const QModelIndex source = proxy->mapToSource(proxy->index(p, 1));
            QVERIFY2(source.row() == want[p], qPrintable(caseName));
            QCOMPARE(proxy->mapFromSource(source).row(), p);
            QCOMPARE(proxy->headerData(p, Qt::Vertical), m->headerData(want[p], Qt::Vertical));
            QCOMPARE(proxy->index(p, 1).data(), m->index(want[p], 1).data());
        }
    }
    QVERIFY(moves.count() > 20);  // the view was told of moves, filtered and not
}

void TestDatasetEditor::editUndoRedo() {
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("undo.jsonl"), kJsonl)));
    DatasetTableModel* m = editor.model();
    QSignalSpy modified(&editor, &DatasetEditor::modifiedChanged);
    QSignalSpy changed(m, &QAbstractItemModel::dataChanged);
    QVERIFY(!editor.isModified());

    QVERIFY(m->setData(fieldIndex(*m, 1, 1), QStringLiteral("SECOND")));
    QCOMPARE(cell(*m, 1, 1), QStringLiteral("SECOND"));
    QCOMPARE(changed.count(), 1);
    QVERIFY(editor.isModified());
    QCOMPARE(modified.count(), 1);
    QCOMPARE(modified.last().at(0).toBool(), true);
    QCOMPARE(editor.undoStack()->count(), 1);

    // Setting the same text again is no edit.
    QVERIFY(m->setData(fieldIndex(*m, 1, 1), QStringLiteral("SECOND")));
    QCOMPARE(editor.undoStack()->count(), 1);

    editor.undoStack()->undo();
    QCOMPARE(cell(*m, 1, 1), QStringLiteral("second"));
    QVERIFY(!m->rows()[1].edited);  // back to the file's bytes
    QVERIFY(!editor.isModified());
    QCOMPARE(modified.last().at(0).toBool(), false);
    editor.undoStack()->redo();
    QCOMPARE(cell(*m, 1, 1), QStringLiteral("SECOND"));
    QVERIFY(editor.isModified());

    // An empty answer makes the row invalid; undo makes it valid again.
    QVERIFY(m->setData(fieldIndex(*m, 0, 1), QString()));
    QCOMPARE(m->rows()[0].issue, RowIssue::EmptyAnswer);
    editor.undoStack()->undo();
    QVERIFY(m->rows()[0].isValid());
    QVERIFY(!m->setData(m->index(0, DatasetTableModel::StatusColumn), QStringLiteral("x")));  // the badge is read-only
    QVERIFY(!(m->flags(m->index(0, 0)) & Qt::ItemIsEditable));
    QVERIFY(m->flags(fieldIndex(*m, 0, 0)) & Qt::ItemIsEditable);
}

void TestDatasetEditor::addDuplicateDeleteMove() {
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("rows.jsonl"), kJsonl)));
    DatasetTableModel* m = editor.model();
    auto prompts = [&] {
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r) out << cell(*m, r, 0);
        return out;
    };
    const QStringList original{"one", "two", "three"};
    QCOMPARE(prompts(), original);

    editor.selectRow(1);
    editor.addRow();  // below the selection, and selected
    QCOMPARE(prompts(), (QStringList{"one", "two", "", "three"}));
    QCOMPARE(editor.selectedRows(), QList<int>{2});
    QCOMPARE(m->rows()[2].issue, RowIssue::EmptyPrompt);

    m->duplicateRows({0, 3});
    QCOMPARE(prompts(), (QStringList{"one", "one", "two", "", "three", "three"}));
    m->deleteRows({2, 3, 5});
    QCOMPARE(prompts(), (QStringList{"one", "one", "three"}));
    editor.selectRow(2);
    editor.moveSelected(-1);
    QCOMPARE(prompts(), (QStringList{"one", "three", "one"}));
    QCOMPARE(editor.selectedRows(), QList<int>{1});
    editor.moveSelected(-1);
    editor.moveSelected(-1);  // already at the top: nothing to do
    QCOMPARE(prompts(), (QStringList{"three", "one", "one"}));
    QVERIFY(!m->shiftRow(2, 1));

    QCOMPARE(editor.undoStack()->count(), 5);
    while (editor.undoStack()->canUndo()) editor.undoStack()->undo();
    QCOMPARE(prompts(), original);
    QVERIFY(!editor.isModified());
    QCOMPARE(m->serialized(), kJsonl);
    while (editor.undoStack()->canRedo()) editor.undoStack()->redo();
    QCOMPARE(prompts(), (QStringList{"three", "one", "one"}));
}

void TestDatasetEditor::saveKeepsUntouchedBytes() {
    const QString path = file(QStringLiteral("save.jsonl"), kJsonl);
    {
        DatasetEditor editor;
        QVERIFY(editor.openFile(path));
        DatasetTableModel* m = editor.model();
        QVERIFY(m->setData(fieldIndex(*m, 0, 1), QStringLiteral("FIRST")));
        m->addRow();
        QVERIFY(m->setData(fieldIndex(*m, 3, 0), QStringLiteral("four")));
        QVERIFY(m->setData(fieldIndex(*m, 3, 1), QStringLiteral("fourth \"quoted\"\nline")));
        QString error;
        QVERIFY2(editor.save(&error), qPrintable(error));
        QVERIFY(!editor.isModified());
    }
    const QList<QByteArray> lines = readAll(path).split('\n');
    QCOMPARE(lines.size(), 6);  // five lines, each with its line end
    QCOMPARE(lines[5], QByteArray());
    // The edited row is written anew and keeps the field the table does not show.
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value("prompt").toString(), QStringLiteral("one"));
    QCOMPARE(first.value("response").toString(), QStringLiteral("FIRST"));
    QCOMPARE(first.value("id").toInt(), 1);
    QVERIFY(lines[0] != kJsonl.split('\n')[0]);
    // Untouched rows (and the blank line after one) are byte for byte as they were; the last gained a line end.
    QCOMPARE(lines[1], kJsonl.split('\n')[1]);
    QCOMPARE(lines[2], QByteArray());
    QCOMPARE(lines[3], kJsonl.split('\n')[3]);
    const QJsonObject added = QJsonDocument::fromJson(lines[4]).object();
    QCOMPARE(added.value("response").toString(), QStringLiteral("fourth \"quoted\"\nline"));

    // Saving again without edits changes nothing; reopening shows the edits.
    DatasetEditor again;
    QVERIFY(again.openFile(path));
    QCOMPARE(again.model()->rowCount(), 4);
    QCOMPARE(cell(*again.model(), 3, 0), QStringLiteral("four"));
    const QByteArray saved = readAll(path);
    QVERIFY(again.save());
    QCOMPARE(readAll(path), saved);
    QVERIFY(!QFile::exists(DatasetAutosave::autosavePath(path)));
}

void TestDatasetEditor::editsMessages() {
    const QByteArray triple = R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"}],"tag":"x"})" "\n";
    const QString path = file(QStringLiteral("chat.jsonl"), triple + triple);
    DatasetEditor editor;
    QVERIFY(editor.openFile(path));
    DatasetTableModel* m = editor.model();
    QCOMPARE(headers(*m), (QStringList{"Status", "System", "User", "Assistant"}));
    QVERIFY(m->setData(fieldIndex(*m, 0, 2), QStringLiteral("better answer")));
    QVERIFY(m->setData(fieldIndex(*m, 0, 0), QStringLiteral("be brief")));
    QVERIFY(editor.save());
    const QList<QByteArray> lines = readAll(path).split('\n');
    const QJsonObject record = QJsonDocument::fromJson(lines[0]).object();
    const QJsonArray messages = record.value("messages").toArray();
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages[0].toObject().value("role").toString(), QStringLiteral("system"));
    QCOMPARE(messages[0].toObject().value("content").toString(), QStringLiteral("be brief"));
    QCOMPARE(messages[2].toObject().value("content").toString(), QStringLiteral("better answer"));
    QCOMPARE(record.value("tag").toString(), QStringLiteral("x"));
    QCOMPARE(lines[1] + '\n', triple);

    // Anything else than system?/user/assistant: one JSON column, edited as indented JSON and checked.
    const QByteArray turns = R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"u2"},{"role":"assistant","content":"a2"}]})" "\n";
    DatasetEditor conversation;
    QVERIFY(conversation.openFile(file(QStringLiteral("turns.jsonl"), turns)));
    DatasetTableModel* c = conversation.model();
    QVERIFY(fieldIndex(*c, 0, 0).data(Qt::EditRole).toString().contains(QStringLiteral("\n")));
    QVERIFY(!fieldIndex(*c, 0, 0).data(Qt::DisplayRole).toString().contains(QStringLiteral("\n")));
    QVERIFY(c->setData(fieldIndex(*c, 0, 0), QStringLiteral("[{\"role\": \"user\"")));
    QCOMPARE(c->rows()[0].issue, RowIssue::BadConversation);
    QVERIFY(c->setData(fieldIndex(*c, 0, 0), QStringLiteral("[\n {\"role\": \"user\", \"content\": \"q\"},\n {\"role\": \"assistant\", \"content\": \"r\"}\n]")));
    QVERIFY(c->rows()[0].isValid());
    QCOMPARE(cell(*c, 0, 0), QStringLiteral(R"([{"content":"q","role":"user"},{"content":"r","role":"assistant"}])"));
}

void TestDatasetEditor::delegateEditsMultiLine() {
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("delegate.jsonl"), kJsonl)));
    editor.resize(900, 600);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    const QModelIndex index = editor.proxy()->index(0, DatasetTableModel::FirstFieldColumn + 1);
    editor.view()->setCurrentIndex(index);
    editor.view()->edit(index);
    auto* edit = editor.view()->findChild<QPlainTextEdit*>();
    QVERIFY(edit);
    QCOMPARE(edit->toPlainText(), QStringLiteral("first"));
    QVERIFY(edit->height() > editor.view()->rowHeight(0));  // room for several lines
    edit->setPlainText(QStringLiteral("line one\nline two"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);  // commits; a plain Enter adds a line
    QCOMPARE(cell(*editor.model(), 0, 1), QStringLiteral("line one\nline two"));
    QCOMPARE(editor.undoStack()->count(), 1);
    QCOMPARE(index.data().toString(), QStringLiteral("line one ⏎ line two"));
}

void TestDatasetEditor::csvRoundTrip() {
    const QByteArray csv = "prompt,response,source\r\n"
                           "\"Say \"\"hi\"\"\",\"Hi,\r\nthere\",web\r\n"
                           "plain,answer,book\r\n"
                           "\"multi\nline\",ok,   spaced   \r\n";
    const QString path = file(QStringLiteral("data.csv"), csv);
    DatasetEditor editor;
    QVERIFY(editor.openFile(path));
    DatasetTableModel* m = editor.model();
    QCOMPARE(headers(*m), (QStringList{"Status", "prompt", "response", "source"}));
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(cell(*m, 0, 0), QStringLiteral("Say \"hi\""));
    QCOMPARE(cell(*m, 0, 1), QStringLiteral("Hi,\r\nthere"));
    QCOMPARE(cell(*m, 2, 0), QStringLiteral("multi\nline"));
    QVERIFY(m->rows()[0].isValid());

    const QString tricky = QStringLiteral("a \"quote\", a comma\nand a line");
    QVERIFY(m->setData(fieldIndex(*m, 1, 1), tricky));
    QVERIFY(editor.save());
    const QByteArray saved = readAll(path);
    const QList<QByteArray> parts = csv.split('\n');
    QVERIFY(saved.startsWith(parts[0] + '\n' + parts[1] + '\n' + parts[2] + '\n'));  // header and row 1 untouched
    QVERIFY(saved.endsWith("\"multi\nline\",ok,   spaced   \r\n"));                 // row 3 untouched
    QVERIFY(saved.contains("plain,\"a \"\"quote\"\", a comma\nand a line\",book\r\n"));
    QVERIFY(saved != csv);

    DatasetEditor reopened;
    QVERIFY(reopened.openFile(path));
    QCOMPARE(reopened.model()->rowCount(), 3);
    for (int r = 0; r < 3; ++r)
        for (int f = 0; f < 3; ++f) QCOMPARE(cell(*reopened.model(), r, f), cell(*m, r, f));
    QCOMPARE(cell(*reopened.model(), 1, 1), tricky);

    // A quote never closed is refused with its line rather than half-read.
    QString error;
    DatasetEditor broken;
    QVERIFY(!broken.openFile(file(QStringLiteral("broken.csv"), "prompt,response\nok,fine\n\"open,quote\n"), &error));
    QVERIFY2(error.contains(QStringLiteral("Line 3")), qPrintable(error));
}

void TestDatasetEditor::autosaveRecovery() {
    const QString path = file(QStringLiteral("crash.jsonl"), kJsonl);
    const QString autosave = DatasetAutosave::autosavePath(path);
    QCOMPARE(QFileInfo(autosave).fileName(), QStringLiteral(".crash.jsonl.autosave"));
    {
        auto editor = std::make_unique<DatasetEditor>();
        QVERIFY(editor->openFile(path));
        QVERIFY(!DatasetEditor::hasRecovery(path));
        DatasetTableModel* m = editor->model();
        QVERIFY(m->setData(fieldIndex(*m, 2, 1), QStringLiteral("THIRD, recovered")));
        m->deleteRows({0});
        m->addRow(0);
        QVERIFY(m->setData(fieldIndex(*m, 0, 0), QStringLiteral("zero")));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(autosave), 2000);  // debounced, within a second
        QTRY_VERIFY(!editor->autosave()->isPending());
        editor.reset();  // gone without saving, as in a crash
    }
    QCOMPARE(readAll(path), kJsonl);  // the dataset itself is untouched
    QVERIFY(DatasetEditor::hasRecovery(path));

    DatasetEditor editor;
    QSignalSpy offered(&editor, &DatasetEditor::recoveryAvailable);
    QVERIFY(editor.openFile(path));
    QCOMPARE(offered.count(), 1);
    QCOMPARE(offered.at(0).at(0).toString(), autosave);
    DatasetTableModel* m = editor.model();
    QCOMPARE(m->rowCount(), 3);  // the file as it is, until the user restores
    QString error;
    QVERIFY2(editor.recover(&error), qPrintable(error));
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(cell(*m, 0, 0), QStringLiteral("zero"));
    QCOMPARE(cell(*m, 1, 0), QStringLiteral("two"));
    QVERIFY(!m->rows()[1].edited);  // untouched rows come back as references to the file's bytes
    QCOMPARE(cell(*m, 2, 1), QStringLiteral("THIRD, recovered"));
    QVERIFY(editor.isModified());
    editor.undoStack()->undo();  // the restore is one undoable step
    QCOMPARE(cell(*m, 0, 0), QStringLiteral("one"));
    editor.undoStack()->redo();

    QVERIFY(editor.save());
    QVERIFY(!QFile::exists(autosave));  // removed on a clean save
    const QByteArray saved = readAll(path);
    QVERIFY(saved.startsWith("{\"prompt\":\"zero\""));
    QVERIFY(saved.contains(kJsonl.split('\n')[1] + "\n\n"));
    QVERIFY(saved.contains("THIRD, recovered"));

    // Edits undone back to the saved state leave nothing to recover.
    QVERIFY(m->setData(fieldIndex(*m, 0, 1), QStringLiteral("again")));
    QTRY_VERIFY(QFile::exists(autosave));
    editor.undoStack()->undo();
    QTRY_VERIFY(!QFile::exists(autosave));

    // An autosave made from another version of the file is refused, not misapplied.
    QVERIFY(m->setData(fieldIndex(*m, 0, 1), QStringLiteral("stale")));
    QTRY_VERIFY(QFile::exists(autosave));
    writeAll(path, kJsonl);
    DatasetEditor other;
    QVERIFY(other.openFile(path));
    QVERIFY(DatasetEditor::hasRecovery(path));
    QVERIFY(!other.recover(&error));
    QVERIFY2(error.contains(QStringLiteral("changed on disk")), qPrintable(error));
    QCOMPARE(other.model()->rowCount(), 3);
    other.discardRecovery();
    QVERIFY(!DatasetEditor::hasRecovery(path));
}

void TestDatasetEditor::normalize_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("case and punctuation") << "Hello, World!" << "hello world";
    QTest::newRow("whitespace") << "  a\t\tb \n c  " << "a b c";
    QTest::newRow("symbols between words") << "what's-up?" << "whatsup";
    QTest::newRow("non-latin") << "Ünïcode  ПРИВЕТ" << "ünïcode привет";
    QTest::newRow("only punctuation") << "?!." << "";
}

void TestDatasetEditor::normalize() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(DatasetQualityReport::normalize(text), expected);
}

void TestDatasetEditor::qualityReport() {
    const QString longAnswer = QString(QStringLiteral("word ")).repeated(1200);  // 6000 characters
    QStringList lines{
        R"({"prompt":"What is the capital of France?","response":"Paris."})",                 // 0 duplicate of 1
        R"({"prompt":"what is the   capital of france","response":"paris"})",                 // 1
        R"({"prompt":"Name the largest planet.","response":"Jupiter"})",                      // 2 conflicting with 3
        R"({"prompt":"Name the largest planet!","response":"Saturn"})",                       // 3
        R"({"prompt":"Explain the difference between a process and a thread in an operating system.","response":"A process has its own address space; threads share one."})",  // 4 near 5
        R"({"prompt":"Explain the difference between a process and a thread in an operating systems.","response":"Processes are isolated; threads share memory."})",         // 5
        R"({"prompt":"Say nothing at all.","response":""})",                                  // 6 empty answer
        R"({"prompt":"Is water wet? Answer y or n.","response":"y"})",                        // 7 very short
        QStringLiteral(R"({"prompt":"Write a long essay about rivers.","response":"%1"})").arg(longAnswer),  // 8 long
        R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]})",          // 9 other format
        R"({"prompt":"How do plants make food?","response":"By photosynthesis, using light, water and CO2."})",
        R"({"prompt":"Translate 'cat' into French.","response":"Le chat."})",
        R"({"prompt":"What year did the Berlin Wall fall?","response":"In 1989."})",
        R"({"prompt":"Give a synonym for happy.","response":"Joyful."})",
        R"({"prompt":"Sum of 17 and 25?","response":"42, since 17 + 25 = 42."})",
        R"({"prompt":"Who wrote Hamlet?","response":"William Shakespeare."})",
        R"({"prompt":"Boiling point of water at sea level in Celsius?","response":"100 degrees."})",
        R"({"prompt":"Name a prime number greater than ten.","response":"Eleven."})",
        R"({"prompt":"What gas do humans exhale?","response":"Carbon dioxide."})",
        R"({"prompt":"Define entropy briefly.","response":"A measure of disorder."})",
    };
    const auto loaded = DatasetLoader::parse(lines.join(u'\n').toUtf8(), QStringLiteral("q.jsonl"));
    QVERIFY(loaded.ok());
    DatasetQualityReport::Options options;
    options.maxTokens = 1000;
    const auto rows = DatasetQualityReport::rowsOf(loaded.document.schema, loaded.document.rows);
    const DatasetQualityReport report = DatasetQualityReport::analyze(rows, options);
    QVERIFY(report.tokensEstimated());

    auto rowsOf = [&](DatasetQualityReport::Kind kind) {
        QList<QList<int>> out;
        for (const auto& f : report.findings(kind)) out.append(f.rows);
        return out;
    };
    using K = DatasetQualityReport::Kind;
    QCOMPARE(rowsOf(K::DuplicatePrompt), (QList<QList<int>>{{0, 1}, {2, 3}}));
    QCOMPARE(rowsOf(K::ConflictingAnswers), (QList<QList<int>>{{2, 3}}));
    QCOMPARE(rowsOf(K::NearDuplicatePrompt), (QList<QList<int>>{{4, 5}}));
    QCOMPARE(rowsOf(K::EmptyAnswer), (QList<QList<int>>{{6}}));
    QCOMPARE(rowsOf(K::ShortAnswer), (QList<QList<int>>{{7}}));
    QCOMPARE(rowsOf(K::LengthOutlier), (QList<QList<int>>{{8}}));
    QCOMPARE(rowsOf(K::Truncated), (QList<QList<int>>{{8}}));
    QCOMPARE(rowsOf(K::MixedFormat), (QList<QList<int>>{{9}}));
    QCOMPARE(rowsOf(K::InvalidRow), (QList<QList<int>>{{6, 9}}));
    QVERIFY(report.findings(K::Truncated).front().detail.contains(QStringLiteral("estimated")));
    QVERIFY(report.findings(K::MixedFormat).front().detail.contains(QStringLiteral("prompt_response")));

    // The caller's tokenizer replaces the estimate: here one token a word.
    options.maxTokens = 8;
    options.tokenCounter = [](const QString& s) { return int(s.split(u' ', Qt::SkipEmptyParts).size()); };
    const DatasetQualityReport counted = DatasetQualityReport::analyze(rows, options);
    QVERIFY(!counted.tokensEstimated());
    const QList<int> truncated = counted.findings(K::Truncated).front().rows;
    QVERIFY(truncated.contains(4) && truncated.contains(8) && !truncated.contains(13));
    QVERIFY(!counted.findings(K::Truncated).front().detail.contains(QStringLiteral("estimated")));

    QVERIFY(NearDuplicateFinder::jaccard(QStringLiteral("abcdefgh"), QStringLiteral("abcdefgh")) == 1.0);
    QVERIFY(NearDuplicateFinder::jaccard(QStringLiteral("abcdefgh"), QStringLiteral("zyxwvuts")) == 0.0);
}

void TestDatasetEditor::qualityWidgetSelectsRow() {
    QByteArray content;
    for (int i = 0; i < 30; ++i)
        content += QStringLiteral(R"({"prompt":"Distinct question number %1 about %2","response":"%3"})" "\n")
                       .arg(i).arg(QString(QChar(u'a' + i % 26)).repeated(i + 3)).arg(i == 17 ? QString() : QStringLiteral("fine"))
                       .toUtf8();
    DatasetEditor editor;
    QSignalSpy ready(&editor, &DatasetEditor::reportReady);
    QVERIFY(editor.openFile(file(QStringLiteral("widget.jsonl"), content)));
    QTRY_COMPARE(ready.count(), 1);  // analyzed on a worker after opening
    const auto empty = editor.qualityWidget()->report().findings(DatasetQualityReport::Kind::EmptyAnswer);
    QCOMPARE(empty.size(), 1);
    QCOMPARE(empty.front().rows, QList<int>{17});

    editor.setSearchText(QStringLiteral("number 3"));  // hides row 17
    QTreeWidget* tree = editor.qualityWidget()->tree();
    QTreeWidgetItem* finding = nullptr;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0).startsWith(DatasetQualityReport::kindName(DatasetQualityReport::Kind::EmptyAnswer)))
            finding = tree->topLevelItem(i);
    QVERIFY(finding);
    QCOMPARE(finding->childCount(), 1);
    QSignalSpy activated(editor.qualityWidget(), &DatasetQualityWidget::rowActivated);
    emit tree->itemActivated(finding->child(0), 0);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toInt(), 17);
    QCOMPARE(editor.selectedRows(), QList<int>{17});
    QVERIFY(editor.proxy()->searchText().isEmpty());
}

void TestDatasetEditor::largeFile() {
    constexpr int kRows = 100000;
    static const char* words[] = {"model", "token", "river", "graph", "yellow", "quiet", "engine", "matrix", "seven",
                                  "garden", "signal", "copper", "window", "planet", "silver", "tiger", "number",
                                  "letter", "circle", "orange", "winter", "forest", "bridge", "camera"};
    QRandomGenerator rng(1234);
    auto sentence = [&](int n) {
        QString s;
        for (int k = 0; k < n; ++k) s += QLatin1String(words[rng.bounded(int(std::size(words)))]) + u' ';
        return s;
    };
    QByteArray content;
    int needles = 0;
    for (int i = 0; i < kRows; ++i) {
        const bool needle = i % 1000 == 7;
        needles += needle;
        const QString prompt = QStringLiteral("Q%1: %2%3?").arg(i).arg(sentence(10), needle ? QStringLiteral("NeedleWord") : QString());
        content += QJsonDocument(QJsonObject{{"prompt", prompt}, {"response", sentence(20)}}).toJson(QJsonDocument::Compact) + '\n';
    }
    const QString path = file(QStringLiteral("large.jsonl"), content);

    DatasetEditor editor;
    QSignalSpy reported(&editor, &DatasetEditor::reportReady);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(editor.openFile(path));
    const qint64 syncMs = clock.elapsed();
    QCOMPARE(editor.model()->rowCount(), kRows);
    QCOMPARE(editor.model()->invalidRowCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(reported.count(), 1, 60000);  // the report, on a worker, after opening
    const qint64 openAndReportMs = clock.elapsed();

    // The same file on a worker: the UI thread keeps turning while it is read.
    DatasetEditor asyncEditor;
    QSignalSpy opened(&asyncEditor, &DatasetEditor::fileOpened);
    int turns = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&] { ++turns; });
    ticker.start(5);
    clock.restart();
    asyncEditor.openFileAsync(path);
    QVERIFY(asyncEditor.isLoading());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
    const qint64 asyncMs = clock.elapsed();
    ticker.stop();
    QSignalSpy asyncReported(&asyncEditor, &DatasetEditor::reportReady);
    QTRY_COMPARE_WITH_TIMEOUT(asyncReported.count(), 1, 60000);  // not competing with what is timed below
    QCOMPARE(opened.at(0).at(0).toBool(), true);
    QCOMPARE(asyncEditor.model()->rowCount(), kRows);

    clock.restart();
    editor.setSearchText(QStringLiteral("needleword"));
    const qint64 filterMs = clock.elapsed();
    QCOMPARE(editor.proxy()->rowCount(), needles);
    clock.restart();
    editor.setSearchText(QString());
    const qint64 clearMs = clock.elapsed();
    QCOMPARE(editor.proxy()->rowCount(), kRows);

    clock.restart();
    qsizetype chars = 0;
    for (int r = 0; r < kRows; ++r) chars += editor.model()->index(r, 1).data().toString().size();
    const qint64 dataMs = clock.elapsed();
    QVERIFY(chars > 0);

    clock.restart();
    const auto rows = DatasetQualityReport::rowsOf(editor.model()->schema(), editor.model()->rows());
    const DatasetQualityReport report = DatasetQualityReport::analyze(rows);
    const qint64 reportMs = clock.elapsed();
    QCOMPARE(report.rowCount(), kRows);
    QVERIFY(report.findings(DatasetQualityReport::Kind::DuplicatePrompt).isEmpty());  // every prompt has its number

    clock.restart();
    QVERIFY(editor.model()->setData(fieldIndex(*editor.model(), 5000, 1), QStringLiteral("edited")));
    QVERIFY(editor.autosave()->writeNow());
    const qint64 autosaveMs = clock.elapsed();
    QVERIFY(QFileInfo(DatasetAutosave::autosavePath(path)).size() < 4096);  // untouched rows are ranges

    qInfo("100k rows (%.1f MB): open %lld ms on this thread (+ report on a worker: %lld ms in all), %lld ms on a "
          "worker (%d UI turns meanwhile); filter %lld ms, clear filter %lld ms; 100k data() calls %lld ms; "
          "quality report %lld ms; autosave %lld ms",
          content.size() / 1e6, syncMs, openAndReportMs, asyncMs, turns, filterMs, clearMs, dataMs, reportMs, autosaveMs);
}

// Several loads at once on a machine with two threads in the global pool (three editors, or one file reopened while
// it loads): each load's parse is a blockingMap on that pool, and loads that ran in it held both threads, waiting
// for map work nobody was left to run.
void TestDatasetEditor::concurrentLoadsFinish() {
    QByteArray bytes;
    for (int i = 0; i < 5000; ++i) bytes += QByteArray(R"({"instruction":"q)") + QByteArray::number(i) + R"(","output":"a"})" "\n";
    const QString path = file(QStringLiteral("concurrent.jsonl"), bytes);
    QThreadPool* pool = QThreadPool::globalInstance();
    const int threads = pool->maxThreadCount();
    pool->setMaxThreadCount(2);
    auto restore = qScopeGuard([pool, threads] { pool->setMaxThreadCount(threads); });
    for (int round = 0; round < 10; ++round) {
        DatasetEditor a, b, c;
        for (DatasetEditor* e : {&a, &b, &c}) e->openFileAsync(path);
        QTRY_VERIFY_WITH_TIMEOUT(!a.isLoading() && !b.isLoading() && !c.isLoading(), 20000);
        QCOMPARE(c.model()->rowCount(), 5000);
    }
}

// The current row's answers side by side with their differences marked, following the keyboard through the table.
void TestDatasetEditor::preferencePairsSideBySide() {
    const QByteArray bytes =
        R"({"prompt":"What is 2 + 2?","chosen":"2 + 2 = 4, of course.","rejected":"2 + 2 = 5, of course."})" "\n"
        R"({"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"Hello there!"}],"rejected":[{"role":"assistant","content":"Go away."}]})" "\n";
    DatasetEditor editor;
    QVERIFY(editor.openFile(file(QStringLiteral("pairs.jsonl"), bytes)));
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.pairView()->isVisible());
    editor.view()->setFocus();
    editor.selectRow(0);
    QTRY_VERIFY(editor.pairView()->chosenHtml().contains(QStringLiteral("only-a")) ||
                editor.pairView()->chosenHtml().contains(QStringLiteral("#c8f0d0")));
    // Only "4," and "5," differ: the shared words stay unmarked.
    const auto [a, b] = PreferencePairView::diffHtml(QStringLiteral("2 + 2 = 4, of course."), QStringLiteral("2 + 2 = 5, of course."));
    QCOMPARE(a, QStringLiteral("2 + 2 = <span class=\"only-a\">4,</span> of course."));
    QCOMPARE(b, QStringLiteral("2 + 2 = <span class=\"only-b\">5,</span> of course."));
    QTest::keyClick(editor.view(), Qt::Key_Down);
    QTRY_VERIFY(editor.pairView()->rejectedHtml().contains(QStringLiteral("away")));
    QVERIFY(editor.pairView()->chosenHtml().contains(QStringLiteral("Hello")));
    QCOMPARE(PreferencePairView::cellText(QStringLiteral(R"([{"role":"assistant","content":"Go away."}])")), QStringLiteral("Go away."));

    // Instruction data has no pairs: the view is not shown.
    QVERIFY(editor.openFile(file(QStringLiteral("plain.jsonl"), kJsonl)));
    QVERIFY(!editor.pairView()->isVisible());
}

// An edited preference row is written back as it was shaped: lists stay lists, a label typed true stays a JSON bool.
void TestDatasetEditor::preferenceEditsKeepListsAndLabels() {
    const QByteArray bytes =
        R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]})" "\n";
    const auto loaded = DatasetLoader::parse(bytes, QStringLiteral("x.jsonl"));
    QVERIFY(loaded.ok());
    const DatasetSchema& schema = loaded.document.schema;
    DatasetRow row = loaded.document.rows.front();
    QVERIFY(row.isValid());
    row.cells[2] = QStringLiteral(R"([{"role":"assistant","content":"better not"}])");
    const QJsonObject written = schema.writeRecord(row, QJsonObject());
    QVERIFY(written.value(QStringLiteral("rejected")).isArray());
    QCOMPARE(written.value(QStringLiteral("rejected")).toArray()[0].toObject().value(QStringLiteral("content")).toString(),
             QStringLiteral("better not"));

    const auto unpaired = DatasetLoader::parse(R"({"prompt":"p","completion":"c","label":false})" "\n", QStringLiteral("k.jsonl"));
    QVERIFY(unpaired.ok());
    DatasetRow k = unpaired.document.rows.front();
    QCOMPARE(k.cells[2], QStringLiteral("false"));
    QVERIFY(k.isValid());
    k.cells[2] = QStringLiteral("true");
    const QJsonObject kw = unpaired.document.schema.writeRecord(k, QJsonObject());
    QVERIFY(kw.value(QStringLiteral("label")).isBool());
    QVERIFY(kw.value(QStringLiteral("label")).toBool());
}

QTEST_MAIN(TestDatasetEditor)
#include "tst_dataset_editor.moc"
