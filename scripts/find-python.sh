#!/bin/sh
# Print the newest Python >= 3.12 on this machine (Django 6 needs it), or explain and fail.
for candidate in python3.14 python3.13 python3.12 python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    command -v "$candidate"
    exit 0
  fi
done
# pyenv installs versions beside each other without putting them all on PATH.
for root in "${PYENV_ROOT:-$HOME/.pyenv}" /opt/pyenv /usr/local/pyenv; do
  for candidate in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -t. -k2,2nr -k3,3nr); do
    if [ -x "$candidate/bin/python3" ] &&
       "$candidate/bin/python3" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      echo "$candidate/bin/python3"
      exit 0
    fi
  done
done
echo "No Python 3.12 or newer found: Django 6 needs it. Install python3.12 (or newer) and run make again." >&2
exit 1
