// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RouteTablesView.h"
#include "ui/routes/AliasesModel.h"
#include "ui/routes/ProviderKeyDialog.h"
#include "ui/routes/ProvidersModel.h"
#include "ui/routes/RouteDelegates.h"
#include "ui/routes/TargetsModel.h"
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

QString uniqueName(const QString &base, const QStringList &taken)
{
    QString name = base;
    for (int n = 2; taken.contains(name); ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    return name;
}

int currentRow(const QTableView *view)
{
    return view->currentIndex().isValid() ? view->currentIndex().row() : -1;
}

} // namespace

RouteTablesView::RouteTablesView(ProvidersModel *providers, AliasesModel *aliases, TargetsModel *targets, QWidget *parent)
    : QWidget(parent)
    , m_providers(providers)
    , m_aliases(aliases)
    , m_targets(targets)
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(buildProviders());
    splitter->addWidget(buildAliases());
    splitter->addWidget(buildTargets());
    splitter->setSizes({230, 200, 200});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_aliasesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RouteTablesView::onAliasChanged);
    connect(m_providersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RouteTablesView::updateButtons);
    connect(m_targetsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RouteTablesView::updateButtons);
    connect(m_aliases, &QAbstractItemModel::dataChanged, this, &RouteTablesView::onAliasChanged);
    connect(m_targets, &QAbstractItemModel::rowsMoved, this, &RouteTablesView::updateButtons);
    updateButtons();
}

RouteTablesView::~RouteTablesView()
{
    // Closing editors and selections report as the views go; nobody listens any more.
    for (QTableView *view : {m_providersView, m_aliasesView, m_targetsView}) {
        view->itemDelegate()->disconnect(this);
        view->selectionModel()->disconnect(this);
    }
    m_aliases->disconnect(this);
    m_targets->disconnect(this);
}

QTableView *RouteTablesView::makeTable(QAbstractItemModel *model, const QString &objectName)
{
    auto *view = new QTableView(this);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                          | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 12);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    auto *delegates = new RouteDelegates(view);
    view->setItemDelegate(delegates);
    connect(delegates, &RouteDelegates::valueEdited, this, &RouteTablesView::valueEdited);
    connect(delegates, &QAbstractItemDelegate::closeEditor, this, &RouteTablesView::editorClosed);
    return view;
}

QPushButton *RouteTablesView::makeButton(const QString &text, const QString &tip, const std::function<void()> &onClick)
{
    auto *button = new QPushButton(text, this);
    button->setToolTip(tip);
    button->setAutoDefault(false);
    connect(button, &QPushButton::clicked, this, onClick);
    return button;
}

QWidget *RouteTablesView::section(const QString &title, const QList<QPushButton *> &buttons, QTableView *table, QLabel **titleLabel)
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->setSpacing(4);
    auto *header = new QHBoxLayout;
    auto *label = new QLabel(title, box);
    if (titleLabel)
        *titleLabel = label;
    header->addWidget(label, 1);
    for (QPushButton *button : buttons)
        header->addWidget(button);
    layout->addLayout(header);
    layout->addWidget(table, 1);
    return box;
}

QWidget *RouteTablesView::buildProviders()
{
    m_providersView = makeTable(m_providers, QStringLiteral("providersView"));
    auto *delegates = static_cast<RouteDelegates *>(m_providersView->itemDelegate());
    delegates->setChoices(ProvidersModel::KindColumn, {providerKindName(ProviderKind::OpenAI), providerKindName(ProviderKind::Anthropic)});
    QHeaderView *header = m_providersView->horizontalHeader();
    header->resizeSection(ProvidersModel::NameColumn, 90);
    header->resizeSection(ProvidersModel::KindColumn, 80);
    header->resizeSection(ProvidersModel::KeyColumn, 140);
    // Local servers differ by port and path: keep both ends of "http://127.0.0.1:11434/v1".
    m_providersView->setTextElideMode(Qt::ElideMiddle);
    header->setSectionResizeMode(ProvidersModel::BaseUrlColumn, QHeaderView::Stretch);
    connect(m_providersView, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.column() == ProvidersModel::KeyColumn)
            editProviderKey();
    });
    auto *add = makeButton(tr("Add"), tr("Add a provider"), [this] { addProvider(); });
    auto *remove = makeButton(tr("Remove"), tr("Remove the selected provider"),
                              [this] { m_providers->removeProvider(selectedProvider()); });
    auto *key = makeButton(tr("Set key…"), tr("Choose where the selected provider's API key comes from"),
                           [this] { editProviderKey(); });
    key->setObjectName(QStringLiteral("setKeyButton"));
    m_setKey = key;
    m_needsProvider = {remove, key};
    return section(tr("<b>Providers</b>"), {add, remove, key}, m_providersView);
}

