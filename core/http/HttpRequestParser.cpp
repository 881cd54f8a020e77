// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpRequestParser.h"
#include <llhttp.h>

namespace Switchyard {

struct HttpRequestParser::Callbacks
{
    static HttpRequestParser *self(llhttp_t *p) { return static_cast<HttpRequestParser *>(p->data); }

    static bool countHead(HttpRequestParser *s, size_t length)
    {
        s->m_headerBytes += qint64(length);
        if (s->m_headerBytes <= s->m_limits.maxHeaderBytes)
            return true;
        s->fail(431, QStringLiteral("the request head is larger than %1 bytes").arg(s->m_limits.maxHeaderBytes));
        return false;
    }

    static int onMessageBegin(llhttp_t *p)
    {
        HttpRequestParser *s = self(p);
        s->m_request = HttpRequest();
        s->m_header.clear();
        s->m_inRequest = true;
        s->m_inBody = false;
        s->m_headerBytes = 0;
        return 0;
    }

    static int onUrl(llhttp_t *p, const char *at, size_t length)
    {
        HttpRequestParser *s = self(p);
        if (!countHead(s, length))
            return -1;
        s->m_request.target.append(at, qsizetype(length));
        return 0;
    }

    static int onHeaderField(llhttp_t *p, const char *at, size_t length)
    {
        HttpRequestParser *s = self(p);
        if (!countHead(s, length))
            return -1;
        if (s->m_inBody)
            return 0; // a trailer field after a chunked body: counted against the head limit, not kept
        if (s->m_header.addName(QByteArrayView(at, qsizetype(length)), s->m_request.headers)
            && s->m_request.headers.size() >= s->m_limits.maxHeaderCount) {
            s->fail(431, QStringLiteral("the request has more than %1 header fields").arg(s->m_limits.maxHeaderCount));
            return -1;
        }
        return 0;
    }

