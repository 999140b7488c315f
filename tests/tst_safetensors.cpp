// safetensors: round trips for every dtype, the reference file written by the Python package, and refusal of
// malformed files with an error that names the file and the tensor.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/io/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

namespace {

std::string le64(uint64_t n) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[size_t(i)] = char((n >> (8 * i)) & 0xff);
    return s;
}

void writeRaw(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string fileWith(const std::string& header, const std::string& data) {
    return le64(header.size()) + header + data;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private slots:
    void roundTripAllDtypes() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.safetensors").toStdString();
        auto base = torch::arange(24, torch::kFloat32).reshape({2, 3, 4}) - 7.5;
        ft::NamedTensors in{{"f32", base},
                            {"f16", base.to(torch::kFloat16)},
                            {"bf16", base.to(torch::kBFloat16)},
                            {"f64", base.to(torch::kFloat64)},
                            {"i64", base.to(torch::kInt64)},
                            {"i32", base.to(torch::kInt32)},
                            {"i16", base.to(torch::kInt16)},
                            {"i8", base.to(torch::kInt8)},
                            {"u8", base.abs().to(torch::kUInt8)},
                            {"bool", base > 0},
                            {"scalar", torch::tensor(3.5)},
                            {"empty", torch::zeros({0, 4})}};
        ft::writeSafetensors(path, in, {{"format", "pt"}});
        const auto st = ft::SafetensorsFile::open(path);
        QCOMPARE(st.entries().size(), in.size());
        QCOMPARE(st.metadata().at("format"), std::string("pt"));
        for (const auto& [name, t] : in) {
            const auto back = st.tensor(name);
            QCOMPARE(back.scalar_type(), t.scalar_type());
            QCOMPARE(back.sizes().vec(), t.sizes().vec());
            QVERIFY2(torch::equal(back, t), name.c_str());
        }
        // The header is padded with spaces to a multiple of 8 bytes.
        std::ifstream f(path, std::ios::binary);
        unsigned char prefix[8];
        f.read(reinterpret_cast<char*>(prefix), 8);
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = (n << 8) | prefix[i];
        QCOMPARE(n % 8, uint64_t(0));
    }

    void writesOfViewsAreContiguous() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("v.safetensors").toStdString();
        auto t = torch::arange(12, torch::kFloat32).reshape({3, 4}).t();  // non-contiguous view
        ft::writeSafetensors(path, {{"t", t}});
        QVERIFY(torch::equal(ft::SafetensorsFile::open(path).tensor("t"), t));
    }

    void readsTheReferenceFile() {
        // Written by the safetensors Python package (tests/data/make_safetensors_fixture.py).
        const std::string path = FT_TEST_DATA_DIR "/reference.safetensors";
        if (!QFile::exists(QString::fromStdString(path))) QSKIP("tests/data/reference.safetensors is missing");
        const auto st = ft::SafetensorsFile::open(path);
        QCOMPARE(st.metadata().at("made_by"), std::string("safetensors-python"));
        const auto a = st.tensor("a_f32");
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{2, 3}));
        QVERIFY(torch::equal(a, torch::arange(6, torch::kFloat32).reshape({2, 3}) / 4.0));
        QVERIFY(torch::equal(st.tensor("b_bf16").to(torch::kFloat32), torch::tensor({1.5f, -2.0f, 0.25f})));
        QVERIFY(torch::equal(st.tensor("c_i64"), torch::tensor({int64_t(-1), int64_t(1) << 40})));
        QVERIFY(torch::equal(st.tensor("d_f16").to(torch::kFloat32), torch::tensor({{0.5f}, {-0.125f}})));
    }

    void refusesMalformed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        const std::string ok = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        const std::string data(8, '\0');
        QTest::newRow("shorter than prefix") << QByteArray("abc") << "8-byte";
        QTest::newRow("header past end") << QByteArray::fromStdString(le64(1000) + "{}") << "past the end";
        QTest::newRow("header claims terabytes") << QByteArray::fromStdString(le64(uint64_t(1) << 42) + "{}") << "exceeds";
        QTest::newRow("bad json") << QByteArray::fromStdString(fileWith("{\"w\": [", "")) << "header JSON";
        QTest::newRow("unknown dtype")
            << QByteArray::fromStdString(fileWith(R"({"w":{"dtype":"F7","shape":[2],"data_offsets":[0,8]}})", data)) << "'w'";
        QTest::newRow("offsets out of range")
            << QByteArray::fromStdString(fileWith(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,80]}})", data)) << "'w'";
        QTest::newRow("shape x dtype mismatch")
            << QByteArray::fromStdString(fileWith(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", data)) << "'w'";
        QTest::newRow("negative shape")
            << QByteArray::fromStdString(fileWith(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", data)) << "'w'";
        QTest::newRow("huge shape")
            << QByteArray::fromStdString(fileWith(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", data))
            << "'w'";
        QTest::newRow("overlap")
            << QByteArray::fromStdString(fileWith(
                   R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", data))
            << "overlaps";
        QTest::newRow("gap")
            << QByteArray::fromStdString(fileWith(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", data)) << "gap";
        QTest::newRow("trailing bytes")
            << QByteArray::fromStdString(fileWith(ok, data + "xx")) << "cover";
        QTest::newRow("metadata not strings")
            << QByteArray::fromStdString(fileWith(R"({"__metadata__":{"a":1}})", "")) << "__metadata__";
    }

    void refusesMalformed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.safetensors").toStdString();
        writeRaw(path, bytes.toStdString());
        try {
            ft::SafetensorsFile::open(path);
            QFAIL("a malformed file was accepted");
        } catch (const ft::Error& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable(msg));
            QVERIFY2(msg.contains(mentions), qPrintable(msg));
        }
    }

    void mappingOutlivesTheFileObject() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.safetensors").toStdString();
        ft::writeSafetensors(path, {{"x", torch::ones({4})}});
        torch::Tensor t;
        {
            auto st = ft::SafetensorsFile::open(path);
            t = st.tensor("x");
        }
        QCOMPARE(t.sum().item<float>(), 4.0f);
        t.add_(1);  // copy-on-write: the file is untouched
        QCOMPARE(ft::SafetensorsFile::open(path).tensor("x").sum().item<float>(), 4.0f);
    }

    // A weight replaced after loading (say its bf16 copy kept instead) must not leave its file pages resident while
    // the rest of the file stays mapped; an entry another tensor still views keeps them, written bytes included.
    void lastViewGivesItsPagesBack() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.safetensors").toStdString();
        ft::writeSafetensors(path, {{"keep", torch::ones({1024})}, {"big", torch::arange(8 << 20, torch::kFloat32)}});
        const auto st = ft::SafetensorsFile::open(path);
        const torch::Tensor keep = st.tensor("keep");  // the mapping stays alive through this one
        torch::Tensor big = st.tensor("big");
        QCOMPARE(big.to(torch::kFloat64).sum().item<double>(), double(8 << 20) * ((8 << 20) - 1) / 2);  // every page read: resident
        const int64_t resident = rssFileKiB();
        torch::Tensor again = st.tensor("big");
        again[4 << 20] = -1.0f;  // a private page inside this entry, written through the second view
        big = torch::Tensor();  // one view of two gone: nothing given back (the write moved a 2 MiB folio at most)
        QVERIFY2(rssFileKiB() > resident - 4096, qPrintable(QString::number(rssFileKiB() - resident)));
        QCOMPARE(again[4 << 20].item<float>(), -1.0f);
        QCOMPARE(again[(8 << 20) - 1].item<float>(), float((8 << 20) - 1));
        again = torch::Tensor();  // the last: its 32 MiB leave memory
        const int64_t after = rssFileKiB();
        qInfo("the process's file pages: %lld KiB with the views, %lld KiB after the last went", (long long)resident,
              (long long)after);
        QVERIFY(after < resident - 24 * 1024);
        QCOMPARE(keep.sum().item<float>(), 1024.0f);
        QCOMPARE(st.tensor("big")[4 << 20].item<float>(), float(4 << 20));  // faulted in again from the file
    }

private:
    // RssFile + RssShmem: mapped file pages, private clean ones included ("RssFile" in /proc/self/status).
    static int64_t rssFileKiB() {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("RssFile:", 0) == 0) return std::stoll(line.substr(8));
        return -1;
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
