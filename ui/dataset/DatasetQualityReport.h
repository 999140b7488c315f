#pragma once
// Findings about a dataset as a whole, each naming its rows: duplicate and near-duplicate prompts, the same prompt
// with conflicting answers, empty or very short answers, length outliers, rows a max length would truncate, mixed
// record formats and invalid rows. Pure logic over the rows (no widgets); O(n) but for sorting the findings.

#include "dataset/DatasetRow.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>

class DatasetSchema;

class DatasetQualityReport {
    Q_DECLARE_TR_FUNCTIONS(DatasetQualityReport)
public:
    enum class Kind {
        InvalidRow,
        DuplicatePrompt,
        NearDuplicatePrompt,
        ConflictingAnswers,
        EmptyAnswer,
        ShortAnswer,
        LengthOutlier,
        Truncated,
        MixedFormat,
    };

    struct Row {
        QString prompt;
        QString answer;
        RecordShape shape = RecordShape::Unknown;
        bool valid = true;
        bool answerKnown = true;  // false where the row is malformed, so its "answer" is no answer
    };

    struct Finding {
        Kind kind;
        QList<int> rows;  // row indices in the dataset, ascending
        QString detail;   // translated
    };

    struct Options {
        int maxTokens = 2048;
        // The real tokenizer's count where there is one (it may be called from a worker thread); when empty the
        // report estimates 4 characters a token and says so.
        std::function<int(const QString&)> tokenCounter;
        bool hasAnswers = true;       // false for raw-text datasets
        int shortAnswerChars = 3;     // a trimmed answer shorter than this is "very short"
        double nearDuplicateJaccard = 0.9;
        double outlierSigmas = 3.0;   // longer than mean + 3σ characters
    };

    static DatasetQualityReport analyze(const QList<Row>& rows, const Options& options);
    static DatasetQualityReport analyze(const QList<Row>& rows);  // with the default options
    static QList<Row> rowsOf(const DatasetSchema& schema, const QList<DatasetRow>& rows);
    // Lowercased, punctuation removed, whitespace collapsed: what "the same prompt" means here.
    static QString normalize(const QString& text);
    static int estimateTokens(const QString& text) { return int((text.size() + 3) / 4); }
    static QString kindName(Kind kind);

    const QList<Finding>& findings() const { return m_findings; }
    QList<Finding> findings(Kind kind) const;
    bool tokensEstimated() const { return m_tokensEstimated; }
    int maxTokens() const { return m_maxTokens; }
    int rowCount() const { return m_rowCount; }

private:
    void findDuplicates(const QList<Row>& rows, const Options& options);
    void findPerRow(const QList<Row>& rows, const Options& options);
    void findMixedFormats(const QList<Row>& rows);

    QList<Finding> m_findings;
    bool m_tokensEstimated = true;
    int m_maxTokens = 0;
    int m_rowCount = 0;
};
