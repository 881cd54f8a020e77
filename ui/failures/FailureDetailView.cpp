// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/failures/FailureDetailView.h"
#include "core/util/LineDiff.h"
#include "ui/SemanticColours.h"
#include "core/admin/RequestJson.h"
#include "core/cli/RequestTable.h"
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

const QLatin1String s_headerShade("#1f808080"); // translucent grey, readable on light and dark palettes

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString row(const QString &label, const QString &html)
{
    return QStringLiteral("<tr><td style='color:%1; padding-right:12px'>%2</td><td>%3</td></tr>").arg(SemanticColours::css(SemanticColours::Tone::Muted), escaped(label), html);
}

QString outcomeHtml(const QJsonObject &summary, int status)
{
    const bool ok = summary.value(QLatin1String("outcome")).toString() == QLatin1String("ok");
    const QString statusText = status ? QStringLiteral(" · HTTP %1").arg(status) : QString();
    return QStringLiteral("<b style='color:%1'>%2</b>%3")
        .arg(ok ? SemanticColours::css(SemanticColours::Tone::Ok) : SemanticColours::css(SemanticColours::Tone::Error), escaped(RequestTable::outcome(summary)), statusText);
}

constexpr int MaxAttemptMessageChars = 160;

QString attemptsTable(const QJsonArray &attempts)
{
    if (attempts.isEmpty())
        return QStringLiteral("<p style='color:%1'>%2</p>").arg(SemanticColours::css(SemanticColours::Tone::Muted), FailureDetailView::tr("No upstream attempt was made."));
    QString html = QStringLiteral("<table width='100%' cellspacing='0' cellpadding='3'><tr bgcolor='") + s_headerShade
                   + QStringLiteral("' style='font-weight:bold'>");
    for (const QString &h : {FailureDetailView::tr("#"), FailureDetailView::tr("Target"), FailureDetailView::tr("Status"),
                             FailureDetailView::tr("Error class"), FailureDetailView::tr("Start"),
                             FailureDetailView::tr("Duration")})
        html += QStringLiteral("<td style='white-space:nowrap'>%1</td>").arg(escaped(h));
    html += QStringLiteral("</tr>");
    for (int i = 0; i < attempts.size(); ++i) {
        const QJsonObject a = attempts.at(i).toObject();
        const QString errorClass = a.value(QLatin1String("error_class")).toString();
        const QJsonValue status = a.value(QLatin1String("status"));
        const QJsonObject startedAfter{{QStringLiteral("duration_ms"), a.value(QLatin1String("started_after_ms"))}};
        // The message goes on a line of its own under its attempt, cut to two lines' worth, so
        // a narrow window still shows every attempt (the whole text is in Traces).
        const QString target = a.value(QLatin1String("provider")).toString() + QLatin1Char('/') + a.value(QLatin1String("model")).toString();
        QString message = a.value(QLatin1String("message")).toString();
        if (message == errorClass || message == target + QLatin1String(": ") + errorClass)
            message.clear(); // says nothing the row does not: keep the line for another attempt
        if (message.size() > MaxAttemptMessageChars)
            message = message.left(MaxAttemptMessageChars) + QStringLiteral("…");
        html += QStringLiteral("<tr style='white-space:nowrap'><td>%1</td><td>%2</td><td>%3</td><td style='color:%4'>%5</td>"
                               "<td>+%6</td><td>%7</td></tr>")
                    .arg(i + 1)
                    .arg(escaped(target),
                         status.isDouble() ? QString::number(status.toInt()) : QStringLiteral("—"),
                         errorClass.isEmpty() ? SemanticColours::css(SemanticColours::Tone::Ok) : SemanticColours::css(SemanticColours::Tone::Error),
                         errorClass.isEmpty() ? QStringLiteral("ok") : escaped(errorClass), RequestTable::duration(startedAfter),
                         RequestTable::duration(a));
        if (!message.isEmpty())
            html += QStringLiteral("<tr><td></td><td colspan='5' style='color:%1'>%2</td></tr>")
                        .arg(SemanticColours::css(SemanticColours::Tone::Muted), escaped(message));
    }
    return html + QStringLiteral("</table>");
}

QString bodyText(const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError)
        return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
    return QString::fromUtf8(body);
}

