// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ConnectDialog.h"
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Switchyard {

ConnectDialog::ConnectDialog(const QString &configPath, QWidget *parent)
    : QDialog(parent)
    , m_configPath(configPath)
    , m_address(new QLabel(tr("Starting…"), this))
    , m_setup(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Connect your tools"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_address->setObjectName(QStringLiteral("gatewayAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *config = new QLabel(configPath, this);
    config->setObjectName(QStringLiteral("configPath"));
    config->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Listening on:"), m_address);
    form->addRow(tr("Config file:"), config);
    layout->addLayout(form);
    m_setup->setObjectName(QStringLiteral("clientSetup"));
    m_setup->setReadOnly(true);
    m_setup->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_setup->setMinimumSize(620, 380);
    layout->addWidget(m_setup, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    QPushButton *folder = buttons->addButton(tr("Open config folder"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_setup->toPlainText()); });
    connect(folder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_configPath).absolutePath()));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setUrl(QString());
}

void ConnectDialog::setUrl(const QString &url)
{
    if (url.isEmpty()) {
        m_setup->setPlainText(tr("Waiting for the gateway to start…"));
        return;
    }
    m_address->setText(url);
    m_setup->setPlainText(tr("# OpenAI SDKs, and tools that speak the OpenAI API\n"
                             "export OPENAI_BASE_URL=%1/v1\n"
                             "export OPENAI_API_KEY=unused   # SDKs insist on one; the gateway ignores it\n\n"
                             "# Anthropic SDKs\n"
                             "export ANTHROPIC_BASE_URL=%1\n\n"
                             "# Claude Code (ANTHROPIC_MODEL names an alias; leave ANTHROPIC_API_KEY unset)\n"
                             "ANTHROPIC_BASE_URL=%1 ANTHROPIC_AUTH_TOKEN=unused \\\n"
                             "ANTHROPIC_MODEL=general ANTHROPIC_DEFAULT_HAIKU_MODEL=cheap claude\n\n"
                             "# Codex CLI, in ~/.codex/config.toml (Codex speaks the Responses API)\n"
                             "model = \"general\"\n"
                             "model_provider = \"switchyard\"\n"
                             "[model_providers.switchyard]\n"
                             "name = \"Switchyard\"\n"
                             "base_url = \"%1/v1\"\n"
                             "wire_api = \"responses\"\n\n"
                             "# Which aliases and models it serves, and a check that it answers\n"
                             "curl %1/v1/models\n"
                             "curl %1/health\n")
                              .arg(url));
}

QString ConnectDialog::setupText() const
{
    return m_setup->toPlainText();
}

} // namespace Switchyard
