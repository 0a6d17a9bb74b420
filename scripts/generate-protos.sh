#!/usr/bin/env bash
# Regenerates the committed Swift code of the study service's two gRPC interfaces (Protos/*.proto) into
# Sources/StudyService/Generated/. Run it after editing a .proto; the build itself never runs protoc.
#
# Needs protoc (Debian: apt-get install protobuf-compiler) and the two Swift plugins, which it builds once in a
# throw-away package outside the repo (grpc-swift-protobuf 2.4.1 and swift-protobuf 1.39.0, as Package.swift).
#   scripts/generate-protos.sh            # plugins cached in $SYMSTUDY_PROTOC_PLUGINS (default /tmp/symstudy-protoc-plugins)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }

PLUGINS="${SYMSTUDY_PROTOC_PLUGINS:-/tmp/symstudy-protoc-plugins}"
BIN="$PLUGINS/.build/release"
if [ ! -x "$BIN/protoc-gen-swift" ] || [ ! -x "$BIN/protoc-gen-grpc-swift-2" ]; then
  mkdir -p "$PLUGINS/Empty"
  cat > "$PLUGINS/Package.swift" <<'SWIFT'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "protoc-plugins",
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [.target(name: "Empty", path: "Empty")]
)
SWIFT
  echo "" > "$PLUGINS/Empty/empty.swift"
  (cd "$PLUGINS" && swift build -c release --product protoc-gen-swift && swift build -c release --product protoc-gen-grpc-swift-2) >&2
fi

OUT=Sources/StudyService/Generated
mkdir -p "$OUT"
for proto in Protos/*.proto; do
  protoc -I Protos \
    --plugin=protoc-gen-swift="$BIN/protoc-gen-swift" --swift_out="$OUT" --swift_opt=Visibility=Internal \
    --plugin=protoc-gen-grpc-swift-2="$BIN/protoc-gen-grpc-swift-2" --grpc-swift-2_out="$OUT" \
    --grpc-swift-2_opt=Visibility=Internal,Server=true,Client=true \
    "$proto"
done
echo "generated: $(ls "$OUT" | tr '\n' ' ')" >&2
