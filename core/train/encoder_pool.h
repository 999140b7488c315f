#pragma once
// Encoding spread over every core: one ExampleEncoder per worker thread (each with its own tokenizer, whose word
// cache is otherwise shared under one lock), work handed out in small runs of indices, results written by index so
// the output is in input order whatever thread made it.

#include "core/train/example_encoder.h"

#include <functional>
#include <memory>
#include <vector>

namespace ft {

class EncoderPool {
public:
    // threads 0: std::thread::hardware_concurrency(). The encoders are built in parallel, each from `folder`, which
    // must outlive the pool.
    explicit EncoderPool(const ModelFolder& folder, int threads = 0);
    ~EncoderPool();

    int threads() const { return int(m_encoders.size()); }
    const ExampleEncoder& encoder() const { return *m_encoders.front(); }
    // job(encoder, i) for every i in [0, n), spread over the threads; returns when all are done. When jobs throw, the
    // exception of the lowest i is rethrown (what a loop in order would have thrown first).
    void forEach(size_t n, const std::function<void(const ExampleEncoder&, size_t)>& job) const;

private:
    std::vector<std::unique_ptr<ExampleEncoder>> m_encoders;
};

} // namespace ft
