#!/usr/bin/env bash
# Builds, without any image registry, the two base images the Dockerfiles name through build
# arguments, as stand-ins for the registry images users pull:
#   localhost/chat-debian:bookworm    stands in for debian:bookworm-slim       (DEBIAN_IMAGE)
#   localhost/chat-node:20-bookworm   stands in for node:20-bookworm-slim      (NODE_IMAGE)
# Both are a minimal Debian bookworm made by debootstrap from the machine's Debian mirror, with the
# machine's CA bundle (so that TLS through this machine's egress works in the build); the node one
# adds the machine's own Node and npm and the `node` user (uid 1000) of the official image.
# The debootstrap tree is cached under .cache/deploy; the images are re-imported only when the
# machine's Node changes. Sourced by deploy/compose-test.sh (uses its log function).
set -euo pipefail

BASE_CACHE="${BASE_CACHE:-$ROOT/.cache/deploy}"
DEBIAN_BASE_IMAGE=localhost/chat-debian:bookworm
NODE_BASE_IMAGE=localhost/chat-node:20-bookworm

debian_mirror() {
  # First enabled, non-security Debian source of the machine (one-line or deb822 format).
  local url
  url=$(
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
      sed -n -E 's/^deb +(\[[^]]*\] +)?([^ ]+) +bookworm( |$).*/\2/p; s/^URIs: *([^ ]+).*/\1/p' |
      grep -E '/debian/?$' | head -n 1 || true
  )
  echo "${url:-http://deb.debian.org/debian}"
}

ensure_rootfs() {
  local rootfs="$BASE_CACHE/rootfs-bookworm"
  if [[ -f "$rootfs/.complete" ]]; then
    echo "$rootfs"
    return
  fi
  local tmp="$BASE_CACHE/rootfs-bookworm.tmp"
  local mirror
  mirror=$(debian_mirror)
  log "debootstrap: minimal Debian bookworm from $mirror (once; cached in $rootfs)"
  rm -rf "$tmp" "$rootfs"
  mkdir -p "$BASE_CACHE"
  timeout 900 debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$BASE_CACHE/debootstrap.log" 2>&1 ||
    {
      tail -n 20 "$BASE_CACHE/debootstrap.log" >&2
      return 1
    }
  # What a slim image leaves out: package caches, lists, docs, man pages.
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/* "$tmp"/usr/share/doc/* \
    "$tmp"/usr/share/man/* "$tmp"/usr/share/info/* "$tmp"/usr/share/locale/*
  echo "deb $mirror bookworm main" >"$tmp/etc/apt/sources.list"
  mkdir -p "$tmp/etc/ssl/certs" "$tmp/usr/local/bin" "$tmp/usr/local/lib"
  # The official node image's unprivileged user.
  chroot "$tmp" groupadd --gid 1000 node
  chroot "$tmp" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  touch "$tmp/.complete"
  mv "$tmp" "$rootfs"
  echo "$rootfs"
}

image_label() {
  podman image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

ensure_base_images() {
  local rootfs node_bin npm_dir node_version stamp
  rootfs=$(ensure_rootfs)
  node_bin=$(readlink -f "$(command -v node)")
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  node_version=$("$node_bin" --version)
  stamp="$node_version $(stat -c %Y "$rootfs/.complete") $(sha256sum /etc/ssl/certs/ca-certificates.crt | cut -c1-16)"

  if [[ "$(image_label "$DEBIAN_BASE_IMAGE" chat.base.stamp)" != "$stamp" ]]; then
    log "importing $DEBIAN_BASE_IMAGE"
    local stage="$BASE_CACHE/stage"
    rm -rf "$stage" && mkdir -p "$stage/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$stage/etc/ssl/certs/ca-certificates.crt"
    # Files only, by name: podman import refuses an archive that names a path twice.
    tar -C "$rootfs" --exclude=./.complete -c . \
      -C "$stage" ./etc/ssl/certs/ca-certificates.crt |
      podman import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        --change "LABEL chat.base.stamp=\"$stamp\"" \
        - "$DEBIAN_BASE_IMAGE" >/dev/null
    rm -rf "$stage"
  fi

  if [[ "$(image_label "$NODE_BASE_IMAGE" chat.base.stamp)" != "$stamp" ]]; then
    log "importing $NODE_BASE_IMAGE (Node $node_version and npm of this machine)"
    local stage="$BASE_CACHE/stage"
    rm -rf "$stage" && mkdir -p "$stage/etc/ssl/certs" "$stage/usr/local/bin" "$stage/usr/local/lib/node_modules"
    cp /etc/ssl/certs/ca-certificates.crt "$stage/etc/ssl/certs/ca-certificates.crt"
    cp "$node_bin" "$stage/usr/local/bin/node"
    cp -a "$npm_dir" "$stage/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"
    tar -C "$rootfs" --exclude=./.complete -c . \
      -C "$stage" ./etc/ssl/certs/ca-certificates.crt ./usr/local/lib/node_modules \
      ./usr/local/bin/node ./usr/local/bin/npm ./usr/local/bin/npx |
      podman import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
        --change 'CMD ["node"]' \
        --change "LABEL chat.base.stamp=\"$stamp\"" \
        - "$NODE_BASE_IMAGE" >/dev/null
    rm -rf "$stage"
  fi
}
