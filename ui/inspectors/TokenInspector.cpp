#include "inspectors/TokenInspector.h"

#include "ErrorText.h"
#include "inspectors/TokenChipView.h"
#include "inspectors/VisibleText.h"

#include "core/inference/language_model.h"
#include "core/text/tokenizer.h"

#include <QCheckBox>
#include <QColor>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

struct TokenInspector::Result {
    std::vector<ft::TokenizedExample> rows;  // one example, or the first blocks
    std::vector<QString> pieces;
    int blocks = 0;
    QString error;
};

// The base model with the trained adapter, loaded on first use on a worker and kept for the next examples.
struct TokenInspector::LossModel {
    QString modelDir, adapterDir;
    std::mutex mutex;  // one load or forward at a time
    std::unique_ptr<ft::LanguageModel> lm;
};

namespace {

constexpr float kNoLoss = std::numeric_limits<float>::quiet_NaN();

// The chip view's heat map colour at t in [0, 1] of the highest loss.
QString heatColour(double t) { return TokenChipView::heatColour(t).name(); }

std::vector<QString> piecesOf(const ft::ModelTokenizer& tok, const std::vector<ft::TokenizedExample>& rows) {
    std::vector<QString> pieces;
    for (const auto& r : rows)
        for (int id : r.ids) pieces.push_back(visibleWhitespace(QString::fromStdString(tok.base().idToPiece(id))));
    return pieces;
}

} // namespace

TokenInspector::TokenInspector(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_length(new QProgressBar(this)),
      m_padding(new QCheckBox(tr("Show padding to the length limit (attention mask 0)"), this)),
      m_view(new TokenChipView(this)), m_meanLoss(kNoLoss),
      m_lossButton(new QPushButton(tr("Show loss with the trained adapter…"), this)), m_lossLegend(new QLabel(this)),
      m_exampleBox(new QSpinBox(this)) {
    m_exampleBox->setObjectName(QStringLiteral("exampleBox"));
    m_exampleBox->setPrefix(tr("Example "));
    m_exampleBox->setEnabled(false);
    connect(m_exampleBox, &QSpinBox::valueChanged, this, [this](int n) { selectExample(n - 1); });
    m_lossButton->setObjectName(QStringLiteral("showLossButton"));
    m_lossButton->setToolTip(tr("Colour the trained tokens by the loss of the model with the trained adapter: "
                                "how surprised it still is by each token it was trained on."));
    m_lossButton->setEnabled(false);
    m_lossLegend->setWordWrap(true);
    m_lossLegend->setVisible(false);
    connect(m_lossButton, &QPushButton::clicked, this, [this] {
        QString dir = m_adapterDir;
        if (dir.isEmpty()) dir = QFileDialog::getExistingDirectory(this, tr("Choose the Trained Adapter Folder"));
        if (!dir.isEmpty()) showTrainedLosses(dir);
    });
    m_summary->setWordWrap(true);
    m_summary->setText(tr("No example shown yet."));
    m_length->setTextVisible(true);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_view);
    auto* legend = new QLabel(tr("<span style=\"background:#c8f0d0\">&nbsp;trained&nbsp;</span> "
                                 "<span style=\"background:#e5e7e9\">&nbsp;masked (label -100)&nbsp;</span> "
                                 "dashed: attention mask 0 (padding) · hover a token for details"),
                              this);
    auto* layout = new QVBoxLayout(this);  // the style's margins, as the other tabs; a page embedding it sets none
    layout->addWidget(m_summary);
    layout->addWidget(m_length);
    layout->addWidget(legend);
    auto* options = new QHBoxLayout;
    options->addWidget(m_exampleBox);
    options->addWidget(m_padding);
    options->addStretch(1);
    options->addWidget(m_lossButton);
    layout->addLayout(options);
    layout->addWidget(m_lossLegend);
    layout->addWidget(scroll, 1);
    connect(m_padding, &QCheckBox::toggled, this, &TokenInspector::rebuildChips);
}

void TokenInspector::openModel(const QString& dir) {
    m_summary->setText(tr("Opening %1 …").arg(dir));
    auto* watcher = new QFutureWatcher<LoadedModelPtr>(this);
    connect(watcher, &QFutureWatcher<LoadedModelPtr>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const LoadedModelPtr m = watcher->result();
        if (m->ok()) setModel(m);
        else m_summary->setText(m->error);
        emit modelLoaded(m->ok(), m->error);
    });
    watcher->setFuture(QtConcurrent::run([dir] { return loadModel(dir); }));
}

