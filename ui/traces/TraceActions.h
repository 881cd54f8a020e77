// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>

class QAction;
class QWidget;

namespace Switchyard {

class EngineLink;
class RequestDetailView;

// What one can do with the request shown in the Traces detail, as the developer tools
// people know offer it: Replay (Ctrl+R), Edit & Replay (Ctrl+E), Copy as cURL
// (Ctrl+Shift+C, the gateway's URL and no secret) and Copy response (Ctrl+Shift+R), in the
// table's context menu and as shortcuts of the page.
class TraceActions final : public QObject
{
    Q_OBJECT
public:
    TraceActions(EngineLink *link, RequestDetailView *detail, QWidget *page);

    QList<QAction *> actions() const;
    QAction *replayAction() const { return m_replay; }
    QAction *editReplayAction() const { return m_editReplay; }
    QAction *copyCurlAction() const { return m_copyCurl; }
    QAction *copyResponseAction() const { return m_copyResponse; }
    // The command Copy as cURL puts on the clipboard for the request shown.
    QString curlCommand() const;

public Q_SLOTS:
    void replay();
    void editAndReplay();
    void copyCurl();
    void copyResponse();

Q_SIGNALS:
    // A replay from here finished: its new row may be selected.
    void replayed(const QString &newId);

private:
    void updateEnabled();

    EngineLink *m_link;
    RequestDetailView *m_detail;
    QWidget *m_page;
    QAction *m_replay;
    QAction *m_editReplay;
    QAction *m_copyCurl;
    QAction *m_copyResponse;
    quint64 m_ticket = 0;
};

} // namespace Switchyard
