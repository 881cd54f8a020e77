// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/ConfigIssueParser.h"
#include <QWidget>

class QAction;
class QLabel;
class QUndoStack;

namespace Switchyard {

class AliasesModel;
class ConfigFileBanner;
class ConfigHistoryDialog;
class EngineLink;
class EvaluateDialog;
class ProvidersModel;
class RouteIssuesView;
class RouteRankingView;
class RouteTablesView;
class TargetsModel;

// The Routes editor: providers, aliases and the selected alias's targets as editable tables.
// Every edit goes onto an undo stack; the edited config goes through the config loader as
// one types, its messages are listed and their cells marked. Apply sends it to the engine
// (live, no restart) once it is valid; Revert goes back to the live routes. Beside the
// tables: the router's ranking of the selected alias, and "Test route". History… lists the
// configs that took effect and restores one; Evaluate… replays recorded requests through the
// selected alias as edited and compares the answers, before applying it.
class RoutesPage final : public QWidget
{
    Q_OBJECT
public:
    explicit RoutesPage(EngineLink *link, QWidget *parent = nullptr);
    ~RoutesPage() override;

    ProvidersModel *providersModel() const { return m_providers; }
    AliasesModel *aliasesModel() const { return m_aliases; }
    TargetsModel *targetsModel() const { return m_targets; }
    RouteTablesView *tables() const { return m_tables; }
    RouteRankingView *rankingView() const { return m_ranking; }
    RouteIssuesView *issuesView() const { return m_issuesView; }
    QUndoStack *undoStack() const { return m_undo; }

    Config editedConfig() const;
    QStringList issues() const;
    bool hasChanges() const;
    bool canApply() const;
    QString statusText() const;
    ConfigFileBanner *configFileBanner() const { return m_fileBanner; }

public Q_SLOTS:
    void apply();
    void revert();
    // Writes the routes shown to a config file whose hand edit the loader refused.
    void replaceConfigFile();
    // Routes → History: opens the config history (a dialog of its own, deleted on close).
    ConfigHistoryDialog *showHistory();
    // Routes → Evaluate: replays a baseline through the selected alias as edited (a dialog of
    // its own, deleted on close; "Apply this route" there applies as Apply does). Null when no
    // alias is selected.
    EvaluateDialog *showEvaluation();

private:
    void load(const Config &config);
    void setRoutes(const QList<ProviderConfig> &providers, const QList<AliasConfig> &aliases);
    void afterChange();
    void validate(const Config &config);
    void previewEdit(const QModelIndex &index, const QVariant &value);
    void updateRanking();
    void updateStatus();
    void onConfigChanged(const Switchyard::Config &config);
    void onConfigSaved(quint64 ticket, const QStringList &errors);

    EngineLink *m_link;
    Config m_applied; // what the engine runs
    Config m_saving;  // sent with Apply, live once the engine says so
    QUndoStack *m_undo;
    ProvidersModel *m_providers;
    AliasesModel *m_aliases;
    TargetsModel *m_targets;
    QWidget *m_columns = nullptr; // the tables, the ranking and the problems
    RouteTablesView *m_tables = nullptr;
    RouteIssuesView *m_issuesView = nullptr;
    QLabel *m_issuesTitle = nullptr;
    RouteRankingView *m_ranking = nullptr;
    QAction *m_apply = nullptr;
    QAction *m_revert = nullptr;
    QAction *m_evaluate = nullptr;
    QLabel *m_status = nullptr;
    ConfigFileBanner *m_fileBanner = nullptr;
    QList<ConfigIssue> m_issues;
    int m_loaderErrors = 0;
    QStringList m_saveErrors; // from the engine, until the next edit
    quint64 m_saveTicket = 0;
    bool m_justApplied = false;
    bool m_changedOutside = false;
    bool m_replacingFile = false;
};

} // namespace Switchyard
