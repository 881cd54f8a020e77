// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/RequestDetailView.h"
#include "core/dialect/TranslationPolicy.h"
#include "core/proxy/ProxyCall.h"
#include "ui/SemanticColours.h"
#include "core/log/LogReader.h"
#include "ui/traces/AttemptTimeline.h"
#include "ui/traces/JsonBodyView.h"
#include "ui/traces/TraceFormat.h"
#include "ui/traces/TranslationNotesView.h"
#include "ui/traces/UpstreamBodiesView.h"
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

constexpr int NotFoundRetries = 5; // a live row can reach the table before the writer commits it

QTreeWidgetItem *headerGroup(QTreeWidget *tree, const QString &title, const HttpHeaders &headers)
{
    auto *group = new QTreeWidgetItem(tree, {QStringLiteral("%1 (%2)").arg(title).arg(headers.size())});
    QFont bold = group->font(0);
    bold.setBold(true);
    group->setFont(0, bold);
    group->setFirstColumnSpanned(true);
    for (const auto &[name, value] : headers)
        new QTreeWidgetItem(group, {QString::fromLatin1(name), QString::fromUtf8(value)});
    group->setExpanded(true);
    return group;
}

} // namespace

RequestDetailView::RequestDetailView(LogReader *reader, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter);

    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildSummary());

    m_tabs = new QTabWidget(splitter);
    m_tabs->setDocumentMode(true);
    m_request = new JsonBodyView(m_tabs);
    m_response = new JsonBodyView(m_tabs);
    m_upstream = new UpstreamBodiesView(m_tabs);
    m_headers = new QTreeWidget(m_tabs);
    m_headers->setObjectName(QStringLiteral("headersTree"));
    m_headers->setHeaderLabels({tr("Name"), tr("Value")});
    m_headers->setRootIsDecorated(true);
    m_headers->setAlternatingRowColors(true);
    m_headers->header()->resizeSection(0, 200);
    m_tabs->addTab(m_request, tr("Request"));
    m_tabs->addTab(m_response, tr("Response"));
    m_tabs->addTab(m_upstream, tr("Sent upstream"));
    m_tabs->addTab(m_headers, tr("Headers"));
    m_notes = new TranslationNotesView(m_tabs);
    m_tabs->addTab(m_notes, tr("Translation notes"));
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({440, 660});
    clear();
}

QWidget *RequestDetailView::buildSummary()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(8, 6, 8, 6);
    m_title = new QLabel(panel);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(2);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    int row = 0;
    auto add = [&](const QString &key, const QString &label, int column, int span) {
        auto *name = new QLabel(label, panel);
        name->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
        auto *value = new QLabel(panel);
        value->setObjectName(QStringLiteral("field_") + key);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setTextFormat(Qt::PlainText);
        value->setMinimumWidth(40);
        value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        name->setObjectName(QStringLiteral("name_") + key);
        grid->addWidget(name, row, column, Qt::AlignTop | Qt::AlignRight);
        grid->addWidget(value, row, column + 1, 1, span);
        m_fields.insert(key, value);
        if (column + 1 + span >= 4)
            ++row;
    };
    add(QStringLiteral("id"), tr("Request"), 0, 3);
    add(QStringLiteral("time"), tr("Time"), 0, 3);
    add(QStringLiteral("endpoint"), tr("Endpoint"), 0, 3);
    add(QStringLiteral("route"), tr("Route"), 0, 3);
    add(QStringLiteral("status"), tr("Status"), 0, 1);
    add(QStringLiteral("duration"), tr("Duration"), 2, 1);
    add(QStringLiteral("ttft"), tr("First token"), 0, 1);
    add(QStringLiteral("cost"), tr("Cost"), 2, 1);
    add(QStringLiteral("tokens"), tr("Tokens"), 0, 3);
    add(QStringLiteral("client"), tr("Client"), 0, 3);
    add(QStringLiteral("project"), tr("Project"), 0, 3);
    add(QStringLiteral("error"), tr("Error"), 0, 3);
    add(QStringLiteral("replayOf"), tr("Replay of"), 0, 3);
    QLabel *replayOf = m_fields.value(QStringLiteral("replayOf"));
    replayOf->setTextFormat(Qt::RichText);
    replayOf->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(replayOf, &QLabel::linkActivated, this, [this](const QString &link) { Q_EMIT requestLinkActivated(link.mid(1)); });
    m_fields.value(QStringLiteral("error"))->setWordWrap(true);
    m_fields.value(QStringLiteral("error"))->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    layout->addLayout(grid);

    auto *attempts = new QLabel(tr("Attempts"), panel);
    attempts->setFont(m_title->font());
    layout->addSpacing(6);
    layout->addWidget(attempts);
    m_timeline = new AttemptTimeline(panel);
    m_timeline->setObjectName(QStringLiteral("attemptTimeline"));
    layout->addWidget(m_timeline);
    layout->addStretch(1);
    return panel;
}

