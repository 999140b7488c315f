// Evaluation's text metrics against the reference implementations (tests/data/eval/metrics.jsonl, made by
// tests/data/make_eval_metric_fixtures.py): SQuAD v1.1's normalize_answer, exact match and token F1, and rouge-score
// 0.1.2's ROUGE-L with its default tokenizer and with a Unicode one, on 424 pairs (English, Korean, Greek, Cyrillic,
// the characters whose lower-case is ASCII, odd whitespace, empty strings).

#include "core/eval/text_metrics.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

class TestTextMetrics : public QObject {
    Q_OBJECT
  private slots:
    void matchReferences() {
        std::ifstream in(FT_TEST_DATA_DIR "/eval/metrics.jsonl");
        QVERIFY(in.good());
        std::string line;
        int rows = 0, korean = 0;
        while (std::getline(in, line)) {
            const auto j = nlohmann::json::parse(line);
            const std::string p = j["prediction"], r = j["reference"];
            const QString where = QStringLiteral("prediction \"%1\", reference \"%2\"")
                                      .arg(QString::fromStdString(p), QString::fromStdString(r));
            QVERIFY2(ft::squadNormalize(p) == j["normalized"].get<std::string>(),
                     qPrintable(where + ": normalized \"" + QString::fromStdString(ft::squadNormalize(p)) + "\""));
            QVERIFY2(ft::rougeTokens(p, ft::RougeTokenizer::Default) == j["rouge_tokens"].get<std::vector<std::string>>(),
                     qPrintable(where));
            QVERIFY2(std::abs(ft::exactMatch(p, r) - j["exact_match"].get<double>()) < 1e-12, qPrintable(where));
            QVERIFY2(std::abs(ft::tokenF1(p, r) - j["token_f1"].get<double>()) < 1e-12, qPrintable(where));
            QVERIFY2(std::abs(ft::rougeL(p, r) - j["rouge_l"].get<double>()) < 1e-12, qPrintable(where));
            QVERIFY2(std::abs(ft::rougeL(p, r, ft::RougeTokenizer::Unicode) - j["rouge_l_unicode"].get<double>()) < 1e-12,
                     qPrintable(where));
            if (p.find("서울") != std::string::npos && j["rouge_l_unicode"].get<double>() > 0) ++korean;
            ++rows;
        }
        qInfo("%d pairs equal the references (%d Korean with a ROUGE-L above 0 only by the Unicode tokenizer)", rows, korean);
        QVERIFY(rows >= 400);
        QVERIFY(korean > 0);
    }
};

QTEST_APPLESS_MAIN(TestTextMetrics)
#include "tst_text_metrics.moc"
