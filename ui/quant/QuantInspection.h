#pragma once
// What the Quantization inspector shows, computed off the UI thread: one tensor's value distribution and what each
// method (NF4, FP4, int8 symmetric / asymmetric) loses on it, or one method's error on every layer of a model.
// The numbers come from core's quantizeTensors, the same as `ftstudio-cli quantize` prints.

#include "TensorSource.h"

#include "core/model/quantize_tensors.h"

#include <QString>
#include <QVector>

#include <vector>

struct Histogram {
    double min = 0.0;
    double max = 0.0;
    QVector<double> counts;  // equal bins over [min, max]
    QVector<double> centers() const;
};

struct MethodResult {
    ft::QuantOptions options;
    ft::QuantError error;
};

struct TensorInspection {
    QString error;               // translated; empty when it worked
    TensorInfo tensor;
    qint64 sampled = 0;          // values behind the value histograms (a prefix of very large tensors)
    double absmax = 0.0, minValue = 0.0, maxValue = 0.0;
    Histogram blockNormalized;   // x / absmax of its block of `blocksize`, in [-1, 1]: where the 4-bit levels lie
    Histogram tensorNormalized;  // x / absmax of the tensor, in [-1, 1]: where per-tensor int8 levels lie
    std::vector<MethodResult> methods;  // in the order of inspectedMethods()
};

struct ModelScan {
    QString error;
    ft::QuantOptions options;
    ft::QuantReport report;      // per tensor, in file order
};

struct TensorListing {
    QString error;
    QList<TensorInfo> tensors;
};

const std::vector<ft::QuantMethod>& inspectedMethods();
// The CLI's defaults: 4-bit methods block-wise, int8 per tensor.
ft::QuantOptions defaultQuantOptions(ft::QuantMethod method, int blocksize);
// The values a method can represent, normalized as the matching histogram is (4-bit: by the block absmax; int8:
// by the tensor absmax). Int8 asymmetric levels depend on the tensor's range.
std::vector<double> normalizedLevels(ft::QuantMethod method, const TensorInspection& inspection);

TensorListing listTensors(const QString& source);
TensorInspection inspectTensor(const QString& source, const TensorInfo& tensor, int blocksize);
ModelScan scanModel(const QString& source, const ft::QuantOptions& options);
