// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RoutesPage.h"
#include "ui/SemanticColours.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "ui/EngineLink.h"
#include "ui/routes/AliasesModel.h"
#include "ui/routes/ConfigFileBanner.h"
#include "ui/routes/ProvidersModel.h"
#include "ui/routes/RouteEditCommand.h"
#include "ui/routes/RouteIssuesView.h"
#include "ui/routes/RouteRankingModel.h"
#include "ui/routes/RouteRankingView.h"
#include "ui/routes/RouteTablesView.h"
#include "ui/routes/TargetsModel.h"
#include "ui/routes/ConfigHistoryDialog.h"
#include "ui/routes/EvaluateDialog.h"
#include "ui/routes/UndoRedoActions.h"
#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

namespace Switchyard {

namespace {
constexpr quint64 InFlight = std::numeric_limits<quint64>::max();
}

RoutesPage::RoutesPage(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_undo(new QUndoStack(this))
    , m_providers(new ProvidersModel(this))
    , m_aliases(new AliasesModel(this))
    , m_targets(new TargetsModel(m_aliases, this))
{
    m_providers->setUndoStack(m_undo);
    m_aliases->setUndoStack(m_undo);
    m_targets->setUndoStack(m_undo);

    const auto [undo, redo] = UndoRedoActions::create(m_undo, this);
    m_apply = new QAction(tr("Apply"), this);
    m_apply->setToolTip(tr("Write the config file and make these routes live, without a restart"));
    m_revert = new QAction(tr("Revert"), this);
    m_revert->setToolTip(tr("Go back to the routes the gateway runs now (undoable)"));
    auto *history = new QAction(tr("History…"), this);
    history->setToolTip(tr("Every config that took effect, what changed, and a way back"));
    connect(history, &QAction::triggered, this, &RoutesPage::showHistory);
    m_evaluate = new QAction(tr("Evaluate…"), this);
    m_evaluate->setToolTip(tr("Replay recorded requests through the selected alias as edited, and compare cost, latency and answers"));
    connect(m_evaluate, &QAction::triggered, this, &RoutesPage::showEvaluation);
    for (QAction *action : {undo, redo, m_apply, m_revert})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({undo, redo});
    auto *toolBar = new QToolBar(this);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar->addActions({undo, redo});
    toolBar->addSeparator();
    toolBar->addActions({m_apply, m_revert});
    toolBar->addSeparator();
    toolBar->addActions({history, m_evaluate});
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("routesStatus"));
    auto *top = new QHBoxLayout;
    top->addWidget(toolBar);
    top->addSpacing(8);
    top->addWidget(m_status, 1);

    auto *columns = new QSplitter(Qt::Horizontal, this);
    m_columns = columns;
    m_tables = new RouteTablesView(m_providers, m_aliases, m_targets, columns);
    m_tables->setKeysEditable(!link->isRemote());
    auto *right = new QSplitter(Qt::Vertical, columns);
    m_ranking = new RouteRankingView(link, right);
    auto *problems = new QWidget(right);
    auto *problemsLayout = new QVBoxLayout(problems);
    problemsLayout->setContentsMargins(0, 6, 0, 0);
    m_issuesTitle = new QLabel(problems);
    m_issuesView = new RouteIssuesView(problems);
    problemsLayout->addWidget(m_issuesTitle);
    problemsLayout->addWidget(m_issuesView, 1);
    right->addWidget(m_ranking);
    right->addWidget(problems);
    right->setSizes({390, 240});
    for (QSplitter *splitter : {columns, right})
        splitter->setChildrenCollapsible(false);
    columns->setSizes({530, 670});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addLayout(top);
    m_fileBanner = new ConfigFileBanner(this);
    layout->addWidget(m_fileBanner);
    layout->addWidget(columns, 1);
    connect(m_fileBanner, &ConfigFileBanner::overwriteRequested, this, &RoutesPage::replaceConfigFile);
    connect(m_link, &EngineLink::configFileProblemsChanged, this, [this](const QStringList &messages) {
        m_fileBanner->setProblems(messages);
        updateStatus();
    });
    m_fileBanner->setProblems(m_link->configFileProblems());

    connect(m_undo, &QUndoStack::indexChanged, this, &RoutesPage::afterChange);
    connect(m_targets, &TargetsModel::aliasTouched, this, [this](int row) {
        if (row != m_tables->selectedAlias())
            m_tables->selectAlias(row); // an undo changed another alias: show it
    });
    connect(m_tables, &RouteTablesView::aliasSelected, this, &RoutesPage::updateRanking);
    connect(m_tables, &RouteTablesView::valueEdited, this, &RoutesPage::previewEdit);
    connect(m_tables, &RouteTablesView::editorClosed, this, [this] { validate(editedConfig()); });
    connect(m_tables, &RouteTablesView::keychainKeyStored, m_link, &EngineLink::requestKeyReload);
    connect(m_issuesView, &RouteIssuesView::issueActivated, m_tables, &RouteTablesView::showCell);
    connect(m_apply, &QAction::triggered, this, &RoutesPage::apply);
    connect(m_revert, &QAction::triggered, this, &RoutesPage::revert);
    connect(m_link, &EngineLink::configChanged, this, &RoutesPage::onConfigChanged);
    connect(m_link, &EngineLink::configSaved, this, &RoutesPage::onConfigSaved);
    load(m_link->config());
}

RoutesPage::~RoutesPage()
{
    // The views go first, while the models they talk to exist; the stack's last clear() is not an edit.
    m_undo->disconnect(this);
    m_tables->disconnect(this);
    m_targets->disconnect(this);
    delete m_columns;
}

Config RoutesPage::editedConfig() const
{
    Config config = m_applied;
    config.providers = m_providers->providers();
    config.aliases = m_aliases->aliases();
    return config;
}

QStringList RoutesPage::issues() const
{
    return m_issuesView->messages();
}

bool RoutesPage::hasChanges() const
{
    return m_providers->providers() != m_applied.providers || m_aliases->aliases() != m_applied.aliases;
}

bool RoutesPage::canApply() const
{
    // Apply never overwrites a hand edit of the file that the loader refused: that takes the banner's button.
    return hasChanges() && m_loaderErrors == 0 && m_saveTicket == 0 && m_link->configFileProblems().isEmpty();
}

QString RoutesPage::statusText() const
{
    return m_status->text();
}

void RoutesPage::load(const Config &config)
{
    m_applied = config;
    m_changedOutside = false;
    setRoutes(config.providers, config.aliases);
    m_undo->clear();
    afterChange();
}

void RoutesPage::setRoutes(const QList<ProviderConfig> &providers, const QList<AliasConfig> &aliases)
{
    const int selected = m_tables->selectedAlias();
    const QString name = selected >= 0 ? m_aliases->aliases().at(selected).name : QString();
    m_providers->setProviders(providers);
    m_aliases->setAliases(aliases);
    const auto same = std::find_if(aliases.cbegin(), aliases.cend(), [&name](const AliasConfig &a) { return a.name == name; });
    m_tables->selectAlias(same != aliases.cend() ? int(same - aliases.cbegin()) : aliases.isEmpty() ? -1 : 0);
}

void RoutesPage::afterChange()
{
    m_justApplied = false;
    m_saveErrors.clear();
    validate(editedConfig());
    updateRanking();
    m_tables->updateButtons();
}

void RoutesPage::validate(const Config &config)
{
    // The loader itself judges the edited config, so the messages are the ones it prints.
    const Result<Config, QStringList> parsed = ConfigParser::parse(ConfigWriter::toBytes(config, ConfigWriter::Keys::Clear));
    const QStringList loaderErrors = parsed ? QStringList() : parsed.error();
    m_loaderErrors = int(loaderErrors.size());
    m_issues = ConfigIssueParser::parse(loaderErrors + m_saveErrors + ProvidersModel::missingKeyWarnings(config.providers));
    m_providers->setIssues(m_issues);
    m_aliases->setIssues(m_issues);
    m_targets->setIssues(m_issues);
    m_issuesView->setIssues(m_issues);
    m_issuesTitle->setText(m_issues.isEmpty() ? tr("<b>Problems</b>") : tr("<b>Problems (%1)</b>").arg(m_issues.size()));
    updateStatus();
}

void RoutesPage::previewEdit(const QModelIndex &index, const QVariant &value)
{
    Config config = editedConfig();
    const int row = index.row();
    const int alias = m_targets->aliasRow();
    if (index.model() == m_providers && row < config.providers.size())
        ProvidersModel::assign(config.providers[row], index.column(), value);
    else if (index.model() == m_aliases && row < config.aliases.size())
        AliasesModel::assign(config.aliases[row], index.column(), value);
    else if (index.model() == m_targets && alias >= 0 && row < config.aliases.at(alias).targets.size())
        TargetsModel::assign(config.aliases[alias].targets[row], index.column(), value);
    validate(config);
}

void RoutesPage::updateRanking()
{
    const int row = m_tables->selectedAlias();
    m_evaluate->setEnabled(row >= 0);
    if (row < 0) {
        m_ranking->setAlias(QString(), RouteRankingView::AliasState::None);
        return;
    }
    const AliasConfig &alias = m_aliases->aliases().at(row);
    const AliasConfig *live = m_applied.alias(alias.name);
    QStringList withoutKey;
    for (const ProviderConfig &provider : m_applied.providers) {
        if (ProvidersModel::keyMissing(provider))
            withoutKey << provider.name;
    }
    m_ranking->model()->setProvidersWithoutKey(withoutKey);
    using State = RouteRankingView::AliasState;
    m_ranking->setAlias(alias.name, !live ? State::NotApplied : *live == alias ? State::Applied : State::Modified);
}

void RoutesPage::updateStatus()
{
    using SemanticColours::Tone;
    const auto show = [this](const QString &text, std::optional<Tone> tone) {
        m_status->setText(text);
        m_status->setStyleSheet(tone ? QStringLiteral("QLabel { color: %1; }").arg(SemanticColours::css(*tone)) : QString());
    };
    if (m_saveTicket != 0)
        show(tr("Applying…"), Tone::Muted);
    else if (!m_saveErrors.isEmpty())
        show(tr("Not applied: the gateway refused the config (see Problems)"), Tone::Error);
    else if (!m_link->configFileProblems().isEmpty())
        show(tr("The config file has errors (see above); Apply waits until it loads"), Tone::Error);
    else if (hasChanges() && m_loaderErrors > 0)
        show(m_loaderErrors == 1 ? tr("1 problem to fix before Apply") : tr("%1 problems to fix before Apply").arg(m_loaderErrors),
             Tone::Warning);
    else if (hasChanges())
        show(m_changedOutside ? tr("Unapplied changes; the config file changed meanwhile (Revert loads it)") : tr("Unapplied changes"),
             std::nullopt);
    else
        show(m_justApplied ? tr("Applied: the gateway routes with these settings now") : tr("No unapplied changes"),
             m_justApplied ? Tone::Ok : Tone::Muted);
    m_apply->setEnabled(canApply());
    m_revert->setEnabled(hasChanges() && m_saveTicket == 0);
}

void RoutesPage::replaceConfigFile()
{
    m_replacingFile = true;
    apply();
    m_replacingFile = false;
}

void RoutesPage::apply()
{
    const bool replacing = m_replacingFile && m_loaderErrors == 0 && m_saveTicket == 0;
    if (!canApply() && !replacing)
        return;
    m_saving = editedConfig();
    m_saveErrors.clear();
    // An engine on this thread answers before the ticket is known: take that answer too.
    m_saveTicket = InFlight;
    const quint64 ticket = m_link->requestConfigSave(m_saving);
    if (m_saveTicket == InFlight)
        m_saveTicket = ticket;
    updateStatus();
}

void RoutesPage::revert()
{
    const QList<ProviderConfig> providers = m_providers->providers();
    const QList<AliasConfig> aliases = m_aliases->aliases();
    const Config live = m_applied;
    if (!hasChanges())
        return;
    m_changedOutside = false;
    RouteEditCommand::run(
        m_undo, tr("Revert to the live routes"), [this, live] { setRoutes(live.providers, live.aliases); },
        [this, providers, aliases] { setRoutes(providers, aliases); });
}

void RoutesPage::onConfigSaved(quint64 ticket, const QStringList &errors)
{
    if (ticket != m_saveTicket && m_saveTicket != InFlight)
        return;
    m_saveTicket = 0;
    if (errors.isEmpty()) {
        m_applied = m_saving;
        m_changedOutside = false;
        m_undo->setClean();
    }
    m_saveErrors = errors;
    m_justApplied = errors.isEmpty();
    validate(editedConfig());
    updateRanking();
    m_ranking->refresh();
}

void RoutesPage::onConfigChanged(const Config &config)
{
    const bool same = config.providers == m_providers->providers() && config.aliases == m_aliases->aliases();
    if (!same && !hasChanges()) {
        load(config); // nothing of the user's to keep: show what now runs
        return;
    }
    // Keep the user's edits; the rest of the config (listen, retry, …) follows the file.
    m_applied = config;
    m_changedOutside = !same;
    validate(editedConfig());
    updateRanking();
}

ConfigHistoryDialog *RoutesPage::showHistory()
{
    auto *dialog = new ConfigHistoryDialog(m_link, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

EvaluateDialog *RoutesPage::showEvaluation()
{
    const int row = m_tables->selectedAlias();
    if (row < 0)
        return nullptr;
    const QString name = m_aliases->aliases().at(row).name;
    auto *dialog = new EvaluateDialog(m_link, name, EvaluateDialog::aliasJson(editedConfig(), name), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &EvaluateDialog::applyRequested, this, [this, dialog] {
        if (EvaluateDialog::aliasJson(editedConfig(), dialog->aliasName()) != dialog->alias())
            return dialog->setStatus(tr("Not applied: the alias was edited after this evaluation; evaluate it again"), true);
        if (!canApply())
            return dialog->setStatus(tr("Not applied: %1").arg(statusText()), true);
        apply();
        dialog->setStatus(tr("Applying; Routes shows when the gateway runs it."));
    });
    dialog->show();
    return dialog;
}

} // namespace Switchyard
