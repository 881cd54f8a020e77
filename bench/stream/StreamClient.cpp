// SPDX-License-Identifier: GPL-3.0-or-later
// Opens K keep-alive connections and, in R rounds, sends one streaming request on each at
// the same moment. Records the time to the first SSE event of every stream and, for every
// event, how long after the upstream stamped it it arrived (see StreamUpstream.cpp). One
// extra round first warms the connections and is not counted.
//
//   switchyard-bench-stream-client --port N --body FILE [--path P] [--streams K] [--rounds R]
//                                  [--header "Name: value"]... [--timeout-s S]
// Prints one line: key=value pairs, times in microseconds.
#include "bench/stream/BenchClock.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <barrier>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options
{
    int port = 0;
    std::string path = "/v1/chat/completions";
    int streams = 8;
    int rounds = 5;
    int timeoutS = 30;
    std::string body;
    std::string headers;
};

struct Samples
{
    std::vector<long long> ttfbNs;
    std::vector<long long> delayNs;
    long long errors = 0;
    long long streams = 0;
};

int connectTo(const Options &options)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval timeout{options.timeoutS, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(options.port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// The events of one streamed response as they arrive: de-chunks the body and stamps every
// complete SSE event with the time of the read that completed it.
class StreamReader
{
public:
    StreamReader(long long startNs, Samples &samples, bool record)
        : m_start(startNs), m_samples(samples), m_record(record) {}

    // Returns false on a broken or non-200 response; `done` once the body has ended.
    bool feed(const char *data, size_t size, long long nowNs, bool &done)
    {
        m_raw.append(data, size);
        if (!m_headDone) {
            const size_t end = m_raw.find("\r\n\r\n");
            if (end == std::string::npos)
                return true;
            std::string head = m_raw.substr(0, end);
            std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            if (head.compare(0, 12, "http/1.1 200") != 0) {
                std::fprintf(stderr, "stream-client: %s\n", m_raw.substr(0, 600).c_str());
                return false;
            }
            m_chunked = head.find("transfer-encoding: chunked") != std::string::npos;
            m_raw.erase(0, end + 4);
            m_headDone = true;
        }
        if (!m_chunked) { // close-delimited or Content-Length: take what came, end on [DONE]
            takeEvents(m_raw, nowNs);
            m_raw.clear();
            done = m_sawDone;
            return true;
        }
        for (;;) {
            if (m_remaining == 0 && !m_inData) {
                const size_t lineEnd = m_raw.find("\r\n");
                if (lineEnd == std::string::npos)
                    return true;
                m_remaining = std::strtoul(m_raw.c_str(), nullptr, 16);
                m_raw.erase(0, lineEnd + 2);
                if (m_remaining == 0) {
                    done = true;
                    return true;
                }
                m_inData = true;
            }
            if (m_remaining > 0) {
                const size_t take = std::min(m_remaining, m_raw.size());
                takeEvents(m_raw.substr(0, take), nowNs);
                m_raw.erase(0, take);
                m_remaining -= take;
            }
            if (m_remaining > 0 || m_raw.size() < 2)
                return true;
            m_raw.erase(0, 2); // the CRLF after a chunk's data
            m_inData = false;
        }
    }

private:
    void takeEvents(const std::string &data, long long nowNs)
    {
        m_sse += data;
        size_t end;
        while ((end = m_sse.find("\n\n")) != std::string::npos) {
            const std::string event = m_sse.substr(0, end);
            m_sse.erase(0, end + 2);
            if (event.find("[DONE]") != std::string::npos)
                m_sawDone = true;
            const size_t at = event.find("\"content\":\"");
            const char *stamp = at == std::string::npos ? nullptr : std::strchr(event.c_str() + at + 11, ':');
            if (!stamp || !m_record)
                continue;
            if (!m_first) {
                m_first = true;
                m_samples.ttfbNs.push_back(nowNs - m_start);
            }
            m_samples.delayNs.push_back(nowNs - std::strtoll(stamp + 1, nullptr, 10));
        }
    }

    long long m_start;
    Samples &m_samples;
    bool m_record;
    std::string m_raw, m_sse;
    bool m_headDone = false, m_chunked = false, m_inData = false, m_first = false, m_sawDone = false;
    size_t m_remaining = 0;
};

bool oneStream(int fd, const Options &options, Samples &samples, bool record)
{
    std::ostringstream request;
    request << "POST " << options.path << " HTTP/1.1\r\nHost: 127.0.0.1:" << options.port
            << "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " << options.body.size()
            << "\r\n" << options.headers << "\r\n" << options.body;
    const std::string bytes = request.str();
    const long long start = Bench::monotonicNs();
    if (::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) != ssize_t(bytes.size()))
        return false;
    StreamReader reader(start, samples, record);
    char buffer[65536];
    bool done = false;
    while (!done) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0 || !reader.feed(buffer, size_t(n), Bench::monotonicNs(), done))
            return false;
    }
    return true;
}

