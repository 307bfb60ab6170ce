#!/usr/bin/env bash
# ansible-rulebook (the tests/eda stage, and any machine that runs rulebooks) needs a Java runtime (17 or later).
# When `java` is missing: as root, install Debian's default headless JRE; otherwise say what to install.
set -euo pipefail

if command -v java >/dev/null 2>&1; then
  echo "install-java: $(java -version 2>&1 | head -n 1)"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-java: installing default-jre-headless (Debian's Java runtime, for ansible-rulebook)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends default-jre-headless
  java -version
  exit 0
fi
cat >&2 <<'MSG'
install-java: ansible-rulebook needs a Java runtime (17 or later) and `java` is not on PATH.
  Debian/Ubuntu: sudo apt-get install -y default-jre-headless
  Fedora/RHEL:   sudo dnf install -y java-17-openjdk-headless
  or set JAVA_HOME to an installed JDK/JRE 17+.
MSG
exit 1
