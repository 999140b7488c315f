#include "core/dist/gradient_sync.h"

#include "core/dist/dist_group_impl.h"

#include <torch/csrc/distributed/c10d/comm.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <chrono>

namespace ft {

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// When each bucket of a backward pass started and ended, from the hook's thread and Gloo's/NCCL's.
struct Recorder {
    std::mutex mutex;
    int buckets = 0;
    int64_t bytes = 0;
    Clock::time_point firstStart, lastStart, lastEnd;

    void reset() {
        std::lock_guard lock(mutex);
        buckets = 0;
        bytes = 0;
    }
    void started(int64_t n) {
        std::lock_guard lock(mutex);
        const auto now = Clock::now();
        if (buckets++ == 0) firstStart = now;
        lastStart = now;
        bytes += n;
    }
    void finished() {
        std::lock_guard lock(mutex);
        lastEnd = Clock::now();
    }
};

// A sum, not DDP's default mean: the trainer divides each rank's loss by the step's target tokens over all ranks,
// so the summed gradient is exactly the gradient of one process taking the whole global batch.
class SumHook : public c10d::CppCommHookInterface<c10::intrusive_ptr<c10d::ProcessGroup>> {
public:
    SumHook(c10::intrusive_ptr<c10d::ProcessGroup> group, std::shared_ptr<Recorder> recorder)
        : CppCommHookInterface(std::move(group)), m_recorder(std::move(recorder)) {}

    c10::intrusive_ptr<c10::ivalue::Future> runHook(c10d::GradBucket& bucket) override {
        at::Tensor& buffer = bucket.getBufferRef();
        m_recorder->started(buffer.numel() * int64_t(buffer.element_size()));
        std::vector<at::Tensor> tensors{buffer};
        auto future = state_->allreduce(tensors)->getFuture();
        // Chained, not a callback beside it: the Reducer waits for this future, so the end is recorded before
        // backward returns and lastStats() reads it.
        return future->then(
            [recorder = m_recorder](c10::ivalue::Future& done) {
                recorder->finished();
                return done.value();
            },
            future->elementType());
    }

private:
    std::shared_ptr<Recorder> m_recorder;
};

} // namespace

struct GradientSync::Impl {
    DistGroup* group = nullptr;
    std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
    std::unique_ptr<c10d::Reducer> reducer;
};

GradientSync::GradientSync(DistGroup& group, std::vector<at::Tensor> params, int64_t bucketBytes)
    : m(std::make_unique<Impl>()) {
    m->group = &group;
    // Every rank starts from rank 0's values (as DDP does), whatever its own initialisation drew.
    std::vector<at::Tensor> values;
    for (const auto& p : params) values.push_back(p.detach());
    group.broadcastFromRankZero(values);

    // Buckets as DDP makes them: the first small (its gradients come last in backward, and a small bucket starts
    // the all-reduces early), in reverse parameter order, which approximates the order backward produces them.
    const std::vector<bool> sparse(params.size(), false);
    const int64_t firstBucket = std::min<int64_t>(1 << 20, bucketBytes);
    auto [buckets, limits] = c10d::compute_bucket_assignment_by_size(
        params, {size_t(firstBucket), size_t(bucketBytes)}, sparse, {}, std::nullopt);
    std::reverse(buckets.begin(), buckets.end());
    m->reducer = std::make_unique<c10d::Reducer>(
        params, buckets, group.impl().group, sparse, bucketBytes, /*find_unused_parameters=*/false,
        /*gradient_as_bucket_view=*/false, std::unordered_map<size_t, std::string>{}, firstBucket,
        /*skip_all_reduce_unused_params=*/false, /*use_python_reducer=*/false, std::vector<int64_t>{});
    m->reducer->register_comm_hook(std::make_unique<SumHook>(group.impl().group, m->recorder));
}

GradientSync::~GradientSync() {
    // The Reducer's destructor may throw (it checks its hooks); this one runs while a lost rank's error unwinds.
    try {
        m->reducer.reset();
    } catch (const std::exception&) {
    }
}

void GradientSync::expectBackward(const at::Tensor& loss) {
    m->recorder->reset();
    m->reducer->prepare_for_backward({loss});
}

GradientSyncStats GradientSync::lastStats() const {
    Recorder& r = *m->recorder;
    std::lock_guard lock(r.mutex);
    GradientSyncStats s;
    s.buckets = r.buckets;
    s.bytes = r.bytes;
    if (r.buckets > 0) {
        s.busySeconds = seconds(r.lastEnd - r.firstStart);
        s.waitSeconds = std::max(0.0, seconds(r.lastEnd - r.lastStart));
    }
    return s;
}

} // namespace ft
