// SPDX-License-Identifier: GPL-3.0-or-later
// The inbound server's memory stays flat under abuse: a client pushing a 100 MiB body (with a
// Content-Length, or chunked), and 1,000 idle connections held open. Memory is the resident
// set of this process (engine and clients alike), peak included, read from /proc/self/status.
#include "tests/support/EngineThread.h"
#include "core/util/FileLimits.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include <QDeadlineTimer>
#include <QFile>
#include <QTest>
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <future>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Switchyard;
using namespace Switchyard::Test;

class TestResourceLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void hugeBodyIsRefusedWithoutBuffering_data();
    void hugeBodyIsRefusedWithoutBuffering();
    void thousandIdleConnections();
};

namespace {

constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 HugeBody = 100 * MiB;
constexpr int IdleConnections = 1000;

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM").
qint64 statusKib(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Starts a new peak: VmHWM falls back to the current resident set.
bool resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

int connectTo(quint16 port, bool blocking)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct Upload
{
    qint64 sent = 0;        // body bytes the server took before it answered or closed
    QByteArray response;    // everything the server sent back
    bool timedOut = false;
};

// Pushes a body of `total` bytes from one 64 KiB buffer (the client holds no more than that)
// and reads whatever comes back, until the body is sent or the server closes.
Upload upload(quint16 port, bool chunked, qint64 total)
{
    Upload u;
    const int fd = connectTo(port, true);
    if (fd < 0)
        return u;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    QByteArray pending = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                         + "\r\nContent-Type: application/json\r\n"
                         + (chunked ? QByteArray("Transfer-Encoding: chunked") : "Content-Length: " + QByteArray::number(total))
                         + "\r\n\r\n";
    const QByteArray piece(64 * 1024, 'x');
    qint64 queued = 0; // body bytes put into `pending` so far
    const QDeadlineTimer deadline(40000);
    for (;;) {
        if (pending.isEmpty() && queued < total) {
            const qint64 n = qMin<qint64>(piece.size(), total - queued);
            pending = chunked ? QByteArray::number(n, 16) + "\r\n" + piece.left(n) + "\r\n" : piece.left(n);
            queued += n;
            if (chunked && queued == total)
                pending += "0\r\n\r\n";
        }
        pollfd p{fd, short(POLLIN | (pending.isEmpty() ? 0 : POLLOUT)), 0};
        if (deadline.hasExpired()) {
            u.timedOut = true;
            break;
        }
        if (::poll(&p, 1, 1000) <= 0)
            continue;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buffer[16384];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break; // closed (or reset) by the server
            u.response.append(buffer, n);
        }
        if ((p.revents & POLLOUT) && !pending.isEmpty()) {
            const ssize_t n = ::send(fd, pending.constData(), size_t(pending.size()), MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN)
                break;
            if (n > 0)
                pending.remove(0, n);
        }
        if (pending.isEmpty() && queued == total && u.response.contains("\r\n\r\n"))
            break;
    }
    u.sent = queued - pending.size();
    ::close(fd);
    return u;
}

Config serverConfig()
{
    Config c = TestConfigs::base();
    c.limits.maxConnections = IdleConnections + 100;
    return c;
}

} // namespace

void TestResourceLimits::initTestCase()
{
    // 1,000 connections are 2,000 descriptors here (client and server ends).
    if (FileLimits::raiseOpenFiles() < 2 * IdleConnections + 200)
        QSKIP("too few file descriptors for 1,000 connections");
    if (!resetPeak() || statusKib("VmHWM") <= 0)
        QSKIP("no /proc/self/clear_refs or VmHWM to measure the peak");
}

void TestResourceLimits::hugeBodyIsRefusedWithoutBuffering_data()
{
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<qint64>("maxGrowthKib");
    // With a length the answer comes before the body is read; chunked, the server cannot
    // know the size until limits.max_body_bytes (32 MiB) has arrived, and holds that much:
    // once, not the twice a doubling buffer would reserve (+16 MiB for the rest of the process).
    QTest::newRow("Content-Length: 100 MiB") << false << qint64(16 * 1024);
    QTest::newRow("chunked, 100 MiB") << true << qint64(32 * 1024 + 16 * 1024);
}

