// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/GatewayDialog.h"
#include "ui/SemanticColours.h"
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Switchyard {

GatewayDialog::GatewayDialog(QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_certificate(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connect to gateway"));
    m_url->setObjectName(QStringLiteral("gatewayUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://gateway.example.internal:4141"));
    m_token->setObjectName(QStringLiteral("gatewayToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("the gateway's listen.token, if it has one"));
    m_certificate->setObjectName(QStringLiteral("gatewayCertificate"));
    m_certificate->setPlaceholderText(tr("only for a self-signed https gateway"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Certificate to trust"), QString(), tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!path.isEmpty())
            m_certificate->setText(path);
    });
    auto *certificateRow = new QHBoxLayout;
    certificateRow->addWidget(m_certificate, 1);
    certificateRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("&Address:"), m_url);
    form->addRow(tr("Access &token:"), m_token);
    form->addRow(tr("&Certificate:"), certificateRow);
    auto *note = new QLabel(tr("A new window opens on that gateway: its routes, traces, costs and failures. "
                               "This window and its gateway keep running."),
                            this);
    note->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("gatewayProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: %1;").arg(SemanticColours::css(SemanticColours::Tone::Error)));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, &GatewayDialog::check);
    connect(m_certificate, &QLineEdit::textChanged, this, &GatewayDialog::check);
    resize(520, sizeHint().height());
    check();
}

QString GatewayDialog::url() const
{
    return m_url->text().trimmed();
}

QString GatewayDialog::token() const
{
    return m_token->text();
}

QString GatewayDialog::certificatePath() const
{
    return m_certificate->text().trimmed();
}

void GatewayDialog::check()
{
    const QUrl url(this->url(), QUrl::StrictMode);
    QString problem;
    if (this->url().isEmpty())
        problem = tr("The address of the gateway, like https://gateway:4141");
    else if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty())
        problem = tr("Not an address: give http:// or https://, a host and a port");
    else if (!certificatePath().isEmpty() && !QFileInfo(certificatePath()).isReadable())
        problem = tr("Cannot read %1").arg(certificatePath());
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QStringList GatewayDialog::arguments() const
{
    QStringList arguments{QStringLiteral("--attach"), url()};
    if (!certificatePath().isEmpty())
        arguments << QStringLiteral("--cacert") << certificatePath();
    return arguments;
}

QString GatewayDialog::launch() const
{
    QProcess process;
    process.setProgram(QCoreApplication::applicationFilePath());
    process.setArguments(arguments());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (token().isEmpty())
        environment.remove(QStringLiteral("SWITCHYARD_TOKEN"));
    else
        environment.insert(QStringLiteral("SWITCHYARD_TOKEN"), token());
    process.setProcessEnvironment(environment);
    if (!process.startDetached())
        return tr("Could not start %1: %2").arg(process.program(), process.errorString());
    return QString();
}

} // namespace Switchyard
