// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/ConfigHistory.h"
#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Switchyard {

class DiffView;
class EngineLink;

// Routes → History: every config that took effect, newest first (when, from where, by whom),
// the selected one's changes against the version before it, and "Restore this version".
// The history lives with the engine; the dialog asks for it through the link and never reads
// a file itself.
class ConfigHistoryDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ConfigHistoryDialog(EngineLink *link, QWidget *parent = nullptr);

    QTreeWidget *versionsView() const { return m_list; }
    DiffView *diffView() const { return m_diff; }
    QPushButton *restoreButton() const { return m_restore; }
    QString statusText() const;

public Q_SLOTS:
    void refresh();
    // Restores the selected version at once (the button asks first).
    void restoreSelected();

Q_SIGNALS:
    void listed();
    // The gateway runs `version` again (as a new version of its own), or refused it.
    void restoreFinished(int version, const QStringList &errors);

private:
    void showVersions(quint64 ticket, const QList<Switchyard::ConfigVersion> &versions);
    void showSelected();
    void confirmAndRestore();
    void onSaved(quint64 ticket, const QStringList &errors);
    int selectedVersion() const;

    EngineLink *m_link;
    QTreeWidget *m_list;
    QLabel *m_caption;
    DiffView *m_diff;
    QPushButton *m_restore;
    QLabel *m_status;
    QList<ConfigVersion> m_versions; // oldest first, as the engine keeps them
    quint64 m_listTicket = 0;
    quint64 m_restoreTicket = 0;
    int m_restoring = 0;
    QString m_outcome; // of the last restore, kept above the refreshed list
};

} // namespace Switchyard