    static int onHeaderValue(llhttp_t *p, const char *at, size_t length)
    {
        HttpRequestParser *s = self(p);
        if (!countHead(s, length))
            return -1;
        if (s->m_inBody)
            return 0;
        s->m_header.addValue(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onHeadersComplete(llhttp_t *p)
    {
        HttpRequestParser *s = self(p);
        s->m_header.flush(s->m_request.headers);
        HttpRequest &r = s->m_request;
        r.method = llhttp_method_name(llhttp_method_t(p->method));
        r.httpMinor = p->http_minor;
        r.keepAlive = llhttp_should_keep_alive(p);
        const qsizetype q = r.target.indexOf('?');
        r.path = q < 0 ? r.target : r.target.left(q);
        r.query = q < 0 ? QByteArray() : r.target.mid(q + 1);
        if (p->upgrade) {
            s->fail(501, QStringLiteral("protocol upgrades and CONNECT are not supported"));
            return -1;
        }
        if ((p->flags & F_CONTENT_LENGTH) && qint64(p->content_length) > s->m_limits.maxBodyBytes) {
            s->fail(413, QStringLiteral("the request body (%1 bytes) is larger than the limit of %2 bytes")
                             .arg(p->content_length).arg(s->m_limits.maxBodyBytes));
            return -1;
        }
        // Reserve what is announced, up to 1 MiB: a head alone must not claim 32 MiB.
        if ((p->flags & F_CONTENT_LENGTH) && p->content_length > 0)
            r.body.reserve(qsizetype(qMin<quint64>(p->content_length, 1024 * 1024)));
        s->m_inBody = true;
        // HTTP/1.0 has no interim responses (RFC 9110 10.1.1): the expectation is ignored.
        if (r.httpMinor >= 1 && r.headers.value(QByteArrayLiteral("expect")).compare(QByteArrayLiteral("100-continue"), Qt::CaseInsensitive) == 0)
            s->m_continue = true;
        return 0;
    }

    static int onBody(llhttp_t *p, const char *at, size_t length)
    {
        HttpRequestParser *s = self(p);
        if (s->m_request.body.size() + qint64(length) > s->m_limits.maxBodyBytes) {
            s->fail(413, QStringLiteral("the request body is larger than the limit of %1 bytes").arg(s->m_limits.maxBodyBytes));
            return -1;
        }
        QByteArray &body = s->m_request.body;
        const qint64 needed = body.size() + qint64(length);
        if (needed > body.capacity()) {
            // QByteArray grows to the next power of two, so a chunked body just short of the
            // limit (no length announced) would reserve twice the limit. Grow by doubling
            // ourselves, capped at the limit: the body never holds more than the limit allows.
            body.reserve(qsizetype(qMin(s->m_limits.maxBodyBytes, qMax(needed, 2 * qint64(body.capacity())))));
        }
        body.append(at, qsizetype(length));
        return 0;
    }

    static int onMessageComplete(llhttp_t *p)
    {
        HttpRequestParser *s = self(p);
        s->m_inRequest = false;
        s->m_inBody = false;
        s->m_paused = true;
        s->m_headScan = HeadScan(); // the next feed() starts at the next request
        return HPE_PAUSED;
    }

    static const llhttp_settings_t &settings()
    {
        static const llhttp_settings_t instance = [] {
            llhttp_settings_t st;
            llhttp_settings_init(&st);
            st.on_message_begin = onMessageBegin;
            st.on_url = onUrl;
            st.on_header_field = onHeaderField;
            st.on_header_value = onHeaderValue;
            st.on_headers_complete = onHeadersComplete;
            st.on_body = onBody;
            st.on_message_complete = onMessageComplete;
            return st;
        }();
        return instance;
    }
};

HttpRequestParser::HttpRequestParser(const Limits &limits)
    : m_limits(limits)
    , m_parser(std::make_unique<llhttp_t>())
{
    llhttp_init(m_parser.get(), HTTP_REQUEST, &Callbacks::settings());
    m_parser->data = this; // llhttp_init() zeroes it
}

HttpRequestParser::~HttpRequestParser() = default;

void HttpRequestParser::fail(int status, const QString &message)
{
    if (m_errorStatus == 0) {
        m_errorStatus = status;
        m_errorMessage = message;
    }
}

qsizetype HttpRequestParser::findBareLf(const char *data, qsizetype size)
{
    HeadScan &scan = m_headScan;
    for (qsizetype i = 0; i < size && !scan.headEnded; ++i) {
        const char c = data[i];
        if (c == '\n') {
            if (scan.previous != '\r')
                return i;
            scan.headEnded = scan.started && scan.lineBytes == 0; // the empty line; empty lines before a request are skipped
            scan.lineBytes = 0;
        } else if (c != '\r') {
            scan.started = true;
            ++scan.lineBytes;
        }
        scan.previous = c;
    }
    return -1;
}

HttpRequestParser::FeedResult HttpRequestParser::feed(const char *data, qsizetype size)
{
    if (m_errorStatus != 0)
        return {Status::Failed, 0};
    if (m_paused) {
        llhttp_resume(m_parser.get());
        m_paused = false;
    }
    if (size == 0)
        return {Status::NeedMore, 0};
    // llhttp accepts a bare LF after the request line and as the empty line, though not after a
    // header field; refuse it everywhere in the head. The bytes before it are parsed first, so an
    // earlier error wins, as it would were the bytes fed one at a time.
    const qsizetype bareLf = findBareLf(data, size);
    const qsizetype parseable = bareLf < 0 ? size : bareLf;
    const llhttp_errno_t err = parseable > 0 ? llhttp_execute(m_parser.get(), data, size_t(parseable)) : HPE_OK;
    if (err == HPE_OK && bareLf >= 0) {
        fail(400, QStringLiteral("malformed HTTP request: a line of the head ends in LF without CR"));
        return {Status::Failed, 0};
    }
    if (err == HPE_OK)
        return {Status::NeedMore, size};
    if (err == HPE_PAUSED) {
        const char *stop = llhttp_get_error_pos(m_parser.get());
        return {Status::RequestComplete, stop ? qsizetype(stop - data) : size};
    }
    fail(400, QStringLiteral("malformed HTTP request: %1").arg(QString::fromLatin1(llhttp_get_error_reason(m_parser.get()))));
    return {Status::Failed, 0};
}

HttpRequest HttpRequestParser::takeRequest()
{
    return std::move(m_request);
}

bool HttpRequestParser::takeContinueRequest()
{
    return std::exchange(m_continue, false);
}

} // namespace Switchyard