void TestResourceLimits::hugeBodyIsRefusedWithoutBuffering()
{
    QFETCH(bool, chunked);
    QFETCH(qint64, maxGrowthKib);
    EngineThread engine(serverConfig());
    QCOMPARE(RawHttpClient::fetch(engine.port(), "GET", "/health").status, 200); // warm up
    const qint64 before = statusKib("VmRSS");
    QVERIFY(resetPeak());

    std::future<Upload> pushed = std::async(std::launch::async, upload, engine.port(), chunked, HugeBody);
    while (pushed.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready)
        QTest::qWait(20); // the engine runs on its own thread; this one only waits
    const Upload u = pushed.get();
    const qint64 peak = statusKib("VmHWM");
    const qint64 after = statusKib("VmRSS");
    qInfo("%s: body sent %lld MiB; resident %lld MiB before, peak %lld MiB (+%lld MiB), %lld MiB after",
          QTest::currentDataTag(), u.sent / MiB, before / 1024, peak / 1024, (peak - before) / 1024, after / 1024);

    QVERIFY(!u.timedOut);
    QVERIFY2(u.response.startsWith("HTTP/1.1 413 "), u.response.left(300).constData());
    QVERIFY2(u.response.contains("max_body_bytes") || u.response.contains("limit"), u.response.constData());
    QVERIFY2(peak - before < maxGrowthKib, qPrintable(QStringLiteral("peak grew by %1 KiB").arg(peak - before)));
    QCOMPARE(RawHttpClient::fetch(engine.port(), "GET", "/health").status, 200); // still serving
}

void TestResourceLimits::thousandIdleConnections()
{
    EngineThread engine(serverConfig());
    QCOMPARE(RawHttpClient::fetch(engine.port(), "GET", "/health").status, 200);
    const qint64 before = statusKib("VmRSS");
    QVERIFY(resetPeak());

    // Connect in batches the listen backlog can take, then hold them all without a byte.
    std::vector<int> fds;
    fds.reserve(IdleConnections);
    while (int(fds.size()) < IdleConnections) {
        std::vector<pollfd> batch;
        for (int i = 0; i < 50 && int(fds.size()) < IdleConnections; ++i) {
            const int fd = connectTo(engine.port(), false);
            QVERIFY(fd >= 0);
            fds.push_back(fd);
            batch.push_back({fd, POLLOUT, 0});
        }
        const QDeadlineTimer deadline(10000);
        for (pollfd &p : batch) {
            while (::poll(&p, 1, 50) == 0 && !deadline.hasExpired())
                QTest::qWait(1);
            int error = 0;
            socklen_t size = sizeof error;
            ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &size);
            QCOMPARE(error, 0);
        }
    }
    QTest::qWait(1500); // held open, idle
    const qint64 held = statusKib("VmRSS");

    // Every one of them is a live connection the server still answers on.
    const QByteArray health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(engine.port()) + "\r\n\r\n";
    for (const int fd : fds)
        QCOMPARE(::send(fd, health.constData(), size_t(health.size()), MSG_NOSIGNAL), ssize_t(health.size()));
    int answered = 0;
    const QDeadlineTimer deadline(20000);
    for (const int fd : fds) {
        QByteArray got;
        while (!got.contains("\"status\":\"ok\"") && !deadline.hasExpired()) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            char buffer[1024];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n <= 0)
                break;
            got.append(buffer, n);
        }
        answered += got.startsWith("HTTP/1.1 200 ") ? 1 : 0;
    }
    const qint64 peak = statusKib("VmHWM");
    for (const int fd : fds)
        ::close(fd);
    qInfo("%d idle connections: resident %lld MiB before, %lld MiB held (+%lld KiB, %lld bytes each), peak %lld MiB",
          IdleConnections, before / 1024, held / 1024, held - before, (held - before) * 1024 / IdleConnections, peak / 1024);
    QCOMPARE(answered, IdleConnections);
    QVERIFY2(held - before < 64 * 1024, qPrintable(QStringLiteral("held %1 KiB more").arg(held - before)));
    QVERIFY2(peak - before < 96 * 1024, qPrintable(QStringLiteral("peak grew by %1 KiB").arg(peak - before)));
}

QTEST_GUILESS_MAIN(TestResourceLimits)
#include "tst_ResourceLimits.moc"
