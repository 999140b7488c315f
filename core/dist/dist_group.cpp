#include "core/dist/dist_group_impl.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>

namespace ft {

namespace {

using namespace std::chrono_literals;

std::string aliveKey(int rank) { return "ft/alive/" + std::to_string(rank); }
const std::string kJoinedKey = "ft/joined";

std::string where(const DistEnv& env) {
    return "rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize);
}

bool loopback(const std::string& addr) {
    return addr == "localhost" || addr == "::1" || addr.starts_with("127.");
}

// The rendezvous (`main`: rank 0 serves it and, unless `serverWaits` is false, waits there until every rank has
// connected) or a second connection to it.
c10::intrusive_ptr<c10d::Store> connectStore(const DistEnv& env, bool main, bool serverWaits = true) {
    c10d::TCPStoreOptions options;
    options.port = uint16_t(env.masterPort);
    options.isServer = main && env.rank == 0;
    options.numWorkers = main ? std::optional<size_t>(env.worldSize) : std::nullopt;  // the ranks that count in
    options.waitWorkers = main && (env.rank != 0 || serverWaits);
    options.timeout = env.timeout;
    return c10::make_intrusive<c10d::TCPStore>(env.masterAddr, options);
}

c10::intrusive_ptr<c10d::Backend> makeGlooBackend(const c10::intrusive_ptr<c10d::Store>& store, const DistEnv& env) {
    // One machine: loopback. Several: the interface GLOO_SOCKET_IFNAME names, else the address of this host's name
    // (what torch.distributed does).
    auto options = loopback(env.masterAddr) ? c10d::ProcessGroupGloo::Options::create(env.timeout)
                                            : c10d::ProcessGroupGloo::Options::create_default(env.timeout);
    if (loopback(env.masterAddr))
        options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.worldSize, options);
}

} // namespace

DistGroup::Impl::~Impl() {
    {
        std::lock_guard lock(mutex);
        stopping = true;
    }
    wake.notify_all();
    if (heartbeat.joinable()) heartbeat.join();
}

void DistGroup::Impl::beat() {
    std::unique_lock lock(mutex);
    while (!stopping) {
        lock.unlock();
        try {
            heartbeatStore->add(aliveKey(env.rank), 1);
        } catch (const std::exception&) {
            return;  // the store is gone (rank 0 ended): the next collective reports it
        }
        lock.lock();
        wake.wait_for(lock, 500ms, [&] { return stopping; });
    }
}

DistGroup::DistGroup(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
DistGroup::~DistGroup() = default;

std::unique_ptr<DistGroup> DistGroup::join(const DistEnv& env, bool cuda, const std::function<void()>& whileWaiting) {
    auto impl = std::make_unique<Impl>();
    impl->env = env;
    const std::string at = env.masterAddr + ":" + std::to_string(env.masterPort);
    const bool watched = env.rank == 0 && whileWaiting;
    try {
        impl->store = connectStore(env, true, !watched);
        impl->store->add(kJoinedKey, 1);
        if (watched) {  // TCPStore's own wait cannot be interrupted: count the arrivals here
            const auto deadline = std::chrono::steady_clock::now() + env.timeout;
            while (impl->store->add(kJoinedKey, 0) < env.worldSize) {
                whileWaiting();
                if (std::chrono::steady_clock::now() > deadline)
                    throw std::runtime_error("only " + std::to_string(impl->store->add(kJoinedKey, 0)) + " arrived");
                std::this_thread::sleep_for(50ms);
            }
        }
        impl->heartbeatStore = connectStore(env, false);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorCode::PeerLost, where(env) + ", rendezvous at " + at,
                    "not all " + std::to_string(env.worldSize) + " processes of the run met there within " +
                        std::to_string(env.timeout.count()) + " s (" + e.what() +
                        "). Start every process with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE (rank 0's "
                        "machine must accept connections on that port), or raise FT_DIST_TIMEOUT");
    }
    try {
        auto prefixed = c10::make_intrusive<c10d::PrefixStore>("ft/pg", impl->store);
        impl->group = c10::make_intrusive<c10d::ProcessGroup>(prefixed, env.rank, env.worldSize);
        if (cuda) {
            impl->group->setDefaultBackend(c10d::ProcessGroup::BackendType::NCCL);
            impl->group->setBackend(c10::DeviceType::CUDA, c10d::ProcessGroup::BackendType::NCCL,
                                    makeNcclBackend(prefixed, env));
        } else {
            impl->group->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
            impl->group->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO,
                                    makeGlooBackend(prefixed, env));
        }
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorCode::PeerLost, where(env) + ", rendezvous at " + at,
                    std::string("the processes met but could not connect to each other: ") + e.what() +
                        (loopback(env.masterAddr) ? "" : " (set GLOO_SOCKET_IFNAME to the network interface the "
                                                         "machines reach each other on)"));
    }
    impl->heartbeat = std::thread([p = impl.get()] { p->beat(); });
    return std::unique_ptr<DistGroup>(new DistGroup(std::move(impl)));
}

