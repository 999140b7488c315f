#include "cli_args.h"

namespace ftcli {

std::optional<std::string> takeOption(Args& args, const std::string& name) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] != name) continue;
        if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
        std::string v = args[i + 1];
        args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
        return v;
    }
    return std::nullopt;
}

bool takeFlag(Args& args, const std::string& name) {
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == name) {
            args.erase(args.begin() + long(i));
            return true;
        }
    return false;
}

int toInt(const std::string& s, const std::string& name) {
    try {
        size_t used = 0;
        const int v = std::stoi(s, &used);
        if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(name + " expects a whole number, got '" + s + "'");
}

double toDouble(const std::string& s, const std::string& name) {
    try {
        size_t used = 0;
        const double v = std::stod(s, &used);
        if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(name + " expects a number, got '" + s + "'");
}

} // namespace ftcli
