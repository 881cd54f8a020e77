// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HeaderCollector.h"
#include "core/http/HttpHeaders.h"
#include <QString>
#include <memory>

struct llhttp__internal_s;

namespace Switchyard {

// Sans-I/O HTTP/1.1 response parser over llhttp. Feed bytes as they arrive; the head,
// the de-chunked body bytes and the end of the message come out as they are recognised.
class HttpResponseParser final
{
public:
    HttpResponseParser();
    ~HttpResponseParser();
    HttpResponseParser(const HttpResponseParser &) = delete;
    HttpResponseParser &operator=(const HttpResponseParser &) = delete;

    // Call before feeding the response to a HEAD request (it has no body).
    void expectNoBody() { m_noBody = true; }
    // Returns false on malformed input (see errorMessage()).
    bool feed(const char *data, qsizetype size);
    // The peer closed the connection: ends a body delimited by the close.
    bool finish();

    bool headComplete() const { return m_headComplete; }
    int status() const { return m_status; }
    const HttpHeaders &headers() const { return m_headers; }
    bool keepAlive() const { return m_keepAlive; }
    // Body bytes parsed since the last call.
    QByteArray takeBody() { return std::exchange(m_body, QByteArray()); }
    bool messageComplete() const { return m_complete; }
    QString errorMessage() const { return m_error; }

private:
    struct Callbacks;
    std::unique_ptr<llhttp__internal_s> m_parser;
    HttpHeaders m_headers;
    HeaderCollector m_header;
    QByteArray m_body;
    QString m_error;
    int m_status = 0;
    bool m_headComplete = false;
    bool m_complete = false;
    bool m_keepAlive = false;
    bool m_noBody = false;
};

} // namespace Switchyard
