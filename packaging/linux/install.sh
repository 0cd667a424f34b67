#!/usr/bin/env bash
# Install the Linux bundle for the current user: program in ~/.local/opt/complaint-desk,
# a launcher in ~/.local/bin, the menu entry and the icon. Data stays in ~/.local/share/ComplaintDesk.
# Usage: packaging/linux/install.sh [BUNDLE_DIR]   (default dist/complaint-desk)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bundle=${1:-$here/../../dist/complaint-desk}
prefix=${PREFIX:-$HOME/.local}
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications" "$prefix/share/icons/hicolor/scalable/apps"
rm -rf "$prefix/opt/complaint-desk"
cp -a "$bundle" "$prefix/opt/complaint-desk"
ln -sf "$prefix/opt/complaint-desk/complaint-desk" "$prefix/bin/complaint-desk"
ln -sf "$prefix/opt/complaint-desk/complaint-desk-cli" "$prefix/bin/complaint-desk-cli"
cp "$here/complaint-desk.desktop" "$prefix/share/applications/"
cp "$here/../../resources/icons/complaint-desk.svg" "$prefix/share/icons/hicolor/scalable/apps/"
echo "Installed in $prefix/opt/complaint-desk"
