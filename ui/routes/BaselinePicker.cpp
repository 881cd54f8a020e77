// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/BaselinePicker.h"
#include "core/log/LogReader.h"
#include "ui/routes/EvaluationFormat.h"
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QToolButton>

namespace Switchyard {

BaselinePicker::BaselinePicker(LogReader *reader, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
    , m_combo(new QComboBox(this))
    , m_reload(new QToolButton(this))
    , m_empty(new QLabel(this))
{
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_combo->setMinimumContentsLength(32);
    m_combo->setEnabled(false);
    m_reload->setText(tr("Reload"));
    m_reload->setToolTip(tr("List the baselines again"));
    m_empty->setWordWrap(true);
    m_empty->setText(tr("No baseline yet. A baseline is a set of recorded requests to replay: make one with "
                        "<b>Add to baseline…</b> in Traces, Failures or Sessions, or with POST /api/baselines."));
    m_empty->hide();
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo, 0, 0);
    layout->addWidget(m_reload, 0, 1);
    layout->setColumnStretch(2, 1);
    layout->addWidget(m_empty, 1, 0, 1, 3);
    connect(m_reload, &QToolButton::clicked, this, &BaselinePicker::refresh);
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT currentChanged(current()); });
    refresh();
}

QString BaselinePicker::current() const
{
    return m_combo->currentData().toString();
}

int BaselinePicker::count() const
{
    return m_combo->count();
}

void BaselinePicker::refresh()
{
    if (!m_reader) {
        m_problem = tr("The request log is not open, so there are no baselines to replay.");
        return;
    }
    m_reader->edit<Result<QList<BaselineInfo>>>(
        this, [](LogQueries &, BaselineStore &store) { return store.list(); },
        [this](const Result<QList<BaselineInfo>> &baselines) {
            const QString keep = current();
            {
                const QSignalBlocker quiet(m_combo);
                m_combo->clear();
                for (const BaselineInfo &b : baselines ? baselines.value() : QList<BaselineInfo>()) {
                    m_combo->addItem(QStringLiteral("%1 (%2)").arg(b.name, EvaluationFormat::requests(b.requests)), b.name);
                    m_combo->setItemData(m_combo->count() - 1, b.origin, Qt::ToolTipRole);
                }
                m_combo->setCurrentIndex(qMax(0, m_combo->findData(keep)));
            }
            m_combo->setEnabled(m_combo->count() > 0); // and with this widget
            m_empty->setVisible(baselines && m_combo->count() == 0);
            m_problem = baselines ? QString() : tr("The baselines could not be listed: %1").arg(baselines.error().message);
            if (current() != keep || keep.isEmpty())
                Q_EMIT currentChanged(current());
            Q_EMIT listed();
        });
}

} // namespace Switchyard
