#pragma once
// The demo's instruction pairs (Korean and English), generated from small tables.

#include <string>
#include <vector>

namespace ft::demo {

struct Pair {
    std::string prompt;
    std::string response;
};

std::vector<Pair> instructionPairs();

} // namespace ft::demo
