#pragma once
// Checks a model folder's tokenizer against what transformers gave for a corpus (fixture JSON: a list of
// {"text", "ids", "ids_plain", "decoded"}): shared by tst_gguf_import (tiny GGUF files) and tst_real_model (SmolLM2).
// Include after <QtTest> and <nlohmann/json.hpp>.

#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"

#include <string>
#include <vector>

namespace tokref {

inline std::vector<int> ints(const nlohmann::json& j) { return j.get<std::vector<int>>(); }

inline QString text(const std::vector<int>& v) {
    QStringList s;
    for (int i : v) s << QString::number(i);
    return s.join(',');
}

// The ids without and with the special tokens transformers puts around the text, and the decoded text.
inline void checkCorpus(const ft::ModelFolder& folder, const nlohmann::json& corpus) {
    const ft::ModelTokenizer tok(folder);
    for (const auto& c : corpus) {
        const std::string t = c["text"];
        const auto plain = tok.encode(t).ids;
        QVERIFY2(plain == ints(c["ids_plain"]),
                 qPrintable(QString::fromStdString(t) + ": " + text(plain) + " vs " + text(ints(c["ids_plain"]))));
        const auto withSpecials = tok.encodeWithSpecialTokens(t);
        QVERIFY2(withSpecials == ints(c["ids"]),
                 qPrintable(QString::fromStdString(t) + ": " + text(withSpecials) + " vs " + text(ints(c["ids"]))));
        QCOMPARE(QString::fromStdString(tok.decode(plain)), QString::fromStdString(c["decoded"].get<std::string>()));
    }
}

} // namespace tokref
