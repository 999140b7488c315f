#pragma once
// Why a pull failed, as a code the UI translates and a plain English sentence (what happened, what to do) for the
// CLI. The sentence names the repo, the endpoint or the file concerned.

#include <stdexcept>
#include <string>

namespace ft::hub {

enum class HubProblem {
    BadName,         // not ORG/NAME[@REVISION]
    Unauthorized,    // 401/403: gated or private
    NotFound,        // 404: no such repo or revision
    Unreachable,     // the endpoint could not be reached
    HttpError,       // any other HTTP status, or a response without what the Hub always sends
    Interrupted,     // the connection dropped mid-file; what came is kept for a resume
    Corrupt,         // the bytes do not match the sha256 (or size) the Hub announced
    NotCached,       // offline, and the cache does not hold the revision
    NoWeights,       // the repo has no safetensors weights
    DiskError,       // the cache could not be written
    Cancelled,
};

class HubError : public std::runtime_error {
public:
    HubError(HubProblem problem, std::string subject, const std::string& sentence)
        : std::runtime_error(sentence), m_problem(problem), m_subject(std::move(subject)) {}

    HubProblem problem() const { return m_problem; }
    const std::string& subject() const { return m_subject; }  // the repo, endpoint or file the sentence names

private:
    HubProblem m_problem;
    std::string m_subject;
};

const char* hubProblemName(HubProblem problem);

} // namespace ft::hub
