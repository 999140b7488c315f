#include "core/hub/hub_error.h"

namespace ft::hub {

const char* hubProblemName(HubProblem problem) {
    switch (problem) {
    case HubProblem::BadName: return "bad_name";
    case HubProblem::Unauthorized: return "unauthorized";
    case HubProblem::NotFound: return "not_found";
    case HubProblem::Unreachable: return "unreachable";
    case HubProblem::HttpError: return "http_error";
    case HubProblem::Interrupted: return "interrupted";
    case HubProblem::Corrupt: return "corrupt";
    case HubProblem::NotCached: return "not_cached";
    case HubProblem::NoWeights: return "no_weights";
    case HubProblem::DiskError: return "disk_error";
    case HubProblem::Cancelled: return "cancelled";
    }
    return "unknown";
}

} // namespace ft::hub