// Original against edited, a line each, marked as a unified diff.
QString diffText(const QByteArray &before, const QByteArray &after)
{
    QStringList out;
    for (const LineDiff::Line &line : LineDiff::diffBodies(before, after))
        out << (line.kind == LineDiff::Line::Kind::Same ? QStringLiteral("  ") : line.kind == LineDiff::Line::Kind::Removed ? QStringLiteral("- ") : QStringLiteral("+ ")) + line.text;
    return out.join(QLatin1Char('\n'));
}

} // namespace

FailureDetailView::FailureDetailView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *actions = new QHBoxLayout;
    auto *heading = new QLabel(tr("Selected request"), this);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    m_replayButton = new QPushButton(tr("Replay"), this);
    m_replayButton->setObjectName(QStringLiteral("replayButton"));
    m_replayButton->setToolTip(tr("Send the logged request through the gateway again, unchanged"));
    m_editButton = new QPushButton(tr("Edit && Replay…"), this);
    m_editButton->setObjectName(QStringLiteral("editReplayButton"));
    m_editButton->setToolTip(tr("Edit the request JSON, then send it through the gateway"));
    actions->addWidget(heading);
    actions->addStretch(1);
    actions->addWidget(m_replayButton);
    actions->addWidget(m_editButton);
    layout->addLayout(actions);
    connect(m_replayButton, &QPushButton::clicked, this, &FailureDetailView::replayRequested);
    connect(m_editButton, &QPushButton::clicked, this, &FailureDetailView::editAndReplayRequested);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    m_original = buildSide(tr("Original"), splitter);
    m_replay = buildSide(tr("Replay"), splitter);
    m_original.facts->setObjectName(QStringLiteral("originalFacts"));
    m_replay.facts->setObjectName(QStringLiteral("replayFacts"));
    m_busy = new QProgressBar(m_replay.title->parentWidget());
    m_busy->setObjectName(QStringLiteral("replayBusy"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumSize(140, 14);
    m_busy->setTextVisible(false);
    m_busy->hide();
    m_replay.title->parentWidget()->layout()->addWidget(m_busy);
    layout->addWidget(splitter, 1);
    clear();
}

void FailureDetailView::setActionsEnabled(bool replay, bool editAndReplay)
{
    m_replayButton->setEnabled(replay);
    m_editButton->setEnabled(editAndReplay);
}

FailureDetailView::Side FailureDetailView::buildSide(const QString &title, QWidget *parent)
{
    auto *panel = new QWidget(parent);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    Side side;
    auto *header = new QWidget(panel);
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(2, 0, 2, 0);
    side.title = new QLabel(panel);
    side.title->setTextFormat(Qt::RichText);
    side.title->setProperty("caption", title);
    headerLayout->addWidget(side.title, 1);
    layout->addWidget(header);

    auto *split = new QSplitter(Qt::Vertical, panel);
    split->setChildrenCollapsible(false);
    side.facts = new QTextBrowser(split);
    side.facts->setOpenLinks(false);
    auto *bodyPanel = new QWidget(split);
    auto *bodyLayout = new QVBoxLayout(bodyPanel);
    bodyLayout->setContentsMargins(0, 4, 0, 0);
    bodyLayout->setSpacing(2);
    side.bodyTitle = new QLabel(bodyPanel);
    side.body = new QPlainTextEdit(bodyPanel);
    side.body->setReadOnly(true);
    side.body->setLineWrapMode(QPlainTextEdit::NoWrap);
    side.body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    bodyLayout->addWidget(side.bodyTitle);
    bodyLayout->addWidget(side.body);
    // The facts and attempts first: at 700 px every attempt of a typical retry chain shows.
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    return side;
}

QString FailureDetailView::describe(const CallRecord &record)
{
    const QJsonObject summary = RequestJson::summary(record);
    QString facts = row(tr("Outcome"), outcomeHtml(summary, record.status));
    if (!record.errorMessage.isEmpty())
        facts += row(tr("Message"), escaped(record.errorMessage));
    facts += row(tr("Route"), escaped(RequestTable::route(summary)));
    const QString started = QLocale().toString(record.startedAt.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    facts += row(tr("Started"), escaped(tr("%1 · took %2 · from %3").arg(started, RequestTable::duration(summary), RequestTable::client(summary))));
    if (!record.usage.isEmpty())
        facts += row(tr("Tokens"), escaped(tr("%1 prompt/completion · %2").arg(RequestTable::tokens(summary), RequestTable::cost(summary))));
    return QStringLiteral("<table cellspacing='0' cellpadding='1'>%1</table><p style='margin-top:8px'><b>%2</b></p>%3")
        .arg(facts, tr("Attempts"), attemptsTable(summary.value(QLatin1String("attempts")).toArray()));
}

void FailureDetailView::showPlaceholder(const Side &side, const QString &text)
{
    side.facts->setHtml(QStringLiteral("<p style='color:%1'>%2</p>").arg(SemanticColours::css(SemanticColours::Tone::Muted), escaped(text)));
    side.body->clear();
}

void FailureDetailView::clear()
{
    m_original.title->setText(QStringLiteral("<b>%1</b>").arg(m_original.title->property("caption").toString()));
    m_original.bodyTitle->setText(tr("Request body"));
    showPlaceholder(m_original, tr("Select a failed request to see its attempts and body."));
    clearReplay();
}

void FailureDetailView::showOriginal(const CallRecord &record)
{
    m_original.title->setText(QStringLiteral("<b>%1</b> &nbsp;<code>%2</code>").arg(m_original.title->property("caption").toString(), escaped(record.id)));
    m_original.facts->setHtml(describe(record));
    m_original.bodyTitle->setText(record.requestBodyTruncated ? tr("Request body (cut at %1 bytes in the log)").arg(record.requestBody.size())
                                                              : tr("Request body"));
    m_original.body->setPlainText(bodyText(record.requestBody));
    m_originalRequest = record.requestBody;
}

void FailureDetailView::showOriginalError(const QString &message)
{
    showPlaceholder(m_original, message);
}

void FailureDetailView::clearReplay()
{
    m_busy->hide();
    m_replay.title->setText(QStringLiteral("<b>%1</b>").arg(m_replay.title->property("caption").toString()));
    m_replay.bodyTitle->setText(tr("Response"));
    showPlaceholder(m_replay, tr("Replay sends this request through the gateway again, with its current routes. "
                                 "The new result appears here, beside the original."));
}

void FailureDetailView::showReplayRunning()
{
    clearReplay();
    m_busy->show();
    showPlaceholder(m_replay, tr("Replaying through the gateway…"));
}

void FailureDetailView::showReplay(const CallRecord &record, const QString &error)
{
    m_busy->hide();
    if (!error.isEmpty()) {
        m_replay.facts->setHtml(QStringLiteral("<p style='color:%1'><b>%2</b></p><p>%3</p>")
                                    .arg(SemanticColours::css(SemanticColours::Tone::Error), tr("The replay could not be sent."), escaped(error)));
        m_replay.body->clear();
        return;
    }
    m_replay.title->setText(QStringLiteral("<b>%1</b> &nbsp;<code>%2</code>").arg(m_replay.title->property("caption").toString(), escaped(record.id)));
    m_replay.facts->setHtml(describe(record)
                            + QStringLiteral("<p style='color:%1'>%2</p>").arg(SemanticColours::css(SemanticColours::Tone::Muted), tr("Logged as %1, a replay of %2.").arg(record.id, record.replayOf).toHtmlEscaped()));
    const QString response = bodyText(record.responseBody);
    const bool cut = response.size() > ResponseExcerptChars;
    const QString shown = cut ? response.left(ResponseExcerptChars) + QStringLiteral("\n…") : response;
    // An Edit & Replay sent another body: show that one above its answer, not only the original's.
    const bool edited = !record.requestBody.isEmpty() && bodyText(record.requestBody) != bodyText(m_originalRequest);
    m_replay.bodyTitle->setText(edited ? tr("Edited request sent, then the response")
                                : cut  ? tr("Response (first %L1 characters)").arg(ResponseExcerptChars)
                                       : tr("Response"));
    m_replay.body->setPlainText(edited ? tr("// The request as edited (- original, + sent)\n%1\n\n// Response\n%2").arg(diffText(m_originalRequest, record.requestBody), shown)
                                       : shown);
}

QString FailureDetailView::originalText() const
{
    return m_original.facts->toPlainText();
}

QString FailureDetailView::originalBody() const
{
    return m_original.body->toPlainText();
}

QString FailureDetailView::replayText() const
{
    return m_replay.facts->toPlainText();
}

QString FailureDetailView::replayBody() const
{
    return m_replay.body->toPlainText();
}

bool FailureDetailView::isReplayRunning() const
{
    return !m_busy->isHidden();
}

} // namespace Switchyard
