#include "core/train/encoder_pool.h"

#include "core/common/parallel_for.h"

#include <exception>
#include <thread>

namespace ft {

EncoderPool::EncoderPool(const ModelFolder& folder, int threads) {
    m_encoders.resize(size_t(threads > 0 ? threads : hardwareThreads()));
    // Each tokenizer loads on a thread of its own; a failure (the same on every thread) is rethrown.
    std::vector<std::exception_ptr> errors(m_encoders.size());
    std::vector<std::thread> loaders;
    for (size_t i = 0; i < m_encoders.size(); ++i)
        loaders.emplace_back([&, i] {
            try {
                m_encoders[i] = std::make_unique<ExampleEncoder>(folder);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    for (auto& t : loaders) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

EncoderPool::~EncoderPool() = default;

void EncoderPool::forEach(size_t n, const std::function<void(const ExampleEncoder&, size_t)>& job) const {
    parallelFor(n, threads(), [&](int thread, size_t i) { job(*m_encoders[size_t(thread)], i); });
}

} // namespace ft
