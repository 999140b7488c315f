// libFuzzer target: config.json text through the model-config parser.
#include "core/common/error.h"
#include "core/model/model_config.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const ft::ModelConfig config =
            ft::parseModelConfig(std::string(reinterpret_cast<const char*>(data), size), "config.json");
        (void)config.attentionScale();
        (void)ft::modelConfigToJson(config);
    } catch (const ft::Error&) {
    }
    return 0;
}
