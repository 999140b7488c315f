#pragma once
// The tokens one example becomes, exactly as training sees them (core's ExampleEncoder): chips coloured trained vs
// masked, the attention mask, block boundaries for Base FT, the length against the limit, and per-token losses after
// training. Opening a model and encoding run on worker threads; a newer request makes an older result stale.

#include "inspectors/LoadedModel.h"

#include "core/data/dataset.h"
#include "core/train/example_encoder.h"
#include "core/train/example_table.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class TokenChipView;

class TokenInspector : public QWidget {
    Q_OBJECT
public:
    explicit TokenInspector(QWidget* parent = nullptr);

    void openModel(const QString& dir);  // loads on a worker; reports through modelLoaded
    void setModel(LoadedModelPtr model);
    LoadedModelPtr model() const { return m_model; }
    // Instruct FT: "" encodes with the model's own template.
    void setChatTemplate(const QString& source);
    QString chatTemplate() const { return m_template; }

    // Instruct FT: one conversation, cut at maxLength as training cuts it.
    void showChatExample(const ft::Example& example, int maxLength, bool trainOnPrompt = false);
    // Preference tuning: the row's sequences as the trainer sees them (prompt + chosen, prompt + rejected; a KTO row
    // its one completion), each cut at maxLength, the answers trained and the prompts masked.
    void showPreferenceExample(const ft::Example& example, int maxLength, ft::PreferenceTokenization how);
    // Base FT: the documents concatenated and cut into blocks; the first `maxBlocks` are shown.
    void showRawText(std::vector<ft::Example> examples, int blockSize, int maxBlocks = 4);
    // The project's examples, to step through with the "Example" box: each is shown as training encodes it (one
    // conversation cut at maxLength; Base FT: the documents packed into blocks of blockSize, from the one chosen).
    void setExamples(std::vector<ft::Example> examples, bool rawText, int maxLength, int blockSize, bool trainOnPrompt);
    // Preference rows to step through (shown by showPreferenceExample).
    void setPreferenceExamples(std::vector<ft::Example> examples, int maxLength, ft::PreferenceTokenization how);
    // The project's examples as training encoded them, read from its token cache (ft::findTokenCache): a million rows
    // to step through without encoding one (instruct: one example each; Base FT: the blocks from the one chosen).
    void setCachedExamples(std::shared_ptr<const ft::ExampleTable> table, bool rawText, int maxLength);
    int exampleCount() const { return m_cached ? int(m_cached->size()) : int(m_examples.size()); }
    bool showsCachedExamples() const { return m_cached != nullptr; }
    void selectExample(int index);  // 0-based; shows it once the model is loaded
    // After training: one loss per token of the example shown (trained tokens are coloured by it).
    void setTokenLosses(const std::vector<float>& losses);
    // The run's exported adapter folder (any PEFT method); enables "Show loss with the trained adapter". Empty: none.
    void setAdapterDir(const QString& adapterDir);
    QString adapterDir() const { return m_adapterDir; }
    // Loads the model with the adapter on a worker (kept for later examples) and colours the shown tokens by their
    // loss (LanguageModel::tokenLosses, training's shift). Reports through lossesShown or lossesFailed. Examples shown
    // afterwards get their losses too, until the model or the adapter changes.
    void showTrainedLosses(const QString& adapterDir);
    // One per shown chip, in order: NaN where no loss is taken (masked labels, each row's first token).
    const std::vector<float>& tokenLosses() const { return m_losses; }
    double meanTrainedLoss() const { return m_meanLoss; }  // over the tokens with a loss; NaN when none

    const ft::TokenizedExample& encoded() const { return m_encoded; }  // the example shown (blocks: the first)
    int tokenCount() const;
    int trainedCount() const;  // labels != -100
    int maskedCount() const;   // labels == -100, padding excluded
    int blockCount() const { return m_blocks; }
    TokenChipView* chipView() const { return m_view; }

signals:
    void modelLoaded(bool ok, const QString& error);
    void encodedChanged();
    void encodeFailed(const QString& message);
    void lossesShown(double meanLoss);
    void lossesFailed(const QString& message);

private:
    struct Result;
    void setExamples(std::vector<ft::Example> examples, bool rawText, int maxLength, int blockSize, bool trainOnPrompt,
                     std::optional<ft::PreferenceTokenization> preference);
    void run(std::function<Result()> job);
    void show(const Result& result);
    void showCachedExample(size_t index);
    void rebuildChips();
    void computeLosses();
    void applyLosses(std::vector<float> losses);
    void clearLosses();
    struct LossModel;

    LoadedModelPtr m_model;
    QString m_template;
    ft::TokenizedExample m_encoded;
    std::vector<ft::TokenizedExample> m_shownBlocks;
    std::vector<QString> m_pieces;  // one per token of m_shownBlocks / m_encoded, in order
    int m_limit = 0;
    int m_blocks = 0;
    bool m_rawText = false;
    bool m_preference = false;  // the rows shown are a preference row's sequences
    QStringList m_rowNames;     // their headers (chosen, rejected)
    int m_request = 0;
    QString m_adapterDir;                    // offered by the button
    std::shared_ptr<LossModel> m_lossModel;  // the model + adapter the shown losses come from; null: no losses
    int m_lossRequest = 0;
    std::vector<float> m_losses;
    double m_meanLoss;
    QPushButton* m_lossButton;
    QLabel* m_lossLegend;
    QSpinBox* m_exampleBox;
    std::vector<ft::Example> m_examples;
    std::shared_ptr<const ft::ExampleTable> m_cached;  // examples already encoded (setCachedExamples); else null
    bool m_examplesRaw = false;
    std::optional<ft::PreferenceTokenization> m_examplesPreference;
    int m_exampleMaxLength = 512, m_exampleBlockSize = 512;
    bool m_exampleTrainOnPrompt = false;
    QLabel* m_summary;
    QProgressBar* m_length;
    QCheckBox* m_padding;
    TokenChipView* m_view;
};
