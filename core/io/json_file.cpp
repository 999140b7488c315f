#include "core/io/json_file.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"

#include <cmath>

namespace ft {

nlohmann::json readJsonFile(const std::filesystem::path& path) {
    try {
        return nlohmann::json::parse(readFile(path));
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw Error(ErrorCode::ParseError, path.string(), describeJsonError(e));
    }
}

int jsonInt(const nlohmann::json& j, const char* key, int fallback, const std::string& where) {
    if (!j.is_object()) throw Error(ErrorCode::InvalidValue, where, "expected a JSON object");
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    double d = 0;  // exact for every int
    if (it->is_number_unsigned()) d = double(it->get<uint64_t>());
    else if (it->is_number_integer()) d = double(it->get<int64_t>());
    else if (it->is_number_float()) d = std::trunc(it->get<double>());
    else throw Error(ErrorCode::InvalidValue, where + ": " + key, "expected a number, found " + it->dump());
    if (!(d >= -2147483648.0 && d <= 2147483647.0))
        throw Error(ErrorCode::InvalidValue, where + ": " + key, "out of range: " + it->dump());
    return int(d);
}

} // namespace ft
