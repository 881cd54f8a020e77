// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TracesPage.h"
#include "ui/AddToBaselineDialog.h"
#include "ui/SemanticColours.h"
#include "ui/EngineLink.h"
#include "ui/traces/FirstRunHint.h"
#include "ui/traces/PendingCallsView.h"
#include "ui/traces/TraceActions.h"
#include "ui/traces/TraceTable.h"
#include "ui/traces/RequestDetailView.h"
#include "ui/traces/TraceModel.h"
#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace Switchyard {

namespace {

constexpr qint64 HourMs = 3600LL * 1000;

// Refills a combo with "everything" plus `values`, keeping the current choice when it remains.
void refill(QComboBox *combo, const QString &everything, const QStringList &values)
{
    const QString current = combo->currentData().toString();
    const QSignalBlocker blocker(combo);
    combo->clear();
    combo->addItem(everything, QString());
    for (const QString &value : values)
        combo->addItem(value, value);
    combo->setCurrentIndex(qMax(0, combo->findData(current)));
}

} // namespace

TracesPage::TracesPage(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_model(new TraceModel(link->reader(), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    QWidget *toolbar = buildToolbar();
    layout->addWidget(toolbar);
    m_hint = new FirstRunHint(this);
    m_hint->setVisible(false);
    m_hint->setUrl(link->listeningUrl());
    layout->addWidget(m_hint);
    m_pending = new PendingCallsView(link, this);
    layout->addWidget(m_pending);
    connect(link, &EngineLink::listening, m_hint, &FirstRunHint::setUrl);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("tracesSplitter"));
    splitter->setChildrenCollapsible(false);
    m_table = new TraceTable(splitter);
    m_detail = new RequestDetailView(link->reader(), splitter);
    m_detail->setObjectName(QStringLiteral("requestDetail"));
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 5);
    splitter->setSizes({290, 430});
    layout->addWidget(splitter, 1);
    setupTable();
    m_actions = new TraceActions(link, m_detail, this);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addActions(m_actions->actions());
    m_addToBaseline = AddToBaselineDialog::selectionAction(m_table, TraceModel::IdRole, link->reader(), tr("chosen in Traces"));
    m_addToBaseline->setIcon(QIcon::fromTheme(QStringLiteral("list-add"), style()->standardIcon(QStyle::SP_FileDialogNewFolder)));
    m_addToBaseline->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    m_addToBaseline->setToolTip(
        tr("Add to baseline… (Ctrl+B): the selected requests, with their bodies, into a baseline an evaluation can replay"));
    m_addToBaseline->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_addToBaseline);
    auto *addToBaseline = new QToolButton(toolbar); // its icon only: the toolbar fits a 1024-pixel window
    addToBaseline->setObjectName(QStringLiteral("addToBaseline"));
    addToBaseline->setDefaultAction(m_addToBaseline);
    toolbar->layout()->addWidget(addToBaseline);
    connect(m_actions, &TraceActions::replayed, this, &TracesPage::selectRequest);
    connect(m_detail, &RequestDetailView::requestLinkActivated, this, &TracesPage::selectRequest);

    connect(link, &EngineLink::callsArrived, m_model, &TraceModel::appendCalls);
    // A log that could not be read (not created yet on a first start) is read again once
    // calls arrive, which the writer has stored by then.
    connect(link, &EngineLink::callsArrived, this, [this] {
        if (!m_error.isEmpty())
            QTimer::singleShot(RereadAfterErrorMs, this, &TracesPage::applyFilters);
    });
    connect(link, &EngineLink::configChanged, this, &TracesPage::showConfig);
    connect(m_model, &TraceModel::totalCountChanged, this, &TracesPage::updateCount);
    connect(m_model, &TraceModel::pageLoaded, this, &TracesPage::updateCount);
    connect(m_model, &TraceModel::loadFailed, this, &TracesPage::showLoadError);
    showConfig(link->config());
    applyFilters();
}

QWidget *TracesPage::buildToolbar()
{
    auto *bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("tracesToolbar"));
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    auto combo = [bar, layout](const QString &name, const QString &tip) {
        auto *box = new QComboBox(bar);
        box->setObjectName(name);
        box->setToolTip(tip);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        box->setMinimumContentsLength(8);
        layout->addWidget(box);
        return box;
    };
    m_status = combo(QStringLiteral("statusFilter"), tr("Show successful calls, failed calls, or both"));
    m_status->addItem(tr("All statuses"), -1);
    m_status->addItem(tr("OK"), 1);
    m_status->addItem(tr("Errors"), 0);
    m_alias = combo(QStringLiteral("aliasFilter"), tr("Only calls through this alias"));
    m_provider = combo(QStringLiteral("providerFilter"), tr("Only calls answered (or last tried) by this provider"));
    m_modelFilter = combo(QStringLiteral("modelFilter"), tr("Only calls to this upstream model"));
    m_range = combo(QStringLiteral("timeRangeFilter"), tr("How far back to look"));
    m_range->addItem(tr("Last hour"), HourMs);
    m_range->addItem(tr("Last 24 hours"), 24 * HourMs);
    m_range->addItem(tr("Last 7 days"), 7 * 24 * HourMs);
    m_range->addItem(tr("Last 30 days"), 30 * 24 * HourMs);
    m_range->addItem(tr("All time"), qint64(0));
    m_range->setCurrentIndex(m_range->count() - 1);
    for (QComboBox *box : {m_status, m_alias, m_provider, m_modelFilter, m_range})
        connect(box, &QComboBox::currentIndexChanged, this, &TracesPage::applyFilters);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search request and response bodies…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    layout->addWidget(m_search, 1);
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDelayMs);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, &TracesPage::applyFilters);

    m_count = new QLabel(bar);
    m_count->setObjectName(QStringLiteral("countLabel"));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(QStringLiteral("1,000,000 requests (10,000 loaded)")));
    layout->addWidget(m_count);
    return bar;
}

