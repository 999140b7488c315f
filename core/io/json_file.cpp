#include "core/io/json_file.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"

namespace ft {

nlohmann::json readJsonFile(const std::filesystem::path& path) {
    try {
        return nlohmann::json::parse(readFile(path));
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw Error(ErrorCode::ParseError, path.string(), describeJsonError(e));
    }
}

} // namespace ft
