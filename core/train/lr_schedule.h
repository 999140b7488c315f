#pragma once
// Learning-rate schedules as transformers' get_*_schedule_with_warmup compute them: the multiplier for the
// optimizer step with 0-based index `step` of `totalSteps`.

#include <string>

namespace ft {

double lrMultiplier(const std::string& scheduler, int step, int totalSteps, int warmupSteps);

} // namespace ft
