// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ProviderKeyDialog.h"
#include "ui/SemanticColours.h"
#include "core/secrets/KeychainStore.h"
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

QFormLayout *indentedForm()
{
    auto *form = new QFormLayout;
    form->setContentsMargins(24, 0, 0, 0);
    return form;
}

} // namespace

ProviderKeyDialog::ProviderKeyDialog(const ProviderConfig &provider, QWidget *parent)
    : QDialog(parent)
    , m_providerName(provider.name)
    , m_entry(provider.apiKeyKeychain.isEmpty() ? provider.name : provider.apiKeyKeychain)
    , m_hasKeychainKey(!provider.apiKeyKeychain.isEmpty())
{
    setWindowTitle(tr("API key for %1").arg(provider.name));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("How Switchyard gets the key it sends to <b>%1</b> (%2):")
                                 .arg(provider.name.toHtmlEscaped(), provider.baseUrl.toString().toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_useKeychain = new QRadioButton(tr("Store it in the system keychain (recommended)"), this);
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("keyText"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(m_hasKeychainKey ? tr("stored; type a new key to replace it") : QStringLiteral("sk-…"));
    m_keyState = new QLabel(this);
    m_keyState->setWordWrap(true);
    m_useEnv = new QRadioButton(tr("Read it from an environment variable"), this);
    m_env = new QLineEdit(provider.apiKeyEnv.isEmpty() ? suggestedVariable(provider.name) : provider.apiKeyEnv, this);
    m_env->setObjectName(QStringLiteral("keyVariable"));
    m_envState = new QLabel(this);
    m_envState->setWordWrap(true);
    m_noKey = new QRadioButton(tr("No key (a local server that needs none)"), this);
    auto *group = new QButtonGroup(this);
    for (QRadioButton *button : {m_useKeychain, m_useEnv, m_noKey})
        group->addButton(button);
    const bool keyless = provider.apiKeyEnv.isEmpty() && provider.apiKey.isEmpty() && provider.apiKeyKeychain.isEmpty()
                         && isLoopbackHost(provider.baseUrl.host());
    (keyless ? m_noKey : !provider.apiKeyEnv.isEmpty() ? m_useEnv : m_useKeychain)->setChecked(true);

    QFormLayout *keyForm = indentedForm();
    keyForm->addRow(tr("Key:"), m_key);
    keyForm->addRow(QString(), m_keyState);
    QFormLayout *envForm = indentedForm();
    envForm->addRow(tr("Variable:"), m_env);
    envForm->addRow(QString(), m_envState);
    layout->addWidget(m_useKeychain);
    layout->addLayout(keyForm);
    layout->addWidget(m_useEnv);
    layout->addLayout(envForm);
    layout->addWidget(m_noKey);

    m_refusal = new QLabel(this);
    m_refusal->setObjectName(QStringLiteral("keyRefusal"));
    m_refusal->setWordWrap(true);
    m_refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refusal->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(SemanticColours::css(SemanticColours::Tone::Error)));
    m_refusal->hide();
    layout->addWidget(m_refusal);
    layout->addStretch(1);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderKeyDialog::reject);
    connect(group, &QButtonGroup::buttonToggled, this, &ProviderKeyDialog::updateState);
    connect(m_env, &QLineEdit::textChanged, this, &ProviderKeyDialog::updateState);
    connect(m_key, &QLineEdit::textChanged, this, &ProviderKeyDialog::updateState);
    // Typing in a field chooses its option.
    connect(m_key, &QLineEdit::textEdited, m_useKeychain, [this] { m_useKeychain->setChecked(true); });
    connect(m_env, &QLineEdit::textEdited, m_useEnv, [this] { m_useEnv->setChecked(true); });
    setMinimumWidth(540);
    updateState();
}

ProviderKeyDialog *ProviderKeyDialog::edit(ProvidersModel *providers, int row, QWidget *parent)
{
    auto *dialog = new ProviderKeyDialog(providers->providers().at(row), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPersistentModelIndex cell = providers->index(row, ProvidersModel::KeyColumn);
    connect(dialog, &QDialog::accepted, providers, [providers, dialog, cell] {
        if (cell.isValid() && cell.data(Qt::EditRole).toString() != dialog->keySource())
            providers->setData(cell, dialog->keySource()); // an undoable edit like any other
    });
    dialog->open();
    return dialog;
}

QString ProviderKeyDialog::keySource() const
{
    if (m_useKeychain->isChecked())
        return ProvidersModel::KeychainPrefix + m_entry;
    return environmentVariable();
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
    m_keyState->setText(m_hasKeychainKey && m_key->text().isEmpty()
                            ? tr("Kept in the keychain as \"%1\" (service \"%2\").").arg(m_entry, KeychainStore::service())
                            : tr("Saved in the keychain as \"%1\" (service \"%2\"); the config file stores only that name.")
                                  .arg(m_entry, KeychainStore::service()));
    const bool keyGiven = !m_key->text().trimmed().isEmpty() || m_hasKeychainKey;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_useEnv->isChecked()        ? isVariableName(variable)
                                                        : m_useKeychain->isChecked() ? keyGiven
                                                                                     : true);
    m_refusal->hide();
}

void ProviderKeyDialog::accept()
{
    const QByteArray key = m_key->text().trimmed().toUtf8();
    if (!m_useKeychain->isChecked() || key.isEmpty()) {
        m_key->clear();
        QDialog::accept();
        return;
    }
    if (!m_keychain) {
        m_keychain = new KeychainStore(this);
        connect(m_keychain, &KeychainStore::keyWritten, this, &ProviderKeyDialog::storeFinished);
        connect(m_keychain, &KeychainStore::failed, this, &ProviderKeyDialog::storeFailed);
    }
    m_buttons->setEnabled(false);
    m_keyState->setText(tr("Saving in the system keychain…"));
    m_keychain->write(m_entry, key);
}

void ProviderKeyDialog::storeFinished(const QString &entry)
{
    m_buttons->setEnabled(true);
    m_key->clear();
    m_hasKeychainKey = true;
    Q_EMIT keyStored(entry);
    QDialog::accept();
}

void ProviderKeyDialog::storeFailed(const QString &, const QString &message)
{
    m_buttons->setEnabled(true);
    updateState();
    refuse(tr("The key was not saved: %1. Switchyard will not write it into the config file in clear text; "
              "put it in an environment variable instead (for example <code>export %2=…</code> in your shell "
              "profile) and choose the second option.")
               .arg(message.toHtmlEscaped(), suggestedVariable(m_providerName)));
}

void ProviderKeyDialog::refuse(const QString &message)
{
    m_refusal->setText(message);
    m_refusal->show();
}

} // namespace Switchyard
