// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TraceActions.h"
#include "ui/EngineLink.h"
#include "ui/failures/ReplayDialog.h"
#include "ui/traces/CurlCommand.h"
#include "ui/traces/RequestDetailView.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QWidget>

namespace Switchyard {

TraceActions::TraceActions(EngineLink *link, RequestDetailView *detail, QWidget *page)
    : QObject(page)
    , m_link(link)
    , m_detail(detail)
    , m_page(page)
    , m_replay(new QAction(tr("Replay"), this))
    , m_editReplay(new QAction(tr("Edit && Replay…"), this))
    , m_copyCurl(new QAction(tr("Copy as cURL"), this))
    , m_copyResponse(new QAction(tr("Copy response"), this))
{
    m_replay->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_replay->setToolTip(tr("Send this request through the gateway again, with its current routes"));
    m_editReplay->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_copyCurl->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyCurl->setToolTip(tr("A curl command for this request against the gateway, without any key"));
    m_copyResponse->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    for (QAction *action : actions()) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        page->addAction(action);
    }
    connect(m_replay, &QAction::triggered, this, &TraceActions::replay);
    connect(m_editReplay, &QAction::triggered, this, &TraceActions::editAndReplay);
    connect(m_copyCurl, &QAction::triggered, this, &TraceActions::copyCurl);
    connect(m_copyResponse, &QAction::triggered, this, &TraceActions::copyResponse);
    connect(detail, &RequestDetailView::loaded, this, &TraceActions::updateEnabled);
    connect(detail, &RequestDetailView::loadFailed, this, &TraceActions::updateEnabled);
    connect(link, &EngineLink::replayFinished, this, [this](quint64 ticket, const CallRecord &record, const QString &) {
        if (ticket != m_ticket)
            return;
        m_ticket = 0;
        updateEnabled();
        if (!record.id.isEmpty())
            Q_EMIT replayed(record.id);
    });
    updateEnabled();
}

QList<QAction *> TraceActions::actions() const
{
    return {m_replay, m_editReplay, m_copyCurl, m_copyResponse};
}

void TraceActions::updateEnabled()
{
    const bool loaded = m_detail->isLoaded() && !m_detail->record().id.isEmpty();
    m_replay->setEnabled(loaded && m_ticket == 0);
    m_editReplay->setEnabled(loaded && m_ticket == 0);
    m_copyCurl->setEnabled(loaded);
    m_copyResponse->setEnabled(loaded);
}

QString TraceActions::curlCommand() const
{
    const QString url = m_link->listeningUrl().isEmpty() ? QStringLiteral("http://127.0.0.1:4141") : m_link->listeningUrl();
    return CurlCommand::build(url, m_detail->record(), !m_link->config().listen.token.isEmpty());
}

void TraceActions::replay()
{
    if (!m_replay->isEnabled())
        return;
    m_ticket = m_link->requestReplay(m_detail->record().id);
    updateEnabled();
}

void TraceActions::editAndReplay()
{
    if (!m_editReplay->isEnabled())
        return;
    const QString id = m_detail->record().id;
    auto *dialog = new ReplayDialog(id, m_detail->record().requestBody, m_page);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setKnownModels(m_link->config());
    connect(dialog, &ReplayDialog::sendRequested, this, [this, id](const QByteArray &body) {
        m_ticket = m_link->requestReplay(id, body);
        updateEnabled();
    });
    dialog->open();
}

void TraceActions::copyCurl()
{
    if (m_copyCurl->isEnabled())
        QApplication::clipboard()->setText(curlCommand());
}

void TraceActions::copyResponse()
{
    if (m_copyResponse->isEnabled())
        QApplication::clipboard()->setText(QString::fromUtf8(m_detail->record().responseBody));
}

} // namespace Switchyard
