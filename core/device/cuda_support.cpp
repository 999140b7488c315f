#include "core/device/cuda_support.h"

#include <torch/cuda.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include <dlfcn.h>

namespace ft {

namespace {

constexpr int kVersion = 1;  // core/cuda/cuda_support_library.cpp's ft_cuda_support_version()

struct Loaded {
    bool ok = false;
    std::string problem;
};

// libftcore_cuda.so is built beside libftcore.so (build/core/, the package's lib/finetune-studio/): the folder of the
// library this function is in. Its own RUNPATH (or the launcher's LD_LIBRARY_PATH) finds LibTorch's CUDA half.
std::string besideThisLibrary(const char* name) {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&besideThisLibrary), &info) == 0 || !info.dli_fname) return name;
    std::string path = info.dli_fname;
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

Loaded load() {
    const char* mode = std::getenv("FT_CUDA");
    const std::string want = mode ? mode : "auto";
    if (want == "off" || want == "0") return {false, "FT_CUDA=off"};
    if (want != "on" && want != "1") {
        // The driver's library: without it there is no GPU to use, and loading the CUDA half would only cost memory.
        void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
        if (!driver) return {false, "no NVIDIA driver (libcuda.so.1) on this machine"};
        dlclose(driver);
    }
    const std::string path = besideThisLibrary("libftcore_cuda.so");
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char* why = dlerror();
        return {false, "cannot load " + path + ": " + (why ? why : "unknown error") +
                           " (this build may have no CUDA support; reinstall it, or train on the CPU)"};
    }
    using Version = int (*)();
    const auto version = reinterpret_cast<Version>(dlsym(library, "ft_cuda_support_version"));
    if (!version || version() != kVersion)
        return {false, path + " is not this build's (reinstall Finetune Studio, or train on the CPU)"};
    return {true, {}};
}

const Loaded& loaded() {
    static const Loaded state = load();  // once, thread-safe
    return state;
}

} // namespace

bool loadCudaSupport() { return loaded().ok; }

std::string cudaSupportProblem() { return loaded().problem; }

bool cudaAvailable() { return loadCudaSupport() && torch::cuda::is_available(); }

} // namespace ft
