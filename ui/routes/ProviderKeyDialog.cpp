// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ProviderKeyDialog.h"
#include "ui/routes/ProvidersModel.h"
#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

bool isVariableName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$")); // as the config loader
    return pattern.match(name).hasMatch();
}

} // namespace

ProviderKeyDialog::ProviderKeyDialog(const ProviderConfig &provider, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("API key for %1").arg(provider.name));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("How Switchyard gets the key it sends to <b>%1</b> (%2):")
                                 .arg(provider.name.toHtmlEscaped(), provider.baseUrl.toString().toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_useEnv = new QRadioButton(tr("Read it from an environment variable (recommended)"), this);
    m_env = new QLineEdit(provider.apiKeyEnv.isEmpty() ? suggestedVariable(provider.name) : provider.apiKeyEnv, this);
    m_env->setObjectName(QStringLiteral("keyVariable"));
    m_envState = new QLabel(this);
    m_envState->setWordWrap(true);
    m_useKey = new QRadioButton(tr("Enter the key"), this);
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("keyText"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(QStringLiteral("sk-…"));
    m_noKey = new QRadioButton(tr("No key (a local server that needs none)"), this);
    auto *group = new QButtonGroup(this);
    for (QRadioButton *button : {m_useEnv, m_useKey, m_noKey})
        group->addButton(button);
    const bool keyless = provider.apiKeyEnv.isEmpty() && provider.apiKey.isEmpty() && isLoopbackHost(provider.baseUrl.host());
    (keyless ? m_noKey : m_useEnv)->setChecked(true); // a variable, unless a local server never had a key

    auto *form = new QFormLayout;
    form->setContentsMargins(24, 0, 0, 0);
    form->addRow(tr("Variable:"), m_env);
    form->addRow(QString(), m_envState);
    auto *keyForm = new QFormLayout;
    keyForm->setContentsMargins(24, 0, 0, 0);
    keyForm->addRow(tr("Key:"), m_key);
    layout->addWidget(m_useEnv);
    layout->addLayout(form);
    layout->addWidget(m_useKey);
    layout->addLayout(keyForm);
    layout->addWidget(m_noKey);

    m_refusal = new QLabel(this);
    m_refusal->setObjectName(QStringLiteral("keyRefusal"));
    m_refusal->setWordWrap(true);
    m_refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refusal->setStyleSheet(QStringLiteral("QLabel { color: #b42318; }"));
    m_refusal->hide();
    layout->addWidget(m_refusal);
    layout->addStretch(1);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderKeyDialog::reject);
    connect(group, &QButtonGroup::buttonToggled, this, &ProviderKeyDialog::updateState);
    connect(m_env, &QLineEdit::textChanged, this, &ProviderKeyDialog::updateState);
    // Typing in a field chooses its option.
    connect(m_key, &QLineEdit::textEdited, m_useKey, [this] { m_useKey->setChecked(true); });
    connect(m_env, &QLineEdit::textEdited, m_useEnv, [this] { m_useEnv->setChecked(true); });
    setMinimumWidth(520);
    updateState();
}

void ProviderKeyDialog::edit(ProvidersModel *providers, int row, QWidget *parent)
{
    auto *dialog = new ProviderKeyDialog(providers->providers().at(row), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPersistentModelIndex cell = providers->index(row, ProvidersModel::KeyColumn);
    connect(dialog, &QDialog::accepted, providers, [providers, dialog, cell] {
        if (cell.isValid())
            providers->setData(cell, dialog->environmentVariable()); // an undoable edit like any other
    });
    dialog->open();
}

QString ProviderKeyDialog::environmentVariable() const
{
    return m_useEnv->isChecked() ? m_env->text().trimmed() : QString();
}

QString ProviderKeyDialog::suggestedVariable(const QString &providerName)
{
    QString name = providerName.toUpper();
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() || c.unicode() > 127)
            c = QLatin1Char('_');
    }
    return name + QStringLiteral("_API_KEY");
}

void ProviderKeyDialog::updateState()
{
    const QString variable = m_env->text().trimmed();
    if (!isVariableName(variable))
        m_envState->setText(tr("Not an environment variable name: letters, digits and _, not starting with a digit."));
    else if (qEnvironmentVariableIsSet(variable.toLocal8Bit().constData()))
        m_envState->setText(tr("Set for this Switchyard. The config file stores only the name."));
    else
        m_envState->setText(tr("Not set for this Switchyard: add <code>export %1=…</code> to your shell profile and restart it.").arg(variable));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_useEnv->isChecked() || isVariableName(variable));
    if (!m_useKey->isChecked())
        m_refusal->hide();
}

void ProviderKeyDialog::accept()
{
    if (m_useKey->isChecked()) {
        // Refused, not saved: the key would sit in clear in config.json.
        m_refusal->setText(tr("Switchyard will not write this key into the config file: it would be stored there in "
                              "clear text, readable by anything that can read your files. Put it in an environment "
                              "variable (for example <code>export %1=…</code> in your shell profile) and choose the "
                              "first option. Storing keys in the system keychain is planned.")
                               .arg(isVariableName(m_env->text().trimmed()) ? m_env->text().trimmed() : QStringLiteral("API_KEY")));
        m_refusal->show();
        return;
    }
    m_key->clear();
    QDialog::accept();
}

} // namespace Switchyard