void TracesPage::setupTable()
{
    m_table->setObjectName(QStringLiteral("tracesTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection); // several rows go into a baseline at once
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle); // keeps both ends of "provider/model · 3 attempts"
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setStretchLastSection(true);
    m_table->fitColumns();

    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, &TracesPage::rememberScroll);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TracesPage::keepScroll);
    // The model drops its oldest live rows past a limit, never the ones on screen.
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, m_model, [this] {
        m_model->setLastVisibleRow(m_table->rowAt(m_table->viewport()->height() - 1));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TracesPage::showCurrent);
}

RequestFilter TracesPage::currentFilter() const
{
    RequestFilter filter;
    const int status = m_status->currentData().toInt();
    if (status >= 0)
        filter.ok = status == 1;
    filter.alias = m_alias->currentData().toString();
    filter.provider = m_provider->currentData().toString();
    filter.model = m_modelFilter->currentData().toString();
    filter.text = m_search->text().trimmed();
    if (const qint64 range = m_range->currentData().toLongLong(); range > 0)
        filter.sinceMs = QDateTime::currentMSecsSinceEpoch() - range;
    return filter;
}

void TracesPage::applyFilters()
{
    m_searchTimer->stop();
    m_error.clear();
    m_detail->clear();
    m_model->setFilter(currentFilter());
    updateCount();
}

void TracesPage::showConfig(const Config &config)
{
    QStringList aliases, providers;
    std::set<QString> models;
    for (const AliasConfig &alias : config.aliases) {
        aliases << alias.name;
        for (const TargetConfig &target : alias.targets)
            models.insert(target.model);
    }
    for (const ProviderConfig &provider : config.providers)
        providers << provider.name;
    refill(m_alias, tr("All aliases"), aliases);
    refill(m_provider, tr("All providers"), providers);
    refill(m_modelFilter, tr("All models"), QStringList(models.begin(), models.end()));
}

void TracesPage::rememberScroll(const QModelIndex &, int, int)
{
    m_scrollBefore = m_table->verticalScrollBar()->value();
}

void TracesPage::keepScroll(const QModelIndex &, int first, int last)
{
    // Rows appended by paging, or the top rows of an empty table, move nothing.
    if (first != 0 || m_model->rowCount() == last + 1 || m_scrollBefore == 0)
        return;
    // Scrolled down: shift by what arrived above so the same rows stay in view. The view
    // grows its scroll range only at its next layout, so grow it here first.
    QScrollBar *bar = m_table->verticalScrollBar();
    const int added = (last - first + 1) * m_table->verticalHeader()->defaultSectionSize();
    bar->setMaximum(bar->maximum() + added);
    bar->setValue(m_scrollBefore + added);
}

void TracesPage::showCurrent(const QModelIndex &current)
{
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const CallRecord &row = m_model->record(current.row());
    if (row.id != m_detail->requestId())
        m_detail->showRequest(row);
}

QString TracesPage::countText() const
{
    return m_count->text();
}

void TracesPage::selectRequest(const QString &id)
{
    const auto select = [this, id] {
        const int row = m_model->rowOfId(id);
        if (row < 0)
            return false;
        m_table->selectRow(row);
        m_table->scrollTo(m_model->index(row, 0));
        return true;
    };
    if (select())
        return;
    // A replay's record comes in the engine's next batch; an old request may not be paged in:
    // then the detail shows it without a row.
    QTimer::singleShot(RereadAfterErrorMs, this, [this, id, select] {
        if (select())
            return;
        CallRecord record;
        record.id = id;
        m_table->clearSelection();
        m_detail->showRequest(record);
    });
}

bool TracesPage::showsFirstRunHint() const
{
    return !m_hint->isHidden();
}

void TracesPage::updateCount()
{
    if (!m_error.isEmpty()) {
        m_hint->setVisible(false);
        m_count->setText(tr("Cannot read the log"));
        m_count->setToolTip(m_error);
        m_count->setStyleSheet(QStringLiteral("color: %1;").arg(SemanticColours::css(SemanticColours::Tone::Error)));
        return;
    }
    m_count->setStyleSheet(QString());
    m_count->setToolTip(QString());
    const qint64 total = m_model->totalCount();
    // Only an empty log, not an empty filter result, calls for the hint.
    const RequestFilter filter = currentFilter();
    m_hint->setVisible(total == 0 && m_model->rowCount() == 0 && !filter.ok && filter.alias.isEmpty()
                       && filter.provider.isEmpty() && filter.model.isEmpty() && filter.text.isEmpty() && !filter.sinceMs);
    const qint64 loaded = m_model->rowCount();
    if (total < 0) {
        m_count->setText(tr("Counting…"));
        return;
    }
    const QString requests = total == 1 ? tr("1 request") : tr("%1 requests").arg(QLocale().toString(total));
    m_count->setText(loaded < total ? tr("%1 (%2 loaded)").arg(requests, QLocale().toString(loaded)) : requests);
}

void TracesPage::showLoadError(const QString &message)
{
    m_error = message;
    updateCount();
}

} // namespace Switchyard
