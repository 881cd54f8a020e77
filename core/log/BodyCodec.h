// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace Switchyard {

// How a stored segment's bytes are encoded, and the hash that names it.
namespace BodyCodec {
enum class Encoding { Raw = 0, Zstd = 1 };

// SHA-256 through OpenSSL (SHA-NI where the CPU has it: ~0.5 µs per KB, 7x Qt's own). A
// collision-resistant hash means a match needs no byte comparison, which would otherwise
// decompress a stored segment for every repeated one: the common case in agent sessions.
QByteArray sha256(QByteArrayView bytes);

// zstd at `level` (3 by default); Raw when compressing would not make it smaller.
std::pair<Encoding, QByteArray> compress(QByteArrayView bytes, int level = 3);
// nullopt when `bytes` is not a valid frame of `expectedSize` bytes.
std::optional<QByteArray> decompress(Encoding encoding, QByteArrayView bytes, qsizetype expectedSize);
} // namespace BodyCodec

} // namespace Switchyard
