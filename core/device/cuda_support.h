#pragma once
// LibTorch's CUDA half (libtorch_cuda with cuBLAS, cuDNN, cuFFT, ...) takes ~350 MB of memory the moment it is
// loaded, with or without a GPU. So ftcore links only LibTorch's CPU half, and everything that needs CUDA lives in
// libftcore_cuda.so (core/cuda/: LibTorch's CUDA half, NCCL, the project's kernels), loaded the first time CUDA is
// asked about and only where an NVIDIA driver is installed. Once loaded it registers its parts with ftcore
// (registerFourBitCudaKernels, registerNcclBackend) and LibTorch's CUDA device is there as if linked.
//   FT_CUDA=off   never load it (CPU only, e.g. to keep memory small on a GPU machine)
//   FT_CUDA=on    load it even without a driver (tests: the library and its registrations, on a machine with no GPU)
// Plain C++: no LibTorch header.

#include <string>

namespace ft {

// Loads libftcore_cuda.so once (thread-safe); whether it is loaded.
bool loadCudaSupport();

// Why it is not loaded, in words for an error message ("no NVIDIA driver (libcuda.so.1) on this machine", the loader's
// error, "FT_CUDA=off"); empty when it is.
std::string cudaSupportProblem();

// loadCudaSupport() and LibTorch sees a CUDA device. Ask this, not torch::cuda::is_available() (false until loaded).
bool cudaAvailable();

} // namespace ft
