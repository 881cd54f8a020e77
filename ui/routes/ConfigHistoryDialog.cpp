// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ConfigHistoryDialog.h"
#include "ui/EngineLink.h"
#include "ui/traces/DiffView.h"
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Switchyard {

namespace {
enum Column { VersionColumn, WhenColumn, SourceColumn, ClientColumn, ColumnCount };
}

ConfigHistoryDialog::ConfigHistoryDialog(EngineLink *link, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_list(new QTreeWidget(this))
    , m_caption(new QLabel(this))
    , m_diff(new DiffView(this))
    , m_restore(new QPushButton(tr("Restore this version"), this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Config history"));
    resize(1100, 640);
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Version"), tr("When"), tr("From"), tr("Who")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    for (int column : {VersionColumn, WhenColumn, SourceColumn})
        m_list->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(ClientColumn, QHeaderView::Stretch);
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_restore->setEnabled(false);
    m_restore->setToolTip(tr("Make this config the one in force again, keeping the keys in force; "
                             "it is written to the config file and kept as a new version"));

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_caption);
    rightLayout->addWidget(m_diff, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_list);
    split->addWidget(right);
    split->setStretchFactor(1, 2);
    split->setSizes({460, 640}); // room for when, where from and who

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_restore, QDialogButtonBox::ActionRole);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_restore, &QPushButton::clicked, this, &ConfigHistoryDialog::confirmAndRestore);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &ConfigHistoryDialog::showSelected);
    connect(m_link, &EngineLink::configHistoryListed, this, &ConfigHistoryDialog::showVersions);
    connect(m_link, &EngineLink::configSaved, this, &ConfigHistoryDialog::onSaved);
    refresh();
}

QString ConfigHistoryDialog::statusText() const
{
    return m_status->text();
}

void ConfigHistoryDialog::refresh()
{
    m_listTicket = m_link->requestConfigHistory();
}

void ConfigHistoryDialog::showVersions(quint64 ticket, const QList<ConfigVersion> &versions)
{
    if (ticket != m_listTicket)
        return;
    const int keep = selectedVersion();
    m_versions = versions;
    m_list->clear();
    QTreeWidgetItem *select = nullptr;
    for (qsizetype i = versions.size() - 1; i >= 0; --i) {
        const ConfigVersion &v = versions.at(i);
        auto *item = new QTreeWidgetItem(m_list);
        item->setData(VersionColumn, Qt::DisplayRole, v.number);
        item->setText(WhenColumn, QLocale().toString(v.at.toLocalTime(), QLocale::ShortFormat));
        item->setText(SourceColumn, v.source);
        item->setText(ClientColumn, v.client);
        item->setToolTip(ClientColumn, v.client);
        if (v.number == keep || (!select && keep == 0))
            select = item;
    }
    m_list->setCurrentItem(select ? select : m_list->topLevelItem(0));
    const QString count = versions.isEmpty() ? tr("No config has been recorded yet.")
                                             : tr("%n version(s); the newest is in force.", nullptr, int(versions.size()));
    m_status->setText(m_outcome.isEmpty() ? count : m_outcome + QLatin1Char(' ') + count);
    showSelected();
    Q_EMIT listed();
}

int ConfigHistoryDialog::selectedVersion() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(VersionColumn, Qt::DisplayRole).toInt() : 0;
}

void ConfigHistoryDialog::showSelected()
{
    const int number = selectedVersion();
    const ConfigVersion *shown = nullptr;
    const ConfigVersion *before = nullptr;
    for (const ConfigVersion &v : std::as_const(m_versions)) {
        if (v.number == number)
            shown = &v;
        if (v.number == number - 1)
            before = &v;
    }
    const bool newest = !m_versions.isEmpty() && number == m_versions.constLast().number;
    m_restore->setEnabled(shown && !newest && m_restoring == 0);
    if (!shown) {
        m_caption->clear();
        m_diff->setBodies({}, {});
        return;
    }
    const QString who = shown->client.isEmpty() ? QString() : tr(" (%1)").arg(shown->client);
    m_caption->setText(tr("Version %1, %2, from %3%4; changes against version %5:")
                           .arg(shown->number)
                           .arg(QLocale().toString(shown->at.toLocalTime(), QLocale::LongFormat), shown->source, who)
                           .arg(before ? QString::number(before->number) : tr("none (the first kept)")));
    m_diff->setBodies(before ? before->config : QByteArray(), shown->config);
}

void ConfigHistoryDialog::confirmAndRestore()
{
    const int number = selectedVersion();
    const auto answer = QMessageBox::question(
        this, tr("Restore version %1").arg(number),
        tr("Make version %1 the config in force again? The routes change for new requests at once, the "
           "config file is rewritten, and the current config stays in the history.")
            .arg(number));
    if (answer == QMessageBox::Yes)
        restoreSelected();
}

void ConfigHistoryDialog::restoreSelected()
{
    m_restoring = selectedVersion();
    if (m_restoring == 0)
        return;
    m_restore->setEnabled(false);
    m_status->setText(tr("Restoring version %1…").arg(m_restoring));
    m_restoreTicket = m_link->requestConfigRestore(m_restoring);
}

void ConfigHistoryDialog::onSaved(quint64 ticket, const QStringList &errors)
{
    if (ticket != m_restoreTicket || m_restoring == 0)
        return;
    const int version = std::exchange(m_restoring, 0);
    m_outcome = errors.isEmpty() ? tr("Version %1 is in force again.").arg(version)
                                 : tr("Version %1 was not restored: %2").arg(version).arg(errors.join(QLatin1Char('\n')));
    m_status->setText(m_outcome);
    Q_EMIT restoreFinished(version, errors);
    refresh();
}

} // namespace Switchyard
