// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpRequestParser.h"
#include "core/proxy/RequestGuard.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <arpa/inet.h>

namespace Switchyard::FuzzChecks {
namespace {

// Everything a connection learns from the parser, in a form that compares.
struct Outcome
{
    QList<QByteArray> requests; // each request's fields, serialised
    int errorStatus = 0;
    int continues = 0;
    bool inRequestAtEnd = false;
    bool operator==(const Outcome &) const = default;
};

QByteArray describe(const HttpRequest &r)
{
    QByteArray out = r.method + ' ' + r.target + " HTTP/1." + QByteArray::number(r.httpMinor)
                     + (r.keepAlive ? " keep-alive\n" : " close\n");
    for (const auto &[name, value] : r.headers)
        out += name + ": " + value + '\n';
    return out + '\n' + r.body;
}

QByteArray text(const Outcome &o)
{
    QByteArray out;
    for (const QByteArray &r : o.requests)
        out += "--- request\n" + r + '\n';
    return out + "--- error " + QByteArray::number(o.errorStatus) + ", 100-continue " + QByteArray::number(o.continues)
           + (o.inRequestAtEnd ? ", in a request at the end" : ", between requests at the end");
}

void checkRequest(const HttpRequest &r, const HttpRequestParser::Limits &limits)
{
    FUZZ_REQUIRE(!r.method.isEmpty());
    FUZZ_REQUIRE(r.body.size() <= limits.maxBodyBytes);
    FUZZ_REQUIRE(r.headers.size() <= limits.maxHeaderCount);
    FUZZ_REQUIRE(r.path.size() <= r.target.size());
    FUZZ_REQUIRE(r.target.startsWith(r.path));
    FUZZ_REQUIRE(r.query.isEmpty() || r.target == r.path + '?' + r.query);
    FUZZ_REQUIRE(!r.path.contains('?'));
    for (const auto &[name, value] : r.headers) {
        FUZZ_REQUIRE(!name.isEmpty());
        FUZZ_REQUIRE(!name.contains('\n') && !name.contains('\r') && !name.contains(':'));
        FUZZ_REQUIRE(!value.contains('\n') && !value.contains('\r'));
    }
}

// The name part of a Host header names this machine, by a reading independent of
// RequestGuard's: localhost, or an address the C library parses as loopback. A zone id
// (`[::1%lo]`, even `::1%]`) still names this machine: only an address literal has one, and
// a web page cannot make a browser send it, so RequestGuard may accept it.
bool namesLoopback(QByteArray host)
{
    host = host.trimmed().toLower();
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        host = host.mid(1, close - 1);
    } else if (host.count(':') == 1) {
        host.truncate(host.indexOf(':')); // name:port; more colons: an IPv6 address without brackets
    }
    if (const qsizetype zone = host.indexOf('%'); zone >= 0)
        host.truncate(zone);
    if (host == "localhost")
        return true;
    if (host.contains(':')) {
        in6_addr v6{};
        if (inet_pton(AF_INET6, host.constData(), &v6) != 1)
            return false;
        static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
        return IN6_ARE_ADDR_EQUAL(&v6, &loopback) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
    }
    in_addr v4{};
    return inet_aton(host.constData(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

// What RequestGuard lets through on a loopback listener: a Host naming this machine, no
// web page's Origin, and the token when one is set.
void checkGuard(const HttpRequest &r)
{
    ListenConfig listen;
    if (!RequestGuard::check(r, listen, listen.host, quint16(listen.port))) {
        FUZZ_REQUIRE(namesLoopback(r.headers.value("host")));
        FUZZ_REQUIRE(r.headers.value("origin").isEmpty());
    }
    listen.token = QStringLiteral("s3cret-token");
    if (!RequestGuard::check(r, listen, listen.host, quint16(listen.port)) && !RequestGuard::isPreflight(r)) {
        const QByteArray authorization = r.headers.value("authorization");
        FUZZ_REQUIRE(authorization.contains("s3cret-token") || r.headers.value("x-api-key").contains("s3cret-token"));
    }
}

// Feeds the chunks the way HttpConnection does: a buffer that keeps what was not consumed.
Outcome run(QByteArrayView input, quint32 plan, const HttpRequestParser::Limits &limits)
{
    Outcome outcome;
    HttpRequestParser parser(limits);
    QByteArray buffer;
    ByteChunks chunks(input, plan);
    while (!chunks.atEnd() && outcome.errorStatus == 0) {
        buffer += chunks.next();
        while (!buffer.isEmpty()) {
            const auto result = parser.feed(buffer.constData(), buffer.size());
            FUZZ_REQUIRE(result.consumed >= 0 && result.consumed <= buffer.size());
            if (parser.takeContinueRequest())
                ++outcome.continues;
            if (result.status == HttpRequestParser::Status::Failed) {
                // Known and accepted: for a head that is both malformed and over a head limit,
                // whether 400 or 431 comes first depends on where the chunks end (llhttp reports
                // a header's bytes when the header ends or the chunk does). Both close the connection.
                outcome.errorStatus = parser.errorStatus() == 431 ? 400 : parser.errorStatus();
                FUZZ_REQUIRE(parser.errorStatus() >= 400 && parser.errorStatus() <= 599);
                FUZZ_REQUIRE(!parser.errorMessage().isEmpty());
                // A failed parser stays failed.
                FUZZ_REQUIRE(parser.feed("GET / HTTP/1.1\r\n\r\n", 18).status == HttpRequestParser::Status::Failed);
                break;
            }
            if (result.status == HttpRequestParser::Status::NeedMore) {
                FUZZ_REQUIRE(result.consumed == buffer.size());
                buffer.clear();
                break;
            }
            FUZZ_REQUIRE(result.consumed > 0);
            FUZZ_REQUIRE(!parser.inRequest());
            buffer.remove(0, result.consumed);
            const HttpRequest request = parser.takeRequest();
            checkRequest(request, limits);
            checkGuard(request);
            outcome.requests.append(describe(request));
        }
    }
    outcome.inRequestAtEnd = parser.inRequest();
    return outcome;
}

} // namespace

void httpRequestParser(QByteArrayView input)
{
    HttpRequestParser::Limits limits;
    limits.maxBodyBytes = 2048;
    limits.maxHeaderBytes = 1024;
    limits.maxHeaderCount = 16;
    const Outcome whole = run(input, 0, limits);
    for (const quint32 plan : {1u, planFor(input)}) {
        const Outcome split = run(input, plan, limits);
        if (!(split == whole))
            failed("the same outcome fed whole and in chunks", __FILE__, __LINE__,
                   "whole:\n" + text(whole) + "\nin chunks (plan " + QByteArray::number(plan) + "):\n" + text(split));
    }
}

} // namespace Switchyard::FuzzChecks
