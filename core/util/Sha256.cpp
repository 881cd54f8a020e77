// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/Sha256.h"
#include <openssl/evp.h>

namespace Switchyard {

QByteArray sha256(QByteArrayView bytes)
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_Digest(bytes.data(), size_t(bytes.size()), reinterpret_cast<unsigned char *>(digest.data()), &length, EVP_sha256(),
               nullptr);
    return digest;
}

} // namespace Switchyard
