#include "core/common/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace ft {

int hardwareThreads() { return int(std::max(1u, std::thread::hardware_concurrency())); }

void parallelFor(size_t n, int threads, const std::function<void(int thread, size_t i)>& job) {
    // Runs of 8: few atomic increments, and a thread that drew long rows does not hold up the end for long.
    constexpr size_t kRun = 8;
    threads = int(std::clamp<size_t>((n + kRun - 1) / kRun, 1, size_t(std::max(1, threads))));
    std::atomic<size_t> next{0};
    std::mutex failed;
    size_t firstFailure = std::numeric_limits<size_t>::max();
    std::exception_ptr error;
    const auto body = [&](int t) {
        for (size_t begin = next.fetch_add(kRun); begin < n; begin = next.fetch_add(kRun))
            for (size_t i = begin; i < std::min(n, begin + kRun); ++i) {
                try {
                    job(t, i);
                } catch (...) {
                    const std::lock_guard lock(failed);
                    if (i < firstFailure) {
                        firstFailure = i;
                        error = std::current_exception();
                    }
                }
            }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(body, t);
    body(0);
    for (auto& w : workers) w.join();
    if (error) std::rethrow_exception(error);
}

} // namespace ft
