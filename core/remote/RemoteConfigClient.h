// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/config/ConfigHistory.h"
#include "core/util/Result.h"
#include <QJsonObject>
#include <QObject>
#include <functional>
#include <memory>

namespace Switchyard {

class RemoteApiClient;

// The config of a remote gateway through its admin API: the config in force (GET, PUT
// /api/config; keys travel masked as "***", which the gateway keeps as they are), its history
// and restores. Every answer that carries the config in force goes to the `applied` callback,
// in the order the calls were made: an answer older than one already given is dropped.
class RemoteConfigClient final : public QObject
{
    Q_OBJECT
public:
    using Applied = std::function<void(const Config &config)>;
    using Done = std::function<void(const QStringList &errors)>;
    static constexpr int HistoryLimit = 100;
    static constexpr int ParallelFetches = 4;

    RemoteConfigClient(RemoteApiClient *api, Applied applied, QObject *parent = nullptr);

    // GET /api/config; `done` after `applied`, with no errors when it was.
    void fetch(Done done);
    // PUT /api/config; errors: the gateway's validation messages, or why it was not reached.
    void save(const Config &config, Done done);
    // POST /api/config/history/{number}/restore.
    void restore(int number, Done done);
    // GET /api/config/history and each version's config, oldest first (empty when the history
    // cannot be read: the reason is logged).
    void listHistory(std::function<void(const QList<ConfigVersion> &)> done);

    // A config as GET /api/config gives it. A gateway started with --port 0 reports port 0,
    // which no config may hold: it reads as the port the gateway is reached at.
    Result<Config, QStringList> parse(QJsonObject json) const;

private:
    struct Listing;
    void change(const QByteArray &method, const QString &path, const QByteArray &body, const QString &configField, Done done);
    QStringList applyAnswer(quint64 sequence, const QJsonObject &config);
    void fetchNextVersion(const std::shared_ptr<Listing> &listing);

    RemoteApiClient *m_api;
    Applied m_applied;
    quint64 m_issued = 0;  // calls made that answer with the config in force
    quint64 m_latest = 0;  // the latest of them whose answer was given to m_applied
};

} // namespace Switchyard
