#!/bin/sh
# Browser tests drive Debian's Chromium. Install it when it is missing and we can (root with apt);
# otherwise say so: the browser tests then skip, except under CI where they must run.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
    echo "Could not install chromium; browser tests will be skipped." >&2
else
  echo "No /usr/bin/chromium: browser tests will be skipped (apt-get install chromium to run them)." >&2
fi
exit 0
