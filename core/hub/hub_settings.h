#pragma once
// Where the Hub is and how we talk to it, from the environment by huggingface_hub's own rules (constants.py,
// utils/_auth.py), so a pull here and a transformers download share one cache and one login.

#include <filesystem>
#include <string>

namespace ft::hub {

struct HubSettings {
    std::string endpoint;              // HF_ENDPOINT without trailing '/', default https://huggingface.co
    std::string token;                 // HF_TOKEN (or HUGGING_FACE_HUB_TOKEN), else the token file; empty: none
    bool offline = false;              // HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is 1/ON/YES/TRUE
    std::filesystem::path cacheDir;    // HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub
    std::filesystem::path tokenFile;   // HF_TOKEN_PATH, else $HF_HOME/token

    static HubSettings fromEnvironment();
};

} // namespace ft::hub
