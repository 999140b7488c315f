#include "core/text/text_streamer.h"

#include <algorithm>
#include <string_view>

namespace ft {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD, what an incomplete UTF-8 sequence decodes to
}

void TextStreamer::put(int token) {
    m_tokens.push_back(token);
    m_text = m_decode(m_tokens);
}

std::string TextStreamer::take() {
    size_t end = std::min(m_text.size(), m_limit);
    while (end >= kReplacement.size() && std::string_view(m_text).substr(end - kReplacement.size(), kReplacement.size()) == kReplacement)
        end -= kReplacement.size();
    return takeUpTo(end);
}

std::string TextStreamer::end() { return takeUpTo(std::min(m_text.size(), m_limit)); }

std::string TextStreamer::takeUpTo(size_t end) {
    // Past what was shown, by byte offset, like TextStreamer's text[print_len:] (decodes only ever extend the text
    // once an incomplete tail is held back).
    if (end <= m_shown) return {};
    std::string out = m_text.substr(m_shown, end - m_shown);
    m_shown = end;
    return out;
}

} // namespace ft
