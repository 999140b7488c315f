#pragma once
// Small helpers for the subcommands' arguments.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ftcli {

using Args = std::vector<std::string>;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Removes "--name VALUE" from args and returns VALUE.
std::optional<std::string> takeOption(Args& args, const std::string& name);
// Removes a "--name" flag; true when it was there.
bool takeFlag(Args& args, const std::string& name);
int toInt(const std::string& s, const std::string& name);
double toDouble(const std::string& s, const std::string& name);

} // namespace ftcli
