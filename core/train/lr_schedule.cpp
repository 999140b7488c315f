#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ft {

double lrMultiplier(const std::string& scheduler, int step, int totalSteps, int warmupSteps) {
    if (step < warmupSteps) return double(step) / double(std::max(1, warmupSteps));
    if (scheduler == "constant") return 1.0;
    if (scheduler == "linear")
        return std::max(0.0, double(totalSteps - step) / double(std::max(1, totalSteps - warmupSteps)));
    // cosine with num_cycles = 0.5
    const double progress = double(step - warmupSteps) / double(std::max(1, totalSteps - warmupSteps));
    return std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
}

} // namespace ft
