#include "RunHistory.h"

#include "LossPlot.h"
#include "PreferencePlot.h"

void plotRunHistory(LossPlot* plot, const std::vector<ft::MetricRecord>& records) {
    for (const ft::MetricRecord& r : records) {
        if (r.eval) plot->addEvalLoss(r.step, r.loss);
        else plot->addStep(r.step, r.loss, r.learningRate, r.tokensPerSecond);
    }
}

bool plotPreferenceHistory(PreferencePlot* plot, const std::vector<ft::MetricRecord>& records) {
    bool any = false;
    for (const ft::MetricRecord& r : records)
        if (!r.preference.empty()) {
            plot->addMetrics(r.step, r.eval, r.preference);
            any = true;
        }
    return any;
}
