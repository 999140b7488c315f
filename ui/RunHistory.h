#pragma once
// A run's curve drawn again from its metrics.jsonl: after a restart, when the wizard is reopened, when a run is
// resumed or another run of the project is selected.

#include "core/train/metrics_log.h"

#include <vector>

class LossPlot;
class PreferencePlot;

void plotRunHistory(LossPlot* plot, const std::vector<ft::MetricRecord>& records);
// Preference runs' reward curves from the same records; returns whether there were any (the plot is shown then).
bool plotPreferenceHistory(PreferencePlot* plot, const std::vector<ft::MetricRecord>& records);
