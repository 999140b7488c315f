#include "core/train/metrics_log.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/train/training_run.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace ft {

namespace {

nlohmann::json parseLine(const std::string& line) {
    return nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
}

// TRL's preference metrics, by name (without the "eval_" of evaluations).
bool isPreferenceMetric(const std::string& key) {
    return key.rfind("rewards/", 0) == 0 || key.rfind("logps/", 0) == 0 || key == "kl";
}

double number(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

} // namespace

std::vector<MetricRecord> readMetricsLog(const std::filesystem::path& file) {
    std::vector<MetricRecord> records;
    std::ifstream in(file, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        const nlohmann::json j = parseLine(line);
        if (!j.is_object() || !j.contains("step") || !j["step"].is_number_integer()) continue;
        MetricRecord r;
        r.step = j["step"].get<int>();
        if (j.contains("eval_loss") && j["eval_loss"].is_number()) {
            r.eval = true;
            r.loss = number(j, "eval_loss");
            for (const auto& [key, value] : j.items())
                if (key.rfind("eval_", 0) == 0 && isPreferenceMetric(key.substr(5)) && value.is_number())
                    r.preference[key.substr(5)] = value.get<double>();
        } else if (j.contains("loss") && j["loss"].is_number()) {
            r.loss = number(j, "loss");
            r.learningRate = number(j, "lr");
            r.tokensPerSecond = number(j, "tokens_per_second");
            for (const auto& [key, value] : j.items())
                if (isPreferenceMetric(key) && value.is_number()) r.preference[key] = value.get<double>();
        } else {
            continue;
        }
        records.push_back(r);
    }
    return records;
}

void truncateMetricsLog(const std::filesystem::path& file, int step) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return;
    std::ifstream in(file, std::ios::binary);
    std::string kept, line;
    while (std::getline(in, line)) {
        const nlohmann::json j = parseLine(line);
        if (j.is_object() && j.contains("step") && j["step"].is_number_integer() && j["step"].get<int>() <= step)
            kept += line + "\n";
    }
    writeFileAtomic(file, kept);
}

MetricsLogWriter::MetricsLogWriter(const std::filesystem::path& file, bool append)
    : m_file(file), m_out(file, append ? std::ios::app : std::ios::trunc) {
    if (!m_out) throw Error(ErrorCode::FileUnwritable, file.string(), std::strerror(errno));
}

// A line the disk did not take must stop the run: a curve with silent holes is worse than an error (the resume cuts
// the file back to the checkpoint, half line included).
void MetricsLogWriter::append(const std::string& line) {
    errno = 0;
    m_out << line << "\n" << std::flush;
    if (!m_out)
        throw Error(ErrorCode::FileUnwritable, m_file.string(),
                    std::string(errno ? std::strerror(errno) : "the write failed") +
                        ": free some disk space, then resume the run (its checkpoints are kept)");
}

void MetricsLogWriter::write(const StepMetrics& m) {
    nlohmann::ordered_json j{{"step", m.step}, {"epoch", m.epoch}, {"loss", m.loss}, {"lr", m.learningRate},
                             {"grad_norm", m.gradNorm}, {"tokens_per_second", m.tokensPerSecond}};
    for (const auto& [name, value] : m.preference) j[name] = value;
    if (m.allReduceBytes > 0) {
        j["allreduce_bytes"] = m.allReduceBytes;
        j["allreduce_ms"] = m.allReduceSeconds * 1e3;
        j["allreduce_wait_ms"] = m.allReduceWaitSeconds * 1e3;
    }
    append(j.dump());
}

void MetricsLogWriter::write(const EvalMetrics& m) {
    nlohmann::ordered_json j{{"step", m.step}, {"eval_loss", m.loss}};
    if (m.preference.empty()) j["eval_perplexity"] = m.perplexity;
    for (const auto& [name, value] : m.preference) j["eval_" + name] = value;  // TRL's prefix for evaluations
    append(j.dump());
}

} // namespace ft
