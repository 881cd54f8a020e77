// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/FirstRunHint.h"

namespace Switchyard {

FirstRunHint::FirstRunHint(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("firstRunHint"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setMargin(12);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    setUrl(QStringLiteral("http://127.0.0.1:4141"));
}

void FirstRunHint::setUrl(const QString &url)
{
    setText(text(url.isEmpty() ? QStringLiteral("http://127.0.0.1:4141") : url));
}

QString FirstRunHint::text(const QString &url)
{
    const QString u = url.toHtmlEscaped();
    return tr("<p><b>No requests yet.</b> Point your tools at <code>%1</code> and every call shows here as it happens.</p>"
              "<table cellspacing=\"4\">"
              "<tr><td>OpenAI SDKs and compatible tools</td><td><code>OPENAI_BASE_URL=%1/v1</code> "
              "<code>OPENAI_API_KEY=unused</code></td></tr>"
              "<tr><td>Anthropic SDKs, Claude Code</td><td><code>ANTHROPIC_BASE_URL=%1</code> "
              "<code>ANTHROPIC_AUTH_TOKEN=unused</code> <code>ANTHROPIC_MODEL=general</code></td></tr>"
              "<tr><td>Codex CLI</td><td><code>base_url = \"%1/v1\"</code>, <code>wire_api = \"responses\"</code> "
              "in <code>~/.codex/config.toml</code></td></tr>"
              "<tr><td>A quick check</td><td><code>curl %1/v1/models</code></td></tr></table>"
              "<p>Help → Connect your tools (Ctrl+K) has all of it ready to copy. Routes shows which providers "
              "still need a key.</p>")
        .arg(u);
}

} // namespace Switchyard
