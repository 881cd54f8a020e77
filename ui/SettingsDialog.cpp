// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SettingsDialog.h"
#include "core/log/LogDatabase.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Switchyard {

SettingsDialog::SettingsDialog(const Config &config, const QString &dbPath, QWidget *parent)
    : QDialog(parent)
    , m_config(config)
    , m_dbPath(dbPath)
    , m_port(new QSpinBox(this))
    , m_database(new QLineEdit(LogDatabase::displayName(dbPath), this)) // a PostgreSQL password is not shown
    , m_retentionDays(new QSpinBox(this))
    , m_maxDbMib(new QSpinBox(this))
    , m_bodyCapKib(new QSpinBox(this))
    , m_theme(new QComboBox(this))
    , m_restartNote(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    m_port->setRange(1, 65535);
    m_port->setValue(config.listen.port);
    m_port->setObjectName(QStringLiteral("port"));
    m_retentionDays->setRange(1, 36500);
    m_retentionDays->setSuffix(tr(" days"));
    m_retentionDays->setValue(config.log.retentionDays);
    m_maxDbMib->setRange(16, 1024 * 1024);
    m_maxDbMib->setSuffix(tr(" MiB"));
    m_maxDbMib->setValue(config.log.maxDbMib);
    m_bodyCapKib->setRange(0, 1024 * 1024);
    m_bodyCapKib->setSuffix(tr(" KiB"));
    m_bodyCapKib->setValue(config.log.maxBodyKib);
    m_database->setObjectName(QStringLiteral("database"));
    m_database->setToolTip(tr("A SQLite file, or postgresql://user@host:port/dbname for a log shared by a team's gateways"));
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("As the desktop"), int(Appearance::Theme::System));
    m_theme->addItem(tr("Light"), int(Appearance::Theme::Light));
    m_theme->addItem(tr("Dark"), int(Appearance::Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(Appearance::saved())));

    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Request log database"), m_database->text(),
                                                          tr("SQLite databases (*.db)"), nullptr,
                                                          QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_database->setText(path);
    });
    auto *databaseRow = new QHBoxLayout;
    databaseRow->addWidget(m_database, 1);
    databaseRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("Listen port:"), m_port);
    form->addRow(tr("Request log:"), databaseRow);
    form->addRow(tr("Keep requests for:"), m_retentionDays);
    form->addRow(tr("Largest log size:"), m_maxDbMib);
    form->addRow(tr("Store bodies up to:"), m_bodyCapKib);
    form->addRow(tr("Theme:"), m_theme);

    m_restartNote->setWordWrap(true);
    m_restartNote->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    auto updateNote = [this] {
        m_restartNote->setText(needsRestart() ? tr("The port and the log file change when Switchyard restarts; "
                                                   "the other settings apply at once.")
                                              : tr("These settings apply at once."));
    };
    connect(m_port, &QSpinBox::valueChanged, this, updateNote);
    connect(m_database, &QLineEdit::textChanged, this, updateNote);
    updateNote();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_restartNote);
    layout->addWidget(buttons);
}

Config SettingsDialog::editedConfig() const
{
    Config config = m_config;
    config.listen.port = m_port->value();
    config.log.retentionDays = m_retentionDays->value();
    config.log.maxDbMib = m_maxDbMib->value();
    config.log.maxBodyKib = m_bodyCapKib->value();
    return config;
}

QString SettingsDialog::databasePath() const
{
    const QString text = m_database->text().trimmed();
    return text == LogDatabase::displayName(m_dbPath) ? m_dbPath : text;
}

Appearance::Theme SettingsDialog::theme() const
{
    return Appearance::Theme(m_theme->currentData().toInt());
}

bool SettingsDialog::needsRestart() const
{
    return m_port->value() != m_config.listen.port || databasePath() != m_dbPath;
}

} // namespace Switchyard