void TokenInspector::setModel(LoadedModelPtr model) {
    if (model != m_model) {
        m_lossModel.reset();  // losses of another model's tokens
        clearLosses();
    }
    m_model = std::move(model);
    m_lossButton->setEnabled(m_model && m_model->ok());
    if (m_model && m_model->ok() && exampleCount() > 0) selectExample(m_exampleBox->value() - 1);
}

void TokenInspector::setPreferenceExamples(std::vector<ft::Example> examples, int maxLength, ft::PreferenceTokenization how) {
    m_examplesPreference = how;
    setExamples(std::move(examples), false, maxLength, maxLength, false, how);
}

void TokenInspector::setExamples(std::vector<ft::Example> examples, bool rawText, int maxLength, int blockSize,
                                 bool trainOnPrompt) {
    setExamples(std::move(examples), rawText, maxLength, blockSize, trainOnPrompt, std::nullopt);
}

void TokenInspector::setExamples(std::vector<ft::Example> examples, bool rawText, int maxLength, int blockSize,
                                 bool trainOnPrompt, std::optional<ft::PreferenceTokenization> preference) {
    m_cached.reset();
    m_examples = std::move(examples);
    m_examplesRaw = rawText;
    m_examplesPreference = preference;
    m_exampleMaxLength = maxLength;
    m_exampleBlockSize = blockSize;
    m_exampleTrainOnPrompt = trainOnPrompt;
    const QSignalBlocker block(m_exampleBox);
    m_exampleBox->setRange(1, std::max(1, int(m_examples.size())));
    m_exampleBox->setSuffix(tr(" of %1").arg(m_examples.size()));
    m_exampleBox->setValue(1);
    m_exampleBox->setEnabled(!m_examples.empty());
    if (!m_examples.empty()) selectExample(0);
}

void TokenInspector::setCachedExamples(std::shared_ptr<const ft::ExampleTable> table, bool rawText, int maxLength) {
    m_examples.clear();
    m_cached = std::move(table);
    m_examplesRaw = rawText;
    m_examplesPreference.reset();
    m_exampleMaxLength = m_exampleBlockSize = maxLength;
    const int count = exampleCount();
    const QSignalBlocker block(m_exampleBox);
    m_exampleBox->setRange(1, std::max(1, count));
    m_exampleBox->setSuffix(tr(" of %1").arg(count));
    m_exampleBox->setValue(1);
    m_exampleBox->setEnabled(count > 0);
    if (count > 0) selectExample(0);
}

void TokenInspector::showCachedExample(size_t index) {
    m_rawText = m_examplesRaw;
    m_preference = false;
    m_limit = m_exampleMaxLength;
    const LoadedModelPtr model = m_model;
    run([model, table = m_cached, index, raw = m_examplesRaw] {
        Result r;
        // Raw text: the first blocks from the one chosen, as showRawText shows them.
        const size_t shown = raw ? std::min<size_t>(4, table->size() - index) : 1;
        for (size_t i = 0; i < shown; ++i) r.rows.push_back(table->example(index + i));
        r.blocks = raw ? int(table->size() - index) : 0;
        r.pieces = piecesOf(model->encoder->tokenizer(), r.rows);
        return r;
    });
}

void TokenInspector::selectExample(int index) {
    if (index < 0 || index >= exampleCount()) return;
    if (m_exampleBox->value() != index + 1) {
        const QSignalBlocker block(m_exampleBox);
        m_exampleBox->setValue(index + 1);
    }
    if (!m_model || !m_model->ok()) return;  // shown when the model arrives (setModel)
    if (m_cached)
        showCachedExample(size_t(index));
    else if (m_examplesPreference)
        showPreferenceExample(m_examples[size_t(index)], m_exampleMaxLength, *m_examplesPreference);
    else if (m_examplesRaw)
        showRawText(std::vector<ft::Example>(m_examples.begin() + index, m_examples.end()), m_exampleBlockSize);
    else
        showChatExample(m_examples[size_t(index)], m_exampleMaxLength, m_exampleTrainOnPrompt);
}

