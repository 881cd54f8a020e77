// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SemanticColours.h"
#include <QGuiApplication>
#include <QPalette>

namespace Switchyard::SemanticColours {

bool darkPalette()
{
    return QGuiApplication::palette().color(QPalette::Window).lightnessF() < 0.5;
}

QColor colour(Tone tone, bool dark)
{
    switch (tone) {
    case Tone::Ok: return dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x17, 0x72, 0x30);
    case Tone::Error: return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
    case Tone::Warning: return dark ? QColor(0xd2, 0x99, 0x22) : QColor(0x87, 0x5e, 0x00);
    case Tone::Muted: return dark ? QColor(0x9d, 0xa5, 0xae) : QColor(0x65, 0x6d, 0x76);
    case Tone::Info: return dark ? QColor(0x58, 0xa6, 0xff) : QColor(0x08, 0x60, 0xca);
    case Tone::Special: return dark ? QColor(0xbc, 0x8c, 0xff) : QColor(0x74, 0x44, 0xd6);
    }
    return QColor();
}

QColor colour(Tone tone)
{
    return colour(tone, darkPalette());
}

QString css(Tone tone)
{
    return colour(tone).name();
}

} // namespace Switchyard::SemanticColours
