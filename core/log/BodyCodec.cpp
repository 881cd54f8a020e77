// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodyCodec.h"
#include <memory>
#include <zstd.h>

namespace Switchyard::BodyCodec {

namespace {
// One context per thread, kept: creating one per segment costs more than compressing a message.
ZSTD_CCtx *compressContext()
{
    thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx *)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
    return context.get();
}

ZSTD_DCtx *decompressContext()
{
    thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
    return context.get();
}
} // namespace

std::pair<Encoding, QByteArray> compress(QByteArrayView bytes, int level)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(bytes.size()))), Qt::Uninitialized);
    const size_t n = ZSTD_compressCCtx(compressContext(), out.data(), size_t(out.size()), bytes.data(), size_t(bytes.size()), level);
    if (ZSTD_isError(n) || qsizetype(n) >= bytes.size())
        return {Encoding::Raw, bytes.toByteArray()};
    out.truncate(qsizetype(n));
    return {Encoding::Zstd, out};
}

std::optional<QByteArray> decompress(Encoding encoding, QByteArrayView bytes, qsizetype expectedSize)
{
    if (encoding == Encoding::Raw)
        return bytes.size() == expectedSize ? std::optional<QByteArray>(bytes.toByteArray()) : std::nullopt;
    QByteArray out(expectedSize, Qt::Uninitialized);
    const size_t n = ZSTD_decompressDCtx(decompressContext(), out.data(), size_t(out.size()), bytes.data(), size_t(bytes.size()));
    if (ZSTD_isError(n) || qsizetype(n) != expectedSize)
        return std::nullopt;
    return out;
}

} // namespace Switchyard::BodyCodec
