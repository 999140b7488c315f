#include "dataset/DatasetEditor.h"

#include "BackgroundPriority.h"
#include "LocalShortcuts.h"
#include "dataset/DatasetAutosave.h"
#include "dataset/DatasetFilterProxy.h"
#include "dataset/DatasetQualityWidget.h"
#include "dataset/DatasetRowScan.h"
#include "dataset/DatasetTableModel.h"
#include "dataset/PreferencePairView.h"
#include "dataset/MultiLineDelegate.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

// Loads run in a pool of their own. The parse inside one is a blockingMap on the global pool: loads started there
// (two editors, or a file reopened while it loads) could take every global thread (two on a two-core machine), each
// waiting for map work no free thread was left to run; the window froze with them (seen in tst_mainwindow: its
// painting waited on the pool too).
Q_GLOBAL_STATIC(QThreadPool, loaderPool)

DatasetEditor::DatasetEditor(QWidget* parent)
    : QWidget(parent), m_model(new DatasetTableModel(this)), m_proxy(new DatasetFilterProxy(this)),
      m_autosave(new DatasetAutosave(m_model, this)), m_view(new QTableView(this)), m_quality(new DatasetQualityWidget(this)), m_pair(new PreferencePairView(this)),
      m_search(new QLineEdit(this)), m_invalidOnly(new QCheckBox(tr("Invalid rows only"), this)), m_status(new QLabel(this)),
      m_recoveryBar(new QFrame(this)), m_recoveryText(new QLabel(this)), m_check(new DatasetRowScan(this)),
      m_searchScan(new DatasetRowScan(this)), m_progress(new QTimer(this)) {
    m_proxy->setDatasetModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new MultiLineDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::SelectedClicked);
    m_view->setWordWrap(false);
    // Fixed row heights: the view never measures rows, so 100k rows scroll as fast as 100.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultSectionSize(260);

    buildActions();
    buildLayout();

    auto* searchTimer = new QTimer(this);  // filter after typing pauses, not on every key
    searchTimer->setSingleShot(true);
    searchTimer->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, searchTimer, qOverload<>(&QTimer::start));
    connect(searchTimer, &QTimer::timeout, this, [this] { setSearchText(m_search->text()); });
    // After a search or filter changes the rows shown, the current row (kept on its record) stays in sight: once the
    // view has laid the new rows out (its scroll range is stale until then).
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, [this] {
        QTimer::singleShot(0, this, [this] {
            if (m_view->currentIndex().isValid())
                m_view->scrollTo(m_view->currentIndex(), QAbstractItemView::PositionAtCenter);
        });
    });
    connect(m_invalidOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setInvalidOnly(on);
        updateStatus();
    });
    connect(undoStack(), &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
    connect(undoStack(), &QUndoStack::indexChanged, this, [this] {
        m_quality->setOutdated(true);
        updateStatus();
    });
    m_progress->setInterval(200);
    connect(m_progress, &QTimer::timeout, this, &DatasetEditor::updateStatus);
    connect(m_check, &DatasetRowScan::finished, this, [this] {
        m_model->setRowChecks(m_check->results());
        m_invalidOnly->setEnabled(true);
        m_invalidOnly->setToolTip({});
        if (m_proxy->invalidOnly()) m_proxy->invalidate();
        updateStatus();
    });
    connect(m_searchScan, &DatasetRowScan::finished, this, [this] {
        m_proxy->setSearchResult(m_scannedSearch, m_searchScan->results());
        updateStatus();
    });
    connect(&m_saving, &QFutureWatcher<DatasetTableModel::IndexedSave>::finished, this, [this] {
        QString error;
        // Taken, not copied: a copy left in the future would share the new rows' list, and the next edit would copy
        // all of it (a million rows: a long pause).
        DatasetTableModel::IndexedSave result = m_saving.future().takeResult();
        const QString path = result.path;
        const auto matches = searchMatchesByRow();
        bool ok = false;
        if (undoStack()->index() != m_saveUndoIndex)  // undone or redone from the main window's Edit menu meanwhile
            error = tr("%1 was saved as it was when you pressed Save; edits were undone or redone since. Save again.")
                        .arg(QDir::toNativeSeparators(path));
        else
            ok = m_model->adoptSave(std::move(result), &error);
        setEditable(true);
        if (ok) afterSave(path, matches);
        else m_status->setText(error);
        emit saveFinished(ok, error);
    });
    connect(m_quality, &DatasetQualityWidget::rowActivated, this, &DatasetEditor::selectRow);
    connect(m_quality, &DatasetQualityWidget::analyzeRequested, this, &DatasetEditor::analyze);
    connect(&m_loader, &QFutureWatcher<DatasetLoader::Result>::finished, this, [this] {
        QString error;
        const bool ok = adopt(m_loader.future().takeResult(), &error);  // taken: see m_saving's
        m_loadPending = false;
        emit fileOpened(ok, error);
    });
    connect(&m_analysis, &QFutureWatcher<DatasetQualityReport>::finished, this, [this] {
        m_quality->setOutdated(false);
        m_quality->setReport(m_analysis.result());
        emit reportReady();
    });
    updateStatus();
}

