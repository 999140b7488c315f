#include "core/eval/eval_report.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ft {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "finetune-studio-eval";
constexpr int kVersion = 1;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double numberOr(const json& j, const char* key, double fallback = std::nan("")) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}
std::optional<double> optionalNumber(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

json scoresJson(const EvalScores& s) {
    json j = {{"loss", number(s.loss)},          {"perplexity", number(s.perplexity)}, {"tokens", s.tokens},
              {"exact_match", number(s.exactMatch)}, {"token_f1", number(s.tokenF1)},  {"rouge_l", number(s.rougeL)},
              {"rouge_l_unicode", number(s.rougeLUnicode)}};
    if (s.rewardAccuracy) j["rewards/accuracies"] = *s.rewardAccuracy;
    if (s.rewardMargin) j["rewards/margins"] = *s.rewardMargin;
    if (s.logpAccuracy) j["logps/accuracies"] = *s.logpAccuracy;
    return j;
}

EvalScores scoresFrom(const json& j) {
    EvalScores s;
    s.loss = numberOr(j, "loss");
    s.perplexity = numberOr(j, "perplexity");
    s.tokens = j.value("tokens", int64_t(0));
    s.exactMatch = numberOr(j, "exact_match");
    s.tokenF1 = numberOr(j, "token_f1");
    s.rougeL = numberOr(j, "rouge_l");
    s.rougeLUnicode = numberOr(j, "rouge_l_unicode");
    s.rewardAccuracy = optionalNumber(j, "rewards/accuracies");
    s.rewardMargin = optionalNumber(j, "rewards/margins");
    s.logpAccuracy = optionalNumber(j, "logps/accuracies");
    return s;
}

json answerJson(const EvalAnswer& a) {
    json j = {{"answer", a.text},          {"new_tokens", a.newTokens}, {"loss", number(a.loss)},
              {"tokens", a.tokens},        {"exact_match", a.exactMatch}, {"token_f1", a.tokenF1},
              {"rouge_l", a.rougeL},       {"rouge_l_unicode", a.rougeLUnicode}};
    if (a.logpChosen) j["logps/chosen"] = *a.logpChosen;
    if (a.logpRejected) j["logps/rejected"] = *a.logpRejected;
    if (a.reward) j["reward_margin"] = *a.reward;
    return j;
}

EvalAnswer answerFrom(const json& j) {
    EvalAnswer a;
    a.text = j.at("answer").get<std::string>();
    a.newTokens = j.value("new_tokens", 0);
    a.loss = numberOr(j, "loss");
    a.tokens = j.value("tokens", 0);
    a.exactMatch = numberOr(j, "exact_match", 0);
    a.tokenF1 = numberOr(j, "token_f1", 0);
    a.rougeL = numberOr(j, "rouge_l", 0);
    a.rougeLUnicode = numberOr(j, "rouge_l_unicode", 0);
    a.logpChosen = optionalNumber(j, "logps/chosen");
    a.logpRejected = optionalNumber(j, "logps/rejected");
    a.reward = optionalNumber(j, "reward_margin");
    return a;
}

json headerJson(const EvalReport& r) {
    json sides = json::array();
    for (const auto& s : r.sides) sides.push_back({{"name", s.name}, {"source", s.source}, {"scores", scoresJson(s.scores)}});
    return {{"format", kFormat},
            {"version", kVersion},
            {"project", r.project},
            {"project_file", r.projectFile.string()},
            {"data", r.dataFile.string()},
            {"held_out", r.heldOut},
            {"model", r.model.string()},
            {"kind", r.kind},
            {"method", r.method},
            {"examples", r.rows.size()},
            {"skipped_rows", r.skippedRows},
            {"row_errors", r.rowErrors},
            {"max_new_tokens", r.maxNewTokens},
            {"sampled", r.sampled},
            {"seed", r.seed},
            {"seconds", r.seconds},
            {"sides", sides}};
}

std::string escapeHtml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string fixed(double v, int digits = 3) {
    if (!std::isfinite(v)) return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// Per-row loss of the first tuned side against the base's: below the diagonal is better.
std::string lossScatterSvg(const EvalReport& r) {
    constexpr double W = 420, H = 420, M = 48;
    double lo = 1e300, hi = -1e300;
    for (const auto& row : r.rows)
        for (size_t s = 0; s < std::min<size_t>(2, row.answers.size()); ++s)
            if (std::isfinite(row.answers[s].loss)) {
                lo = std::min(lo, row.answers[s].loss);
                hi = std::max(hi, row.answers[s].loss);
            }
    if (lo > hi) return "<p>No row has scored tokens.</p>";
    if (hi - lo < 1e-9) hi = lo + 1;
    const double pad = (hi - lo) * 0.05;
    lo = std::max(0.0, lo - pad);
    hi += pad;
    const auto X = [&](double v) { return M + (v - lo) / (hi - lo) * (W - M - 12); };
    const auto Y = [&](double v) { return H - M - (v - lo) / (hi - lo) * (H - M - 12); };
    std::ostringstream o;
    o << "<svg class=\"plot\" viewBox=\"0 0 " << W << ' ' << H << "\" width=\"" << W << "\" height=\"" << H
      << "\" role=\"img\" aria-label=\"per-example loss, base against tuned\">";
    o << "<rect x=\"" << M << "\" y=\"12\" width=\"" << W - M - 12 << "\" height=\"" << H - M - 12 << "\" fill=\"#fafafa\" stroke=\"#999\"/>";
    o << "<line x1=\"" << X(lo) << "\" y1=\"" << Y(lo) << "\" x2=\"" << X(hi) << "\" y2=\"" << Y(hi)
      << "\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>";
    for (int i = 0; i <= 4; ++i) {
        const double v = lo + (hi - lo) * i / 4;
        o << "<text x=\"" << X(v) << "\" y=\"" << H - M + 16 << "\" font-size=\"11\" text-anchor=\"middle\">" << fixed(v, 2) << "</text>";
        o << "<text x=\"" << M - 6 << "\" y=\"" << Y(v) + 4 << "\" font-size=\"11\" text-anchor=\"end\">" << fixed(v, 2) << "</text>";
    }
    o << "<text x=\"" << (M + W) / 2 << "\" y=\"" << H - 8 << "\" font-size=\"12\" text-anchor=\"middle\">base loss</text>";
    o << "<text x=\"14\" y=\"" << H / 2 << "\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 " << H / 2
      << ")\">" << escapeHtml(r.sides.size() > 1 ? r.sides[1].name : "tuned") << " loss</text>";
    for (const auto& row : r.rows) {
        if (row.answers.size() < 2) break;
        const double b = row.answers[0].loss, t = row.answers[1].loss;
        if (!std::isfinite(b) || !std::isfinite(t)) continue;
        o << "<circle cx=\"" << X(b) << "\" cy=\"" << Y(t) << "\" r=\"3.5\" fill=\"" << (t <= b ? "#2e7d32" : "#c62828")
          << "\" fill-opacity=\"0.7\"><title>line " << row.line << ": " << fixed(b) << " → " << fixed(t) << "</title></circle>";
    }
    o << "</svg>";
    return o.str();
}

// Each metric's mean per side as grouped bars (0..1).
std::string metricBarsSvg(const EvalReport& r) {
    const std::vector<std::pair<const char*, double EvalScores::*>> metrics{
        {"exact match", &EvalScores::exactMatch}, {"token F1", &EvalScores::tokenF1},
        {"ROUGE-L", &EvalScores::rougeL},         {"ROUGE-L (Unicode words)", &EvalScores::rougeLUnicode}};
    static const char* colors[] = {"#757575", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f"};
    const double groupW = 130, barW = std::min(28.0, 110.0 / double(std::max<size_t>(1, r.sides.size()))), H = 260, M = 36;
    const double W = M + groupW * double(metrics.size()) + 10;
    std::ostringstream o;
    o << "<svg class=\"plot\" viewBox=\"0 0 " << W << ' ' << H + 40 << "\" width=\"" << W << "\" height=\"" << H + 40
      << "\" role=\"img\" aria-label=\"metrics per model\">";
    for (int i = 0; i <= 4; ++i) {
        const double y = H - (H - 20) * i / 4.0;
        o << "<line x1=\"" << M << "\" x2=\"" << W - 10 << "\" y1=\"" << y << "\" y2=\"" << y << "\" stroke=\"#ddd\"/>";
        o << "<text x=\"" << M - 4 << "\" y=\"" << y + 4 << "\" font-size=\"11\" text-anchor=\"end\">" << fixed(i / 4.0, 2) << "</text>";
    }
    for (size_t m = 0; m < metrics.size(); ++m) {
        const double x0 = M + groupW * double(m) + 10;
        for (size_t s = 0; s < r.sides.size(); ++s) {
            const double v = std::clamp(r.sides[s].scores.*(metrics[m].second), 0.0, 1.0);
            const double h = (H - 20) * (std::isfinite(v) ? v : 0.0);
            o << "<rect x=\"" << x0 + barW * double(s) << "\" y=\"" << H - h << "\" width=\"" << barW - 3 << "\" height=\"" << h
              << "\" fill=\"" << colors[s % 5] << "\"><title>" << escapeHtml(r.sides[s].name) << ": " << fixed(v) << "</title></rect>";
        }
        o << "<text x=\"" << x0 + groupW / 2 - 10 << "\" y=\"" << H + 16 << "\" font-size=\"11\" text-anchor=\"middle\">"
          << metrics[m].first << "</text>";
    }
    for (size_t s = 0; s < r.sides.size(); ++s)
        o << "<rect x=\"" << M + 160 * double(s) << "\" y=\"" << H + 26 << "\" width=\"10\" height=\"10\" fill=\"" << colors[s % 5]
          << "\"/><text x=\"" << M + 14 + 160 * double(s) << "\" y=\"" << H + 35 << "\" font-size=\"11\">" << escapeHtml(r.sides[s].name) << "</text>";
    o << "</svg>";
    return o.str();
}

constexpr const char* kStyle = R"(body{font-family:sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#eee;cursor:pointer;position:sticky;top:0}td.text{max-width:320px;white-space:pre-wrap;word-break:break-word}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.better td.delta{background:#e8f5e9}tr.worse td.delta{background:#ffebee}
.plots{display:flex;gap:32px;flex-wrap:wrap;align-items:flex-start}.note{color:#555;font-size:13px}#filter{margin:8px 0;width:320px})";

// Sorting by a column (numbers as numbers) and filtering by text, without any library.
constexpr const char* kScript = R"(<script>
(function(){
const t=document.getElementById('rows');const body=t.tBodies[0];
t.tHead.addEventListener('click',e=>{const th=e.target.closest('th');if(!th)return;const i=th.cellIndex;
const asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';const rows=[...body.rows];
rows.sort((a,b)=>{const x=a.cells[i].dataset.v??a.cells[i].textContent,y=b.cells[i].dataset.v??b.cells[i].textContent;
const nx=parseFloat(x),ny=parseFloat(y);const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
rows.forEach(r=>body.appendChild(r));});
document.getElementById('filter').addEventListener('input',e=>{const q=e.target.value.toLowerCase();
for(const r of body.rows)r.style.display=r.textContent.toLowerCase().includes(q)?'':'none';
document.getElementById('shown').textContent=[...body.rows].filter(r=>r.style.display!=='none').length;});
})();
</script>)";

} // namespace

std::string evalSummaryJson(const EvalReport& report, int indent) {
    json j;
    j["examples"] = report.rows.size();
    for (size_t s = 0; s < report.sides.size(); ++s) {
        json scores = scoresJson(report.sides[s].scores);
        if (s == 0) {
            j["base"] = scores;
        } else if (s == 1) {
            j["tuned"] = scores;
            j["tuned_from"] = report.sides[s].source;
        } else {
            scores["name"] = report.sides[s].name;
            scores["source"] = report.sides[s].source;
            j["compare"].push_back(scores);
        }
    }
    j["skipped_rows"] = report.skippedRows;
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

void writeEvalJsonl(const std::filesystem::path& file, const EvalReport& report) {
    std::string out = headerJson(report).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    for (const auto& row : report.rows) {
        json answers = json::array();
        for (const auto& a : row.answers) answers.push_back(answerJson(a));
        out += json{{"line", row.line}, {"prompt", row.prompt}, {"reference", row.reference}, {"answers", answers}}
                   .dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    }
    writeFileAtomic(file, out);
}

EvalReport readEvalJsonl(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw Error(ErrorCode::FileNotFound, file.string(), "cannot open the evaluation file");
    EvalReport r;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        const std::string where = file.string() + ":" + std::to_string(number);
        try {
            const json j = json::parse(line);
            if (number == 1) {
                if (j.value("format", "") != kFormat)
                    throw Error(ErrorCode::InvalidValue, where, "not an evaluation file of Finetune Studio (no \"format\": \"finetune-studio-eval\")");
                if (j.value("version", 0) > kVersion)
                    throw Error(ErrorCode::Unsupported, where, "written by a newer version of Finetune Studio");
                r.project = j.value("project", "");
                r.projectFile = j.value("project_file", "");
                r.dataFile = j.value("data", "");
                r.heldOut = j.value("held_out", true);
                r.model = j.value("model", "");
                r.kind = j.value("kind", "");
                r.method = j.value("method", "");
                r.skippedRows = j.value("skipped_rows", 0);
                r.rowErrors = j.value("row_errors", std::vector<std::string>{});
                r.maxNewTokens = j.value("max_new_tokens", 0);
                r.sampled = j.value("sampled", false);
                r.seed = j.value("seed", uint64_t(0));
                r.seconds = j.value("seconds", 0.0);
                for (const auto& s : j.at("sides")) r.sides.push_back({s.at("name"), s.value("source", ""), scoresFrom(s.at("scores"))});
                continue;
            }
            EvalRow row;
            row.line = j.at("line").get<int>();
            row.prompt = j.at("prompt").get<std::string>();
            row.reference = j.at("reference").get<std::string>();
            for (const auto& a : j.at("answers")) row.answers.push_back(answerFrom(a));
            if (row.answers.size() != r.sides.size())
                throw Error(ErrorCode::InvalidValue, where, std::to_string(row.answers.size()) + " answers for " +
                                                                std::to_string(r.sides.size()) + " models");
            r.rows.push_back(std::move(row));
        } catch (const json::exception& e) {
            throw Error(ErrorCode::ParseError, where, describeJsonError(e));
        }
    }
    if (number == 0) throw Error(ErrorCode::InvalidValue, file.string(), "the file is empty");
    return r;
}

void writeEvalHtml(const std::filesystem::path& file, const EvalReport& r) {
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation — " << escapeHtml(r.project)
      << "</title><style>" << kStyle << "</style></head><body>\n";
    o << "<h1>Evaluation of " << escapeHtml(r.project) << "</h1>\n<p class=\"note\">Model " << escapeHtml(r.model.string())
      << " · " << escapeHtml(r.kind) << " fine-tuning with " << escapeHtml(r.method) << " · "
      << (r.heldOut ? "the project's held-out rows of " : "every row of ") << escapeHtml(r.dataFile.string()) << " · "
      << r.rows.size() << " examples · " << (r.sampled ? "sampled (seed " + std::to_string(r.seed) + ")" : std::string("greedy"))
      << ", at most " << r.maxNewTokens << " new tokens · " << fixed(r.seconds, 1) << " s</p>\n";
    if (r.skippedRows > 0) o << "<p class=\"note\">" << r.skippedRows << " bad rows were left out; the first: " << escapeHtml(r.rowErrors.empty() ? "" : r.rowErrors.front()) << "</p>\n";

    o << "<h2>Summary</h2>\n<table id=\"summary\"><thead><tr><th>model</th><th>loss</th><th>perplexity</th><th>exact match</th>"
         "<th>token F1</th><th>ROUGE-L</th><th>ROUGE-L (Unicode words)</th>";
    const bool preference = !r.sides.empty() && r.sides[0].scores.logpAccuracy.has_value();
    if (preference) o << "<th>rewards/accuracies</th><th>rewards/margins</th><th>log p(chosen) &gt; log p(rejected)</th>";
    o << "</tr></thead><tbody>\n";
    for (const auto& s : r.sides) {
        const auto& c = s.scores;
        o << "<tr><td title=\"" << escapeHtml(s.source) << "\">" << escapeHtml(s.name) << "</td><td class=\"num\">" << fixed(c.loss, 4)
          << "</td><td class=\"num\">" << fixed(c.perplexity, 2) << "</td><td class=\"num\">" << fixed(c.exactMatch)
          << "</td><td class=\"num\">" << fixed(c.tokenF1) << "</td><td class=\"num\">" << fixed(c.rougeL)
          << "</td><td class=\"num\">" << fixed(c.rougeLUnicode) << "</td>";
        if (preference)
            o << "<td class=\"num\">" << fixed(c.rewardAccuracy.value_or(NAN)) << "</td><td class=\"num\">"
              << fixed(c.rewardMargin.value_or(NAN)) << "</td><td class=\"num\">" << fixed(c.logpAccuracy.value_or(NAN)) << "</td>";
        o << "</tr>\n";
    }
    o << "</tbody></table>\n<p class=\"note\">Loss: mean over the tokens training scores (perplexity = e<sup>loss</sup>). "
         "Exact match and token F1 after SQuAD's normalisation; ROUGE-L as rouge-score computes it, whose tokenizer "
         "keeps only a–z and 0–9 (so Korean answers score 0 there); the Unicode column counts words of any script.</p>\n";

    o << "<h2>Plots</h2>\n<div class=\"plots\"><figure>" << lossScatterSvg(r)
      << "<figcaption>Per-example loss. Green: lower after tuning.</figcaption></figure><figure>" << metricBarsSvg(r)
      << "<figcaption>Answer metrics per model.</figcaption></figure></div>\n";

    o << "<h2>Examples</h2>\n<input id=\"filter\" placeholder=\"Filter rows…\"> <span class=\"note\"><span id=\"shown\">"
      << r.rows.size() << "</span> shown · click a column to sort</span>\n<table id=\"rows\"><thead><tr><th>line</th><th>prompt</th><th>reference</th>";
    for (const auto& s : r.sides) o << "<th>" << escapeHtml(s.name) << " answer</th>";
    for (const auto& s : r.sides) o << "<th>" << escapeHtml(s.name) << " loss</th>";
    if (r.sides.size() > 1) o << "<th>Δ loss</th>";
    for (const auto& s : r.sides) o << "<th>" << escapeHtml(s.name) << " F1</th>";
    o << "</tr></thead><tbody>\n";
    for (const auto& row : r.rows) {
        const double delta = row.answers.size() > 1 ? row.answers[1].loss - row.answers[0].loss : NAN;
        o << "<tr class=\"" << (delta < 0 ? "better" : delta > 0 ? "worse" : "") << "\"><td class=\"num\">" << row.line
          << "</td><td class=\"text\">" << escapeHtml(row.prompt) << "</td><td class=\"text\">" << escapeHtml(row.reference) << "</td>";
        for (const auto& a : row.answers) o << "<td class=\"text\">" << escapeHtml(a.text) << "</td>";
        for (const auto& a : row.answers) o << "<td class=\"num\" data-v=\"" << fixed(a.loss, 6) << "\">" << fixed(a.loss) << "</td>";
        if (row.answers.size() > 1) o << "<td class=\"num delta\" data-v=\"" << fixed(delta, 6) << "\">" << fixed(delta) << "</td>";
        for (const auto& a : row.answers) o << "<td class=\"num\">" << fixed(a.tokenF1) << "</td>";
        o << "</tr>\n";
    }
    o << "</tbody></table>\n" << kScript << "\n</body></html>\n";
    writeFileAtomic(file, o.str());
}

} // namespace ft
