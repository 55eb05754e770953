#!/usr/bin/env bash
# Builds the Function App package: the self-contained linux-x64 `huurincasso` executable with
# host.json and one folder per function (function.json written from the function table), zipped.
#
#   infra/publish.sh [--out FILE] [--app-dir DIR] [-- HOST SETTINGS...]
#
# --out      the zip to write (default artifacts/functions/huurincasso-functions.zip)
# --app-dir  take an existing build of the host instead of `dotnet publish` (tests use this)
# after --   settings for the function table, as the Function App has them, e.g.
#            --Storage:Prefix=acc --Segmentation:Schedule="0 3 * * *"; Storage__Prefix and the
#            other app settings in the environment count too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/functions/huurincasso-functions.zip"
app_dir=""
settings=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --app-dir) app_dir="$(realpath "$2")"; shift 2 ;;
    --) shift; settings=("$@"); break ;;
    *) echo "publish.sh: unknown option '$1' (see the comment at the top of the script)" >&2; exit 2 ;;
  esac
done

command -v zip >/dev/null || { echo "publish.sh: 'zip' is needed (apt-get install zip)" >&2; exit 1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

if [[ -z "$app_dir" ]]; then
  # Self-contained: the Functions image has the .NET runtime of the Functions host, not .NET 10.
  dotnet publish "$root/src/HuurIncasso.Host" -c Release -r linux-x64 --self-contained true -p:DebugType=none -o "$stage" >&2
else
  cp -a "$app_dir/." "$stage/"
fi

# Development users and the development webhook secret stay out of the package.
rm -f "$stage/appsettings.Development.json"
cp "$root/host.json" "$stage/host.json"

if [[ -x "$stage/huurincasso" && -z "$app_dir" ]]; then
  "$stage/huurincasso" functions write "$stage" "${settings[@]}" >&2
else
  dotnet "$stage/huurincasso.dll" functions write "$stage" "${settings[@]}" >&2
fi
chmod +x "$stage/huurincasso" 2>/dev/null || true

mkdir -p "$(dirname "$out")"
rm -f "$out"
# zip keeps the unix mode bits, so the executable stays executable when the package is run from.
(cd "$stage" && zip -qr -X "$out" .)
echo "$out"
