#!/bin/sh
# Re-create src/wickgraph/server/page/vendor/editor.js (the query page's SPARQL editor) from the npm registry.
# The packages are pinned; the bundle and the licences are committed, so CI and users never need npm.
# Usage: scripts/refresh-editor.sh [--update]   (needs node and npm; writes vendor/ and, with --update, the lock
# file in scripts/editor/; builds in a temp dir)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/src/wickgraph/server/page/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/scripts/editor/entry.js" "$work/entry.js"
cd "$work"
if [ -f "$here/scripts/editor/package-lock.json" ] && [ "${1:-}" != "--update" ]; then
  # every package, transitive ones too, at the version and checksum the lock file names
  cp "$here/scripts/editor/package.json" "$here/scripts/editor/package-lock.json" .
  npm ci --no-audit --no-fund >/dev/null
else
  # --update: resolve the pinned direct packages again and write a new lock file
  npm init -y >/dev/null
  npm install --no-audit --no-fund --save-exact \
    @codemirror/view@6.44.2 @codemirror/state@6.7.6 @codemirror/language@6.13.1 \
    @codemirror/autocomplete@6.20.4 @codemirror/commands@6.11.2 @codemirror/legacy-modes@6.5.5 \
    esbuild@0.28.2 >/dev/null
  sed -i 's/"name": "[^"]*"/"name": "wickgraph-editor"/' package.json package-lock.json
  cp package.json package-lock.json "$here/scripts/editor/"
fi
npx esbuild entry.js --bundle --minify --format=iife --target=es2020 --legal-comments=none \
  --outfile="$out/editor.js"
mkdir -p "$out/licenses"
for pkg in view state language autocomplete commands legacy-modes; do
  cp "node_modules/@codemirror/$pkg/LICENSE" "$out/licenses/codemirror-$pkg.LICENSE"
done
for dep in @codemirror/streamparser @lezer/common @lezer/highlight @lezer/lr style-mod w3c-keyname crelt @marijn/find-cluster-break; do
  if [ -f "node_modules/$dep/LICENSE" ]; then
    cp "node_modules/$dep/LICENSE" "$out/licenses/$(echo "$dep" | tr '/' '-' | sed 's/^@//').LICENSE"
  fi
done
{ echo "# the packages bundled into editor.js (npm ls, esbuild left out: it builds, it is not bundled)"
  npm ls --all 2>/dev/null | tail -n +2 | grep -v -e esbuild -e '^$' || true; } > "$out/versions.txt"
echo "wrote $out/editor.js ($(wc -c < "$out/editor.js") bytes)"
