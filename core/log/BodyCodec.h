// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace Switchyard {

// How a stored segment's bytes are encoded (segments are named by util/Sha256).
namespace BodyCodec {
enum class Encoding { Raw = 0, Zstd = 1 };

// zstd at `level` (3 by default); Raw when compressing would not make it smaller.
std::pair<Encoding, QByteArray> compress(QByteArrayView bytes, int level = 3);
// nullopt when `bytes` is not a valid frame of `expectedSize` bytes.
std::optional<QByteArray> decompress(Encoding encoding, QByteArrayView bytes, qsizetype expectedSize);
} // namespace BodyCodec

} // namespace Switchyard
