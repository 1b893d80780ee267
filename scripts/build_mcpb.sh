#!/usr/bin/env bash
# Build the MCP Bundle for Claude Desktop: dist/hostaway-mcp-<version>.mcpb
#
#   bash scripts/build_mcpb.sh              # validate, stage, pack, then start the packed server once
#   bash scripts/build_mcpb.sh --validate   # only check versions and `mcpb validate manifest.json`
#
# Needs Node (npx) for the @anthropic-ai/mcpb CLI, python3 (3.11+) and uv. The bundle is of the
# manifest's "uv" server type: it carries the sources, pyproject.toml and uv.lock, and the host's uv
# installs the locked dependencies on first start.
set -euo pipefail
cd "$(dirname "$0")/.."

MCPB_VERSION="${MCPB_VERSION:-2.1.2}"
mcpb() { npx --yes "@anthropic-ai/mcpb@${MCPB_VERSION}" "$@"; }
UV_BIN="${UV:-uv}"  # `uv run` sets UV to itself

# One version: hostaway_mcp/__init__.py. The manifest and server.json must repeat it.
version="$(python3 - <<'PY'
import json, re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))
init = open(project["tool"]["hatch"]["version"]["path"], encoding="utf-8").read()
version = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", init, re.M).group(1)
manifest = json.load(open("manifest.json", encoding="utf-8"))
server = json.load(open("server.json", encoding="utf-8"))
found = {
    "manifest.json": manifest["version"],
    "server.json": server["version"],
    **{f"server.json packages[{i}]": p["version"] for i, p in enumerate(server["packages"])},
}
wrong = {k: v for k, v in found.items() if v != version}
if wrong:
    sys.exit(f"version mismatch: __version__ is {version}, but {wrong}")
print(version)
PY
)"

mcpb validate manifest.json
if [[ "${1:-}" == "--validate" ]]; then
  exit 0
fi

# Stage only what the bundle needs: the manifest and icon, the project's metadata and lock, the
# packages the wheel ships (pyproject's list; a name without a directory yet is skipped), and the
# entry point. No tests, caches, virtualenvs or local files.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp manifest.json icon.png pyproject.toml uv.lock README.md "$stage/"
mkdir "$stage/server"
cp scripts/mcpb_main.py "$stage/server/main.py"
packages="$(python3 -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]))')"
for package in $packages; do
  if [[ -d "$package" ]]; then
    tar -cf - --exclude=__pycache__ --exclude='*.py[co]' --exclude=.DS_Store "$package" | tar -xf - -C "$stage"
  fi
done

mkdir -p dist
bundle="dist/hostaway-mcp-${version}.mcpb"
rm -f "$bundle"
mcpb pack "$stage" "$bundle"
mcpb info "$bundle"

# Start the packed server once the way the manifest tells the host to (uv run in the unpacked
# bundle), with the demo account: proves the bundle has everything it needs.
unpacked="$(mktemp -d)"
trap 'rm -rf "$stage" "$unpacked"' EXIT
mcpb unpack "$bundle" "$unpacked" >/dev/null
env -u VIRTUAL_ENV -u UV_PROJECT_ENVIRONMENT \
  "$UV_BIN" run --directory "$unpacked" --frozen --no-dev hostaway-mcp check --demo 2>&1 | tail -n 1
echo "built $bundle"
