// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QLabel>

namespace Switchyard {

// Shown in Traces while the log holds no request at all: what to point tools at (the
// OpenAI and Anthropic SDKs, Claude Code, Codex), with the address the gateway listens on.
class FirstRunHint final : public QLabel
{
    Q_OBJECT
public:
    explicit FirstRunHint(QWidget *parent = nullptr);
    void setUrl(const QString &url);
    static QString text(const QString &url);
};

} // namespace Switchyard
