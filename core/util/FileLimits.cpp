// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/FileLimits.h"
#include <limits>
#include <sys/resource.h>

namespace Switchyard {

qint64 FileLimits::raiseOpenFiles()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit); // on failure the old limit stays, and is returned below
    }
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > rlim_t(std::numeric_limits<qint64>::max()))
        return std::numeric_limits<qint64>::max();
    return qint64(limit.rlim_cur);
}

} // namespace Switchyard
