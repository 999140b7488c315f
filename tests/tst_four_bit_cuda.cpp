// 4-bit weights on a device: the reference twins (plain LibTorch ops) against dequantize4Bit() bit for bit and against
// an fp64 product, always on the CPU; the CUDA kernels against the twins where a GPU is present (bit for bit for the
// dequantization, within a stated fp32-accumulation bound for the GEMV), skipped with the reason where it is not.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/device/cuda_support.h"
#include "core/quant/four_bit_device.h"
#include "core/quant/quantizers.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QtTest>
#include <cmath>

namespace {

QString describeMismatch(const at::Tensor& got, const at::Tensor& want) {
    if (got.sizes() != want.sizes()) return QString("%1 vs %2 elements").arg(got.numel()).arg(want.numel());
    // Compare bit patterns through fp64 (exact for fp32/bf16/fp16), NaN never appears here.
    const auto diff = (got.reshape(-1).to(torch::kFloat64) != want.reshape(-1).to(torch::kFloat64)).nonzero();
    if (diff.numel() == 0)
        return QString("dtype ") + c10::toString(got.scalar_type()) + " vs " + c10::toString(want.scalar_type());
    const int64_t i = diff[0][0].item<int64_t>();
    return QString("%1 differing, first at %2: %3 vs %4")
        .arg(diff.size(0))
        .arg(i)
        .arg(got.reshape(-1)[i].item<double>(), 0, 'g', 10)
        .arg(want.reshape(-1)[i].item<double>(), 0, 'g', 10);
}

#define COMPARE_EXACT(got, want)                                                                        \
    do {                                                                                                \
        const auto g_ = (got).cpu();                                                                    \
        const auto w_ = (want).cpu();                                                                   \
        QVERIFY2(g_.scalar_type() == w_.scalar_type() && torch::equal(g_, w_),                          \
                 qPrintable(QString(#got ": ") + describeMismatch(g_, w_)));                            \
    } while (0)

void expectError(ft::ErrorCode code, const std::function<void()>& fn, QString* detail = nullptr) {
    try {
        fn();
    } catch (const ft::Error& e) {
        QCOMPARE(int(e.code()), int(code));
        if (detail) *detail = QString::fromStdString(e.detail());
        return;
    }
    QFAIL("no ft::Error thrown");
}

// Why the GPU half of this test cannot run here, or empty when it can.
QString gpuSkipReason() {
    if (!ft::loadCudaSupport())
        return QString::fromStdString("CUDA support not loaded: " + ft::cudaSupportProblem() +
                                      " (run `ctest -L cuda` on a GPU machine)");
    if (!ft::fourBitCudaKernelsBuilt())
        return "built without the CUDA kernels (no nvcc found, or FT_BUILD_CUDA_KERNELS=OFF)";
    if (!ft::cudaAvailable())
        return "no CUDA device: torch::cuda::is_available() is false (run `ctest -L cuda` on a GPU machine)";
    return {};
}

#define REQUIRE_GPU()                                                                                   \
    do {                                                                                                \
        const QString why_ = gpuSkipReason();                                                           \
        if (!why_.isEmpty()) QSKIP(qPrintable(why_));                                                   \
    } while (0)

const at::ScalarType kTypes[] = {at::kFloat, at::kBFloat16, at::kHalf};

// Seeded values with what exercises the layout: varying scales, a run of zeros long enough to fill whole blocks
// (absmax 0), outliers.
at::Tensor weights(std::vector<int64_t> shape, at::ScalarType dtype, uint64_t seed) {
    const auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    auto x = torch::randn(shape, gen).reshape(-1);
    const int64_t n = x.numel();
    x = x * (0.5 + 3.0 * torch::rand({n}, gen));
    if (n > 800) {
        x.slice(0, 200, 600).zero_();
        x[n / 2].fill_(40.0f);
        x[n - 3].fill_(-40.0f);
    }
    return x.reshape(shape).to(dtype);
}

ft::Quantized4Bit quantized(const std::vector<int64_t>& shape, ft::FourBitType type, int64_t blocksize, bool dq,
                            at::ScalarType dtype, uint64_t seed = 1) {
    return ft::quantize4Bit(weights(shape, dtype, seed), type, blocksize, dq);
}

// dequantize4Bit() with the result cast to `out` instead of q.dtype: the CPU ground truth for any output type.
at::Tensor cpuDequantize(ft::Quantized4Bit q, at::ScalarType out) {
    q.dtype = out;
    return ft::dequantize4Bit(q);
}

// Unit roundoff of the output type.
double unitRoundoff(at::ScalarType t) {
    return t == at::kFloat ? std::ldexp(1.0, -24) : t == at::kBFloat16 ? std::ldexp(1.0, -8) : std::ldexp(1.0, -11);
}

// Largest |got - exact| / bound over the outputs, for y = x W^T with W the fp32 dequantized weight. The bound of a
// sum of `terms` fp32 operations, then rounding to the output type: terms * 2^-24 * sum_i |x_i W_oi| + u * |exact|,
// with a floor for fp16 subnormals. <= 1 passes.
double errorRatio(const at::Tensor& got, const at::Tensor& x, const at::Tensor& w32, double terms) {
    const auto xd = x.to(torch::kFloat64).cpu();
    const auto wd = w32.to(torch::kFloat64).cpu();
    const auto exact = at::matmul(xd, wd.t());
    const auto absSum = at::matmul(xd.abs(), wd.abs().t());
    const auto bound = absSum * (terms * std::ldexp(1.0, -24)) + exact.abs() * unitRoundoff(got.scalar_type()) + 1e-7;
    return ((got.cpu().to(torch::kFloat64) - exact).abs() / bound).max().item<double>();
}

void addDequantRows() {
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("doubleQuant");
    QTest::addColumn<int>("blocksize");
    QTest::addColumn<int>("inType");
    QTest::addColumn<int>("outType");
    for (auto type : {ft::FourBitType::Nf4, ft::FourBitType::Fp4})
        for (bool dq : {false, true})
            for (int bs : {64, 128, 4096})
                for (auto in : kTypes)
                    for (auto out : kTypes) {
                        const auto name = QString("%1_b%2%3_%4_to_%5")
                                              .arg(type == ft::FourBitType::Nf4 ? "nf4" : "fp4")
                                              .arg(bs)
                                              .arg(dq ? "_dq" : "")
                                              .arg(c10::toString(in))
                                              .arg(c10::toString(out));
                        QTest::newRow(qPrintable(name)) << int(type) << dq << bs << int(in) << int(out);
                    }
}

// (rows, cols): 129 x 257 = 33153 elements, odd, > 256 blocks of 64 and 128 (several nested blocks, the last partial).
const std::vector<int64_t> kDequantShape = {129, 257};

} // namespace

class TestFourBitCuda : public QObject {
    Q_OBJECT
private slots:
    // --- reference twins, on the CPU ---

    void referenceDequantize_data() { addDequantRows(); }
    void referenceDequantize() {
        QFETCH(int, type);
        QFETCH(bool, doubleQuant);
        QFETCH(int, blocksize);
        QFETCH(int, inType);
        QFETCH(int, outType);
        const auto q = quantized(kDequantShape, ft::FourBitType(type), blocksize, doubleQuant, at::ScalarType(inType));
        const auto out = at::ScalarType(outType);
        if (out == q.dtype) COMPARE_EXACT(ft::dequantize4BitReference(q, out), ft::dequantize4Bit(q));
        COMPARE_EXACT(ft::dequantize4BitReference(q, out), cpuDequantize(q, out));
        COMPARE_EXACT(ft::dequantize4BitOn(q, out), cpuDequantize(q, out));   // CPU tensors: the twin
    }

    void referenceGemv_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("blocksize");
        QTest::addColumn<bool>("doubleQuant");
        QTest::addColumn<int>("dtype");
        QTest::addColumn<QList<int>>("batch");   // x's leading dimensions
        QTest::newRow("64x256 b64 f32 1-D x") << 64 << 256 << 64 << false << int(at::kFloat) << QList<int>{};
        QTest::newRow("33x100 b64 dq bf16") << 33 << 100 << 64 << true << int(at::kBFloat16) << QList<int>{1};
        QTest::newRow("7x4096 b4096 f16 2x3") << 7 << 4096 << 4096 << false << int(at::kHalf) << QList<int>{2, 3};
        QTest::newRow("31x33 b32 dq odd rows") << 31 << 33 << 32 << true << int(at::kFloat) << QList<int>{1};
        QTest::newRow("300x64 b32 dq >256 blocks") << 300 << 64 << 32 << true << int(at::kBFloat16) << QList<int>{};
    }
    void referenceGemv() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, blocksize);
        QFETCH(bool, doubleQuant);
        QFETCH(int, dtype);
        QFETCH(QList<int>, batch);
        const auto t = at::ScalarType(dtype);
        const auto q = quantized({rows, cols}, ft::FourBitType::Nf4, blocksize, doubleQuant, t);
        std::vector<int64_t> xShape(batch.begin(), batch.end());
        xShape.push_back(cols);
        const auto x = weights(xShape, t, 2);
        const auto y = ft::gemv4BitReference(x, q);
        std::vector<int64_t> yShape(batch.begin(), batch.end());
        yShape.push_back(rows);
        QCOMPARE(y.sizes().vec(), yShape);
        QCOMPARE(int(y.scalar_type()), int(t));
        // The twin's definition, with the weight from dequantize4Bit (fp32): equal bit for bit.
        const auto w32 = cpuDequantize(q, at::kFloat);
        COMPARE_EXACT(y, at::matmul(x.to(at::kFloat), w32.t()).to(t));
        // And close to the exact product: any fp32 summation order of `cols` terms stays within cols * 2^-24.
        const double ratio = errorRatio(y, x, w32, cols + 2);
        QVERIFY2(ratio <= 1.0, qPrintable(QString("error %1 x the bound").arg(ratio)));
    }

