#include "QuantInspection.h"

#include "ErrorText.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr qint64 kMaxSampled = 1 << 24;  // 16 Mi values (64 MiB of float) is plenty for a histogram
constexpr int kValueBins = 128;

// bitsandbytes' get_4bit_type("nf4") and get_4bit_type("fp4") / 12 (core/quant/four_bit_quantizer.cpp).
constexpr double kNf4[16] = {-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
                             -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
                             0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
                             0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0};
constexpr double kFp4[8] = {0.0, 0.0625, 8.0, 12.0, 4.0, 6.0, 2.0, 3.0};

Histogram histogram(const std::vector<float>& v, double lo, double hi) {
    Histogram h{lo, hi, QVector<double>(kValueBins, 0.0)};
    const double scale = kValueBins / (hi - lo);
    for (float x : v) h.counts[std::clamp(int((x - lo) * scale), 0, kValueBins - 1)] += 1.0;
    return h;
}

} // namespace

QVector<double> Histogram::centers() const {
    QVector<double> c(counts.size());
    const double w = counts.isEmpty() ? 0.0 : (max - min) / counts.size();
    for (int i = 0; i < c.size(); ++i) c[i] = min + (i + 0.5) * w;
    return c;
}

const std::vector<ft::QuantMethod>& inspectedMethods() {
    static const std::vector<ft::QuantMethod> methods = {ft::QuantMethod::Nf4, ft::QuantMethod::Fp4,
                                                         ft::QuantMethod::Int8Sym, ft::QuantMethod::Int8Asym};
    return methods;
}

ft::QuantOptions defaultQuantOptions(ft::QuantMethod method, int blocksize) {
    ft::QuantOptions o;
    o.method = method;
    const bool fourBit = method == ft::QuantMethod::Nf4 || method == ft::QuantMethod::Fp4;
    o.granularity = fourBit ? ft::Granularity::Block : ft::Granularity::Tensor;
    o.blocksize = blocksize;
    return o;
}

std::vector<double> normalizedLevels(ft::QuantMethod method, const TensorInspection& in) {
    std::vector<double> levels;
    switch (method) {
    case ft::QuantMethod::Nf4: levels.assign(std::begin(kNf4), std::end(kNf4)); break;
    case ft::QuantMethod::Fp4:
        for (double c : kFp4) levels.insert(levels.end(), {c / 12.0, -c / 12.0});
        break;
    case ft::QuantMethod::Int8Sym:
        for (int q = -127; q <= 127; ++q) levels.push_back(q / 127.0);
        break;
    case ft::QuantMethod::Int8Asym: {
        // s = (max - min) / 255 over a range holding 0; the codes land on min + k s.
        const double lo = std::min(in.minValue, 0.0), hi = std::max(in.maxValue, 0.0);
        const double s = (hi - lo) / 255.0;
        if (in.absmax > 0 && s > 0)
            for (int k = 0; k <= 255; ++k) levels.push_back((lo + k * s) / in.absmax);
        break;
    }
    }
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    return levels;
}

TensorListing listTensors(const QString& source) {
    TensorListing out;
    try {
        out.tensors = listFloatTensors(source);
        if (out.tensors.isEmpty())
            throw ft::Error(ft::ErrorCode::InvalidValue, source.toStdString(), "no floating-point tensor");
    } catch (const ft::Error& e) {
        out.error = errorText(e);
    }
    return out;
}

TensorInspection inspectTensor(const QString& source, const TensorInfo& tensor, int blocksize) {
    TensorInspection out;
    out.tensor = tensor;
    try {
        const std::vector<float> v = readTensorValues(tensor, kMaxSampled);
        out.sampled = qint64(v.size());
        const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
        out.minValue = *mn;
        out.maxValue = *mx;
        out.absmax = std::max(std::abs(out.minValue), std::abs(out.maxValue));
        std::vector<float> block(v.size()), whole(v.size());
        for (size_t b = 0; b < v.size(); b += size_t(blocksize)) {
            const size_t e = std::min(v.size(), b + size_t(blocksize));
            float a = 0.0f;
            for (size_t i = b; i < e; ++i) a = std::max(a, std::abs(v[i]));
            for (size_t i = b; i < e; ++i) block[i] = a > 0 ? v[i] / a : 0.0f;
        }
        for (size_t i = 0; i < v.size(); ++i) whole[i] = out.absmax > 0 ? float(v[i] / out.absmax) : 0.0f;
        out.blockNormalized = histogram(block, -1.0, 1.0);
        out.tensorNormalized = histogram(whole, -1.0, 1.0);
        for (ft::QuantMethod m : inspectedMethods()) {
            const ft::QuantOptions o = defaultQuantOptions(m, blocksize);
            const ft::QuantReport r = ft::quantizeTensors(source.toStdString(), tensor.name.toStdString(), o);
            out.methods.push_back({o, r.tensors.front().error});
        }
    } catch (const ft::Error& e) {
        out.error = errorText(e);
    } catch (const std::exception& e) {  // LibTorch's own errors (c10::Error) surface here
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

ModelScan scanModel(const QString& source, const ft::QuantOptions& options) {
    ModelScan out;
    out.options = options;
    try {
        out.report = ft::quantizeTensors(source.toStdString(), std::nullopt, options);
    } catch (const ft::Error& e) {
        out.error = errorText(e);
    } catch (const std::exception& e) {  // LibTorch's own errors (c10::Error) surface here
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}
