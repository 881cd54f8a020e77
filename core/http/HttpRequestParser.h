// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HeaderCollector.h"
#include "core/http/HttpRequest.h"
#include <QString>
#include <memory>

struct llhttp__internal_s;

namespace Switchyard {

// Sans-I/O HTTP/1.1 request parser over llhttp: bytes in, whole requests or an error out.
// It stops after each complete request so pipelined requests are answered one at a time.
class HttpRequestParser final
{
public:
    struct Limits
    {
        qint64 maxBodyBytes = 32LL * 1024 * 1024;
        int maxHeaderBytes = 64 * 1024;
        int maxHeaderCount = 200;
    };

    enum class Status {
        NeedMore,        // every byte consumed; the request is not complete yet
        RequestComplete, // takeRequest(); bytes after `consumed` belong to the next request
        Failed,          // errorStatus()/errorMessage(); the connection must close after answering
    };

    struct FeedResult
    {
        Status status = Status::NeedMore;
        qsizetype consumed = 0;
    };

    explicit HttpRequestParser(const Limits &limits);
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    FeedResult feed(const char *data, qsizetype size);
    HttpRequest takeRequest();

    // True once per request whose head asked for "Expect: 100-continue" and may send its body.
    bool takeContinueRequest();
    // True while a request has started but is not yet complete.
    bool inRequest() const { return m_inRequest; }
    bool inBody() const { return m_inBody; }

    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

private:
    struct Callbacks;
    // Where the head being received is tracked byte by byte, to find an LF without CR.
    struct HeadScan
    {
        char previous = 0;
        qsizetype lineBytes = 0;
        bool started = false;
        bool headEnded = false;
    };
    void fail(int status, const QString &message);
    qsizetype findBareLf(const char *data, qsizetype size); // index in data, or -1

    Limits m_limits;
    std::unique_ptr<llhttp__internal_s> m_parser;
    HttpRequest m_request;
    HeaderCollector m_header;
    bool m_inRequest = false;
    bool m_inBody = false;
    bool m_continue = false;
    bool m_paused = false;
    qint64 m_headerBytes = 0;
    HeadScan m_headScan;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace Switchyard
