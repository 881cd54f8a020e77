// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RouteRankingView.h"
#include "ui/SemanticColours.h"
#include "ui/EngineLink.h"
#include "ui/routes/RouteRankingModel.h"
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTime>
#include <QTimer>
#include <QTableView>
#include <QVBoxLayout>
#include <limits>

namespace Switchyard {

namespace {

using SemanticColours::Tone;

QString tinted(Tone tone, const QString &html)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(SemanticColours::css(tone), html);
}

} // namespace

namespace {
constexpr int RefreshMs = 5000;
// Asked, ticket not known yet: an engine on this thread answers before request…() returns.
constexpr quint64 InFlight = std::numeric_limits<quint64>::max();
}

RouteRankingView::RouteRankingView(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_model(new RouteRankingModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("rankingTitle"));
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_test = new QPushButton(tr("Test route"), this);
    m_test->setObjectName(QStringLiteral("testRouteButton"));
    m_test->setToolTip(tr("Send a tiny request (8 tokens) through the alias and see which target answers"));
    header->addWidget(m_title, 1);
    header->addWidget(m_refresh);
    header->addWidget(m_test);
    layout->addLayout(header);

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("rankingNote"));
    m_note->setWordWrap(true);
    layout->addWidget(m_note);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("rankingView"));
    m_view->setModel(m_model);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_view->setShowGrid(false);
    m_view->setStyleSheet(QStringLiteral("QTableView::item { padding: 3px 2px; }"));
    m_view->setWordWrap(true); // reasons are sentences
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_view, 1);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(m_result->fontMetrics().lineSpacing() * 2 + 8);
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_result);

    m_timer = new QTimer(this);
    m_timer->setInterval(RefreshMs);
    connect(m_timer, &QTimer::timeout, this, &RouteRankingView::refresh);
    connect(m_refresh, &QPushButton::clicked, this, &RouteRankingView::refresh);
    connect(m_test, &QPushButton::clicked, this, &RouteRankingView::testRoute);
    connect(m_link, &EngineLink::routeExplained, this, &RouteRankingView::showPlan);
    connect(m_link, &EngineLink::routeTested, this, &RouteRankingView::showTest);
    m_title->setText(tr("<b>Route</b>"));
    updateNote();
}

void RouteRankingView::setAlias(const QString &name, AliasState state)
{
    const bool changed = name != m_alias;
    const bool wasLive = isLive();
    if (!changed && state == m_state)
        return;
    m_alias = name;
    m_state = state;
    if (changed) {
        m_model->clear();
        m_result->clear();
        m_testTicket = 0;
        m_title->setText(name.isEmpty() ? tr("<b>Route</b>") : tr("<b>Route of %1</b>").arg(name.toHtmlEscaped()));
    }
    updateNote();
    if (changed || !wasLive) // edits do not change the live ranking
        refresh();
}

bool RouteRankingView::isLive() const
{
    return !m_alias.isEmpty() && (m_state == AliasState::Applied || m_state == AliasState::Modified);
}

void RouteRankingView::updateNote()
{
    m_refresh->setEnabled(isLive());
    m_test->setEnabled(isLive() && m_testTicket == 0);
    switch (m_state) {
    case AliasState::None:
        m_note->setText(tr("Select an alias to see how the router ranks its targets."));
        break;
    case AliasState::NotApplied:
        m_model->clear();
        m_note->setText(tr("This alias is not live yet: Apply to rank and test it."));
        break;
    case AliasState::Modified:
        m_note->setText(tr("Showing the live route; your unapplied edits take effect on Apply."));
        break;
    case AliasState::Applied:
        m_note->setText(tr("How the router would order the targets for the next call, and why."));
        break;
    }
}

QString RouteRankingView::testResultText() const
{
    return m_result->text();
}

void RouteRankingView::refresh()
{
    if (!isLive())
        return;
    m_planTicket = InFlight;
    const quint64 ticket = m_link->requestRouteExplanation(m_alias);
    if (m_planTicket == InFlight)
        m_planTicket = ticket;
}