QString RequestDetailView::fieldText(const QString &field) const
{
    const QLabel *label = m_fields.value(field);
    if (label && label->textFormat() == Qt::RichText)
        return label->toolTip();
    return label ? label->text() : QString();
}

void RequestDetailView::clear()
{
    ++m_generation;
    m_record = CallRecord();
    m_loaded = false;
    m_title->setText(tr("No request selected"));
    for (QLabel *label : std::as_const(m_fields))
        label->clear();
    m_timeline->clear();
    const QString hint = tr("Select a request in the table to see its bodies.");
    m_request->setPlaceholder(hint);
    m_response->setPlaceholder(hint);
    m_upstream->setPlaceholder(hint);
    m_headers->clear();
    m_notes->clear();
    m_tabs->setTabText(m_tabs->indexOf(m_notes), tr("Translation notes"));
}

void RequestDetailView::showRequest(const CallRecord &row)
{
    clear();
    m_record = row;
    showSummary(row);
    const QString loading = tr("Loading…");
    m_request->setPlaceholder(loading);
    m_response->setPlaceholder(loading);
    m_upstream->setPlaceholder(loading);

    requestRecord(m_generation, row.id, NotFoundRetries);
}

void RequestDetailView::requestRecord(quint64 generation, const QString &id, int retriesLeft)
{
    m_reader->query<Result<CallRecord>>(
        this, [id](LogQueries &q) { return q.request(id); },
        [this, generation, id, retriesLeft](const Result<CallRecord> &result) {
            if (generation != m_generation)
                return;
            if (result && result.value().id.isEmpty() && retriesLeft > 0) {
                QTimer::singleShot(200, this, [this, generation, id, retriesLeft] { requestRecord(generation, id, retriesLeft - 1); });
                return;
            }
            onLoaded(generation, id, result ? result.value() : CallRecord(), result ? QString() : result.error().message);
        });
}

void RequestDetailView::onLoaded(quint64 generation, const QString &id, const CallRecord &record, const QString &error)
{
    if (generation != m_generation)
        return;
    if (!error.isEmpty() || record.id.isEmpty()) {
        const QString message = error.isEmpty() ? tr("Request %1 is not in the log (removed by retention?)").arg(id) : error;
        m_request->setPlaceholder(message);
        m_response->setPlaceholder(message);
        m_upstream->setPlaceholder(message);
        Q_EMIT loadFailed(id, message);
        return;
    }
    m_record = record;
    m_loaded = true;
    showSummary(record);
    showBodies(record);
    Q_EMIT loaded(id);
}

