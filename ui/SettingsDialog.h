// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QDialog>

class QLabel;
class QLineEdit;
class QSpinBox;

namespace Switchyard {

// Port, database path, retention and body cap. The config parts are returned as a Config
// to save through the engine; the database path is a preference read at the next start.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const Config &config, const QString &dbPath, QWidget *parent = nullptr);

    Config editedConfig() const;
    QString databasePath() const;
    bool needsRestart() const;

    static QString databasePathKey() { return QStringLiteral("database/path"); }

private:
    Config m_config;
    QString m_dbPath;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QSpinBox *m_retentionDays;
    QSpinBox *m_maxDbMib;
    QSpinBox *m_bodyCapKib;
    QLabel *m_restartNote;
};

} // namespace Switchyard
