// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QtGlobal>

namespace Switchyard::Test {

// What the crash tests (tests/crash) share about an instance under load and the promise they
// check: the engine hands finished calls to the writer every 100 ms and the writer commits
// within 100 ms more, so about 200 ms of answered calls may not be committed when kill -9
// comes; PRODUCT.md promises that a kill -9 loses at most the last second.
constexpr qint64 LossWindowMs = 1000;

// The promise in the plain build; a sanitized build runs several times slower (the writer
// most of all: hashing and compressing bodies), so it gets three seconds.
qint64 lossWindowMs();
// A steady clock in milliseconds, for "answered this long before the kill".
qint64 steadyNowMs();
// A figure from the /metrics of the instance at `port`, or -1.
qint64 metric(quint16 port, const QByteArray &name);

} // namespace Switchyard::Test
