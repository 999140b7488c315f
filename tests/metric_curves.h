#pragma once
// A run's metrics.jsonl as curves by step, and the largest difference between two runs' curves (the tests that
// compare a resumed, killed or multi-process run with a straight one).

#include "core/io/atomic_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

struct Curve {
    std::map<int, double> loss, evalLoss;
    std::map<int, double> allReduceBytes;  // data-parallel runs
};

inline Curve readCurve(const std::filesystem::path& metrics) {
    Curve c;
    std::istringstream in(ft::readFile(metrics));
    std::string line;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line);
        if (j.contains("loss")) c.loss[j["step"]] = j["loss"];
        if (j.contains("eval_loss")) c.evalLoss[j["step"]] = j["eval_loss"];
        if (j.contains("allreduce_bytes")) c.allReduceBytes[j["step"]] = j["allreduce_bytes"];
    }
    return c;
}

// The largest difference between two curves over the same steps (infinite when the steps differ).
inline double curveDiff(const Curve& a, const Curve& b) {
    if (a.loss.size() != b.loss.size() || a.evalLoss.size() != b.evalLoss.size()) return INFINITY;
    double d = 0;
    for (const auto& [step, v] : a.loss) d = std::max(d, b.loss.count(step) ? std::abs(v - b.loss.at(step)) : INFINITY);
    for (const auto& [step, v] : a.evalLoss) d = std::max(d, b.evalLoss.count(step) ? std::abs(v - b.evalLoss.at(step)) : INFINITY);
    return d;
}
