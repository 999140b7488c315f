#pragma once
// Reading a JSON file with an error that names it (and the parser's line and column) when it is malformed.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace ft {

nlohmann::json readJsonFile(const std::filesystem::path& path);

// j[key] as an int; `fallback` when there is no such key (or it is null). Throws ft::Error (InvalidValue, at
// "<where>: <key>") when j is not an object or the value is not a number in int's range: nlohmann's value<int>()
// throws its own type_error for a string, and converting 1e30 to int is undefined behaviour. A fraction is dropped.
int jsonInt(const nlohmann::json& j, const char* key, int fallback, const std::string& where);

} // namespace ft
