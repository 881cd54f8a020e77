// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/UpstreamBodiesView.h"
#include "ui/traces/DiffView.h"
#include "ui/traces/JsonBodyView.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

// Same bytes, or the same JSON written differently.
bool sameBody(const QByteArray &a, const QByteArray &b)
{
    if (a == b)
        return true;
    const QJsonDocument left = QJsonDocument::fromJson(a);
    return !left.isNull() && left == QJsonDocument::fromJson(b);
}

} // namespace

UpstreamBodiesView::UpstreamBodiesView(QWidget *parent)
    : QWidget(parent)
    , m_attempts(new QComboBox(this))
    , m_note(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_client(new JsonBodyView(m_splitter))
    , m_upstream(new JsonBodyView(m_splitter))
    , m_diff(new DiffView(this))
    , m_diffButton(new QToolButton(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bar = new QHBoxLayout;
    m_attempts->setObjectName(QStringLiteral("attemptChoice"));
    m_attempts->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_note->setObjectName(QStringLiteral("upstreamNote"));
    m_note->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    bar->addWidget(new QLabel(tr("Attempt:"), this));
    bar->addWidget(m_attempts);
    bar->addWidget(m_note, 1);
    m_diffButton->setObjectName(QStringLiteral("diffButton"));
    m_diffButton->setText(tr("Diff"));
    m_diffButton->setToolTip(tr("Show what the gateway changed as a line diff (client → upstream)"));
    m_diffButton->setCheckable(true);
    m_diffButton->setAutoRaise(true);
    bar->addWidget(m_diffButton);
    connect(m_diffButton, &QToolButton::toggled, this, &UpstreamBodiesView::showDiff);
    layout->addLayout(bar);
    m_diff->hide();
    layout->addWidget(m_diff, 1);
    m_splitter->setChildrenCollapsible(false);
    m_client->setCaption(tr("Client sent"));
    layout->addWidget(m_splitter, 1);
    connect(m_attempts, &QComboBox::currentIndexChanged, this, &UpstreamBodiesView::showAttempt);
}

void UpstreamBodiesView::setCall(const CallRecord &record)
{
    m_record = record;
    const QSignalBlocker blocker(m_attempts);
    m_attempts->clear();
    for (int i = 0; i < record.attempts.size(); ++i) {
        const Attempt &a = record.attempts.at(i);
        m_attempts->addItem(tr("%1. %2/%3").arg(i + 1).arg(a.provider, a.model));
    }
    m_attempts->setEnabled(record.attempts.size() > 1);
    m_client->setBody(record.requestBody, record.requestBodyTruncated);
    if (record.attempts.isEmpty()) {
        m_upstream->hide();
        m_note->setText(tr("Nothing was sent upstream"));
        return;
    }
    // Open on the attempt that answered (the last one).
    m_attempts->setCurrentIndex(int(record.attempts.size()) - 1);
    showAttempt(m_attempts->currentIndex());
}

void UpstreamBodiesView::setPlaceholder(const QString &text)
{
    m_record = CallRecord();
    const QSignalBlocker blocker(m_attempts);
    m_attempts->clear();
    m_note->clear();
    m_client->setPlaceholder(text);
    m_upstream->hide();
    showDiff(false);
}

void UpstreamBodiesView::selectAttempt(int index)
{
    m_attempts->setCurrentIndex(index);
}

int UpstreamBodiesView::attemptCount() const
{
    return m_attempts->count();
}

bool UpstreamBodiesView::showsSideBySide() const
{
    return !m_upstream->isHidden();
}

bool UpstreamBodiesView::showsDiff() const
{
    return !m_diff->isHidden();
}

void UpstreamBodiesView::showDiff(bool diff)
{
    const int index = m_attempts->currentIndex();
    const bool differs = index >= 0 && index < m_record.attempts.size() && showsSideBySide();
    diff = diff && differs;
    const QSignalBlocker blocker(m_diffButton);
    m_diffButton->setChecked(diff);
    m_diffButton->setEnabled(differs);
    if (diff)
        m_diff->setBodies(m_record.requestBody, m_record.attempts.at(index).requestBody);
    m_diff->setVisible(diff);
    m_splitter->setVisible(!diff);
}

void UpstreamBodiesView::showAttempt(int index)
{
    if (index < 0 || index >= m_record.attempts.size())
        return;
    const Attempt &a = m_record.attempts.at(index);
    if (a.requestBody.isEmpty() || sameBody(a.requestBody, m_record.requestBody)) {
        m_upstream->hide();
        m_client->setCaption(tr("Sent to %1/%2").arg(a.provider, a.model));
        m_note->setText(a.requestBody.isEmpty() ? tr("the body sent was not kept") : tr("as the client sent it"));
        showDiff(false);
        return;
    }
    m_client->setCaption(tr("Client sent"));
    m_upstream->setCaption(tr("Sent upstream")); // the attempt box above names the target
    m_upstream->setBody(a.requestBody);
    m_upstream->show();
    m_note->setText(tr("rewritten for the provider"));
    showDiff(m_diffButton->isChecked());
}

} // namespace Switchyard
