#!/bin/sh
# Regenerate the build system from a git checkout (release tarballs ship it).
set -e
cd "$(dirname "$0")"
autoreconf --force --install --warnings=all
