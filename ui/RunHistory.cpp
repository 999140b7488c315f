#include "RunHistory.h"

#include "LossPlot.h"

void plotRunHistory(LossPlot* plot, const std::vector<ft::MetricRecord>& records) {
    for (const ft::MetricRecord& r : records) {
        if (r.eval) plot->addEvalLoss(r.step, r.loss);
        else plot->addStep(r.step, r.loss, r.learningRate, r.tokensPerSecond);
    }
}
