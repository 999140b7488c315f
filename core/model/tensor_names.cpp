#include "core/model/tensor_names.h"

namespace ft {

namespace {
constexpr std::string_view kLayers = ".layers.";
} // namespace

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
