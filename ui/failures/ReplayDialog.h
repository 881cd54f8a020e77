// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace Switchyard {

// Edit & Replay: the logged request body as pretty JSON, checked as it is typed (a JSON
// object with a "model"), and sent only when valid. Send emits sendRequested with the
// edited body; FailuresPage turns that into EngineLink::requestReplay.
class ReplayDialog final : public QDialog
{
    Q_OBJECT
public:
    ReplayDialog(const QString &requestId, const QByteArray &originalBody, QWidget *parent = nullptr);

    // The aliases and providers a "model" may name; a model outside them is refused (the
    // gateway would answer 404 unknown_model). Empty lists: any non-empty model.
    void setKnownModels(const QStringList &aliases, const QStringList &providers);
    void setKnownModels(const Config &config); // its aliases and providers
    QString text() const;
    void setText(const QString &text);
    bool isValid() const { return m_valid; }
    QString validationMessage() const;
    // The edited request, compact; empty while the text is not valid.
    QByteArray editedBody() const;

public Q_SLOTS:
    void resetToOriginal();
    void send();

Q_SIGNALS:
    void sendRequested(const QByteArray &body);

private:
    void validate();
    void showProblem(const QString &message, int position);

    QString m_original;
    QStringList m_aliases;
    QStringList m_providers;
    QByteArray m_body;
    bool m_valid = false;
    QPlainTextEdit *m_editor = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_reset = nullptr;
};

} // namespace Switchyard