DatasetEditor::~DatasetEditor() {
    undoStack()->disconnect();  // the stack outlives this object's slots while the children are deleted
    // The workers hold copies of the rows, but the token counter may point into the caller's objects. (Only running
    // ones: a future whose result was taken is in no state at all, and waiting on it would never end.)
    if (m_analysis.isRunning()) m_analysis.waitForFinished();
    if (m_loader.isRunning()) m_loader.waitForFinished();
    if (m_saving.isRunning()) m_saving.waitForFinished();  // a save under way is finished (else a half-written file)
}

void DatasetEditor::buildActions() {
    auto* style = this->style();
    // Every binding of a standard key (Redo is Ctrl+Shift+Z and Ctrl+Y), not only the platform's first.
    auto add = [&](QAction* a, QStyle::StandardPixmap icon, const QList<QKeySequence>& keys) {
        if (a->icon().isNull()) a->setIcon(style->standardIcon(icon));
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
        m_actions.append(a);
    };
    auto make = [&](const QString& text, auto slot) {
        auto* a = new QAction(text, this);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(make(tr("Add row"), &DatasetEditor::addRow), QStyle::SP_FileIcon, {QKeySequence(Qt::Key_Insert)});
    add(make(tr("Duplicate"), &DatasetEditor::duplicateSelected), QStyle::SP_FileDialogNewFolder, {QKeySequence(Qt::CTRL | Qt::Key_D)});
    add(make(tr("Delete"), &DatasetEditor::deleteSelected), QStyle::SP_TrashIcon, QKeySequence::keyBindings(QKeySequence::Delete));
    add(make(tr("Move up"), [this] { moveSelected(-1); }), QStyle::SP_ArrowUp, {QKeySequence(Qt::ALT | Qt::Key_Up)});
    add(make(tr("Move down"), [this] { moveSelected(+1); }), QStyle::SP_ArrowDown, {QKeySequence(Qt::ALT | Qt::Key_Down)});
    QAction* undo = undoStack()->createUndoAction(this, tr("Undo"));
    QAction* redo = undoStack()->createRedoAction(this, tr("Redo"));
    QAction* saveAction = make(tr("Save"), [this] { saveInBackground(); });
    add(undo, QStyle::SP_ArrowBack, QKeySequence::keyBindings(QKeySequence::Undo));
    add(redo, QStyle::SP_ArrowForward, QKeySequence::keyBindings(QKeySequence::Redo));
    add(saveAction, QStyle::SP_DialogSaveButton, QKeySequence::keyBindings(QKeySequence::Save));
    // The main window's Edit > Undo/Redo and File > Save Project use the same keys: with the focus here, these win.
    new LocalShortcuts(this, {undo, redo, saveAction});
}

void DatasetEditor::buildLayout() {
    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions(m_actions);
    m_search->setPlaceholderText(tr("Search…"));
    m_search->setClearButtonEnabled(true);

    auto* restore = new QPushButton(tr("Restore edits"), m_recoveryBar);
    auto* discard = new QPushButton(tr("Discard"), m_recoveryBar);
    auto* barLayout = new QHBoxLayout(m_recoveryBar);
    m_recoveryText->setWordWrap(true);
    barLayout->addWidget(m_recoveryText, 1);
    barLayout->addWidget(restore);
    barLayout->addWidget(discard);
    m_recoveryBar->setFrameShape(QFrame::StyledPanel);
    m_recoveryBar->hide();
    connect(restore, &QPushButton::clicked, this, [this] {
        QString error;
        if (!recover(&error)) m_recoveryText->setText(error);
    });
    connect(discard, &QPushButton::clicked, this, &DatasetEditor::discardRecovery);

    auto* searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_invalidOnly);
    searchRow->addWidget(m_status);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_pair);
    splitter->addWidget(m_quality);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 1);
    m_pair->hide();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DatasetEditor::showCurrentPair);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &DatasetEditor::showCurrentPair);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_recoveryBar);
    layout->addLayout(searchRow);
    layout->addWidget(splitter, 1);
}