    void toDeviceKeepsEverything() {
        for (bool dq : {false, true}) {
            const auto q = quantized({5, 70}, ft::FourBitType::Fp4, 32, dq, at::kBFloat16);
            const auto r = ft::toDevice(q, c10::Device(c10::kCPU));
            QCOMPARE(r.shape, q.shape);
            QCOMPARE(int(r.dtype), int(q.dtype));
            QCOMPARE(r.blocksize, q.blocksize);
            QCOMPARE(r.offset, q.offset);
            QCOMPARE(r.doubleQuant(), dq);
            COMPARE_EXACT(ft::dequantize4Bit(r), ft::dequantize4Bit(q));
        }
    }

    void errors() {
        const auto q = quantized({4, 64}, ft::FourBitType::Nf4, 64, true, at::kFloat);
        const auto x = torch::randn({64});
        // On CPU tensors (or in a build without kernels) the CUDA entry points refuse, saying why.
        QString detail;
        expectError(ft::ErrorCode::Unsupported, [&] { ft::dequantize4BitCuda(q, at::kFloat); }, &detail);
        QVERIFY2(detail.contains("CUDA"), qPrintable(detail));
        expectError(ft::ErrorCode::Unsupported, [&] { ft::gemv4BitCuda(x, q); }, &detail);
        QVERIFY2(detail.contains("CUDA"), qPrintable(detail));
        qInfo("gemv4BitCuda on CPU tensors: %s", qPrintable(detail));

        expectError(ft::ErrorCode::InvalidValue, [&] { ft::gemv4BitReference(torch::randn({63}), q); });
        auto bad = q;
        bad.packed = bad.packed.slice(0, 1);
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::dequantize4BitReference(bad, at::kFloat); });
        bad = q;
        bad.nestedAbsmax = torch::ones({2});
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::dequantize4BitReference(bad, at::kFloat); });
        bad = quantized({4, 64}, ft::FourBitType::Nf4, 64, false, at::kFloat);
        bad.shape = {256};
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::gemv4BitReference(x, bad); });
    }

    // --- kernels against the twins, on a GPU ---

    void kernelDequantize_data() { addDequantRows(); }
    void kernelDequantize() {
        REQUIRE_GPU();
        QFETCH(int, type);
        QFETCH(bool, doubleQuant);
        QFETCH(int, blocksize);
        QFETCH(int, inType);
        QFETCH(int, outType);
        const auto q = quantized(kDequantShape, ft::FourBitType(type), blocksize, doubleQuant, at::ScalarType(inType));
        const auto out = at::ScalarType(outType);
        const auto qd = ft::toDevice(q, c10::Device(c10::kCUDA));
        const auto got = ft::dequantize4BitCuda(qd, out);
        QVERIFY(got.is_cuda());
        COMPARE_EXACT(got, ft::dequantize4BitReference(qd, out));
        COMPARE_EXACT(got, cpuDequantize(q, out));
        COMPARE_EXACT(ft::dequantize4BitOn(qd, out), got);
    }

    void kernelDequantizeLayouts() {
        REQUIRE_GPU();
        const c10::Device cuda(c10::kCUDA);
        // Large (many thread blocks, > 2^20 elements) with an odd tail.
        const auto big = quantized({1025, 1023}, ft::FourBitType::Nf4, 64, true, at::kBFloat16, 3);
        COMPARE_EXACT(ft::dequantize4BitCuda(ft::toDevice(big, cuda), at::kBFloat16), ft::dequantize4Bit(big));
        // Packed bytes at an odd address (a view one byte into a larger buffer): the kernel's unaligned path.
        const auto q = quantized({37, 61}, ft::FourBitType::Fp4, 32, false, at::kFloat, 4);
        auto shifted = ft::toDevice(q, cuda);
        const auto buffer = torch::zeros({q.packed.numel() + 1}, shifted.packed.options());
        buffer.slice(0, 1).copy_(shifted.packed);
        shifted.packed = buffer.slice(0, 1);
        for (auto out : kTypes) COMPARE_EXACT(ft::dequantize4BitCuda(shifted, out), cpuDequantize(q, out));
        // Tiny tensors: fewer elements than one thread's 8.
        for (int64_t n : {1, 2, 7, 9}) {
            const auto t = quantized({n}, ft::FourBitType::Nf4, 32, false, at::kHalf, 5);
            COMPARE_EXACT(ft::dequantize4BitCuda(ft::toDevice(t, cuda), at::kHalf), ft::dequantize4Bit(t));
        }
    }

    void kernelGemv_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("blocksize");
        QTest::addColumn<bool>("doubleQuant");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("offsetX");   // x one element into a buffer: unaligned, element-wise path
        struct Shape {
            int rows, cols, blocksize;
            const char* why;
        };
        const Shape shapes[] = {
            {1024, 4096, 64, "Llama k/v projection"},
            {256, 512, 128, "vectorized"},
            {17, 4096, 4096, "one block per row"},
            {5, 96, 64, "blocks span rows"},
            {13, 100, 64, "cols % 32 != 0"},
            {31, 33, 32, "odd cols, rows start mid-byte"},
            {3, 1, 32, "one column"},
        };
        for (const auto& s : shapes)
            for (bool dq : {false, true})
                for (int batch : {1, 3}) {
                    const auto name = QString("%1x%2 b%3%4 batch%5 (%6)")
                                          .arg(s.rows)
                                          .arg(s.cols)
                                          .arg(s.blocksize)
                                          .arg(dq ? " dq" : "")
                                          .arg(batch)
                                          .arg(s.why);
                    QTest::newRow(qPrintable(name)) << s.rows << s.cols << s.blocksize << dq << batch << false;
                }
        QTest::newRow("256x512 b64 x unaligned") << 256 << 512 << 64 << false << 1 << true;
    }
    void kernelGemv() {
        REQUIRE_GPU();
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, blocksize);
        QFETCH(bool, doubleQuant);
        QFETCH(int, batch);
        QFETCH(bool, offsetX);
        const c10::Device cuda(c10::kCUDA);
        const auto q = quantized({rows, cols}, ft::FourBitType::Nf4, blocksize, doubleQuant, at::kBFloat16);
        const auto qd = ft::toDevice(q, cuda);
        const auto w32 = cpuDequantize(q, at::kFloat);
        for (auto t : kTypes) {
            auto x = weights({batch, cols}, t, 6).to(cuda);
            if (offsetX) x = torch::cat({torch::zeros({1}, x.options()), x.reshape(-1)}).slice(0, 1).view({batch, cols});
            const auto got = ft::gemv4BitCuda(x, qd);
            QCOMPARE(got.sizes().vec(), (std::vector<int64_t>{batch, rows}));
            QCOMPARE(int(got.scalar_type()), int(t));
            // Rounded operations on any term's path in the kernel: vectorized, 32 (a chunk's code * x) + 1 (* absmax)
            // + cols / 1024 (a lane's chunks); element-wise, cols / 32; then 5 (warp tree) + 1 (the fp32 weight the
            // bound is measured against). cols / 32 + 48 covers both.
            const double kernelRatio = errorRatio(got, x, w32, cols / 32.0 + 48);
            const double twinRatio = errorRatio(ft::gemv4BitReference(x, qd), x, w32, cols + 2);
            QVERIFY2(kernelRatio <= 1.0,
                     qPrintable(QString("%1: kernel error %2 x its bound").arg(c10::toString(t)).arg(kernelRatio)));
            QVERIFY2(twinRatio <= 1.0,
                     qPrintable(QString("%1: twin error %2 x its bound").arg(c10::toString(t)).arg(twinRatio)));
            // The 1-D form of x gives the same numbers.
            if (batch == 1) COMPARE_EXACT(ft::gemv4BitCuda(x[0], qd), got[0]);
        }
    }
};

QTEST_APPLESS_MAIN(TestFourBitCuda)
#include "tst_four_bit_cuda.moc"