QWidget *RouteTablesView::buildAliases()
{
    m_aliasesView = makeTable(m_aliases, QStringLiteral("aliasesView"));
    static_cast<RouteDelegates *>(m_aliasesView->itemDelegate())->setChoices(AliasesModel::StrategyColumn, AliasesModel::strategyNames());
    QHeaderView *header = m_aliasesView->horizontalHeader();
    header->setSectionResizeMode(AliasesModel::NameColumn, QHeaderView::Stretch);
    header->resizeSection(AliasesModel::StrategyColumn, 130);
    header->resizeSection(AliasesModel::TargetsColumn, 110);
    auto *add = makeButton(tr("Add"), tr("Add an alias"), [this] { addAlias(); });
    auto *remove = makeButton(tr("Remove"), tr("Remove the selected alias"), [this] { m_aliases->removeAlias(selectedAlias()); });
    m_needsAlias = {remove};
    return section(tr("<b>Aliases</b>"), {add, remove}, m_aliasesView);
}

QWidget *RouteTablesView::buildTargets()
{
    m_targetsView = makeTable(m_targets, QStringLiteral("targetsView"));
    auto *delegates = static_cast<RouteDelegates *>(m_targetsView->itemDelegate());
    delegates->setChoicesFrom(TargetsModel::ProviderColumn, m_providers, ProvidersModel::NameColumn);
    delegates->setNumber(TargetsModel::WeightColumn, 1000, 2, tr("none"));
    m_targetsView->verticalHeader()->show(); // the order a fallback tries them
    m_targetsView->setDragEnabled(true);
    m_targetsView->setAcceptDrops(true);
    m_targetsView->setDropIndicatorShown(true);
    m_targetsView->setDragDropMode(QAbstractItemView::InternalMove);
    m_targetsView->setDefaultDropAction(Qt::MoveAction);
    m_targetsView->setDragDropOverwriteMode(false);
    QHeaderView *header = m_targetsView->horizontalHeader();
    header->resizeSection(TargetsModel::ProviderColumn, 120);
    header->setSectionResizeMode(TargetsModel::ModelColumn, QHeaderView::Stretch);
    header->resizeSection(TargetsModel::WeightColumn, 100);
    auto *add = makeButton(tr("Add"), tr("Add a target to the selected alias"), [this] { addTarget(); });
    auto *remove = makeButton(tr("Remove"), tr("Remove the selected target"), [this] { m_targets->removeTarget(selectedTarget()); });
    m_up = makeButton(tr("Up"), tr("Try the selected target earlier (or drag it)"),
                      [this] { m_targets->moveTarget(selectedTarget(), selectedTarget() - 1); });
    m_down = makeButton(tr("Down"), tr("Try the selected target later (or drag it)"),
                        [this] { m_targets->moveTarget(selectedTarget(), selectedTarget() + 1); });
    m_needsAlias.append(add);
    m_needsTarget = {remove};
    return section(tr("<b>Targets</b>"), {add, remove, m_up, m_down}, m_targetsView, &m_targetsTitle);
}

int RouteTablesView::selectedProvider() const
{
    return currentRow(m_providersView);
}

int RouteTablesView::selectedAlias() const
{
    return currentRow(m_aliasesView);
}

int RouteTablesView::selectedTarget() const
{
    return currentRow(m_targetsView);
}

void RouteTablesView::selectAlias(int row)
{
    m_aliasesView->setCurrentIndex(m_aliases->index(row, 0));
    if (row < 0)
        onAliasChanged(); // no current index: no signal either
}