void TokenInspector::setAdapterDir(const QString& adapterDir) {
    // A new run may have rewritten the same folder: what was loaded from it is stale.
    m_adapterDir = adapterDir;
    if (m_lossModel) {
        m_lossModel.reset();
        clearLosses();
    }
}

void TokenInspector::showTrainedLosses(const QString& adapterDir) {
    if (!m_model || !m_model->ok()) {
        emit lossesFailed(tr("Open the model first."));
        return;
    }
    auto lossModel = std::make_shared<LossModel>();
    lossModel->modelDir = m_model->dir;
    lossModel->adapterDir = adapterDir;
    m_lossModel = std::move(lossModel);
    clearLosses();
    m_lossLegend->setText(tr("Loading the model with the adapter %1 …").arg(adapterDir));
    m_lossLegend->setVisible(true);
    computeLosses();
}

void TokenInspector::computeLosses() {
    if (!m_lossModel || m_shownBlocks.empty()) return;
    struct Losses {
        std::vector<float> values;
        QString error;
    };
    const int request = ++m_lossRequest;
    const std::shared_ptr<LossModel> lossModel = m_lossModel;
    auto* watcher = new QFutureWatcher<Losses>(this);
    connect(watcher, &QFutureWatcher<Losses>::finished, this, [this, watcher, request, lossModel] {
        watcher->deleteLater();
        if (request != m_lossRequest || lossModel != m_lossModel) return;  // another example or adapter meanwhile
        Losses r = watcher->result();
        if (!r.error.isEmpty()) {
            m_lossModel.reset();
            m_lossLegend->setText(r.error);
            emit lossesFailed(r.error);
            return;
        }
        applyLosses(std::move(r.values));
    });
    watcher->setFuture(QtConcurrent::run([lossModel, rows = m_shownBlocks] {
        Losses r;
        try {
            const std::lock_guard lock(lossModel->mutex);
            if (!lossModel->lm) {
                auto lm = ft::LanguageModel::load(lossModel->modelDir.toStdString());
                lm->applyAdapter(lossModel->adapterDir.toStdString());
                lossModel->lm = std::move(lm);
            }
            for (const auto& row : rows) {
                const std::vector<float> l = lossModel->lm->tokenLosses(row.ids, row.labels);
                r.values.insert(r.values.end(), l.begin(), l.end());
            }
        } catch (const ft::Error& e) {
            r.error = errorText(e);
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void TokenInspector::applyLosses(std::vector<float> losses) {
    m_losses = std::move(losses);
    double sum = 0;
    int counted = 0;
    float highest = 0.0f;
    for (float l : m_losses) {
        if (std::isnan(l)) continue;
        sum += l;
        ++counted;
        highest = std::max(highest, l);
    }
    m_meanLoss = counted ? sum / counted : kNoLoss;
    rebuildChips();  // hands the losses to the chips
    m_lossLegend->setText(
        tr("Loss with the trained adapter: <span style=\"background:%1\">&nbsp;0&nbsp;</span>"
           "<span style=\"background:%2\">&nbsp;%4&nbsp;</span>"
           "<span style=\"background:%3\">&nbsp;%5&nbsp;</span> · mean %6 over %n trained token(s) "
           "(perplexity %7) · hover a token for its loss",
           "", counted)
            .arg(heatColour(0.0), heatColour(0.5), heatColour(1.0))
            .arg(double(highest) / 2, 0, 'f', 2)
            .arg(double(highest), 0, 'f', 2)
            .arg(m_meanLoss, 0, 'f', 3)
            .arg(std::exp(m_meanLoss), 0, 'f', 2));
    m_lossLegend->setVisible(true);
    emit lossesShown(m_meanLoss);
}

void TokenInspector::clearLosses() {
    ++m_lossRequest;
    m_losses.clear();
    m_meanLoss = kNoLoss;
    m_lossLegend->setVisible(false);
}

void TokenInspector::setChatTemplate(const QString& source) { m_template = source; }

void TokenInspector::run(std::function<Result()> job) {
    const int request = ++m_request;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != m_request) return;  // a newer example was asked for meanwhile
        show(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(std::move(job)));
}

void TokenInspector::showChatExample(const ft::Example& example, int maxLength, bool trainOnPrompt) {
    if (!m_model || !m_model->ok()) return;
    m_rawText = false;
    m_preference = false;
    m_limit = maxLength;
    const LoadedModelPtr model = m_model;
    const std::string tpl = m_template.toStdString();
    run([model, tpl, example, maxLength, trainOnPrompt] {
        Result r;
        try {
            if (tpl.empty() || tpl == model->folder.chatTemplate) {
                r.rows.push_back(model->encoder->encodeChat(example, maxLength, trainOnPrompt));
            } else {
                ft::ModelFolder folder = model->folder;  // the template chosen for training, as training uses it
                folder.chatTemplate = tpl;
                const ft::ExampleEncoder encoder(folder);
                r.rows.push_back(encoder.encodeChat(example, maxLength, trainOnPrompt));
            }
            r.pieces = piecesOf(model->encoder->tokenizer(), r.rows);
        } catch (const ft::Error& e) {
            r.error = errorText(e);
        }
        return r;
    });
}

void TokenInspector::showPreferenceExample(const ft::Example& example, int maxLength, ft::PreferenceTokenization how) {
    if (!m_model || !m_model->ok()) return;
    m_rawText = false;
    m_preference = true;
    m_limit = maxLength;
    m_rowNames = example.preference && example.preference->desirable
                     ? QStringList{*example.preference->desirable ? tr("Completion (desirable)") : tr("Completion (undesirable)")}
                     : QStringList{tr("Prompt + chosen"), tr("Prompt + rejected")};
    const LoadedModelPtr model = m_model;
    const std::string tpl = m_template.toStdString();
    run([model, tpl, example, maxLength, how] {
        Result r;
        try {
            // The loaded encoder unless training uses another template (as showChatExample): no tokenizer reload.
            std::unique_ptr<ft::ExampleEncoder> own;
            if (!tpl.empty() && tpl != model->folder.chatTemplate) {
                ft::ModelFolder folder = model->folder;
                folder.chatTemplate = tpl;
                own = std::make_unique<ft::ExampleEncoder>(folder);
            }
            const ft::TokenizedPreference row = (own ? *own : *model->encoder).encodePreference(example, how);
            const auto add = [&](const std::vector<int>& ids, int prompt) {
                if (ids.empty()) return;
                ft::TokenizedExample e;
                e.line = example.line;
                e.ids = ids;
                e.labels.assign(ids.size(), ft::kIgnoreIndex);
                for (size_t t = size_t(prompt); t < ids.size(); ++t) e.labels[t] = ids[t];
                if (maxLength > 0 && int(e.ids.size()) > maxLength) {
                    e.ids.resize(size_t(maxLength));
                    e.labels.resize(size_t(maxLength));
                    e.truncated = true;
                }
                r.rows.push_back(std::move(e));
            };
            add(row.chosen, row.chosenPrompt);
            add(row.rejected, row.rejectedPrompt);
            r.pieces = piecesOf(model->encoder->tokenizer(), r.rows);
        } catch (const ft::Error& e) {
            r.error = errorText(e);
        }
        return r;
    });
}

void TokenInspector::showRawText(std::vector<ft::Example> examples, int blockSize, int maxBlocks) {
    if (!m_model || !m_model->ok()) return;
    m_rawText = true;
    m_preference = false;
    m_limit = blockSize;
    const LoadedModelPtr model = m_model;
    run([model, examples = std::move(examples), blockSize, maxBlocks] {
        Result r;
        try {
            auto blocks = model->encoder->encodeRawText(examples, blockSize);
            r.blocks = int(blocks.size());
            blocks.resize(std::min(blocks.size(), size_t(std::max(1, maxBlocks))));
            r.rows = std::move(blocks);
            r.pieces = piecesOf(model->encoder->tokenizer(), r.rows);
        } catch (const ft::Error& e) {
            r.error = errorText(e);
        }
        return r;
    });
}

void TokenInspector::show(const Result& result) {
    if (!result.error.isEmpty()) {
        clearLosses();
        m_shownBlocks.clear();
        m_encoded = {};
        m_blocks = 0;
        m_pieces.clear();
        m_summary->setText(result.error);
        rebuildChips();
        emit encodeFailed(result.error);
        return;
    }
    clearLosses();
    m_shownBlocks = result.rows;
    m_encoded = result.rows.empty() ? ft::TokenizedExample{} : result.rows.front();
    m_pieces = result.pieces;
    m_blocks = m_rawText ? result.blocks : 0;
    const int n = tokenCount();
    if (m_preference) {
        QStringList parts;
        for (size_t i = 0; i < m_shownBlocks.size(); ++i) {
            const auto& row = m_shownBlocks[i];
            const auto trained = std::count_if(row.labels.begin(), row.labels.end(), [](int l) { return l != ft::kIgnoreIndex; });
            parts << tr("%1: %2 tokens, %3 of the answer trained%4")
                         .arg(i < size_t(m_rowNames.size()) ? m_rowNames[int(i)] : QString())
                         .arg(row.ids.size())
                         .arg(trained)
                         .arg(row.truncated ? tr(" (cut at %1)").arg(m_limit) : QString());
        }
        m_summary->setText(parts.join(QStringLiteral("; ")) +
                           tr(". The prompt is masked (label -100); the loss compares the answers' summed log-probabilities."));
    } else if (m_rawText) {
        m_summary->setText(tr("%n block(s) of %1 tokens; every token is trained. The first %2 are shown.", "", m_blocks)
                               .arg(m_limit)
                               .arg(m_shownBlocks.size()));
    } else {
        m_summary->setText(tr("%1 tokens: %2 trained, %3 masked (label -100). Attention mask: 1 on all %1 (a batch "
                              "pads shorter rows with 0).%4")
                               .arg(n)
                               .arg(trainedCount())
                               .arg(maskedCount())
                               .arg(m_encoded.truncated ? tr(" Cut at the limit of %1 tokens.").arg(m_limit) : QString()));
    }
    m_length->setRange(0, std::max(1, m_limit));
    m_length->setValue(std::min(m_rawText ? m_limit : n, std::max(1, m_limit)));
    m_length->setFormat(tr("%1 / %2 tokens").arg(m_rawText ? m_limit : n).arg(m_limit));
    rebuildChips();
    if (m_lossModel) {
        m_lossLegend->setText(tr("Computing the losses with the adapter …"));
        m_lossLegend->setVisible(true);
        computeLosses();  // the adapter chosen before applies to this example too
    }
    emit encodedChanged();
}

void TokenInspector::rebuildChips() {
    std::vector<TokenChip> chips;
    size_t piece = 0;
    int segment = 0;
    for (const auto& row : m_shownBlocks) {
        ++segment;
        for (size_t t = 0; t < row.ids.size(); ++t, ++piece) {
            TokenChip c;
            c.id = row.ids[t];
            c.piece = piece < m_pieces.size() ? m_pieces[piece] : QString::number(c.id);
            c.trained = row.labels[t] != ft::kIgnoreIndex;
            c.segment = row.segments.empty() ? segment : row.segments[t];
            chips.push_back(std::move(c));
        }
    }
    if (!m_rawText && !m_preference && m_padding->isChecked() && m_model && !chips.empty()) {
        const int pad = m_model->encoder->tokenizer().padId();
        for (int t = int(chips.size()); t < m_limit; ++t) {
            TokenChip c;
            c.id = pad;
            c.piece = tr("pad");
            c.attended = false;
            c.segment = chips.front().segment;
            chips.push_back(std::move(c));
        }
    }
    m_view->setChips(std::move(chips), m_rawText ? tr("Block %1") : tr("Example %1"), m_preference ? m_rowNames : QStringList());
    if (!m_losses.empty()) {
        std::vector<float> shown(m_losses);
        std::replace_if(shown.begin(), shown.end(), [](float l) { return std::isnan(l); }, -1.0f);  // the view's "none"
        m_view->setLosses(shown);
    }
}

void TokenInspector::setTokenLosses(const std::vector<float>& losses) { m_view->setLosses(losses); }

int TokenInspector::tokenCount() const { return int(m_encoded.ids.size()); }

int TokenInspector::trainedCount() const {
    return int(std::count_if(m_encoded.labels.begin(), m_encoded.labels.end(), [](int l) { return l != ft::kIgnoreIndex; }));
}

int TokenInspector::maskedCount() const { return tokenCount() - trainedCount(); }
