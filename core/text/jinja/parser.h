#pragma once

#include "core/text/jinja/ast.h"

#include <string>
#include <string_view>

namespace ft::jinja {

// Parses with Jinja2 3.1's grammar and operator precedence. Throws ft::Error with where = "<name>:<line>":
// ParseError for syntax errors, Unsupported for valid Jinja this engine does not implement
// (include/import/extends/block, recursive loops, *args in calls, unknown filters or tests).
Template parseTemplate(std::string_view source, std::string name);

} // namespace ft::jinja
