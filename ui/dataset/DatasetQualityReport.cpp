#include "dataset/DatasetQualityReport.h"

#include "dataset/DatasetSchema.h"
#include "dataset/NearDuplicateFinder.h"

#include "core/data/dataset.h"

#include <QHash>
#include <QSet>

#include <cmath>
#include <map>

namespace {

QString excerpt(const QString& text) {
    QString s = text.simplified();
    return s.size() > 60 ? s.left(60) + u'…' : s;
}

QString shapeName(RecordShape shape) {
    switch (shape) {  // the names core and the CLI use for formats
    case RecordShape::Messages: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::Messages));
    case RecordShape::ShareGpt: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::ShareGpt));
    case RecordShape::Alpaca: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::Alpaca));
    case RecordShape::PromptResponse: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::PromptResponse));
    case RecordShape::Text: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::Text));
    case RecordShape::Csv: return QStringLiteral("csv");
    case RecordShape::Preference: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::Preference));
    case RecordShape::Unpaired: return QString::fromLatin1(ft::datasetFormatName(ft::DatasetFormat::Unpaired));
    case RecordShape::Unknown: break;
    }
    return DatasetQualityReport::tr("unrecognized");
}

} // namespace

QString DatasetQualityReport::normalize(const QString& text) {
    QString out;
    out.reserve(text.size());
    bool space = false;
    for (const QChar c : text) {
        if (c.isLetterOrNumber()) {
            if (space && !out.isEmpty()) out += u' ';
            out += c.toLower();
            space = false;
        } else if (c.isSpace()) {
            space = true;
        }  // punctuation and symbols are dropped ("Hello, world!" == "hello world")
    }
    return out;
}

QList<DatasetQualityReport::Row> DatasetQualityReport::rowsOf(const DatasetSchema& schema, const QList<DatasetRow>& rows) {
    QList<Row> out;
    out.reserve(rows.size());
    for (const DatasetRow& r : rows) {
        const bool known = r.isValid() || r.issue == RowIssue::EmptyAnswer || r.issue == RowIssue::EmptyPrompt;
        out.append({schema.prompt(r), schema.answer(r), r.shape, r.isValid(), known});
    }
    return out;
}

DatasetQualityReport DatasetQualityReport::analyze(const QList<Row>& rows, const Options& options) {
    DatasetQualityReport report;
    report.m_rowCount = int(rows.size());
    report.m_maxTokens = options.maxTokens;
    report.m_tokensEstimated = !options.tokenCounter;
    QList<int> invalid;
    for (int i = 0; i < rows.size(); ++i)
        if (!rows[i].valid) invalid.append(i);
    if (!invalid.isEmpty())
        report.m_findings.append({Kind::InvalidRow, invalid, tr("%n row(s) that training would leave out", nullptr, int(invalid.size()))});
    report.findDuplicates(rows, options);
    report.findPerRow(rows, options);
    report.findMixedFormats(rows);
    return report;
}

DatasetQualityReport DatasetQualityReport::analyze(const QList<Row>& rows) { return analyze(rows, Options()); }

QList<DatasetQualityReport::Finding> DatasetQualityReport::findings(Kind kind) const {
    QList<Finding> out;
    for (const Finding& f : m_findings)
        if (f.kind == kind) out.append(f);
    return out;
}

void DatasetQualityReport::findDuplicates(const QList<Row>& rows, const Options& options) {
    QHash<QString, QList<int>> byPrompt;  // normalized prompt → rows
    QList<QString> distinct;              // in order of first appearance
    for (int i = 0; i < rows.size(); ++i) {
        const QString key = normalize(rows[i].prompt);
        if (key.isEmpty()) continue;
        auto& list = byPrompt[key];
        if (list.isEmpty()) distinct.append(key);
        list.append(i);
    }
    for (const QString& key : distinct) {
        const QList<int>& group = byPrompt[key];
        if (group.size() < 2) continue;
        const QString prompt = excerpt(rows[group.front()].prompt);
        m_findings.append({Kind::DuplicatePrompt, group, tr("%n rows with the prompt “%1”", nullptr, int(group.size())).arg(prompt)});
        if (!options.hasAnswers) continue;
        QSet<QString> answers;
        for (int r : group)
            if (rows[r].answerKnown) answers.insert(normalize(rows[r].answer));
        if (answers.size() > 1)
            m_findings.append({Kind::ConflictingAnswers, group,
                               tr("%n different answers to the prompt “%1”", nullptr, int(answers.size())).arg(prompt)});
    }
    // Near duplicates among the distinct prompts; exact copies are reported above.
    for (const QList<int>& group : NearDuplicateFinder::groups(distinct, options.nearDuplicateJaccard)) {
        QList<int> members;
        for (int k : group) members += byPrompt[distinct[k]];
        std::sort(members.begin(), members.end());
        m_findings.append({Kind::NearDuplicatePrompt, members,
                           tr("%n rows with nearly the same prompt as “%1”", nullptr, int(members.size()))
                               .arg(excerpt(rows[members.front()].prompt))});
    }
}

