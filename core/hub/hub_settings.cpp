#include "core/hub/hub_settings.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ft::hub {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// constants._is_true: "1", "ON", "YES", "TRUE", any case.
bool isTrue(std::string v) {
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::toupper(c); });
    return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

// _auth._clean_token: CR and LF removed, then surrounding whitespace.
std::string cleanToken(std::string t) {
    std::erase(t, '\r');
    std::erase(t, '\n');
    const auto first = t.find_first_not_of(" \t\f\v");
    if (first == std::string::npos) return {};
    return t.substr(first, t.find_last_not_of(" \t\f\v") - first + 1);
}

} // namespace

HubSettings HubSettings::fromEnvironment() {
    HubSettings s;
    s.endpoint = env("HF_ENDPOINT");
    if (s.endpoint.empty()) s.endpoint = "https://huggingface.co";
    while (s.endpoint.ends_with('/')) s.endpoint.pop_back();

    std::filesystem::path home = env("HF_HOME");
    if (home.empty()) {
        std::filesystem::path xdg = env("XDG_CACHE_HOME");
        if (xdg.empty()) xdg = std::filesystem::path(env("HOME")) / ".cache";
        home = xdg / "huggingface";
    }
    s.cacheDir = env("HF_HUB_CACHE");
    if (s.cacheDir.empty()) s.cacheDir = env("HUGGINGFACE_HUB_CACHE");
    if (s.cacheDir.empty()) s.cacheDir = home / "hub";
    s.tokenFile = env("HF_TOKEN_PATH");
    if (s.tokenFile.empty()) s.tokenFile = home / "token";

    s.offline = isTrue(env("HF_HUB_OFFLINE").empty() ? env("TRANSFORMERS_OFFLINE") : env("HF_HUB_OFFLINE"));

    s.token = cleanToken(env("HF_TOKEN").empty() ? env("HUGGING_FACE_HUB_TOKEN") : env("HF_TOKEN"));
    if (s.token.empty()) {
        std::ifstream in(s.tokenFile);
        std::stringstream text;
        text << in.rdbuf();
        s.token = cleanToken(text.str());
    }
    return s;
}

} // namespace ft::hub
