#pragma once
// A run's curve drawn again from its metrics.jsonl: after a restart, when the wizard is reopened, when a run is
// resumed or another run of the project is selected.

#include "core/train/metrics_log.h"

#include <vector>

class LossPlot;

void plotRunHistory(LossPlot* plot, const std::vector<ft::MetricRecord>& records);