bool DatasetEditor::openFile(const QString& path, QString* error) { return adopt(DatasetLoader::load(path), error); }

void DatasetEditor::openFileAsync(const QString& path) {
    m_status->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
    m_loadPending = true;
    m_loader.setFuture(QtConcurrent::run(loaderPool(), [path] {
        lowerThisThreadsPriority();
        return DatasetLoader::load(path);
    }));
}

bool DatasetEditor::adopt(DatasetLoader::Result result, QString* error) {
    if (!result.ok()) {
        if (error) *error = result.error;
        updateStatus();
        return false;
    }
    const QString path = result.document.path;
    m_check->cancel();
    m_searchScan->cancel();
    m_model->setDocument(std::move(result.document));
    if (!m_search->text().isEmpty()) setSearchText(m_search->text());  // the new file is searched again
    if (m_model->isIndexed()) startCheck();
    else m_invalidOnly->setEnabled(true);
    // The Status column as wide as its longest short label (the full reason is the cell's tooltip).
    int labelWidth = 0;
    for (const QString& label : m_model->possibleStatusLabels())
        labelWidth = std::max(labelWidth, m_view->fontMetrics().horizontalAdvance(label));
    const int icon = m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view);
    m_view->horizontalHeader()->resizeSection(DatasetTableModel::StatusColumn, std::min(labelWidth + icon + 24, 320));
    m_autosave->setDatasetPath(path);  // after setDocument, which schedules a write for the cleared stack
    m_recoveryBar->setVisible(hasRecovery(path));
    if (hasRecovery(path)) {
        m_recoveryText->setText(tr("%1 has edits that were not saved (autosaved before the editor closed). "
                                   "Restore them?").arg(QFileInfo(path).fileName()));
        emit recoveryAvailable(DatasetAutosave::autosavePath(path));
    }
    updateStatus();
    analyze();
    showCurrentPair();
    return true;
}

// Preference rows: the current row's answers side by side, their differences marked.
void DatasetEditor::showCurrentPair() {
    const auto layout = m_model->schema().layout();
    const bool pairs = layout == DatasetSchema::Layout::Preference || layout == DatasetSchema::Layout::Unpaired;
    m_pair->setVisible(pairs);
    if (!pairs) return;
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid() || current.row() >= m_model->rowCount() || m_model->row(current.row()).raw) {
        m_pair->clear();
        return;
    }
    const QStringList cells = m_model->row(current.row()).cells;
    if (layout == DatasetSchema::Layout::Unpaired)
        m_pair->showPair(cells.value(0), cells.value(1), QString(), cells.value(2));
    else
        m_pair->showPair(cells.value(0), cells.value(1), cells.value(2));
}

bool DatasetEditor::save(QString* error) { return saveAs(m_model->filePath(), error); }

bool DatasetEditor::saveAs(const QString& path, QString* error) {
    QString message = tr("No dataset is open.");
    const auto matches = searchMatchesByRow();
    if (!isSaving() && !path.isEmpty() && m_model->saveTo(path, &message)) {
        afterSave(path, matches);
        return true;
    }
    if (error) *error = message;
    m_status->setText(message);
    return false;
}

void DatasetEditor::saveInBackground() {
    const QString path = m_model->filePath();
    if (!m_model->isIndexed() || path.isEmpty()) {
        save();
        emit saveFinished(!isModified(), m_status->text());
        return;
    }
    if (isSaving()) return;
    setEditable(false);
    m_saveUndoIndex = undoStack()->index();
    m_savedBytes = std::make_shared<std::atomic<qint64>>(0);
    m_saveTotal = m_model->document().file->size();
    m_saving.setFuture(QtConcurrent::run(loaderPool(), [doc = m_model->document(), path, written = m_savedBytes] {
        lowerThisThreadsPriority();
        return DatasetTableModel::writeIndexed(doc, path, written.get());
    }));
    m_progress->start();
    updateStatus();
}