void DatasetQualityReport::findPerRow(const QList<Row>& rows, const Options& options) {
    QList<int> empty, shortAnswers, outliers, truncated;
    double sum = 0, sumSquares = 0;
    for (int i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        if (options.hasAnswers && r.answerKnown) {
            const qsizetype n = r.answer.trimmed().size();
            if (n == 0) empty.append(i);
            else if (n < options.shortAnswerChars) shortAnswers.append(i);
        }
        const double length = double(r.prompt.size() + r.answer.size());
        sum += length, sumSquares += length * length;
        const QString all = r.answer.isEmpty() ? r.prompt : r.prompt + u'\n' + r.answer;
        const int tokens = options.tokenCounter ? options.tokenCounter(all) : estimateTokens(all);
        if (tokens > options.maxTokens) truncated.append(i);
    }
    if (!empty.isEmpty()) m_findings.append({Kind::EmptyAnswer, empty, tr("%n row(s) with an empty answer", nullptr, int(empty.size()))});
    if (!shortAnswers.isEmpty())
        m_findings.append({Kind::ShortAnswer, shortAnswers,
                           tr("%n row(s) with an answer under %1 characters", nullptr, int(shortAnswers.size())).arg(options.shortAnswerChars)});

    const double n = double(rows.size());
    const double mean = n > 0 ? sum / n : 0, sigma = n > 0 ? std::sqrt(std::max(0.0, sumSquares / n - mean * mean)) : 0;
    const double limit = mean + options.outlierSigmas * sigma;
    if (sigma > 0)
        for (int i = 0; i < rows.size(); ++i)
            if (double(rows[i].prompt.size() + rows[i].answer.size()) > limit) outliers.append(i);
    if (!outliers.isEmpty())
        m_findings.append({Kind::LengthOutlier, outliers,
                           tr("%n row(s) longer than %1 characters (mean %2 + %3σ)", nullptr, int(outliers.size()))
                               .arg(qRound(limit)).arg(qRound(mean)).arg(options.outlierSigmas)});
    if (!truncated.isEmpty())
        m_findings.append({Kind::Truncated, truncated,
                           (options.tokenCounter
                                ? tr("%n row(s) longer than %1 tokens would be truncated", nullptr, int(truncated.size()))
                                : tr("%n row(s) longer than %1 tokens would be truncated (estimated at 4 characters a token)",
                                     nullptr, int(truncated.size())))
                               .arg(options.maxTokens)});
}

void DatasetQualityReport::findMixedFormats(const QList<Row>& rows) {
    std::map<RecordShape, int> counts;
    for (const Row& r : rows) ++counts[r.shape];
    if (counts.size() < 2) return;
    const RecordShape main =
        std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    QList<int> others;
    QStringList names;
    for (int i = 0; i < rows.size(); ++i)
        if (rows[i].shape != main) others.append(i);
    for (const auto& [shape, count] : counts)
        if (shape != main) names << shapeName(shape);
    names.sort();
    m_findings.append({Kind::MixedFormat, others,
                       tr("%n row(s) not in the main format (%1): %2", nullptr, int(others.size()))
                           .arg(shapeName(main), names.join(QStringLiteral(", ")))});
}

QString DatasetQualityReport::kindName(Kind kind) {
    switch (kind) {
    case Kind::InvalidRow: return tr("Invalid rows");
    case Kind::DuplicatePrompt: return tr("Duplicate prompts");
    case Kind::NearDuplicatePrompt: return tr("Near-duplicate prompts");
    case Kind::ConflictingAnswers: return tr("Conflicting answers");
    case Kind::EmptyAnswer: return tr("Empty answers");
    case Kind::ShortAnswer: return tr("Very short answers");
    case Kind::LengthOutlier: return tr("Length outliers");
    case Kind::Truncated: return tr("Truncated at the max length");
    case Kind::MixedFormat: return tr("Mixed formats");
    }
    return {};
}
