// Quantizers: the int8 examples by hand, NF4/FP4 bit for bit against bitsandbytes' CPU output
// (tests/data/quant/reference.safetensors, made by tests/data/make_quant_fixtures.py), error metrics, bad arguments.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/quant/quantize.h"
#include "core/quant/quantizers.h"

#include <QtTest>
#include <cmath>
#include <set>

namespace {

const std::string kReference = std::string(FT_TEST_DATA_DIR) + "/quant/reference.safetensors";

const ft::SafetensorsFile& reference() {
    static const auto file = ft::SafetensorsFile::open(kReference);
    return file;
}

QString describeMismatch(const at::Tensor& got, const at::Tensor& want) {
    if (got.sizes() != want.sizes())
        return QString("shape %1 vs %2").arg(got.numel()).arg(want.numel());
    const auto diff = (got.reshape(-1).to(torch::kFloat64) != want.reshape(-1).to(torch::kFloat64)).nonzero();
    if (diff.numel() == 0) return "dtype " + QString(c10::toString(got.scalar_type())) + " vs " + c10::toString(want.scalar_type());
    const int64_t i = diff[0][0].item<int64_t>();
    return QString("%1 differing, first at %2: %3 vs %4")
        .arg(diff.size(0))
        .arg(i)
        .arg(got.reshape(-1)[i].item<double>(), 0, 'g', 10)
        .arg(want.reshape(-1)[i].item<double>(), 0, 'g', 10);
}

#define COMPARE_EXACT(got, want)                                                                        \
    do {                                                                                                \
        const auto g_ = (got);                                                                          \
        const auto w_ = (want);                                                                         \
        QVERIFY2(g_.scalar_type() == w_.scalar_type() && torch::equal(g_, w_),                          \
                 qPrintable(QString(#got ": ") + describeMismatch(g_, w_)));                            \
    } while (0)

void expectError(ft::ErrorCode code, const std::function<void()>& fn) {
    try {
        fn();
    } catch (const ft::Error& e) {
        QCOMPARE(int(e.code()), int(code));
        return;
    }
    QFAIL("no ft::Error thrown");
}

} // namespace

class TestQuantize : public QObject {
    Q_OBJECT
private slots:
    void int8SymmetricExample() {
        const auto x = torch::tensor({0.2f, 1.5f, -0.7f, 3.9f, -2.3f, 0.0f});
        const auto q = ft::quantizeInt8(x, ft::QuantMethod::Int8Sym, ft::Granularity::Tensor);
        COMPARE_EXACT(q.q, torch::tensor({7, 49, -23, 127, -75, 0}, torch::kInt8));
        QCOMPARE(q.scale.numel(), int64_t(1));
        QVERIFY(std::abs(q.scale.item<float>() - 0.030708661f) < 1e-9f);
        const auto back = ft::dequantizeInt8(q);
        COMPARE_EXACT(back, q.scale * q.q.to(torch::kFloat32));
        QVERIFY(std::abs(back[3].item<float>() - 3.9f) < 1e-6f);
    }

    void int8AsymmetricExample() {
        const auto x = torch::tensor({0.2f, 1.5f, -8.7f, 3.9f, -2.3f, -3.3f});
        const auto q = ft::quantizeInt8(x, ft::QuantMethod::Int8Asym, ft::Granularity::Tensor);
        COMPARE_EXACT(q.q, torch::tensor({52, 78, -128, 127, 1, -19}, torch::kInt8));
        QVERIFY(std::abs(q.scale.item<float>() - 0.049411766f) < 1e-9f);
        QCOMPARE(int(q.zeroPoint.item<int8_t>()), 48);
        const auto back = ft::dequantizeInt8(q);
        COMPARE_EXACT(back, q.scale * (q.q.to(torch::kFloat32) - 48.0f));
    }

    void int8Granularities() {
        torch::manual_seed(7);
        const auto x = torch::randn({6, 50});
        for (auto method : {ft::QuantMethod::Int8Sym, ft::QuantMethod::Int8Asym}) {
            const auto channel = ft::quantizeInt8(x, method, ft::Granularity::Channel);
            QCOMPARE(channel.scale.numel(), int64_t(6));
            // Per channel equals quantizing each row on its own.
            for (int64_t r = 0; r < 6; ++r) {
                const auto row = ft::quantizeInt8(x[r], method, ft::Granularity::Tensor);
                COMPARE_EXACT(channel.q[r], row.q);
            }
            const auto block = ft::quantizeInt8(x, method, ft::Granularity::Block, 64);   // 300 = 4 x 64 + 44
            QCOMPARE(block.scale.numel(), int64_t(5));
            const auto tail = ft::quantizeInt8(x.reshape(-1).slice(0, 256), method, ft::Granularity::Tensor);
            COMPARE_EXACT(block.q.reshape(-1).slice(0, 256), tail.q);
            for (const auto& q : {channel, block}) {
                const auto back = ft::dequantizeInt8(q);
                QCOMPARE(back.sizes().vec(), x.sizes().vec());
                // Half a step at most: s / 2 with s <= max|x| / 127.
                QVERIFY((back - x).abs().max().item<float>() <= x.abs().max().item<float>() / 254.0f + 1e-6f);
            }
        }
    }

    void fourBit_data() {
        QTest::addColumn<QString>("key");
        std::set<std::string> keys;
        for (const auto& e : reference().entries()) {
            const auto pos = e.name.rfind("/packed");
            if (pos != std::string::npos && pos + 7 == e.name.size()) keys.insert(e.name.substr(0, pos));
        }
        QVERIFY(keys.size() >= 40);
        for (const auto& k : keys) QTest::newRow(k.c_str()) << QString::fromStdString(k);
    }

    void fourBit() {
        QFETCH(QString, key);
        const std::string k = key.toStdString();
        const auto& ref = reference();
        const std::string caseName = k.substr(0, k.find('/'));
        const std::string config = k.substr(k.find('/') + 1);   // nf4_b64_dq
        const auto type = config.rfind("nf4", 0) == 0 ? ft::FourBitType::Nf4 : ft::FourBitType::Fp4;
        const int64_t blocksize = std::stoll(config.substr(5, config.find('_', 5) - 5));
        const bool dq = config.size() > 3 && config.substr(config.size() - 3) == "_dq";
        const auto input = ref.tensor(caseName + "/input");

        const auto q = ft::quantize4Bit(input, type, blocksize, dq);
        COMPARE_EXACT(q.packed, ref.tensor(k + "/packed"));
        if (dq) {
            COMPARE_EXACT(q.absmaxQ, ref.tensor(k + "/absmax_q"));
            COMPARE_EXACT(q.nestedAbsmax, ref.tensor(k + "/nested_absmax"));
            COMPARE_EXACT(torch::tensor(q.offset), ref.tensor(k + "/offset"));
        } else {
            COMPARE_EXACT(q.absmax, ref.tensor(k + "/absmax"));
        }
        COMPARE_EXACT(ft::dequantize4Bit(q), ref.tensor(k + "/dequantized"));

        // bitsandbytes' AVX-512 CPU dequantize kernel differs from its own default kernel (the reference above)
        // exactly where rows do not hold whole blocks: it takes the block of (row, col) as
        // row * (cols / blocksize) + col / blocksize. Pin that down (the file was made on an AVX-512 machine).
        const auto sizes = input.sizes().vec();
        const int64_t cols = sizes.back();
        const int64_t rows = input.numel() / cols;
        // (An odd last dimension takes bitsandbytes' fallback to the default kernel.)
        const bool rowsSplitBlocks = rows > 1 && cols % blocksize != 0 && cols % 2 == 0;
        QCOMPARE(ref.find(k + "/dequantized_cpu_kernel") != nullptr, rowsSplitBlocks);
    }

    void int8AsymmetricPositiveGroup() {
        // A group with only positive values keeps its precision (0 is in the range, z stays in [-128, 127]).
        const auto x = torch::tensor({10.0f, 10.5f, 11.0f, 0.0f});
        const auto q = ft::quantizeInt8(x, ft::QuantMethod::Int8Asym, ft::Granularity::Tensor);
        QCOMPARE(int(q.zeroPoint.item<int8_t>()), -128);
        QVERIFY((ft::dequantizeInt8(q) - x).abs().max().item<float>() <= 11.0f / 255.0f / 2.0f + 1e-6f);
    }

    void dynamicMapMatchesBitsandbytes() {
        const auto& map = ft::dynamicMap();
        COMPARE_EXACT(torch::tensor(std::vector<float>(map.begin(), map.end())), reference().tensor("dynamic_map"));
    }

    void nestedCodesOfRealisticWeight() {
        // A 2048x2048 bf16 weight's 65,536 absmax values (make_quant_fixtures.py realistic_weight()): bitsandbytes'
        // CPU path quantizes them through its 65,536-entry table; a nearest-code search differed on 175 of them.
        const auto ref = ft::SafetensorsFile::open(std::string(FT_TEST_DATA_DIR) + "/quant/realistic_2048.safetensors");
        const auto absmax = ref.tensor("absmax");
        const auto offset = ref.tensor("offset");
        auto [codes, nested] = ft::quantizeBlockwiseDynamic(absmax - offset, 256);
        COMPARE_EXACT(codes, ref.tensor("absmax_q"));
        COMPARE_EXACT(nested, ref.tensor("nested_absmax"));

        // The whole path from the weight, regenerated with the same seeded randn (LibTorch's CPU generator is
        // Python torch's); the stored first-level absmax proves the weight is the same.
        auto gen = at::make_generator<at::CPUGeneratorImpl>(2048);
        auto w = torch::randn({2048, 2048}, gen) * 0.02;
        const auto rows = ref.tensor("outlier_rows");
        w.index_put_({rows}, w.index_select(0, rows) * 25.0);
        w = w.to(torch::kBFloat16);
        const auto plain = ft::quantize4Bit(w, ft::FourBitType::Nf4, 64, false);
        if (!torch::equal(plain.absmax, absmax))
            QSKIP("LibTorch's randn here does not regenerate the fixture's weight (another torch version?)");
        const auto q = ft::quantize4Bit(w, ft::FourBitType::Nf4, 64, true);
        COMPARE_EXACT(q.absmaxQ, ref.tensor("absmax_q"));
        COMPARE_EXACT(q.nestedAbsmax, ref.tensor("nested_absmax"));
        COMPARE_EXACT(torch::tensor(q.offset), offset);
    }

    void doubleQuantOfEqualAbsmax() {
        // Every absmax equals the mean, so the nested block is all zeros: bitsandbytes 0.50.2 stores code 0 and a
        // nested absmax of 0, and dequantizes to the offset.
        const auto x = torch::ones({256});
        const auto q = ft::quantize4Bit(x, ft::FourBitType::Nf4, 64, true);
        COMPARE_EXACT(q.absmaxQ, torch::zeros({4}, torch::kUInt8));
        COMPARE_EXACT(q.nestedAbsmax, torch::zeros({1}));
        QCOMPARE(q.offset, 1.0f);
        COMPARE_EXACT(ft::dequantize4Bit(q), x);
    }

    void roundTripBounds() {
        torch::manual_seed(11);
        const auto x = torch::randn({8, 100});
        for (auto type : {ft::FourBitType::Nf4, ft::FourBitType::Fp4}) {
            for (bool dq : {false, true}) {
                const auto q = ft::quantize4Bit(x, type, 32, dq);
                const auto back = ft::dequantize4Bit(q);
                QCOMPARE(back.sizes().vec(), x.sizes().vec());
                // The widest gap between codes is 1/3 of absmax (FP4 between 2/3 and 1): half of it bounds the error.
                const auto absmax = ft::blockAbsmax(q);
                QVERIFY((back - x).abs().max().item<float>() <= absmax.max().item<float>() / 6.0f * 1.01f);
            }
        }
    }

    void errorMetrics() {
        torch::manual_seed(5);
        const auto x = torch::randn({16, 64});
        const auto sym = ft::measureError(x, {ft::QuantMethod::Int8Sym, ft::Granularity::Channel, 64, false});
        const auto nf4 = ft::measureError(x, {ft::QuantMethod::Nf4, ft::Granularity::Block, 64, false});
        const auto nf4dq = ft::measureError(x, {ft::QuantMethod::Nf4, ft::Granularity::Block, 64, true});
        QCOMPARE(sym.bytes, int64_t(1024 + 16 * 4));
        QCOMPARE(nf4.bytes, int64_t(512 + 16 * 4));
        QCOMPARE(nf4dq.bytes, int64_t(512 + 16 + 4 + 4));
        QVERIFY(sym.snrDb > 35.0 && sym.snrDb > nf4.snrDb);
        QVERIFY(nf4.snrDb > 15.0);
        QCOMPARE(sym.levelHistogram.size(), size_t(256));
        QCOMPARE(nf4.levelHistogram.size(), size_t(16));
        int64_t total = 0;
        for (auto c : nf4.levelHistogram) total += c;
        QCOMPARE(total, int64_t(1024));
        total = 0;
        for (auto c : nf4.errorHistogram) total += c;
        QCOMPARE(total, int64_t(1024));
        QVERIFY(nf4.maxAbsError >= std::sqrt(nf4.mse));
        // SNR from its definition.
        const auto q = ft::quantize4Bit(x, ft::FourBitType::Nf4, 64, false);
        const auto err = (ft::dequantize4Bit(q) - x).to(torch::kFloat64);
        const double snr = 10.0 * std::log10(x.to(torch::kFloat64).square().sum().item<double>() / err.square().sum().item<double>());
        QVERIFY(std::abs(nf4.snrDb - snr) < 1e-9);
    }

    void badArguments() {
        const auto x = torch::randn({4, 64});
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::quantize4Bit(x, ft::FourBitType::Nf4, 48); });
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::quantize4Bit(x, ft::FourBitType::Nf4, 16); });
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::quantize4Bit(x, ft::FourBitType::Fp4, 8192); });
        expectError(ft::ErrorCode::InvalidValue,
                    [&] { ft::quantizeInt8(x, ft::QuantMethod::Int8Sym, ft::Granularity::Block, 100); });
        expectError(ft::ErrorCode::InvalidValue,
                    [&] { ft::measureError(x, {ft::QuantMethod::Fp4, ft::Granularity::Block, 33, false}); });
        expectError(ft::ErrorCode::InvalidValue, [&] { ft::quantize4Bit(torch::empty({0}), ft::FourBitType::Nf4); });
        expectError(ft::ErrorCode::Unsupported, [&] { ft::quantize4Bit(torch::ones({4}, torch::kInt32), ft::FourBitType::Nf4); });
    }
};

QTEST_APPLESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
