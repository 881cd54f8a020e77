// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QThread;

namespace Switchyard {

// Starts a thread whose event loop is Qt's own Unix dispatcher rather than GLib's. GLib's loop
// writes an eventfd for every posted event and every socket-notifier change: about ten system
// calls of a proxied request's twenty, and half of the latency Switchyard adds. The proxy and
// log threads need nothing from GLib; the main thread keeps it (libsecret, behind the keychain,
// answers through the GLib main loop). Qt picks a thread's dispatcher from QT_NO_GLIB when the
// thread starts, so the variable is set for exactly that moment.
void startWithQtDispatcher(QThread *thread);

} // namespace Switchyard