void RequestDetailView::showSummary(const CallRecord &r)
{
    auto set = [this](const QString &key, const QString &text) {
        QLabel *label = m_fields.value(key);
        label->setText(text);
        label->setToolTip(text);
    };
    m_title->setText(r.ok ? tr("Request succeeded") : tr("Request failed"));
    set(QStringLiteral("id"), r.id);
    set(QStringLiteral("time"), tr("%1 (%2 UTC)").arg(r.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                                                      r.startedAt.toString(QStringLiteral("HH:mm:ss"))));
    set(QStringLiteral("endpoint"), r.endpoint + (r.stream ? tr(" (stream)") : QString()));
    const QString target = TraceFormat::callTarget(r);
    if (r.provider.isEmpty() && r.model.isEmpty())
        set(QStringLiteral("route"), tr("%1: no alias or provider/model of that name").arg(r.requestedModel));
    else
        set(QStringLiteral("route"), r.alias.isEmpty() ? tr("%1 (no alias)").arg(target) : QStringLiteral("%1 → %2").arg(r.alias, target));
    set(QStringLiteral("status"), r.status > 0 ? QStringLiteral("%1 · %2").arg(r.status).arg(r.ok ? tr("ok") : tr("error"))
                                               : (r.ok ? tr("ok") : tr("error")));
    m_fields.value(QStringLiteral("status"))->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;")
                                                                .arg(SemanticColours::css(r.ok ? SemanticColours::Tone::Ok : SemanticColours::Tone::Error)));
    set(QStringLiteral("duration"), TraceFormat::duration(r.durationMs) + (r.attempts.size() > 1 ? tr(", %1 attempts").arg(r.attempts.size()) : QString()));
    set(QStringLiteral("ttft"), r.ttftMs ? TraceFormat::duration(*r.ttftMs) : QStringLiteral("—"));
    set(QStringLiteral("cost"), r.costUsd ? QStringLiteral("$%1").arg(*r.costUsd, 0, 'f', 6) : tr("— (no price known)"));
    set(QStringLiteral("tokens"), r.usage.isEmpty() ? tr("not reported") : TraceFormat::tokensInDetail(r.usage));
    set(QStringLiteral("client"), TraceFormat::clientDetail(r, false).replace(QLatin1Char('\n'), QStringLiteral(" · ")));
    set(QStringLiteral("project"), r.project.isEmpty() ? QStringLiteral("—") : r.project);
    const QString errorText = r.errorClass == ErrorClass::None ? QString() : errorClassName(r.errorClass);
    set(QStringLiteral("error"), r.errorMessage.isEmpty() ? (errorText.isEmpty() ? QStringLiteral("—") : errorText)
                                                          : QStringLiteral("%1: %2").arg(errorText, r.errorMessage));
    m_fields.value(QStringLiteral("error"))->setStyleSheet(r.ok ? QString() : QStringLiteral("color: %1;").arg(SemanticColours::css(SemanticColours::Tone::Error)));
    set(QStringLiteral("replayOf"), r.replayOf);
    m_fields.value(QStringLiteral("replayOf"))
        ->setText(QStringLiteral("<a href=\"#%1\">%1</a>").arg(r.replayOf.toHtmlEscaped())
                  + (r.evaluationId.isEmpty() ? QString() : tr(" · in evaluation %1").arg(r.evaluationId.toHtmlEscaped())));
    for (QLabel *label : {m_fields.value(QStringLiteral("replayOf")), findChild<QLabel *>(QStringLiteral("name_replayOf"))})
        label->setVisible(!r.replayOf.isEmpty()); // most calls are not replays: leave the room to the timeline
    m_timeline->setAttempts(r.attempts, r.durationMs);
}

void RequestDetailView::showBodies(const CallRecord &r)
{
    if (r.bodiesShed) { // the log writer was behind when the call finished
        m_request->setPlaceholder(tr("Body not stored: the log writer was behind when this call finished."));
        m_response->setPlaceholder(tr("Body not stored: the log writer was behind when this call finished."));
    } else {
        m_request->setBody(r.requestBody, r.requestBodyTruncated);
        m_response->setBody(r.responseBody, r.responseBodyTruncated);
    }
    m_upstream->setCall(r);
    m_headers->clear();
    headerGroup(m_headers, tr("Request headers, from the client"), r.requestHeaders);
    // What the client received: the upstream's headers the gateway passes on, and its own.
    HttpHeaders sent = ProxyCall::clientHeaders(r.responseHeaders);
    sent.add("x-switchyard-request-id", r.id.toUtf8());
    if (!r.provider.isEmpty()) {
        sent.add("x-switchyard-provider", r.provider.toUtf8());
        sent.add("x-switchyard-model", r.model.toUtf8());
        sent.add("x-switchyard-attempts", QByteArray::number(r.attempts.size()));
    }
    // The answering attempt's notes give the translation header back (one that noted nothing
    // is not told apart from passthrough here: the record keeps no dialect of its own).
    if (!r.attempts.isEmpty() && !r.attempts.last().translationNotes.isEmpty())
        sent.add("x-switchyard-translation", TranslationPolicy::summary(TranslationPolicy::directionFor(r.endpoint),
                                                                        r.attempts.last().translationNotes));
    headerGroup(m_headers, tr("Response headers, to the client"), sent)->setData(0, Qt::UserRole, QStringLiteral("client"));
    headerGroup(m_headers, tr("Response headers, from the upstream"), r.responseHeaders)->setData(0, Qt::UserRole, QStringLiteral("upstream"));
    m_notes->setCall(r);
    m_tabs->setTabText(m_tabs->indexOf(m_notes), m_notes->noteCount() ? tr("Translation notes (%1)").arg(m_notes->noteCount())
                                                                       : tr("Translation notes"));
}

} // namespace Switchyard
