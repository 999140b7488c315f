#pragma once
// One HTTP request through libcurl: the status and headers of the final response, its body streamed to a callback.

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ft::hub {

struct HttpRequest {
    std::string method = "GET";          // GET or HEAD
    std::string url;
    std::vector<std::string> headers;    // "Name: value"
    bool followRedirects = false;        // curl drops an Authorization header when a redirect changes host
    // A 2xx body, chunk by chunk, with the response's status (200 or 206); false stops the transfer.
    std::function<bool(long status, const char* data, size_t size)> onBody;
    // Called a few times a second; true stops the transfer.
    std::function<bool()> cancelled;
};

struct HttpResponse {
    long status = 0;                              // 0: no response at all (see error)
    std::map<std::string, std::string> headers;   // of the final response; names lowercased
    std::string body;                             // a non-2xx body (up to 64 KiB), for the error message
    int curlCode = 0;                             // CURLcode; 0 when the transfer completed
    std::string error;                            // curl's sentence for curlCode
    bool stoppedByCaller = false;                 // onBody returned false or cancelled() returned true

    std::string header(const std::string& lowercaseName) const {
        const auto it = headers.find(lowercaseName);
        return it == headers.end() ? std::string() : it->second;
    }
};

HttpResponse perform(const HttpRequest& request);

} // namespace ft::hub
