// SPDX-License-Identifier: GPL-3.0-or-later
// The proxy path's own work on agent-sized bodies, without sockets: what one request costs the
// engine thread to read (OpenAiBody::parse), to prepare for its target (AttemptCodec::create,
// passed through or translated Messages → chat), and to answer (clientBody on a chat answer).
// Prints one line per body and step: the median of repeated runs in microseconds.
//   switchyard-bench-proxypath CHAT_BODY MESSAGES_BODY ANSWER_BODY [RUNS]
#include "core/proxy/AttemptCodec.h"
#include "core/record/OpenAiBody.h"
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace Switchyard;

namespace {

QByteArray readFile(const char *path)
{
    QFile f(QString::fromLocal8Bit(path));
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", path);
        std::exit(2);
    }
    return f.readAll();
}

double medianUs(int runs, const std::function<void()> &work)
{
    std::vector<double> samples;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        samples.push_back(double(t.nsecsElapsed()) / 1000.0);
    }
    std::nth_element(samples.begin(), samples.begin() + runs / 2, samples.end());
    return samples[size_t(runs / 2)];
}

void report(const char *step, qsizetype bytes, double us)
{
    std::printf("PROXYPATH step=%s body_bytes=%lld median_us=%.1f\n", step, static_cast<long long>(bytes), us);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s CHAT_BODY MESSAGES_BODY ANSWER_BODY [RUNS]\n", argv[0]);
        return 2;
    }
    const QByteArray chat = readFile(argv[1]);
    const QByteArray messages = readFile(argv[2]);
    const QByteArray answer = readFile(argv[3]);
    const int runs = argc > 4 ? std::max(1, atoi(argv[4])) : 200;
    const QString model = QStringLiteral("gpt-4o-mini");
    const QString path = QStringLiteral("/chat/completions");

    report("parse", chat.size(), medianUs(runs, [&] { (void)OpenAiBody::parse(chat); }));
    const OpenAiBody chatBody = OpenAiBody::parse(chat).value();
    report("passthrough_prepare", chat.size(), medianUs(runs, [&] {
               const OpenAiBody body = OpenAiBody::parse(chat).value();
               (void)AttemptCodec::create(Dialect::OpenAi, ProviderKind::OpenAI, path, body, model);
           }));
    Result<AttemptCodec> passthrough = AttemptCodec::create(Dialect::OpenAi, ProviderKind::OpenAI, path, chatBody, model);
    report("passthrough_answer", answer.size(), medianUs(runs, [&] {
               Usage usage;
               (void)passthrough.value().clientBody(answer, usage);
           }));
    report("translated_prepare", messages.size(), medianUs(runs, [&] {
               const OpenAiBody body = OpenAiBody::parse(messages).value();
               (void)AttemptCodec::create(Dialect::Anthropic, ProviderKind::OpenAI, path, body, model);
           }));
    report("translated_retry_prepare", messages.size(), medianUs(runs, [&] {
               // A call that falls back: the same request prepared for a second target.
               const OpenAiBody body = OpenAiBody::parse(messages).value();
               (void)AttemptCodec::create(Dialect::Anthropic, ProviderKind::OpenAI, path, body, model);
               (void)AttemptCodec::create(Dialect::Anthropic, ProviderKind::OpenAI, path, body, model);
           }));
    const OpenAiBody messagesBody = OpenAiBody::parse(messages).value();
    Result<AttemptCodec> translated = AttemptCodec::create(Dialect::Anthropic, ProviderKind::OpenAI, path, messagesBody, model);
    report("translated_answer", answer.size(), medianUs(runs, [&] {
               Usage usage;
               (void)translated.value().clientBody(answer, usage);
           }));
    return 0;
}
