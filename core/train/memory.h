#pragma once

#include <cstdint>

namespace ft {

// Resident set size of this process in bytes (from /proc/self/statm); 0 where unavailable.
int64_t residentSetBytes();

} // namespace ft