void RouteRankingView::testRoute()
{
    if (!isLive() || m_testTicket != 0)
        return;
    m_result->setText(tr("Sending a tiny request through %1…").arg(m_alias.toHtmlEscaped()));
    m_testTicket = InFlight;
    m_test->setEnabled(false);
    const quint64 ticket = m_link->requestRouteTest(m_alias);
    if (m_testTicket == InFlight)
        m_testTicket = ticket;
}

void RouteRankingView::showPlan(quint64 ticket, const QJsonObject &plan, const QString &error)
{
    if (ticket != m_planTicket && m_planTicket != InFlight)
        return; // an older request, or another view's
    m_planTicket = 0;
    if (!error.isEmpty()) {
        m_model->clear();
        m_note->setText(error.toHtmlEscaped());
        return;
    }
    m_model->setPlan(plan);
    fitColumns();
    updateNote();
    m_title->setText(tr("<b>Route of %1</b> &nbsp;·&nbsp; %2 &nbsp;·&nbsp; %3")
                         .arg(m_alias.toHtmlEscaped(), m_model->strategy().toHtmlEscaped(),
                              tinted(Tone::Muted, tr("updated %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))))));
}

void RouteRankingView::fitColumns()
{
    // Numbers at their size; long names and states wrap, leaving room for the reason.
    const int width = m_view->viewport()->width();
    for (int column = RouteRankingModel::RankColumn; column < RouteRankingModel::ReasonColumn; ++column)
        m_view->resizeColumnToContents(column);
    m_view->setColumnWidth(RouteRankingModel::TargetColumn, qMin(m_view->columnWidth(RouteRankingModel::TargetColumn), width * 27 / 100));
    m_view->setColumnWidth(RouteRankingModel::StateColumn, qMin(m_view->columnWidth(RouteRankingModel::StateColumn), width * 19 / 100));
}

void RouteRankingView::showTest(quint64 ticket, const CallRecord &record)
{
    if (ticket != m_testTicket && m_testTicket != InFlight)
        return;
    m_testTicket = 0;
    updateNote();
    const QLocale locale;
    QString text;
    if (record.ok) {
        text = tr("%1 &nbsp;HTTP %2 in %3 ms")
                   .arg(tinted(Tone::Ok, tr("<b>✓ %1/%2 answered</b>").arg(record.provider.toHtmlEscaped(), record.model.toHtmlEscaped())))
                   .arg(record.status)
                   .arg(locale.toString(record.durationMs));
    } else {
        text = tr("%1 &nbsp;HTTP %2 after %3 ms: %4")
                   .arg(tinted(Tone::Error, QStringLiteral("<b>✗ %1</b>").arg(errorClassName(record.errorClass))))
                   .arg(record.status)
                   .arg(locale.toString(record.durationMs))
                   .arg(record.errorMessage.toHtmlEscaped());
    }
    // Earlier attempts tell why the answer came from further down the list.
    QStringList tries;
    for (const Attempt &a : record.attempts) {
        const QString outcome = a.errorClass == ErrorClass::None ? QString::number(a.status) : errorClassName(a.errorClass);
        tries.append(tr("%1/%2 %3 (%4 ms)").arg(a.provider.toHtmlEscaped(), a.model.toHtmlEscaped(), outcome).arg(a.durationMs));
    }
    if (tries.size() > 1)
        text += QStringLiteral("<br>") + tinted(Tone::Muted, tr("Tried: %1").arg(tries.join(QStringLiteral(" → "))));
    m_result->setText(text);
    refresh(); // the call taught the router something (latency, failures)
}

void RouteRankingView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    refresh();
}

void RouteRankingView::hideEvent(QHideEvent *event)
{
    m_timer->stop();
    QWidget::hideEvent(event);
}

} // namespace Switchyard
