#include "core/quant/quant_report.h"

#include "core/quant/quantizers.h"

namespace fs = std::filesystem;

namespace ft {

namespace {

constexpr int64_t kSmallTensor = 4096;

bool isFloat(DType d) { return d == DType::F32 || d == DType::F16 || d == DType::BF16 || d == DType::F64; }

std::vector<int> intsOf(const torch::Tensor& t) {
    const auto c = t.flatten().to(torch::kInt32).contiguous();
    return std::vector<int>(c.data_ptr<int32_t>(), c.data_ptr<int32_t>() + c.numel());
}

std::vector<double> doublesOf(const torch::Tensor& t) {
    const auto c = t.flatten().to(torch::kFloat64).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

} // namespace

QuantReport quantizeTensorFiles(const std::vector<fs::path>& files, const TensorSelector& select, const QuantOptions& options,
                                const std::optional<fs::path>& out) {
    const bool fourBit = options.method == QuantMethod::Nf4 || options.method == QuantMethod::Fp4;
    QuantReport report;
    NamedTensors written;
    for (const auto& file : files) {
        const auto st = SafetensorsFile::open(file);
        for (const auto& e : st.entries()) {
            if (!isFloat(e.dtype) || e.numel() == 0 || (select && !select(e))) continue;
            const torch::Tensor x = st.tensor(e.name);
            TensorQuantReport r;
            r.name = e.name;
            r.shape = e.shape;
            const bool small = x.numel() <= kSmallTensor;
            if (fourBit) {
                const auto q = quantize4Bit(fourBitInput(x), options.method == QuantMethod::Nf4 ? FourBitType::Nf4 : FourBitType::Fp4,
                                            options.blocksize, options.doubleQuant);
                r.error = measureError(x, q);
                if (small) {
                    r.packed = intsOf(q.packed);
                    r.absmax = doublesOf(blockAbsmax(q));
                }
                if (out) {
                    written.emplace_back(e.name + ".packed", q.packed);
                    if (q.doubleQuant()) {
                        written.emplace_back(e.name + ".absmax_q", q.absmaxQ);
                        written.emplace_back(e.name + ".nested_absmax", q.nestedAbsmax);
                        written.emplace_back(e.name + ".offset", torch::tensor({q.offset}));
                    } else {
                        written.emplace_back(e.name + ".absmax", q.absmax);
                    }
                }
            } else {
                const auto q = quantizeInt8(x, options.method, options.granularity, options.blocksize);
                r.error = measureError(x, q);
                if (small) {
                    r.q = intsOf(q.q);
                    r.scale = doublesOf(q.scale);
                    if (q.zeroPoint.defined()) r.zeroPoint = intsOf(q.zeroPoint);
                }
                if (out) {
                    written.emplace_back(e.name + ".q", q.q);
                    written.emplace_back(e.name + ".scale", q.scale);
                    if (q.zeroPoint.defined()) written.emplace_back(e.name + ".zero_point", q.zeroPoint);
                }
            }
            report.totalBytes += r.error.bytes;
            report.originalBytes += int64_t(e.end - e.begin);
            report.tensors.push_back(std::move(r));
        }
    }
    if (out && !report.tensors.empty())
        writeSafetensors(*out, written, {{"quant_method", std::string(quantMethodName(options.method))},
                                         {"blocksize", std::to_string(options.blocksize)},
                                         {"double_quant", options.doubleQuant ? "true" : "false"}});
    return report;
}

} // namespace ft
