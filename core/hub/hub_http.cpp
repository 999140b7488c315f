#include "core/hub/hub_http.h"

#include <algorithm>
#include <curl/curl.h>
#include <mutex>

namespace ft::hub {

namespace {

struct Transfer {
    const HttpRequest* request;
    HttpResponse* response;
    CURL* curl;
};

size_t onHeader(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect or a 100): forget the previous headers
        t->response->headers.clear();
        return line.size();
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return line.size();
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    t->response->headers[name] = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    return line.size();
}

size_t onWrite(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) {
        const size_t room = 65536 - std::min<size_t>(65536, t->response->body.size());
        t->response->body.append(data, std::min(n, room));
        return n;
    }
    if (t->request->onBody && !t->request->onBody(status, data, n)) {
        t->response->stoppedByCaller = true;
        return CURL_WRITEFUNC_ERROR;
    }
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    if (t->request->cancelled && t->request->cancelled()) {
        t->response->stoppedByCaller = true;
        return 1;
    }
    return 0;
}

} // namespace

HttpResponse perform(const HttpRequest& request) {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    HttpResponse response;
    CURL* curl = curl_easy_init();
    if (!curl) {
        response.curlCode = CURLE_FAILED_INIT;
        response.error = "libcurl could not start";
        return response;
    }
    Transfer t{&request, &response, curl};
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "finetune-studio");
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onWrite);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    // A stalled transfer (under 1 byte/s for 30 s) fails like a dropped one and is resumed on the next pull.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // safe on worker threads
    // The Hub's sizes and hashes are of the stored bytes: no transparent decompression.
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, nullptr);

    const CURLcode code = curl_easy_perform(curl);
    response.curlCode = code;
    if (code != CURLE_OK) response.error = curl_easy_strerror(code);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
}

} // namespace ft::hub
