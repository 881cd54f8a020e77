// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/Appearance.h"
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Switchyard {

// Port, database path, retention, body cap and theme. The config parts are returned as a
// Config to save through the engine; the database path is a preference read at the next
// start; the theme applies at once.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const Config &config, const QString &dbPath, QWidget *parent = nullptr);

    Config editedConfig() const;
    QString databasePath() const;
    bool needsRestart() const;
    Appearance::Theme theme() const;

    static QString databasePathKey() { return QStringLiteral("database/path"); }

private:
    Config m_config;
    QString m_dbPath;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QSpinBox *m_retentionDays;
    QSpinBox *m_maxDbMib;
    QSpinBox *m_bodyCapKib;
    QComboBox *m_theme;
    QLabel *m_restartNote;
};

} // namespace Switchyard
