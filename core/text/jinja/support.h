#pragma once
// Small helpers shared by the interpreter and the built-in filters, tests and methods.

#include "core/common/error.h"
#include "core/text/jinja/value.h"

#include <string>

namespace ft::jinja {

// Python's TypeError, ValueError, ...: the value cannot be used. The interpreter adds the location.
[[noreturn]] inline void typeError(const std::string& detail) {
    throw Error(ErrorCode::InvalidValue, "", detail);
}

// Valid Jinja this engine does not implement.
[[noreturn]] inline void unsupported(const std::string& detail) {
    throw Error(ErrorCode::Unsupported, "", detail);
}

inline bool isInteger(const Value& v) { // int or bool, as Python's int accepts both
    return v.isNumber() && !v.isFloat();
}

} // namespace ft::jinja
