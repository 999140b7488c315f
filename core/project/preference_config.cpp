#include "core/project/preference_config.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace ft {

void checkPreferenceConfig(const PreferenceConfig& c, const std::string& where) {
    static const char* kLosses[] = {"dpo", "ipo", "hinge", "robust", "orpo", "kto"};
    if (std::find(std::begin(kLosses), std::end(kLosses), c.loss) == std::end(kLosses))
        throw Error(ErrorCode::InvalidValue, where + ".loss", "'" + c.loss + "'; use dpo, ipo, hinge, robust, orpo or kto");
    if (!(c.beta > 0) || !std::isfinite(c.beta))
        throw Error(ErrorCode::InvalidValue, where + ".beta", "must be a positive number (TRL's default is 0.1)");
    if (c.loss == "robust" ? !(c.labelSmoothing >= 0.0 && c.labelSmoothing < 0.5) : c.labelSmoothing != 0.0)
        throw Error(ErrorCode::InvalidValue, where + ".label_smoothing",
                    c.loss == "robust" ? "must lie in [0, 0.5): the probability that a preference label is flipped"
                                       : "applies to the robust loss only (robust DPO, as TRL); set loss to \"robust\" or "
                                         "label_smoothing to 0");
    if (c.maxPromptLength < 0)
        throw Error(ErrorCode::InvalidValue, where + ".max_prompt_length", "must be 0 (no limit) or a number of tokens");
    if (c.loss == "kto" && (!(c.desirableWeight > 0) || !(c.undesirableWeight > 0)))
        throw Error(ErrorCode::InvalidValue, where + (c.desirableWeight > 0 ? ".undesirable_weight" : ".desirable_weight"),
                    "KTO's desirable and undesirable weights must be positive (TRL's default is 1.0)");
}

} // namespace ft
