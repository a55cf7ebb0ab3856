#!/bin/sh
# Builds camrelay_<version>_<arch>.deb with the JDK's jpackage: a bundled Java runtime (jlink), the native launcher
# /opt/camrelay/bin/camrelay and, through the maintainer scripts in resources/, the systemd service.
# Run by `mvn -P deb package` (relay-cli); needs a JDK 17+ with jmods, dpkg-deb and fakeroot.
#   usage: build-deb.sh <project version> <relay-cli target dir>
set -eu
version=$1
target=$2
here=$(cd "$(dirname "$0")" && pwd -P)
dist=$here/..

input=$target/jpackage/input
rm -rf "$target/jpackage"
mkdir -p "$input/lib" "$input/conf" "$input/systemd"
cp "$target/camrelay.jar" "$input/lib/"
cp "$dist/conf/camrelay.properties" "$input/conf/"
cp "$dist/systemd/camrelay.service" "$input/systemd/"

# Debian sorts 0.1.0~SNAPSHOT before 0.1.0; jpackage takes the version as given.
deb_version=$(echo "$version" | sed 's/-SNAPSHOT$/~SNAPSHOT/')

# The bundled runtime. Modules: what `jdeps --multi-release 17 --ignore-missing-deps --print-module-deps
# camrelay.jar` names (java.desktop is ImageIO, which draws the --demo camera's frames), plus jdk.crypto.ec, a
# security provider jdeps cannot see, for TLS keystores with EC keys (the README's keytool example). The relay is
# headless: dropping AWT's X11, splash-screen and sound libraries keeps X11 and ALSA out of the package's Depends.
runtime=$target/jpackage/runtime
jlink --output "$runtime" --strip-debug --no-header-files --no-man-pages \
  --add-modules java.base,java.compiler,java.desktop,java.net.http,java.sql,jdk.unsupported,jdk.crypto.ec
rm -f "$runtime/lib/libawt_xawt.so" "$runtime/lib/libsplashscreen.so" "$runtime/lib/libjsound.so"

# The same JVM flags as bin/camrelay; on an installed package they are in /opt/camrelay/lib/app/camrelay.cfg.
exec jpackage --type deb --dest "$target" \
  --name camrelay --app-version "$deb_version" \
  --description "Relays live JPEG video from network cameras to browsers, VLC, Home Assistant and Java code" \
  --vendor camrelay --license-file "$here/../../../../LICENSE" \
  --input "$input" --main-jar lib/camrelay.jar --main-class dev.camrelay.cli.CamrelayCommand \
  --runtime-image "$runtime" \
  --java-options "-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError" \
  --install-dir /opt \
  --linux-package-name camrelay --linux-app-category net --linux-deb-maintainer camrelay@localhost \
  --resource-dir "$here/resources"
