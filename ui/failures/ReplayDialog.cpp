// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/failures/ReplayDialog.h"
#include "ui/SemanticColours.h"
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

QString prettyOrRaw(const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(body); // e.g. cut at the log's body cap: the user sees why it is invalid
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

// Qt's parse errors in words that say what to type.
QString problemText(const QJsonParseError &error)
{
    switch (error.error) {
    case QJsonParseError::UnterminatedObject: return ReplayDialog::tr("expected \",\" or \"}\"");
    case QJsonParseError::UnterminatedArray: return ReplayDialog::tr("expected \",\" or \"]\"");
    case QJsonParseError::MissingNameSeparator: return ReplayDialog::tr("expected \":\" after the name");
    case QJsonParseError::MissingObject: return ReplayDialog::tr("expected a quoted name after \",\"");
    case QJsonParseError::UnterminatedString: return ReplayDialog::tr("a string is not closed");
    case QJsonParseError::MissingValueSeparator: return ReplayDialog::tr("expected \",\" between the values");
    case QJsonParseError::GarbageAtEnd: return ReplayDialog::tr("unexpected text after the end of the request");
    case QJsonParseError::IllegalNumber:
    case QJsonParseError::IllegalValue: return ReplayDialog::tr("not a JSON value (strings need double quotes)");
    default: return error.errorString();
    }
}

} // namespace

ReplayDialog::ReplayDialog(const QString &requestId, const QByteArray &originalBody, QWidget *parent)
    : QDialog(parent)
    , m_original(prettyOrRaw(originalBody))
{
    setWindowTitle(tr("Edit & Replay %1").arg(requestId));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Edit the request, then send it through the gateway. The original stays in the log; "
                                "the replay is logged as a new request that points back to %1.")
                                 .arg(requestId),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("editor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabStopDistance(4 * m_editor->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    layout->addWidget(m_editor, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("validation"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(this);
    m_reset = buttons->addButton(tr("Reset to Original"), QDialogButtonBox::ResetRole);
    m_reset->setObjectName(QStringLiteral("resetButton"));
    buttons->addButton(QDialogButtonBox::Cancel);
    m_send = buttons->addButton(tr("Send"), QDialogButtonBox::AcceptRole);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);
    layout->addWidget(buttons);

    connect(m_reset, &QPushButton::clicked, this, &ReplayDialog::resetToOriginal);
    connect(m_send, &QPushButton::clicked, this, &ReplayDialog::send);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &ReplayDialog::validate);

    resetToOriginal();
    resize(720, 560);
}

QString ReplayDialog::text() const
{
    return m_editor->toPlainText();
}

void ReplayDialog::setText(const QString &text)
{
    m_editor->setPlainText(text);
}

void ReplayDialog::setKnownModels(const QStringList &aliases, const QStringList &providers)
{
    m_aliases = aliases;
    m_providers = providers;
    validate();
}

void ReplayDialog::setKnownModels(const Config &config)
{
    QStringList aliases;
    QStringList providers;
    for (const AliasConfig &alias : config.aliases)
        aliases << alias.name;
    for (const ProviderConfig &provider : config.providers)
        providers << provider.name;
    setKnownModels(aliases, providers);
}

QString ReplayDialog::validationMessage() const
{
    return m_status->text();
}

QByteArray ReplayDialog::editedBody() const
{
    return m_valid ? m_body : QByteArray();
}

void ReplayDialog::resetToOriginal()
{
    m_editor->setPlainText(m_original);
}

void ReplayDialog::send()
{
    if (!m_valid)
        return;
    Q_EMIT sendRequested(m_body);
    accept();
}

void ReplayDialog::validate()
{
    const QByteArray utf8 = m_editor->toPlainText().toUtf8();
    m_valid = false;
    m_body.clear();
    m_reset->setEnabled(m_editor->toPlainText() != m_original);
    if (utf8.trimmed().isEmpty()) {
        showProblem(tr("The request is empty: write it as a JSON object with a \"model\"."), -1);
        return;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt puts the offset on the culprit for these two, and just past it for the others.
        const bool onCulprit = error.error == QJsonParseError::IllegalNumber || error.error == QJsonParseError::GarbageAtEnd;
        const QByteArray before = utf8.left(qMax(0, onCulprit ? error.offset : error.offset - 1));
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const QString message = tr("Invalid JSON at line %1, column %2: %3")
                                    .arg(before.count('\n') + 1)
                                    .arg(QString::fromUtf8(before.mid(lineStart)).size() + 1)
                                    .arg(problemText(error));
        showProblem(message, int(QString::fromUtf8(before).size()));
        return;
    }
    if (!document.isObject()) {
        showProblem(document.isArray() ? tr("The request must be a JSON object, not an array.")
                                       : tr("The request must be a JSON object."),
                    -1);
        return;
    }
    const QJsonValue model = document.object().value(QLatin1String("model"));
    if (model.isUndefined()) {
        showProblem(tr("The request has no \"model\": name an alias or provider/model."), -1);
        return;
    }
    if (!model.isString() || model.toString().isEmpty()) {
        showProblem(tr("\"model\" must be a non-empty string."), -1);
        return;
    }
    const QString name = model.toString();
    if (!m_aliases.isEmpty() || !m_providers.isEmpty()) {
        const bool alias = m_aliases.contains(name);
        const bool direct = name.contains(QLatin1Char('/')) && m_providers.contains(name.section(QLatin1Char('/'), 0, 0));
        if (!alias && !direct) {
            showProblem(tr("No alias or provider is called \"%1\"; the gateway would answer 404. Aliases: %2; or "
                           "provider/model with a provider of: %3.")
                            .arg(name, m_aliases.join(QStringLiteral(", ")), m_providers.join(QStringLiteral(", "))),
                        -1);
            return;
        }
    }
    m_valid = true;
    m_body = document.toJson(QJsonDocument::Compact);
    m_status->setText(tr("Valid request for model \"%1\".").arg(model.toString()));
    m_status->setStyleSheet(QStringLiteral("color: %1;").arg(SemanticColours::css(SemanticColours::Tone::Ok)));
    m_editor->setExtraSelections({});
    m_send->setEnabled(true);
}

// Shows why the text cannot be sent and, for a parse error, marks where it happened.
void ReplayDialog::showProblem(const QString &message, int position)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: %1;").arg(SemanticColours::css(SemanticColours::Tone::Error)));
    m_send->setEnabled(false);
    QList<QTextEdit::ExtraSelection> marks;
    if (position >= 0) {
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_editor->document());
        const int last = qMax(0, m_editor->document()->characterCount() - 1);
        mark.cursor.setPosition(qMin(position, last));
        mark.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
        mark.format.setBackground(QColor(230, 60, 50, 70)); // a tint that reads on light and dark
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(SemanticColours::colour(SemanticColours::Tone::Error));
        marks.append(mark);
    }
    m_editor->setExtraSelections(marks);
}

} // namespace Switchyard
