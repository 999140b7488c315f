// libftcore_cuda.so's own part: linking it pulls in LibTorch's CUDA half (its CUDA device, allocator and hooks
// register themselves as it loads); the other files of the library register their parts with ftcore.
// core/device/cuda_support.cpp loads this library; tests/tst_cuda_support.cpp checks that it does what it says.

extern "C" {
// The loader checks it: a libftcore_cuda.so of another build is not loaded into this one. Bump both together.
__attribute__((visibility("default"))) int ft_cuda_support_version() { return 1; }
}