// An indexed document's search result, by row: a save makes row i the new file's row i.
std::vector<quint8> DatasetEditor::searchMatchesByRow() const {
    return m_model->isIndexed() && !m_proxy->searchText().isEmpty() && !m_searchScan->isRunning()
               ? m_proxy->matchesByRow()
               : std::vector<quint8>();
}

// The rows are the new file's now: the check of every row starts again unless its result carried over, and the
// search's result is the one before the save, by row (or the search runs again if it had not finished).
void DatasetEditor::afterSave(const QString& path, std::vector<quint8> matches) {
    if (m_model->isIndexed()) {
        if (!m_model->rowsChecked()) startCheck();
        if (!matches.empty()) {
            m_searchScan->cancel();
            m_proxy->setSearchResult(m_proxy->searchText(), std::move(matches));
        } else if (!m_proxy->searchText().isEmpty()) {
            startSearch(m_proxy->searchText());
        }
    }
    m_autosave->setDatasetPath(path);
    m_autosave->remove();  // saved cleanly: nothing left to recover
    m_recoveryBar->hide();
    updateStatus();
}

void DatasetEditor::setEditable(bool editable) {
    m_view->setEditTriggers(editable ? QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                           QAbstractItemView::SelectedClicked
                                     : QAbstractItemView::NoEditTriggers);
    for (QAction* a : std::as_const(m_actions)) a->setEnabled(editable);
    if (editable) {  // undo and redo follow the stack again
        m_actions[5]->setEnabled(undoStack()->canUndo());
        m_actions[6]->setEnabled(undoStack()->canRedo());
    }
    m_recoveryBar->setEnabled(editable);
}

QString DatasetEditor::filePath() const { return m_model->filePath(); }
bool DatasetEditor::isModified() const { return m_model->isModified(); }
QUndoStack* DatasetEditor::undoStack() const { return m_model->undoStack(); }
bool DatasetEditor::hasRecovery(const QString& path) { return DatasetAutosave::exists(path); }

bool DatasetEditor::recover(QString* error) {
    if (!DatasetAutosave::restore(m_model, error)) return false;
    m_recoveryBar->hide();
    return true;
}

void DatasetEditor::discardRecovery() {
    m_autosave->remove();
    m_recoveryBar->hide();
}

void DatasetEditor::setTokenCounter(std::function<int(const QString&)> counter) { m_tokenCounter = std::move(counter); }

void DatasetEditor::analyze() {
    if (m_model->isIndexed()) {
        m_quality->setUnavailable(
            tr("The quality report reads every row into memory, so it is off for a file this large (%n row(s)). "
               "Invalid rows are still found: tick “Invalid rows only”. For the whole report, split the file.",
               nullptr, m_model->rowCount()));
        return;
    }
    if (m_analysis.isRunning()) return;
    DatasetQualityReport::Options options;
    options.maxTokens = m_quality->maxTokens();
    options.tokenCounter = m_tokenCounter;
    options.hasAnswers = m_model->schema().hasAnswer();
    m_quality->setBusy(true);
    // Copies are cheap (implicitly shared) and keep the worker independent of later edits.
    m_analysis.setFuture(QtConcurrent::run([schema = m_model->schema(), rows = m_model->rows(), options] {
        return DatasetQualityReport::analyze(DatasetQualityReport::rowsOf(schema, rows), options);
    }));
}

void DatasetEditor::setSearchText(const QString& text) {
    if (m_search->text() != text) {
        const QSignalBlocker block(m_search);
        m_search->setText(text);
    }
    if (m_model->isIndexed() && !text.isEmpty()) {
        startSearch(text);
        return;
    }
    m_searchScan->cancel();
    m_proxy->setSearchText(text);
    updateStatus();
}

