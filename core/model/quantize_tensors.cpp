#include "core/model/quantize_tensors.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"

namespace fs = std::filesystem;

namespace ft {

QuantReport quantizeTensors(const fs::path& source, const std::optional<std::string>& layer, const QuantOptions& options,
                            const std::optional<fs::path>& out) {
    const bool model = fs::is_directory(source);
    TensorSelector select;
    if (layer)
        select = [&layer](const TensorEntry& e) { return e.name == *layer; };
    else if (model)
        select = [](const TensorEntry& e) { return e.shape.size() == 2 && e.name.find(".layers.") != std::string::npos && e.name.ends_with("_proj.weight"); };
    QuantReport report = quantizeTensorFiles(model ? modelWeightFiles(source) : std::vector<fs::path>{source}, select, options, out);
    if (report.tensors.empty())
        throw Error(ErrorCode::InvalidValue, source.string(),
                    layer ? "no floating-point tensor named '" + *layer + "'" : "no floating-point tensor to quantize");
    return report;
}

} // namespace ft
