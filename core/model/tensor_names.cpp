#include "core/model/tensor_names.h"

namespace ft {

namespace {
constexpr std::string_view kLayers = ".layers.";
constexpr std::string_view kBid = "{bid}";

// The block index when `stem` is `pattern` with digits for "{bid}" ("" for a pattern without one).
std::optional<std::string_view> matchPattern(std::string_view pattern, std::string_view stem) {
    const size_t at = pattern.find(kBid);
    if (at == std::string_view::npos) return pattern == stem ? std::optional<std::string_view>("") : std::nullopt;
    const std::string_view before = pattern.substr(0, at), after = pattern.substr(at + kBid.size());
    if (stem.size() <= before.size() + after.size() || !stem.starts_with(before) || !stem.ends_with(after)) return std::nullopt;
    const std::string_view digits = stem.substr(before.size(), stem.size() - before.size() - after.size());
    for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
    return digits;
}

std::string fill(std::string_view pattern, std::string_view block) {
    std::string name(pattern);
    if (const size_t at = name.find(kBid); at != std::string::npos) name.replace(at, kBid.size(), block);
    return name;
}

std::optional<std::string> translate(std::span<const TensorNamePattern> table, std::string_view name, bool toGguf) {
    const size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view stem = name.substr(0, dot), param = name.substr(dot);  // ".weight"
    for (const TensorNamePattern& row : table) {
        const auto block = matchPattern(toGguf ? row.name : row.gguf, stem);
        if (block) return fill(toGguf ? row.gguf : row.name, *block) + std::string(param);
    }
    return std::nullopt;
}
} // namespace

std::optional<std::string> ggufTensorName(std::span<const TensorNamePattern> table, std::string_view hfName) {
    return translate(table, hfName, true);
}

std::optional<std::string> hfTensorName(std::span<const TensorNamePattern> table, std::string_view ggufName) {
    return translate(table, ggufName, false);
}

std::optional<BlockTensorName> parseBlockTensorName(std::string_view name) {
    for (size_t at = name.find(kLayers); at != std::string_view::npos; at = name.find(kLayers, at + 1)) {
        size_t i = at + kLayers.size();
        const size_t digits = i;
        int block = 0;
        while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - digits < 9) block = block * 10 + (name[i++] - '0');
        if (i == digits || i >= name.size() || name[i] != '.') continue;
        const std::string_view rest = name.substr(i + 1);  // "self_attn.q_proj.weight"
        const size_t paramDot = rest.rfind('.');
        if (paramDot == std::string_view::npos || paramDot == 0 || paramDot + 1 == rest.size()) continue;
        BlockTensorName b;
        b.block = block;
        b.module = rest.substr(0, paramDot);
        b.leaf = b.module.substr(b.module.rfind('.') + 1);  // rfind npos + 1 == 0: the whole module
        b.param = rest.substr(paramDot + 1);
        return b;
    }
    return std::nullopt;
}

bool isBlockProjectionWeight(std::string_view name, size_t rank) {
    if (rank != 2) return false;
    const auto b = parseBlockTensorName(name);
    return b && b->param == "weight" && b->leaf.ends_with("_proj");
}

} // namespace ft
