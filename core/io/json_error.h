#pragma once
// nlohmann::json's exceptions in plain words. Its messages ("[json.exception.parse_error.101] parse error at line 1,
// column 7: syntax error while parsing value - invalid literal; last read: '{"a":x'") name the parser's internals;
// users get "not valid JSON at line 1, column 7: expected a value (a string, number, true/false/null, object or
// array) but found 'x'".

#include <nlohmann/json.hpp>

#include <string>

namespace ft {

// `firstLine`: the file line the parsed text starts on (a JSONL record's line), so the line named is the file's.
// A parse_error (and out_of_range for numbers like 1e999) becomes "not valid JSON …"; any other json::exception
// (type_error from get<T>(), …) is its message without the "[json.exception.…]" prefix.
std::string describeJsonError(const nlohmann::json::exception& e, int firstLine = 1);

} // namespace ft
