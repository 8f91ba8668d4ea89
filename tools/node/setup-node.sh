# shellcheck shell=bash
# Source this file (". tools/node/setup-node.sh") to get Node 24 on PATH.
#
# If the machine's node is already 24.15+ nothing is installed. Otherwise the npm package
# `node@24` (the official binaries, published on the npm registry) is installed into a cache
# folder, put first on PATH, and npm_config_nodedir is pointed at its headers so that native
# modules are built for Node 24, not for the machine's older Node.
#
# Variables: NODE24_CACHE (default: $HOME/.cache/oneroster-node24).

_or_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a===24&&b>=15?0:1)' 2>/dev/null
}

if ! _or_node_ok; then
  NODE24_CACHE="${NODE24_CACHE:-$HOME/.cache/oneroster-node24}"
  _or_bin="$NODE24_CACHE/node_modules/node/bin"
  if [ ! -x "$_or_bin/node" ] || ! PATH="$_or_bin:$PATH" _or_node_ok; then
    echo "setup-node: installing Node 24 from the npm registry into $NODE24_CACHE" >&2
    mkdir -p "$NODE24_CACHE"
    npm install --prefix "$NODE24_CACHE" --no-save --no-audit --no-fund --loglevel=error node@24 >&2 || {
      echo "setup-node: could not install node@24 (see the npm output above)" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$_or_bin:$PATH"
  for _or_dir in "$NODE24_CACHE"/node_modules/node/node_modules/node-*-*; do
    [ -d "$_or_dir/include/node" ] && export npm_config_nodedir="$_or_dir"
  done
  unset _or_dir
  unset _or_bin
fi
unset -f _or_node_ok
# Nx: no daemon, no terminal UI, never contact Nx Cloud.
export NX_DAEMON="${NX_DAEMON:-false}" NX_TUI="${NX_TUI:-false}" NX_NO_CLOUD=true NG_CLI_ANALYTICS=false
echo "setup-node: using node $(node -v) from $(command -v node)" >&2
