// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/CommandLine.h"
#include <QJsonObject>
#include <optional>

class QTextStream;

namespace Switchyard {

class AdminClient;

// The `evaluate` command: through a running instance's admin API, estimates what replaying a
// baseline through a candidate alias costs, starts that evaluation, shows its progress and
// prints the comparison (EvaluationTable). Each HTTP call keeps AdminClient's timeout; the
// evaluation itself may take as long as it takes.
class EvaluateCommand final
{
public:
    static constexpr int PollIntervalMs = 500;

    EvaluateCommand(AdminClient &client, QTextStream &out, QTextStream &err);

    // The alias to evaluate: --target as {"name": "candidate", "targets": [{provider, model}]},
    // or the JSON object in --alias-file.
    static Result<QJsonObject> candidate(const CommandLineOptions &options);
    // The report on `out`, progress and problems on `err`. Exit code 0 when the evaluation
    // finished, 1 when it failed or was cancelled or a call went wrong, 2 for a bad --alias-file.
    int run(const CommandLineOptions &options);

private:
    // The JSON answer of a call that answered `expected`; nullopt (with the problem on `err`)
    // otherwise.
    std::optional<QJsonObject> call(const QByteArray &method, const QString &path, const QString &query, const QJsonObject &body,
                                    int expected);
    // Polls until the evaluation is no longer running; its last state without results.
    std::optional<QJsonObject> waitForEnd(const QString &path, const QJsonObject &started);

    AdminClient &m_client;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace Switchyard
