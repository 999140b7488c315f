#pragma once
// Internal (ATen): mixed precision for one scope, torch.autocast in C++. Linears and matmuls run in `dtype` while
// the weights, their gradients and AdamW's state stay fp32; nesting and the cache of cast weights are handled as
// torch.autocast handles them. A scope without a dtype does nothing.

#include <ATen/autocast_mode.h>

#include <optional>

namespace ft {

class AutocastScope {
public:
    AutocastScope(c10::DeviceType device, std::optional<at::ScalarType> dtype) : m_device(device), m_on(dtype.has_value()) {
        if (!m_on) return;
        m_wasEnabled = at::autocast::is_autocast_enabled(device);
        m_previousDtype = at::autocast::get_autocast_dtype(device);
        at::autocast::set_autocast_enabled(device, true);
        at::autocast::set_autocast_dtype(device, *dtype);
        at::autocast::increment_nesting();
    }
    ~AutocastScope() {
        if (!m_on) return;
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_autocast_enabled(m_device, m_wasEnabled);
        at::autocast::set_autocast_dtype(m_device, m_previousDtype);
    }
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

    // The autocast dtype in force on `device`, if autocast is on: what a recomputation must run under again.
    static std::optional<at::ScalarType> current(c10::DeviceType device) {
        if (!at::autocast::is_autocast_enabled(device)) return std::nullopt;
        return at::autocast::get_autocast_dtype(device);
    }

private:
    c10::DeviceType m_device;
    bool m_on;
    bool m_wasEnabled = false;
    at::ScalarType m_previousDtype = at::kBFloat16;
};

} // namespace ft