void worker(const Options &options, std::barrier<> &sync, Samples &out, std::mutex &lock)
{
    Samples mine;
    int fd = connectTo(options);
    for (int round = 0; round <= options.rounds; ++round) {
        sync.arrive_and_wait();
        const bool record = round > 0;
        if (fd < 0 || !oneStream(fd, options, mine, record)) {
            mine.errors += record ? 1 : 0;
            if (fd >= 0)
                ::close(fd);
            fd = connectTo(options);
            continue;
        }
        mine.streams += record ? 1 : 0;
    }
    if (fd >= 0)
        ::close(fd);
    std::lock_guard<std::mutex> guard(lock);
    out.ttfbNs.insert(out.ttfbNs.end(), mine.ttfbNs.begin(), mine.ttfbNs.end());
    out.delayNs.insert(out.delayNs.end(), mine.delayNs.begin(), mine.delayNs.end());
    out.errors += mine.errors;
    out.streams += mine.streams;
}

double percentileUs(std::vector<long long> values, double q)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const size_t at = std::min(values.size() - 1, size_t(q * double(values.size())));
    return double(values[at]) / 1000.0;
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    std::string bodyFile;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--port") options.port = std::atoi(value.c_str());
        else if (flag == "--path") options.path = value;
        else if (flag == "--streams") options.streams = std::max(1, std::atoi(value.c_str()));
        else if (flag == "--rounds") options.rounds = std::max(1, std::atoi(value.c_str()));
        else if (flag == "--timeout-s") options.timeoutS = std::max(1, std::atoi(value.c_str()));
        else if (flag == "--body") bodyFile = value;
        else if (flag == "--header") options.headers += value + "\r\n";
        else {
            std::fprintf(stderr, "stream-client: unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    std::ifstream in(bodyFile, std::ios::binary);
    options.body.assign(std::istreambuf_iterator<char>(in), {});
    if (options.port <= 0 || options.body.empty()) {
        std::fprintf(stderr, "usage: %s --port N --body FILE [--path P] [--streams K] [--rounds R] [--header H]...\n", argv[0]);
        return 2;
    }
    Samples all;
    std::mutex lock;
    std::barrier sync(options.streams);
    std::vector<std::thread> threads;
    for (int i = 0; i < options.streams; ++i)
        threads.emplace_back(worker, std::cref(options), std::ref(sync), std::ref(all), std::ref(lock));
    for (std::thread &t : threads)
        t.join();
    std::printf("streams=%lld errors=%lld chunks=%zu ttfb_p50_us=%.1f ttfb_p99_us=%.1f ttfb_max_us=%.1f "
                "delay_p50_us=%.1f delay_p99_us=%.1f delay_max_us=%.1f\n",
                all.streams, all.errors, all.delayNs.size(), percentileUs(all.ttfbNs, 0.5), percentileUs(all.ttfbNs, 0.99),
                percentileUs(all.ttfbNs, 1.0), percentileUs(all.delayNs, 0.5), percentileUs(all.delayNs, 0.99),
                percentileUs(all.delayNs, 1.0));
    return all.errors == 0 && all.streams > 0 ? 0 : 1;
}
