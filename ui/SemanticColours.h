// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QString>

namespace Switchyard::SemanticColours {

// Colours that carry meaning, each in a light and a dark variant picked by the application's
// palette, so they keep their contrast on light and dark themes alike (after GitHub Primer's
// pairs, darkened or lightened to 4.5:1 against the window, base and alternate-row colours of
// the Fusion light and our dark palette; tst_MainWindow checks it). Ask when painting or formatting, never
// cache: the user may switch the theme while the window is open.
enum class Tone { Ok, Error, Warning, Muted, Info, Special };

bool darkPalette(); // the application's window colour is dark
QColor colour(Tone tone);
QColor colour(Tone tone, bool dark);
QString css(Tone tone); // "#rrggbb", for style sheets and rich text

} // namespace Switchyard::SemanticColours
