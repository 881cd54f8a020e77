// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpResponseParser.h"
#include <llhttp.h>

namespace Switchyard {

struct HttpResponseParser::Callbacks
{
    static HttpResponseParser *self(llhttp_t *p) { return static_cast<HttpResponseParser *>(p->data); }

    static int onHeaderField(llhttp_t *p, const char *at, size_t length)
    {
        HttpResponseParser *s = self(p);
        s->m_header.addName(QByteArrayView(at, qsizetype(length)), s->m_headers);
        return 0;
    }

    static int onHeaderValue(llhttp_t *p, const char *at, size_t length)
    {
        HttpResponseParser *s = self(p);
        s->m_header.addValue(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onHeadersComplete(llhttp_t *p)
    {
        HttpResponseParser *s = self(p);
        s->m_header.flush(s->m_headers);
        // 1xx interim responses (100 Continue) are skipped: the real head follows.
        if (p->status_code >= 100 && p->status_code < 200) {
            s->m_headers = HttpHeaders();
            return 0;
        }
        s->m_status = p->status_code;
        s->m_keepAlive = llhttp_should_keep_alive(p);
        s->m_headComplete = true;
        return s->m_noBody ? 1 : 0;
    }

    static int onBody(llhttp_t *p, const char *at, size_t length)
    {
        self(p)->m_body.append(at, qsizetype(length));
        return 0;
    }

    static int onMessageComplete(llhttp_t *p)
    {
        HttpResponseParser *s = self(p);
        if (!s->m_headComplete)
            return 0; // end of an interim response
        s->m_keepAlive = llhttp_should_keep_alive(p);
        s->m_complete = true;
        return HPE_PAUSED; // one response per parser: stop here
    }

    static const llhttp_settings_t &settings()
    {
        static const llhttp_settings_t instance = [] {
            llhttp_settings_t st;
            llhttp_settings_init(&st);
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

HttpResponseParser::HttpResponseParser()
    : m_parser(std::make_unique<llhttp_t>())
{
    llhttp_init(m_parser.get(), HTTP_RESPONSE, &Callbacks::settings());
    m_parser->data = this; // llhttp_init() zeroes it
}

HttpResponseParser::~HttpResponseParser() = default;

bool HttpResponseParser::feed(const char *data, qsizetype size)
{
    if (!m_error.isEmpty())
        return false;
    if (m_complete || size == 0)
        return true;
    const llhttp_errno_t err = llhttp_execute(m_parser.get(), data, size_t(size));
    if (err == HPE_OK || err == HPE_PAUSED)
        return true;
    m_error = QStringLiteral("malformed HTTP response: %1").arg(QString::fromLatin1(llhttp_get_error_reason(m_parser.get())));
    return false;
}

bool HttpResponseParser::finish()
{
    if (m_complete || !m_error.isEmpty())
        return m_complete;
    const llhttp_errno_t err = llhttp_finish(m_parser.get());
    if (err != HPE_OK && err != HPE_PAUSED) {
        m_error = QStringLiteral("the connection closed in the middle of the response");
        return false;
    }
    if (!m_complete) // llhttp_finish() ends a read-until-close body through on_message_complete
        m_error = QStringLiteral("the connection closed before the response was complete");
    return m_complete;
}

} // namespace Switchyard
