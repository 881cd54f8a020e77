// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ConfigFileBanner.h"
#include "ui/SemanticColours.h"
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace Switchyard {

ConfigFileBanner::ConfigFileBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_overwrite(new QPushButton(tr("Replace the file with these routes"), this))
{
    setObjectName(QStringLiteral("configFileBanner"));
    setFrameShape(QFrame::StyledPanel);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_overwrite->setObjectName(QStringLiteral("overwriteConfigFile"));
    m_overwrite->setToolTip(tr("Throw the hand edit away: write the routes shown here to the config file and apply them"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_overwrite, 0, Qt::AlignTop);
    connect(m_overwrite, &QPushButton::clicked, this, &ConfigFileBanner::overwriteRequested);
    updateColours();
    setVisible(false);
}

void ConfigFileBanner::setProblems(const QStringList &messages)
{
    setVisible(!messages.isEmpty());
    if (messages.isEmpty())
        return;
    QString list;
    for (const QString &message : messages)
        list += QStringLiteral("<li>") + message.toHtmlEscaped() + QStringLiteral("</li>");
    m_text->setText(tr("<b>The config file has a change the gateway could not load</b>; it still routes with the "
                       "previous settings shown below. Fix the file and it is applied at once, or replace it.<ul "
                       "style=\"margin:0\">%1</ul>")
                        .arg(list));
}

QString ConfigFileBanner::text() const
{
    return m_text->text();
}

void ConfigFileBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateColours();
}

void ConfigFileBanner::updateColours()
{
    setStyleSheet(QStringLiteral("#configFileBanner { border: 1px solid %1; border-radius: 4px; }")
                      .arg(SemanticColours::css(SemanticColours::Tone::Error)));
}

} // namespace Switchyard
