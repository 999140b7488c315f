// GGUF: the reference file written by gguf-py's GGUFWriter (tests/data/make_gguf_fixtures.py) read back, its
// metadata of every type and its tensors of 13 types dequantized bit for bit as gguf.quants.dequantize does; and
// hostile files (truncated, tensors past the end, absurd counts) refused with an error naming the file and field.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/io/gguf_file.h"
#include "core/io/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <fstream>
#include <iterator>

namespace {

const std::string kDir = std::string(FT_TEST_DATA_DIR) + "/gguf/";

std::vector<uint8_t> readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A little-endian GGUF writer for crafted (mostly broken) files.
struct Bytes {
    std::vector<uint8_t> b;
    Bytes& u32(uint32_t v) { return raw(&v, 4); }
    Bytes& u64(uint64_t v) { return raw(&v, 8); }
    Bytes& str(const std::string& s) { return u64(s.size()).raw(s.data(), s.size()); }
    Bytes& raw(const void* p, size_t n) {
        b.insert(b.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
        return *this;
    }
    Bytes& header(uint64_t nTensors, uint64_t nKv, uint32_t version = 3) {
        return raw("GGUF", 4).u32(version).u64(nTensors).u64(nKv);
    }
    // A tensor info: name, ne (ggml order), type id, offset.
    Bytes& tensor(const std::string& name, std::vector<uint64_t> ne, uint32_t type, uint64_t offset) {
        str(name).u32(uint32_t(ne.size()));
        for (uint64_t n : ne) u64(n);
        return u32(type).u64(offset);
    }
    Bytes& padTo(size_t align) {
        b.resize((b.size() + align - 1) / align * align, 0);
        return *this;
    }
};

// Parsing (and dequantizing every tensor) must throw ft::Error with `code`, its where() naming `field`.
void expectRefused(const std::vector<uint8_t>& bytes, ft::ErrorCode code, const std::string& field) {
    try {
        const ft::GgufFile f = ft::GgufFile::parse(bytes, "crafted.gguf");
        for (const auto& t : f.tensors()) (void)f.dequantize(t);
        QFAIL(("accepted; expected an error at " + field).c_str());
    } catch (const ft::Error& e) {
        const std::string got = std::string(ft::errorCodeName(e.code())) + " at " + e.where() + ": " + e.detail();
        QVERIFY2(e.code() == code, got.c_str());
        QVERIFY2(e.where().find("crafted.gguf") == 0, got.c_str());
        QVERIFY2(e.where().find(field) != std::string::npos, got.c_str());
    }
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT
private slots:
    void metadataOfEveryType() {
        const auto f = ft::GgufFile::open(kDir + "reference.gguf");
        QCOMPARE(f.version(), 3u);
        QCOMPARE(f.alignment(), uint64_t(64));
        QCOMPARE(f.dataOffset(), uint64_t(1728)); // gguf-py's GGUFReader.data_offset for this file
        QCOMPARE(f.metadata().size(), size_t(23)); // gguf-py counts 3 more: its GGUF.version/tensor_count/kv_count
        QCOMPARE(f.metadata().front().first, std::string("general.architecture"));
        QCOMPARE(f.architecture(), std::string("llama"));
        QCOMPARE(*f.getString("general.name"), std::string("GGUF fixture ✓ 테스트"));
        QCOMPARE(*f.getInt("test.u8"), int64_t(200));
        QCOMPARE(*f.getInt("test.i8"), int64_t(-100));
        QCOMPARE(*f.getInt("test.u16"), int64_t(60000));
        QCOMPARE(*f.getInt("test.i16"), int64_t(-30000));
        QCOMPARE(*f.getInt("test.u32"), int64_t(4000000000));
        QCOMPARE(*f.getInt("test.i32"), int64_t(-2000000000));
        QCOMPARE(*f.getInt("test.i64"), -(int64_t(1) << 62) - 3);
        QCOMPARE(*f.getInt("llama.context_length"), int64_t(4096));
        QCOMPARE(f.find("test.u64")->type, ft::GgufValueType::UInt64);
        QCOMPARE(std::get<uint64_t>(f.find("test.u64")->value), (uint64_t(1) << 63) + 5);
        QCOMPARE(*f.getFloat("test.f32"), double(0.1f));
        QCOMPARE(f.find("test.f32")->type, ft::GgufValueType::Float32);
        QCOMPARE(*f.getFloat("test.f64"), -1.0e300);
        QCOMPARE(*f.getBool("test.true"), true);
        QCOMPARE(*f.getBool("test.false"), false);
        QCOMPARE(*f.getString("test.empty"), std::string());
        QCOMPARE(*f.getStringArray("test.arr_str"), (std::vector<std::string>{"a", "", "bc", "✓"}));

        const ft::GgufValue* ints = f.find("test.arr_i32");
        QCOMPARE(ints->elementType, ft::GgufValueType::Int32);
        const auto& iv = std::get<std::vector<ft::GgufValue>>(ints->value);
        QCOMPARE(iv.size(), size_t(3));
        QCOMPARE(std::get<int64_t>(iv[1].value), int64_t(-2));
        const auto& fv = std::get<std::vector<ft::GgufValue>>(f.find("test.arr_f32")->value);
        QCOMPARE(std::get<double>(fv[1].value), -0.25);
        const auto& bv = std::get<std::vector<ft::GgufValue>>(f.find("test.arr_bool")->value);
        QCOMPARE(std::get<bool>(bv[1].value), false);
        const auto& uv = std::get<std::vector<ft::GgufValue>>(f.find("test.arr_u8")->value);
        QCOMPARE(std::get<uint64_t>(uv[1].value), uint64_t(255));
        const ft::GgufValue* nested = f.find("test.arr_nested");
        QCOMPARE(nested->elementType, ft::GgufValueType::Array);
        const auto& outer = std::get<std::vector<ft::GgufValue>>(nested->value);
        QCOMPARE(outer.size(), size_t(2));
        QCOMPARE(std::get<std::vector<ft::GgufValue>>(outer[0].value).size(), size_t(2));
        QCOMPARE(std::get<int64_t>(std::get<std::vector<ft::GgufValue>>(outer[1].value)[0].value), int64_t(3));

        QVERIFY(!f.getString("no.such.key"));
        QVERIFY(!f.findTensor("no.such.tensor"));
        try {
            (void)f.getString("test.u32");
            QFAIL("a uint32 read as a string");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
            QVERIFY(e.where().find("test.u32") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(ft::Error, (void)f.getInt("test.u64")); // 2^63 + 5 does not fit int64
        QVERIFY_THROWS_EXCEPTION(ft::Error, (void)f.getBool("test.u8"));
    }

    // Every tensor, dequantized, equals gguf-py's float32 bit for bit (NaN payloads included).
    void dequantizeMatchesGgufPy() {
        const auto f = ft::GgufFile::open(kDir + "reference.gguf");
        const auto ref = ft::SafetensorsFile::open(kDir + "reference.safetensors");
        QCOMPARE(f.tensors().size(), ref.entries().size());
        QCOMPARE(f.tensors().size(), size_t(19));
        std::map<std::string, uint64_t> perType;
        for (const auto& t : f.tensors()) {
            const torch::Tensor expected = ref.tensor(t.name);
            QCOMPARE(t.shape(), expected.sizes().vec());
            QCOMPARE(expected.scalar_type(), torch::kFloat32);
            const std::vector<float> got = f.dequantize(t);
            QCOMPARE(int64_t(got.size()), expected.numel());
            const auto* want = expected.data_ptr<float>();
            for (size_t i = 0; i < got.size(); ++i) {
                uint32_t a, b;
                std::memcpy(&a, &got[i], 4);
                std::memcpy(&b, &want[i], 4);
                if (a != b)
                    QFAIL(QString("%1 (%2) value %3: got %4 (0x%5), gguf-py %6 (0x%7)")
                              .arg(QString::fromStdString(t.name), ft::ggmlTypeName(t.type)).arg(i)
                              .arg(double(got[i])).arg(a, 8, 16, QChar('0'))
                              .arg(double(want[i])).arg(b, 8, 16, QChar('0'))
                              .toUtf8().constData());
            }
            perType[ft::ggmlTypeName(t.type)] += got.size();
        }
        QCOMPARE(perType.size(), size_t(13));
        uint64_t total = 0;
        for (const auto& [type, n] : perType) {
            qInfo("%-5s %6llu values equal", type.c_str(), (unsigned long long)n);
            total += n;
        }
        qInfo("%llu values compared", (unsigned long long)total);

        const ft::GgufTensorInfo* q = f.findTensor("blk.0.attn_q.weight");
        QVERIFY(q);
        QCOMPARE(q->ne, (std::vector<uint64_t>{128, 3, 2}));
        QCOMPARE(q->shape(), (std::vector<int64_t>{2, 3, 128}));
        QCOMPARE(q->bytes, uint64_t(6 * 4 * 34));
    }

    // Every cut inside the header or the tensor data is refused with a parse error, never read past.
    void truncatedFilesAreRefused() {
        const std::vector<uint8_t> whole = readAll(kDir + "reference.gguf");
        const auto f = ft::GgufFile::parse(whole, "crafted.gguf");
        uint64_t end = 0;
        for (const auto& t : f.tensors()) end = std::max(end, f.dataOffset() + t.offset + t.bytes);
        QVERIFY(end <= whole.size());
        for (size_t n = 0; n < end; n += (n < f.dataOffset() + 256 ? 1 : 251)) {
            try {
                (void)ft::GgufFile::parse(std::span(whole.data(), n), "crafted.gguf");
                QFAIL(qPrintable(QString("a file cut at %1 bytes was accepted").arg(n)));
            } catch (const ft::Error& e) {
                QCOMPARE(e.code(), ft::ErrorCode::ParseError);
                QVERIFY(e.where().starts_with("crafted.gguf"));
            }
        }
    }

    void hostileHeaders() {
        using C = ft::ErrorCode;
        expectRefused(Bytes().raw("GGML", 4).u32(3).u64(0).u64(0).b, C::ParseError, "magic");
        expectRefused(Bytes().header(0, 0, 1).b, C::Unsupported, "version");
        expectRefused(Bytes().header(0, 0, 0x03000000).b, C::Unsupported, "version");
        expectRefused(Bytes().header(uint64_t(1) << 62, 0).b, C::ParseError, "tensor_count");
        expectRefused(Bytes().header(0, ~uint64_t(0)).b, C::ParseError, "metadata_kv_count");
        // A key whose length runs past the end; a string value of 2^63 bytes.
        expectRefused(Bytes().header(0, 1).u64(uint64_t(1) << 40).u64(0).u64(0).b, C::ParseError, "metadata[0] key");
        expectRefused(Bytes().header(0, 1).str("k").u32(8).u64(uint64_t(1) << 63).b, C::ParseError, "k");
        expectRefused(Bytes().header(0, 1).str("k").u32(13).u64(0).b, C::ParseError, "k (type)");
        expectRefused(Bytes().header(0, 1).str("k").u32(7).raw("\x02", 1).b, C::ParseError, "k");
        // An array of 2^60 uint32 in a small file; arrays nested 100 deep.
        expectRefused(Bytes().header(0, 1).str("arr").u32(9).u32(4).u64(uint64_t(1) << 60).b, C::ParseError,
                      "arr (array length)");
        Bytes deep;
        deep.header(0, 1).str("deep").u32(9);
        for (int i = 0; i < 100; ++i) deep.u32(9).u64(1);
        expectRefused(deep.b, C::LimitExceeded, "deep");
        // Duplicate keys; bad alignments.
        expectRefused(Bytes().header(0, 2).str("a").u32(4).u32(1).str("a").u32(4).u32(2).b, C::ParseError, "a");
        expectRefused(Bytes().header(0, 1).str("general.alignment").u32(4).u32(0).b, C::InvalidValue,
                      "general.alignment");
        expectRefused(Bytes().header(0, 1).str("general.alignment").u32(4).u32(48).b, C::InvalidValue,
                      "general.alignment");
        expectRefused(Bytes().header(0, 1).str("general.alignment").u32(10).u64(32).b, C::InvalidValue,
                      "general.alignment");
    }

    void hostileTensors() {
        using C = ft::ErrorCode;
        const auto withData = [](Bytes b, size_t dataBytes) {
            b.padTo(32);
            b.b.resize(b.b.size() + dataBytes, 0);
            return b.b;
        };
        // Sanity: a well-formed file of one F32 tensor reads.
        const auto ok = withData(Bytes().header(1, 0).tensor("w", {4, 2}, 0, 0), 32);
        const auto f = ft::GgufFile::parse(ok, "crafted.gguf");
        QCOMPARE(f.tensors()[0].shape(), (std::vector<int64_t>{2, 4}));
        QCOMPARE(f.dequantize(f.tensors()[0]).size(), size_t(8));
        // Version 2 has version 3's layout (3 only allowed big-endian files); it reads the same.
        QCOMPARE(ft::GgufFile::parse(withData(Bytes().header(1, 0, 2).tensor("w", {4, 2}, 0, 0), 32), "v2.gguf").version(),
                 2u);

        expectRefused(withData(Bytes().header(1, 0).tensor("w", {4, 2}, 0, 0), 31), C::ParseError, "'w'");
        expectRefused(withData(Bytes().header(1, 0).tensor("w", {4}, 0, uint64_t(1) << 63), 64), C::ParseError,
                      "'w'");
        expectRefused(withData(Bytes().header(1, 0).tensor("w", {4}, 0, 16), 64), C::ParseError, "'w' offset");
        expectRefused(withData(Bytes().header(1, 0).tensor("w", {1, 1, 1, 1, 1}, 0, 0), 64), C::ParseError,
                      "'w' n_dims");
        expectRefused(withData(Bytes().header(1, 0).tensor("w", {1ull << 32, 1ull << 32, 1ull << 32}, 0, 0), 64),
                      C::ParseError, "'w' ne");
        expectRefused(withData(Bytes().header(1, 0).tensor("w", {4}, 99, 0), 64), C::Unsupported, "'w' type");
        expectRefused(withData(Bytes().header(1, 0).tensor("w", {16}, 2, 0), 64), C::ParseError, "'w' ne[0]");
        expectRefused(withData(Bytes().header(2, 0).tensor("w", {4}, 0, 0).tensor("w", {4}, 0, 32), 64),
                      C::ParseError, "'w'");
        // An empty tensor reads and dequantizes to nothing (found by fuzz_gguf: memcpy from a null pointer); a file
        // that ends before its data section starts is refused even when its only tensor is empty.
        const auto empty = withData(Bytes().header(1, 0).tensor("e", {0}, 0, 0), 0);
        const auto fe = ft::GgufFile::parse(empty, "crafted.gguf");
        QVERIFY(fe.dequantize(fe.tensors()[0]).empty());
        expectRefused(Bytes().header(1, 0).tensor("e", {0}, 0, 0).b, C::ParseError, "data section");
        // Q8_1 is a known type with sizes checked, but not one we dequantize.
        expectRefused(withData(Bytes().header(1, 0).tensor("q", {32}, 9, 0), 40), C::Unsupported, "'q'");
    }

    void missingFile() {
        try {
            (void)ft::GgufFile::open(kDir + "no-such.gguf");
            QFAIL("opened a missing file");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::FileNotFound);
        }
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
