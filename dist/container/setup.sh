#!/bin/sh
# The image's build steps (container/Containerfile runs this as root after copying the release to
# /opt/opencode-mcp). Every path is under $CONTAINER_ROOT (empty in a real build) so that ReleaseIT can
# run the very same steps against a temp directory. POSIX sh: the JRE base image has no bash guarantee
# beyond sh for this step.
set -eu
root=${CONTAINER_ROOT:-}
app="$root/opt/opencode-mcp"
uid=10001

# A non-root account for the server (no login shell, no password). Written directly rather than with
# useradd, which not every base image has.
mkdir -p "$root/etc" "$root/home/opencode"
touch "$root/etc/passwd" "$root/etc/group"
grep -q '^opencode:' "$root/etc/group" || echo "opencode:x:$uid:" >> "$root/etc/group"
grep -q '^opencode:' "$root/etc/passwd" \
  || echo "opencode:x:$uid:$uid:opencode-mcp:/home/opencode:/usr/sbin/nologin" >> "$root/etc/passwd"

# The registry (a volume): the server's own and closed to others, as it requires.
mkdir -p "$root/var/lib/opencode-relay" "$root/var/cache/opencode-mcp"
chown "$uid:$uid" "$root/var/lib/opencode-relay" "$root/var/cache/opencode-mcp" "$root/home/opencode"
chmod 0700 "$root/var/lib/opencode-relay" "$root/home/opencode"
chmod 0755 "$root/var/cache/opencode-mcp"

# The release: read-only for the server; the launchers and the install script executable.
chmod -R a+rX,go-w "$app"
chmod 0755 "$app/bin/opencode-mcp" "$app/bin/opencode-connected"
# Only the server belongs in this image: no systemd units or Kubernetes manifests needed at run time.
rm -rf "$app/systemd" "$app/kubernetes"
test -s "$app/lib/opencode-mcp.jar"
