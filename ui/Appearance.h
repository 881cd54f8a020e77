// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QPalette>
#include <QString>

namespace Switchyard {

// The window's theme: the desktop's own (System), or Qt's Fusion style with a light or a dark
// palette. Kept in QSettings; SWITCHYARD_THEME=light|dark|system overrides it for one run
// (screenshots, bug reports).
class Appearance final
{
public:
    enum class Theme { System, Light, Dark };

    static Theme saved();              // the environment override, else the setting
    static void save(Theme theme);
    static void apply(Theme theme);    // live: every widget repaints with the new palette
    static QPalette palette(Theme theme);
    static QString name(Theme theme);  // "system", "light", "dark"
    static Theme fromName(const QString &name, Theme fallback = Theme::System);

    static QString settingsKey() { return QStringLiteral("appearance/theme"); }
};

} // namespace Switchyard
