#pragma once
// job(thread, i) for every i in [0, n) on `threads` threads (the caller's among them), indices handed out in small
// runs so uneven jobs even out. When jobs throw, the exception of the lowest i is rethrown once all are done: what a
// loop in order would have thrown first.

#include <cstddef>
#include <functional>

namespace ft {

void parallelFor(size_t n, int threads, const std::function<void(int thread, size_t i)>& job);

// std::thread::hardware_concurrency(), at least 1.
int hardwareThreads();

} // namespace ft
