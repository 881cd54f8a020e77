// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/Appearance.h"
#include <QApplication>
#include <QWidget>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <memory>

namespace Switchyard {

namespace {

QPalette darkPalette()
{
    // Greys chosen for 12:1 text contrast and visible separation between window, base and
    // alternate rows; the accent is a blue that reads on both.
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), alternate(0x26, 0x28, 0x2c);
    const QColor text(0xe6, 0xe6, 0xe6), disabled(0x80, 0x80, 0x80), highlight(0x2f, 0x6f, 0xb0);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x44));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x53));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x41, 0x46));
    p.setColor(QPalette::Mid, QColor(0x55, 0x58, 0x5e));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x58, 0xa6, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xbc, 0x8c, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x48, 0x4e));
    return p;
}

} // namespace

Appearance::Theme Appearance::fromName(const QString &name, Theme fallback)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("light"))
        return Theme::Light;
    if (n == QLatin1String("dark"))
        return Theme::Dark;
    if (n == QLatin1String("system"))
        return Theme::System;
    return fallback;
}

QString Appearance::name(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

Appearance::Theme Appearance::saved()
{
    const Theme stored = fromName(QSettings().value(settingsKey()).toString());
    return fromName(qEnvironmentVariable("SWITCHYARD_THEME"), stored);
}

void Appearance::save(Theme theme)
{
    QSettings().setValue(settingsKey(), name(theme));
}

QPalette Appearance::palette(Theme theme)
{
    if (theme == Theme::Dark)
        return darkPalette();
    if (theme == Theme::Light)
        return std::unique_ptr<QStyle>(QStyleFactory::create(QStringLiteral("Fusion")))->standardPalette();
    return QApplication::style()->standardPalette();
}

void Appearance::apply(Theme theme)
{
    static const QString systemStyle = QApplication::style()->name(); // before the first change
    QApplication::setStyle(theme == Theme::System ? systemStyle : QStringLiteral("Fusion"));
    QApplication::setPalette(palette(theme));
    // A style sheet resolves palette() and its colours when the widget is polished: set each
    // again, so tables and notes with one repaint in the new colours instead of keeping the old.
    for (QWidget *widget : QApplication::allWidgets()) {
        const QString sheet = widget->styleSheet();
        if (sheet.isEmpty())
            continue;
        widget->setStyleSheet(QString());
        widget->setStyleSheet(sheet);
    }
}

} // namespace Switchyard
