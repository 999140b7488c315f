#include "core/common/error.h"

namespace ft {

namespace {
std::string composeMessage(ErrorCode code, const std::string& where, const std::string& detail) {
    std::string msg = where.empty() ? std::string() : where + ": ";
    msg += detail.empty() ? describe(code) : detail;
    return msg;
}
} // namespace

Error::Error(ErrorCode code, std::string where, std::string detail)
    : std::runtime_error(composeMessage(code, where, detail)), m_code(code), m_where(std::move(where)),
      m_detail(std::move(detail)) {}

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::FileNotFound: return "file_not_found";
    case ErrorCode::FileUnreadable: return "file_unreadable";
    case ErrorCode::FileUnwritable: return "file_unwritable";
    case ErrorCode::ParseError: return "parse_error";
    case ErrorCode::InvalidValue: return "invalid_value";
    case ErrorCode::MissingField: return "missing_field";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::TemplateRaised: return "template_raised";
    case ErrorCode::LimitExceeded: return "limit_exceeded";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::OutOfMemory: return "out_of_memory";
    case ErrorCode::NonFiniteLoss: return "non_finite_loss";
    case ErrorCode::PeerLost: return "peer_lost";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

const char* describe(ErrorCode code) {
    switch (code) {
    case ErrorCode::FileNotFound: return "File not found. Check the path.";
    case ErrorCode::FileUnreadable: return "File cannot be read. Check its permissions.";
    case ErrorCode::FileUnwritable: return "Cannot write here. Check free space and permissions, or choose another folder.";
    case ErrorCode::ParseError: return "The file is malformed at the place shown. Fix it there and try again.";
    case ErrorCode::InvalidValue: return "A value is not usable. Correct the field shown.";
    case ErrorCode::MissingField: return "A required field is missing. Add the field shown.";
    case ErrorCode::Unsupported: return "This is not supported yet.";
    case ErrorCode::TemplateRaised: return "The chat template rejected these messages.";
    case ErrorCode::LimitExceeded: return "A safety limit was reached. The input is too large or loops.";
    case ErrorCode::Cancelled: return "Cancelled.";
    case ErrorCode::OutOfMemory: return "Out of memory. Lower the batch size or sequence length, or switch to QLoRA.";
    case ErrorCode::NonFiniteLoss: return "The loss became NaN or infinite. Lower the learning rate; the last good checkpoint is kept.";
    case ErrorCode::PeerLost: return "Another training process stopped. The checkpoints written are kept: start every process again with --resume.";
    case ErrorCode::Internal: return "Internal error. Please report it.";
    }
    return "Unknown error.";
}

} // namespace ft
