#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The sanitizer and fuzz builds need clang and its runtime libraries (libFuzzer, ASan, UBSan,
# TSan) from Debian 12; installs them when missing (as root), else names the command.
exec "$(dirname "$0")/../packaging/install-deps.sh" clang libclang-rt-14-dev
