#pragma once
// A run's metrics.jsonl, one JSON object a line: training steps {"step", "epoch", "loss", "lr", "grad_norm",
// "tokens_per_second"} and evaluations {"step", "eval_loss", "eval_perplexity"}; preference tuning adds TRL's metrics
// by TRL's names ("rewards/margins", ...; "eval_rewards/margins", ... for evaluations, without a perplexity). Written by the training run; read
// back to draw a resumed run's curve from its beginning. No LibTorch.

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace ft {

struct StepMetrics;
struct EvalMetrics;

// Writes the records as the run makes them, each line flushed at once: a run killed mid-step keeps every line
// before it (and truncateMetricsLog drops a half-written one on resume).
class MetricsLogWriter {
public:
    // A resumed run (`append`) goes on after the lines truncateMetricsLog kept; a new one starts the file afresh.
    MetricsLogWriter(const std::filesystem::path& file, bool append);
    void write(const StepMetrics& step);
    void write(const EvalMetrics& eval);  // both throw ft::Error when the line cannot be written (a full disk)

private:
    void append(const std::string& line);

    std::filesystem::path m_file;
    std::ofstream m_out;
};

struct MetricRecord {
    int step = 0;
    bool eval = false;  // an evaluation: loss is the validation loss
    double loss = 0.0;
    double learningRate = 0.0;
    double tokensPerSecond = 0.0;
    std::map<std::string, double> preference;  // TRL's metrics by name, without the "eval_" prefix of evaluations
};

// The records in file order; lines that are not a record (a run killed mid-line) are skipped. Empty when the file
// does not exist.
std::vector<MetricRecord> readMetricsLog(const std::filesystem::path& file);

// Keeps the lines up to `step` (a resumed run repeats the steps after its checkpoint), atomically.
void truncateMetricsLog(const std::filesystem::path& file, int step);

} // namespace ft