int DistGroup::rank() const { return m->env.rank; }
int DistGroup::size() const { return m->env.worldSize; }
const DistEnv& DistGroup::env() const { return m->env; }

void DistGroup::allReduceSum(at::Tensor& tensor, const std::string& during) {
    std::vector<at::Tensor> tensors{tensor};
    try {
        m->group->allreduce(tensors)->wait();
    } catch (const std::exception& e) {
        throw peerLost(during, e.what());
    }
}

void DistGroup::broadcastFromRankZero(std::vector<at::Tensor>& tensors) {
    try {
        for (auto& t : tensors) {
            std::vector<at::Tensor> one{t};
            m->group->broadcast(one)->wait();
        }
    } catch (const std::exception& e) {
        throw peerLost("sending rank 0's parameters", e.what());
    }
}

std::string DistGroup::shareFromRankZero(const std::string& key, const std::string& value) {
    const std::string k = "ft/share/" + key;
    try {
        if (rank() == 0) {
            m->store->set(k, std::vector<uint8_t>(value.begin(), value.end()));
            return value;
        }
        const std::vector<uint8_t> got = m->store->get(k);  // waits for rank 0, up to the timeout
        return std::string(got.begin(), got.end());
    } catch (const std::exception& e) {
        throw peerLost("waiting for rank 0's " + key, e.what());
    }
}

void DistGroup::leave() {
    try {
        if (rank() != 0) {
            m->store->add("ft/left", 1);
            return;
        }
        const auto deadline = std::chrono::steady_clock::now() + std::min<std::chrono::seconds>(m->env.timeout, 30s);
        while (m->store->add("ft/left", 0) < size() - 1 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
    } catch (const std::exception&) {
        // the run's work is done and written; a rank that went without checking out changes nothing
    }
}

Error DistGroup::peerLost(const std::string& during, const std::string& cause) const {
    const DistEnv& env = m->env;
    std::vector<int> stopped;
    bool storeGone = false;
    try {
        std::vector<int64_t> before(size_t(env.worldSize)), after(size_t(env.worldSize));
        for (int r = 0; r < env.worldSize; ++r) before[size_t(r)] = m->store->add(aliveKey(r), 0);
        std::this_thread::sleep_for(2s);  // four heartbeats
        for (int r = 0; r < env.worldSize; ++r) after[size_t(r)] = m->store->add(aliveKey(r), 0);
        for (int r = 0; r < env.worldSize; ++r)
            if (r != env.rank && after[size_t(r)] == before[size_t(r)]) stopped.push_back(r);
    } catch (const std::exception&) {
        storeGone = true;  // it lives in rank 0's process
    }
    std::string who;
    if (storeGone && env.rank != 0) {
        who = "rank 0 (which serves the run's rendezvous) ended";
    } else if (stopped.empty()) {
        who = "another rank failed";
    } else {
        who = stopped.size() == 1 ? "rank " : "ranks ";
        for (size_t i = 0; i < stopped.size(); ++i) who += (i ? ", " : "") + std::to_string(stopped[i]);
        who += stopped.size() == 1 ? " stopped answering (it ended or hangs)" : " stopped answering (they ended or hang)";
    }
    return Error(ErrorCode::PeerLost, where(env),
                 who + " during " + during + "; this rank stops too. Checkpoints already written are kept: start "
                       "every process again with --resume. (" + cause + ")");
}

} // namespace ft
