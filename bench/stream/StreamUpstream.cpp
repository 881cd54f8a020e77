// SPDX-License-Identifier: GPL-3.0-or-later
// A fake OpenAI-compatible upstream that streams: every POST gets an SSE answer of N
// chat.completion.chunk events, one every D ms, each written as its own HTTP chunk the
// moment it is due. Each event's content carries its index and the CLOCK_MONOTONIC time
// (ns) at which it was written, so a client on the same machine can tell how long any
// proxy in between held it. Keep-alive, one thread per connection, loopback only.
//
//   switchyard-bench-stream-upstream [--port N] [--chunks N] [--delay-ms D]
//   prints "listening on PORT" once it accepts connections.
#include "bench/stream/BenchClock.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

struct Options
{
    int port = 0;
    int chunks = 40;
    int delayMs = 10;
};

bool sendAll(int fd, const std::string &data)
{
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += size_t(n);
    }
    return true;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// Reads one request (head and body) from `fd`, keeping bytes of the next one in `buffer`.
// Returns false when the connection ends. Sets `wantsUsage` and `keepAlive`.
bool readRequest(int fd, std::string &buffer, bool &wantsUsage, bool &keepAlive)
{
    char chunk[16384];
    size_t headEnd;
    while ((headEnd = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        buffer.append(chunk, size_t(n));
    }
    const std::string head = lower(buffer.substr(0, headEnd));
    buffer.erase(0, headEnd + 4);
    keepAlive = head.find("\r\nconnection: close") == std::string::npos;
    std::string body;
    if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
        for (;;) { // de-chunk until the last (empty) chunk and its trailer
            size_t lineEnd;
            while ((lineEnd = buffer.find("\r\n")) == std::string::npos) {
                const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0)
                    return false;
                buffer.append(chunk, size_t(n));
            }
            const size_t size = std::strtoul(buffer.c_str(), nullptr, 16);
            while (buffer.size() < lineEnd + 2 + size + 2) {
                const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0)
                    return false;
                buffer.append(chunk, size_t(n));
            }
            body.append(buffer, lineEnd + 2, size);
            buffer.erase(0, lineEnd + 2 + size + 2);
            if (size == 0)
                break;
        }
    } else {
        size_t length = 0;
        if (const size_t at = head.find("\r\ncontent-length:"); at != std::string::npos)
            length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
        while (buffer.size() < length) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            buffer.append(chunk, size_t(n));
        }
        body = buffer.substr(0, length);
        buffer.erase(0, length);
    }
    std::string compact;
    std::remove_copy_if(body.begin(), body.end(), std::back_inserter(compact), [](char c) { return c == ' ' || c == '\n'; });
    wantsUsage = compact.find("\"include_usage\":true") != std::string::npos;
    return true;
}

std::string httpChunk(const std::string &data)
{
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + data + "\r\n";
}

std::string event(int index, const char *delta, const char *finish)
{
    char text[640];
    std::snprintf(text, sizeof text,
                  "data: {\"id\":\"chatcmpl-bench0001\",\"object\":\"chat.completion.chunk\",\"created\":1732406400,"
                  "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
                  "\"delta\":{%s\"content\":\"%d:%lld \"},\"logprobs\":null,\"finish_reason\":%s}]}\n\n",
                  delta, index, static_cast<long long>(Bench::monotonicNs()), finish);
    return text;
}

bool answer(int fd, const Options &options, bool wantsUsage)
{
    if (!sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
                     "x-request-id: req_bench\r\nTransfer-Encoding: chunked\r\n\r\n"))
        return false;
    long long due = Bench::monotonicNs();
    for (int i = 0; i < options.chunks; ++i) {
        due += options.delayMs * 1000000LL;
        Bench::sleepUntilNs(due);
        const bool first = i == 0, last = i == options.chunks - 1;
        if (!sendAll(fd, httpChunk(event(i, first ? "\"role\":\"assistant\"," : "", last ? "\"stop\"" : "null"))))
            return false;
    }
    std::string tail;
    if (wantsUsage)
        tail += httpChunk("data: {\"id\":\"chatcmpl-bench0001\",\"object\":\"chat.completion.chunk\",\"created\":1732406400,"
                          "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":412,"
                          "\"completion_tokens\":" + std::to_string(options.chunks) + ",\"total_tokens\":"
                          + std::to_string(412 + options.chunks) + "}}\n\n");
    tail += httpChunk("data: [DONE]\n\n") + "0\r\n\r\n";
    return sendAll(fd, tail);
}

void serve(int fd, Options options)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string buffer;
    bool wantsUsage = false, keepAlive = true;
    while (keepAlive && readRequest(fd, buffer, wantsUsage, keepAlive)) {
        if (!answer(fd, options, wantsUsage))
            break;
    }
    ::close(fd);
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (flag == "--port")
            options.port = value;
        else if (flag == "--chunks")
            options.chunks = std::max(1, value);
        else if (flag == "--delay-ms")
            options.delayMs = std::max(0, value);
        else {
            std::fprintf(stderr, "usage: %s [--port N] [--chunks N] [--delay-ms D]\n", argv[0]);
            return 2;
        }
    }
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(options.port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(listener, 1024) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        std::perror("stream-upstream: listen");
        return 1;
    }
    std::printf("listening on %d\n", ntohs(address.sin_port));
    std::fflush(stdout);
    for (;;) {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd >= 0)
            std::thread(serve, fd, options).detach();
    }
}
