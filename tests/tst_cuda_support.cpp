// CUDA support is loaded at run time (core/device/cuda_support.h), so that a machine without a GPU does not carry
// LibTorch's CUDA half (~350 MB). The library loads once per process, so each case runs this program again as a
// child with FT_CUDA set and reads what the child saw: where CUDA may not load, LibTorch's CUDA half is not in the
// process at all and asking for a CUDA device says why in words; where it is asked to load (FT_CUDA=on, which works
// with no GPU too), LibTorch's CUDA hooks are registered and the kernels and NCCL register themselves as this build
// has them.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/device/cuda_support.h"
#include "core/dist/dist_group_impl.h"
#include "core/quant/four_bit_device.h"
#include "core/train/trainer.h"

#include <ATen/detail/CUDAHooksInterface.h>

#include <QProcess>
#include <QtTest>

#include <cstdio>
#include <fstream>
#include <string>

#include <dlfcn.h>

namespace {

bool mapped(const std::string& name) {  // a library of that name is loaded into this process
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line))
        if (line.find(name) != std::string::npos) return true;
    return false;
}

long residentKb() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long kb = 0;
    while (status >> key)
        if (key == "VmRSS:" && status >> kb) return kb;
    return 0;
}

// What the child reports, one "key=value" per line.
int childMain() {
    const bool loaded = ft::loadCudaSupport();
    std::printf("loaded=%d\n", int(loaded));
    std::printf("problem=%s\n", ft::cudaSupportProblem().c_str());
    std::printf("torch_cuda_mapped=%d\n", int(mapped("libtorch_cuda.so")));
    int cudart = 0;
    try {
        cudart = int(at::detail::getCUDAHooks().versionCUDART());
    } catch (const std::exception&) {
        cudart = 0;  // the stub hooks: LibTorch's CUDA half is not loaded
    }
    std::printf("cudart=%d\n", cudart);
    std::printf("kernels=%d\n", int(ft::fourBitCudaKernelsBuilt()));
    std::printf("nccl=%d\n", int(ft::ncclAvailable()));
    std::printf("cuda_available=%d\n", int(ft::cudaAvailable()));
    std::string deviceError;
    try {
        (void)ft::trainingDevice("cuda");
    } catch (const ft::Error& e) {
        deviceError = e.what();
    }
    std::printf("device_error=%s\n", deviceError.c_str());
    std::printf("rss_kb=%ld\n", residentKb());
    return 0;
}

QMap<QString, QString> runChild(const QString& mode) {
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (mode.isEmpty()) env.remove("FT_CUDA");
    else env.insert("FT_CUDA", mode);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {"--child"});
    if (!child.waitForFinished(120000) || child.exitCode() != 0) {
        qWarning() << child.readAllStandardError();
        return {};
    }
    QMap<QString, QString> out;
    for (const QByteArray& line : child.readAllStandardOutput().split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0) out.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return out;
}

bool driverInstalled() {
    void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (driver) dlclose(driver);
    return driver != nullptr;
}

} // namespace

class TestCudaSupport : public QObject {
    Q_OBJECT
private slots:
    void offKeepsTheCudaHalfOut() {
        const auto r = runChild("off");
        QVERIFY(!r.isEmpty());
        QCOMPARE(r["loaded"], QString("0"));
        QCOMPARE(r["problem"], QString("FT_CUDA=off"));
        QCOMPARE(r["torch_cuda_mapped"], QString("0"));
        QCOMPARE(r["cudart"], QString("0"));
        QCOMPARE(r["kernels"], QString("0"));
        QCOMPARE(r["nccl"], QString("0"));
        QCOMPARE(r["cuda_available"], QString("0"));
        // Asking for the GPU says why there is none and what to do.
        QVERIFY2(r["device_error"].contains("no CUDA device is available (FT_CUDA=off)"), qPrintable(r["device_error"]));
        QVERIFY2(r["device_error"].contains("choose cpu or auto"), qPrintable(r["device_error"]));
        qInfo("resident with FT_CUDA=off: %s kB", qPrintable(r["rss_kb"]));
    }

    // The default: loaded exactly where an NVIDIA driver is installed (and the build has CUDA support).
    void autoLoadsWhereADriverIs() {
        const auto r = runChild({});
        QVERIFY(!r.isEmpty());
#ifdef FT_EXPECT_CUDA_SUPPORT
        const bool expected = driverInstalled();
#else
        const bool expected = false;
#endif
        QCOMPARE(r["loaded"], QString::number(int(expected)));
        QCOMPARE(r["torch_cuda_mapped"], QString::number(int(expected)));
        if (!driverInstalled())
            QCOMPARE(r["problem"], QString("no NVIDIA driver (libcuda.so.1) on this machine"));
        qInfo("driver installed: %d; resident: %s kB", int(driverInstalled()), qPrintable(r["rss_kb"]));
    }

    void onLoadsTheCudaHalfAndItsParts() {
#ifndef FT_EXPECT_CUDA_SUPPORT
        QSKIP("the torch wheel of this build has no CUDA: there is no libftcore_cuda.so");
#else
        const auto r = runChild("on");
        QVERIFY(!r.isEmpty());
        QVERIFY2(r["loaded"] == "1", qPrintable(r["problem"]));
        QCOMPARE(r["problem"], QString());
        QCOMPARE(r["torch_cuda_mapped"], QString("1"));
        QVERIFY2(r["cudart"].toInt() > 0, qPrintable(r["cudart"]));  // LibTorch's CUDA hooks, not the stub
#ifdef FT_EXPECT_CUDA_KERNELS
        QCOMPARE(r["kernels"], QString("1"));
#else
        QCOMPARE(r["kernels"], QString("0"));
#endif
#ifdef FT_EXPECT_NCCL
        QCOMPARE(r["nccl"], QString("1"));
#else
        QCOMPARE(r["nccl"], QString("0"));
#endif
        if (r["cuda_available"] == "0")  // loaded without a GPU: the error still says there is no device
            QVERIFY2(r["device_error"].contains("no CUDA device is available"), qPrintable(r["device_error"]));
        qInfo("resident with FT_CUDA=on: %s kB", qPrintable(r["rss_kb"]));
#endif
    }
};

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--child") return childMain();
    QCoreApplication app(argc, argv);
    TestCudaSupport test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_cuda_support.moc"
