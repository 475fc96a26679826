# build-aux/common.sh — shared by build-aux/run and build-aux/test
#
# Copyright 2026 The Relay authors
# SPDX-License-Identifier: GPL-3.0-or-later

# Debian 12 / Ubuntu 24.04 packages that building Relay needs.
RELAY_BUILD_PACKAGES=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev nettle-dev libsqlite3-dev
  desktop-file-utils appstream
)

# What the running app and the sandbox need besides the libraries.
RELAY_RUN_PACKAGES=(
  gnome-keyring dbus-user-session
)

# What the test suites need on top: a display, a session bus with a real
# keyring, the reference implementations, the browser, the fuzzers.
RELAY_TEST_PACKAGES=(
  xvfb xauth dbus dbus-x11 gnome-keyring
  python3 python3-oauthlib python3-gi gir1.2-secret-1 libsecret-tools
  liboauth-dev chromium chromium-driver
  clang libclang-rt-14-dev curl openssl stress-ng
  flatpak-builder imagemagick locales
)

# npm packages the tests compare against (the signature-secret oracle),
# installed by relay_npm_install into tests/node-oracle/ of the tree.
RELAY_NPM_PACKAGES=(
  @vonage/sms@1.21.0
)

relay_log () {
  printf '\033[1m==> %s\033[0m\n' "$*" >&2
}

# relay_install PACKAGE... — installs those not yet installed, as root or
# through sudo; otherwise names them and stops.
relay_install () {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "These packages are missing; install them as root: ${missing[*]}" >&2
      return 1
    fi
  fi

  relay_log "Installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  # Ubuntu 24.04 calls the clang runtime differently; skip what this
  # release does not have rather than failing the whole install.
  local available=()
  for pkg in "${missing[@]}"; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then
      available+=("$pkg")
    else
      echo "Package $pkg is not available on this system; skipping it." >&2
    fi
  done
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${available[@]}"
}

# relay_install_node — Node.js and npm for the npm oracles, from Debian
# unless a node and npm are there already (NodeSource's nodejs bundles
# npm and conflicts with Debian's npm package).
relay_install_node () {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return 0
  fi
  relay_install nodejs npm
}

# relay_npm_install PREFIX — installs RELAY_NPM_PACKAGES under PREFIX
# (PREFIX/node_modules) unless they are there already.
relay_npm_install () {
  local prefix=$1 pkg missing=()
  for pkg in "${RELAY_NPM_PACKAGES[@]}"; do
    [ -f "$prefix/node_modules/${pkg%@*}/package.json" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  relay_log "Installing ${missing[*]} from npm into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "${missing[@]}"
}

# relay_configure BUILDDIR SRCDIR [MESON ARGS...] — configures once, and
# applies the options again to an existing build folder.
relay_configure () {
  local builddir=$1 srcdir=$2
  shift 2
  if [ -f "$builddir/build.ninja" ]; then
    meson configure "$builddir" "$@" >/dev/null
  else
    meson setup "$builddir" "$srcdir" "$@"
  fi
}
