#pragma once
// What the benchmarks share: each side runs in a fresh process (so its peak RSS is its own) and answers with one
// JSON line, which the parent reads.

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/resource.h>

namespace bench {

inline int64_t peakRssBytes() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return int64_t(u.ru_maxrss) * 1024;
}

// The last JSON line `command` prints; null on failure, with the end of its output in `error`.
inline nlohmann::json runJson(const std::string& command, std::string* error = nullptr) {
    std::FILE* p = popen(command.c_str(), "r");
    if (!p) return nullptr;
    std::string out;
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int rc = pclose(p);
    const auto line = out.rfind("\n{");
    const std::string json = line == std::string::npos ? out : out.substr(line + 1);
    if (rc != 0 || json.empty() || json[0] != '{') {
        if (error) *error = "exited with status " + std::to_string(rc) + ": " + out.substr(out.size() > 600 ? out.size() - 600 : 0);
        return nullptr;
    }
    return nlohmann::json::parse(json, nullptr, false);
}

// `s` as one word for the shell.
inline std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
}

// $FT_REF_PYTHON, else the reference virtual environment packaging/setup.sh's users make.
inline std::string referencePython() {
    if (const char* env = std::getenv("FT_REF_PYTHON")) return env;
    const char* home = std::getenv("HOME");
    return std::string(home ? home : "") + "/.cache/finetune-studio/refvenv/bin/python";
}

} // namespace bench
