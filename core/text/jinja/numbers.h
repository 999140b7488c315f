#pragma once
// Python's number conversions as the int/float/round filters and %-formatting use them.

#include "core/text/jinja/value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ft::jinja {

// int(text, base): nullopt where Python raises ValueError; throws Unsupported beyond 64 bits.
std::optional<int64_t> parsePythonInt(std::string_view text, int base);
// float(text): nullopt where Python raises ValueError.
std::optional<double> parsePythonFloat(std::string_view text);
// int(d): throws InvalidValue for inf/nan, Unsupported beyond 64 bits.
int64_t truncateToInt(double d);
// round(v, digits) for an int, bool or float: half-to-even on the exact binary value, like CPython.
Value pythonRound(const Value& v, int64_t digits);
// printf-style float conversion ('e', 'E', 'f', 'F', 'g', 'G') as Python's %-formatting produces it.
std::string formatDouble(double d, char type, int precision, bool alternate);

} // namespace ft::jinja
