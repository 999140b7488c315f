#pragma once
// Reading a JSON file with an error that names it (and the parser's line and column) when it is malformed.

#include <filesystem>
#include <nlohmann/json.hpp>

namespace ft {

nlohmann::json readJsonFile(const std::filesystem::path& path);

} // namespace ft