void RouteTablesView::showCell(const ConfigIssue &issue)
{
    QTableView *view = nullptr;
    if (issue.table == ConfigIssue::Table::Providers) {
        view = m_providersView;
    } else if (issue.table == ConfigIssue::Table::Aliases) {
        view = m_aliasesView;
    } else if (issue.table == ConfigIssue::Table::Targets) {
        selectAlias(issue.aliasRow);
        view = m_targetsView;
    }
    if (!view)
        return;
    const QModelIndex index = view->model()->index(issue.row, qMax(0, issue.column));
    view->setCurrentIndex(index);
    view->scrollTo(index);
    view->setFocus();
}

void RouteTablesView::onAliasChanged()
{
    const int row = selectedAlias();
    m_targets->setAliasRow(row);
    const QString name = row >= 0 ? m_aliases->aliases().at(row).name : QString();
    m_targetsTitle->setText(row >= 0 ? tr("<b>Targets of %1</b>").arg(name.toHtmlEscaped()) : tr("<b>Targets</b>"));
    updateButtons();
    Q_EMIT aliasSelected(row);
}

void RouteTablesView::updateButtons()
{
    for (QPushButton *button : std::as_const(m_needsProvider))
        button->setEnabled(selectedProvider() >= 0);
    for (QPushButton *button : std::as_const(m_needsAlias))
        button->setEnabled(selectedAlias() >= 0);
    for (QPushButton *button : std::as_const(m_needsTarget))
        button->setEnabled(selectedTarget() >= 0);
    m_setKey->setEnabled(m_keysEditable && selectedProvider() >= 0);
    m_up->setEnabled(selectedTarget() > 0);
    m_down->setEnabled(selectedTarget() >= 0 && selectedTarget() < m_targets->rowCount() - 1);
}

void RouteTablesView::addProvider()
{
    ProviderConfig provider;
    provider.name = uniqueName(QStringLiteral("provider"), m_providers->names());
    const int row = m_providers->rowCount();
    m_providers->insertProvider(row, provider);
    m_providersView->setCurrentIndex(m_providers->index(row, 0));
    m_providersView->edit(m_providers->index(row, ProvidersModel::NameColumn));
}

void RouteTablesView::setKeysEditable(bool editable)
{
    m_keysEditable = editable;
    m_setKey->setToolTip(editable ? tr("Choose where the selected provider's API key comes from")
                                  : tr("The gateway's keys are set on its own machine (api_key_env, or switchyard key set there)"));
    updateButtons();
}

void RouteTablesView::editProviderKey()
{
    if (selectedProvider() < 0 || !m_keysEditable)
        return;
    ProviderKeyDialog *dialog = ProviderKeyDialog::edit(m_providers, selectedProvider(), this);
    connect(dialog, &ProviderKeyDialog::keyStored, this, &RouteTablesView::keychainKeyStored);
}

void RouteTablesView::addAlias()
{
    QStringList names;
    for (const AliasConfig &a : m_aliases->aliases())
        names.append(a.name);
    AliasConfig alias;
    alias.name = uniqueName(QStringLiteral("alias"), names);
    alias.targets.append(TargetConfig{m_providers->names().value(0), QString(), std::nullopt, std::nullopt, std::nullopt});
    const int row = m_aliases->rowCount();
    m_aliases->insertAlias(row, alias);
    selectAlias(row);
    m_aliasesView->edit(m_aliases->index(row, AliasesModel::NameColumn));
}

void RouteTablesView::addTarget()
{
    const int alias = selectedAlias();
    if (alias < 0)
        return;
    // After the selected target, from the same provider: the usual next step is another model.
    const int current = selectedTarget();
    TargetConfig target;
    target.provider = current >= 0 ? m_targets->targets().at(current).provider : m_providers->names().value(0);
    if (m_aliases->aliases().at(alias).strategy == Strategy::Weighted)
        target.weight = 1;
    const int row = current >= 0 ? current + 1 : m_targets->rowCount();
    m_targets->insertTarget(row, target);
    m_targetsView->setCurrentIndex(m_targets->index(row, 0));
    m_targetsView->edit(m_targets->index(row, TargetsModel::ModelColumn));
}

} // namespace Switchyard
