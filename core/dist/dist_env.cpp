#include "core/dist/dist_env.h"

#include "core/common/error.h"

#include <charconv>
#include <cstdlib>

namespace ft {

namespace {

using Env = std::map<std::string, std::string>;

std::optional<std::string> lookup(const Env& env, const char* name) {
    if (!env.empty()) {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    }
    const char* value = std::getenv(name);
    return value ? std::optional<std::string>(value) : std::nullopt;
}

int integer(const std::string& text, const char* name, int low, int high) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw Error(ErrorCode::InvalidValue, std::string("environment variable ") + name,
                    "is \"" + text + "\"; expected a whole number from " + std::to_string(low) + " to " +
                        std::to_string(high));
    return value;
}

} // namespace

std::optional<DistEnv> distEnvFromEnvironment(const Env& env) {
    // torchrun's names first; SLURM's when a job step was started by srun without them.
    const char* rankName = "RANK";
    const char* worldName = "WORLD_SIZE";
    const char* localName = "LOCAL_RANK";
    if (!lookup(env, "RANK") && !lookup(env, "WORLD_SIZE") && lookup(env, "SLURM_PROCID") && lookup(env, "SLURM_NTASKS")) {
        rankName = "SLURM_PROCID";
        worldName = "SLURM_NTASKS";
        localName = "SLURM_LOCALID";
    }
    const auto rank = lookup(env, rankName), world = lookup(env, worldName);
    if (!rank && !world) return std::nullopt;
    if (!rank || !world)
        throw Error(ErrorCode::MissingField, std::string("environment variable ") + (rank ? worldName : rankName),
                    std::string("is not set, but ") + (rank ? rankName : worldName) +
                        " is: a data-parallel run needs both (torchrun sets them; by hand, set RANK and WORLD_SIZE "
                        "for every process)");
    DistEnv d;
    d.worldSize = integer(*world, worldName, 1, 65536);
    d.rank = integer(*rank, rankName, 0, d.worldSize - 1);
    if (const auto local = lookup(env, localName)) d.localRank = integer(*local, localName, 0, 65535);
    if (const auto addr = lookup(env, "MASTER_ADDR"); addr && !addr->empty()) d.masterAddr = *addr;
    else if (d.worldSize > 1 && d.rank > 0)
        throw Error(ErrorCode::MissingField, "environment variable MASTER_ADDR",
                    "is not set: every process but rank 0 needs the address of the machine rank 0 runs on");
    if (const auto port = lookup(env, "MASTER_PORT")) d.masterPort = integer(*port, "MASTER_PORT", 1, 65535);
    if (const auto timeout = lookup(env, "FT_DIST_TIMEOUT"))
        d.timeout = std::chrono::seconds(integer(*timeout, "FT_DIST_TIMEOUT", 1, 86400));
    return d;
}

std::map<std::string, std::string> distEnvVariables(const DistEnv& d) {
    return {{"RANK", std::to_string(d.rank)},
            {"WORLD_SIZE", std::to_string(d.worldSize)},
            {"LOCAL_RANK", std::to_string(d.localRank)},
            {"LOCAL_WORLD_SIZE", std::to_string(d.worldSize)},
            {"MASTER_ADDR", d.masterAddr},
            {"MASTER_PORT", std::to_string(d.masterPort)},
            {"FT_DIST_TIMEOUT", std::to_string(d.timeout.count())}};
}

} // namespace ft