// The check the small-file filter does (each parsed cell searched), on every row of the file. Most rows are ruled
// out by their bytes alone: a row without a backslash has no escapes, so each cell's text appears as it is in its
// line, unless the cell is JSON that Qt wrote anew (a list, an object, a number: keys sorted, spaces dropped, numbers
// reformatted). Text without JSON's punctuation, and with a character that cannot be inside a number, cannot match
// across such tokens or inside a reformatted number, so a line without it has no cell with it.
void DatasetEditor::startSearch(const QString& text) {
    static const QString kJsonPunctuation = QStringLiteral("\"{}[]:,\\"), kNumberChars = QStringLiteral("0123456789.eE+-");
    const bool byBytes = std::none_of(text.begin(), text.end(), [](QChar c) { return kJsonPunctuation.contains(c); }) &&
                         std::any_of(text.begin(), text.end(), [](QChar c) { return !kNumberChars.contains(c); });
    m_scannedSearch = text;
    m_searchScan->start(m_model->document().file, m_model->originalRows(),
                        [schema = m_model->schema(), text, byBytes](DatasetRow& row) -> quint8 {
                            if (byBytes && !row.source.contains('\\') &&
                                !QString::fromUtf8(row.source).contains(text, Qt::CaseInsensitive))
                                return 0;
                            DatasetLoader::readJsonlRow(schema, row);
                            return std::any_of(row.cells.begin(), row.cells.end(), [&](const QString& cell) {
                                return cell.contains(text, Qt::CaseInsensitive);
                            });
                        });
    m_progress->start();
    updateStatus();
}

void DatasetEditor::startCheck() {
    m_invalidOnly->setEnabled(false);
    m_invalidOnly->setToolTip(tr("Available once every row is checked"));
    m_check->start(m_model->document().file, m_model->originalRows(), [schema = m_model->schema()](DatasetRow& row) {
        DatasetLoader::readJsonlRow(schema, row);
        return quint8(row.issue);
    });
    m_progress->start();
    updateStatus();
}

bool DatasetEditor::isChecking() const { return m_check->isRunning(); }
bool DatasetEditor::isSearching() const { return m_searchScan->isRunning(); }

bool DatasetEditor::selectLine(int line) {
    const auto& rows = m_model->rows();
    for (int i = 0; i < rows.size(); ++i)
        if (rows[i].line == line) {
            selectRow(i);
            return true;
        }
    return false;
}

void DatasetEditor::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) return;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, DatasetTableModel::FirstFieldColumn));
    if (!index.isValid()) {  // hidden by the search: show everything
        m_invalidOnly->setChecked(false);
        setSearchText(QString());
        index = m_proxy->mapFromSource(m_model->index(row, DatasetTableModel::FirstFieldColumn));
    }
    m_view->setCurrentIndex(index);
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

QList<int> DatasetEditor::selectedRows() const {
    QList<int> rows;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows()) rows.append(m_proxy->mapToSource(i).row());
    if (rows.isEmpty() && m_view->currentIndex().isValid()) rows.append(m_proxy->mapToSource(m_view->currentIndex()).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void DatasetEditor::addRow() {
    const QList<int> selected = selectedRows();
    const int position = selected.isEmpty() ? m_model->rowCount() : selected.back() + 1;
    m_model->addRow(position);
    selectRow(position);
}

void DatasetEditor::duplicateSelected() { m_model->duplicateRows(selectedRows()); }

void DatasetEditor::deleteSelected() { m_model->deleteRows(selectedRows()); }

void DatasetEditor::moveSelected(int delta) {
    const QList<int> selected = selectedRows();
    if (selected.size() == 1 && m_model->shiftRow(selected.front(), delta)) selectRow(selected.front() + delta);
}

void DatasetEditor::updateStatus() {
    if (m_model->filePath().isEmpty()) {
        m_status->setText(tr("No dataset open"));
        return;
    }
    const int rows = m_model->rowCount(), shown = m_proxy->rowCount();
    QString text = tr("%n row(s)", nullptr, rows);
    if (m_check->isRunning())
        text += QStringLiteral(" · ") + tr("checking rows… %1 %").arg(int(m_check->progress() * 100));
    else
        text += QStringLiteral(" · ") + tr("%n invalid", nullptr, m_model->invalidRowCount());
    if (m_searchScan->isRunning())
        text += QStringLiteral(" · ") + tr("searching… %1 %").arg(int(m_searchScan->progress() * 100));
    if (isSaving() && m_savedBytes)
        text += QStringLiteral(" · ") + tr("saving… %1 %").arg(int(100 * *m_savedBytes / std::max<qint64>(1, m_saveTotal)));
    else if (shown != rows)
        text += QStringLiteral(" · ") + tr("%n shown", nullptr, shown);
    if (!m_check->isRunning() && !m_searchScan->isRunning() && !isSaving()) m_progress->stop();
    m_status->setText(text);
}
