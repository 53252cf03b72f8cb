#ifndef DNSR_CURL_SHIM_H
#define DNSR_CURL_SHIM_H
/* Typed, non-variadic wrappers over libcurl's variadic setopt/getinfo, which Swift cannot call. */
#include <curl/curl.h>

static inline CURLcode dnsr_curl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dnsr_curl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dnsr_curl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dnsr_curl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dnsr_curl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
/* A memory blob option (CURLOPT_SSLCERT_BLOB, CURLOPT_SSLKEY_BLOB, CURLOPT_CAINFO_BLOB): libcurl copies the bytes
   during the call (CURL_BLOB_COPY), so secrets never have to be written to a file. */
static inline CURLcode dnsr_curl_easy_setopt_blob(CURL *h, CURLoption o, const void *data, size_t length) {
    struct curl_blob blob = { (void *)data, length, CURL_BLOB_COPY };
    return curl_easy_setopt(h, o, &blob);
}
/* Resets a string option to NULL (e.g. CURLOPT_CAPATH, so only the CAs given are trusted). */
static inline CURLcode dnsr_curl_easy_setopt_null_string(CURL *h, CURLoption o) { return curl_easy_setopt(h, o, (char *)NULL); }
static inline CURLcode dnsr_curl_easy_setopt_write_function(CURL *h, curl_write_callback cb) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
static inline CURLcode dnsr_curl_easy_setopt_header_function(CURL *h, curl_write_callback cb) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb); }
/* CURLOPT_PREREQFUNCTION (libcurl 7.80+): called on a connected (new or reused) connection right before each time a
   request goes out, so more than one call per transfer means libcurl sent the request again by itself. */
static inline CURLcode dnsr_curl_easy_setopt_prereq_function(CURL *h, curl_prereq_callback cb) { return curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, cb); }
static inline CURLcode dnsr_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *out) { return curl_easy_getinfo(h, i, out); }
static inline CURLcode dnsr_curl_easy_getinfo_double(CURL *h, CURLINFO i, double *out) { return curl_easy_getinfo(h, i, out); }
static inline CURLcode dnsr_curl_easy_getinfo_string(CURL *h, CURLINFO i, char **out) { return curl_easy_getinfo(h, i, out); }
/* CURLOPT_RESOLVE: "host:port:address" entries that pin a name to an address without asking DNS (the
   Host header and TLS SNI still carry the name). libcurl reads the list when the transfer starts. */
static inline CURLcode dnsr_curl_easy_setopt_resolve(CURL *h, struct curl_slist *entries) { return curl_easy_setopt(h, CURLOPT_RESOLVE, entries); }

#endif
