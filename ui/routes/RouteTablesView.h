// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/routes/ConfigIssueParser.h"
#include <QWidget>
#include <functional>

class QAbstractItemModel;
class QLabel;
class QPushButton;
class QTableView;

namespace Switchyard {

class AliasesModel;
class ProvidersModel;
class TargetsModel;

// The three editable tables of the Routes page, one above the other: providers (add,
// remove, Set key…), aliases (add, remove) and the selected alias's targets (add, remove,
// up, down, drag and drop), with the editors of RouteDelegates. Edits reach the models,
// which put them on the undo stack.
class RouteTablesView final : public QWidget
{
    Q_OBJECT
public:
    RouteTablesView(ProvidersModel *providers, AliasesModel *aliases, TargetsModel *targets, QWidget *parent = nullptr);
    ~RouteTablesView() override;

    QTableView *providersView() const { return m_providersView; }
    QTableView *aliasesView() const { return m_aliasesView; }
    QTableView *targetsView() const { return m_targetsView; }
    int selectedProvider() const;
    int selectedAlias() const;
    int selectedTarget() const;
    void selectAlias(int row);
    // Off for a remote gateway: a key stored here would be in this desktop's keychain, not its.
    void setKeysEditable(bool editable);
    void showCell(const ConfigIssue &issue);

public Q_SLOTS:
    void addProvider();
    void editProviderKey();
    void addAlias();
    void addTarget();
    void updateButtons();

Q_SIGNALS:
    void aliasSelected(int row);
    // The user is typing in a cell: what it would hold if the edit ended now.
    void valueEdited(const QModelIndex &index, const QVariant &value);
    void editorClosed();
    // A key was saved in the system keychain under this entry.
    void keychainKeyStored(const QString &entry);

private:
    QWidget *buildProviders();
    QWidget *buildAliases();
    QWidget *buildTargets();
    QTableView *makeTable(QAbstractItemModel *model, const QString &objectName);
    QPushButton *makeButton(const QString &text, const QString &tip, const std::function<void()> &onClick);
    QWidget *section(const QString &title, const QList<QPushButton *> &buttons, QTableView *table, QLabel **titleLabel = nullptr);
    void onAliasChanged();

    ProvidersModel *m_providers;
    AliasesModel *m_aliases;
    TargetsModel *m_targets;
    QTableView *m_providersView = nullptr;
    QTableView *m_aliasesView = nullptr;
    QTableView *m_targetsView = nullptr;
    QLabel *m_targetsTitle = nullptr;
    QList<QPushButton *> m_needsProvider, m_needsAlias, m_needsTarget;
    QPushButton *m_setKey = nullptr;
    bool m_keysEditable = true;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
};

} // namespace Switchyard
