// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QHash>
#include <QWidget>

class QLabel;
class QTabWidget;
class QTreeWidget;

namespace Switchyard {

class AttemptTimeline;
class JsonBodyView;
class TranslationNotesView;
class LogReader;
class UpstreamBodiesView;

// Everything about one request: a summary, the attempts on a timeline, and tabs with the
// request and response bodies as JSON trees, what each attempt sent upstream, and the
// headers (masked as they were logged). The full record is read from the log in the
// background; an answer for a request no longer shown is dropped.
class RequestDetailView final : public QWidget
{
    Q_OBJECT
public:
    explicit RequestDetailView(LogReader *reader, QWidget *parent = nullptr);

    // Shows what a table row knows at once, then loads bodies and headers.
    void showRequest(const CallRecord &row);
    void clear();

    QString requestId() const { return m_record.id; }
    const CallRecord &record() const { return m_record; }
    bool isLoaded() const { return m_loaded; }
    // The text of a summary field: "id", "time", "endpoint", "route", "status", "error",
    // "duration", "ttft", "tokens", "cost", "client", "project", "replayOf".
    QString fieldText(const QString &field) const;

    AttemptTimeline *timeline() const { return m_timeline; }
    JsonBodyView *requestView() const { return m_request; }
    JsonBodyView *responseView() const { return m_response; }
    UpstreamBodiesView *upstreamView() const { return m_upstream; }
    QTreeWidget *headersView() const { return m_headers; }
    TranslationNotesView *notesView() const { return m_notes; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void loaded(const QString &id);
    void loadFailed(const QString &id, const QString &message);
    // The user followed a link to another request ("Replay of").
    void requestLinkActivated(const QString &id);

private:
    QWidget *buildSummary();
    void showSummary(const CallRecord &r);
    void showBodies(const CallRecord &r);
    void requestRecord(quint64 generation, const QString &id, int retriesLeft);
    void onLoaded(quint64 generation, const QString &id, const CallRecord &record, const QString &error);

    LogReader *m_reader;
    CallRecord m_record;
    bool m_loaded = false;
    quint64 m_generation = 0;
    QHash<QString, QLabel *> m_fields;
    QLabel *m_title = nullptr;
    AttemptTimeline *m_timeline = nullptr;
    QTabWidget *m_tabs = nullptr;
    JsonBodyView *m_request = nullptr;
    JsonBodyView *m_response = nullptr;
    UpstreamBodiesView *m_upstream = nullptr;
    QTreeWidget *m_headers = nullptr;
    TranslationNotesView *m_notes = nullptr;
};

} // namespace Switchyard
