#pragma once
// Errors of the core: a code the UI translates, where it happened (file, line, field) and the technical detail.
// The core never writes user sentences; describe() gives plain English for the CLI and logs.

#include <stdexcept>
#include <string>

namespace ft {

enum class ErrorCode {
    FileNotFound,
    FileUnreadable,
    FileUnwritable,
    ParseError,       // the file's syntax is broken (JSON, header, template)
    InvalidValue,     // a field holds a value we cannot use
    MissingField,
    Unsupported,      // valid input we do not handle (yet); never silently approximated
    TemplateRaised,   // the chat template called raise_exception()
    LimitExceeded,    // a sandbox or size limit was hit
    Cancelled,
    OutOfMemory,
    NonFiniteLoss,
    PeerLost,         // another process of a data-parallel run ended or stopped answering
    Internal,
};

const char* errorCodeName(ErrorCode code);
// One line of plain English with a hint of what to do, for the CLI and logs.
const char* describe(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, std::string where, std::string detail);

    ErrorCode code() const { return m_code; }
    const std::string& where() const { return m_where; }    // "path/file.json:12", "config.json: hidden_size"
    const std::string& detail() const { return m_detail; }  // the technical fact, e.g. the value found

private:
    ErrorCode m_code;
    std::string m_where;
    std::string m_detail;
};

} // namespace ft
