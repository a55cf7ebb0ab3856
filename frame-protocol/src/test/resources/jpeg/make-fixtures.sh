#!/bin/sh
# Regenerates the JPEG test fixtures in this folder. Documents how each one was made; the committed files are
# the reference (encoders change between versions, so re-running may give different bytes and the expected
# values in the tests would need re-checking with ffprobe).
# Needs: ffmpeg, ImageMagick 6 (/usr/bin/convert), exiftool, JDK 17+ (for FixtureTool.java).
set -eu
cd "$(dirname "$0")"
IM=/usr/bin/convert           # /usr/local/bin/convert may be a stand-in
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# Baseline 4:2:0, 320x240, like a small camera frame (JFIF + COM "Lavc..." + DQT + SOF0 + DHT + SOS).
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -pix_fmt yuvj420p -q:v 5 baseline-420.jpg
# Baseline 4:2:2.
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -pix_fmt yuvj422p -q:v 5 baseline-422.jpg
# Grayscale (one component; ffmpeg -pix_fmt gray still writes three).
$IM baseline-420.jpg -colorspace Gray -type Grayscale -quality 75 grayscale.jpg
# Progressive (SOF2, ten scans with DHT segments between them).
$IM baseline-420.jpg -interlace JPEG -quality 75 progressive.jpg
# Tiny: 8x8.
ff -f lavfi -i color=c=red:size=8x8:rate=1 -frames:v 1 -pix_fmt yuvj420p tiny-8x8.jpg
# Large: 1600x1200 at the lowest quality, still < 60 KB.
ff -f lavfi -i testsrc2=size=1600x1200:rate=1 -frames:v 1 -pix_fmt yuvj420p -q:v 31 large-1600x1200.jpg
# EXIF with a 160x120 JPEG thumbnail in APP1 (an embedded SOI..EOI inside a segment).
ff -f lavfi -i testsrc2=size=160x120:rate=1 -frames:v 1 -pix_fmt yuvj420p -q:v 8 "$T/thumb.jpg"
cp baseline-420.jpg exif-thumbnail.jpg
exiftool -q -overwrite_original '-ThumbnailImage<='"$T/thumb.jpg" -Make=camrelay -Model=fixture exif-thumbnail.jpg
# Restart markers: re-encoded by the JDK's JPEG writer with a DRI segment (interval 4 MCUs) -> FF DD, FF D0..D7.
java FixtureTool.java restart baseline-420.jpg restart-markers.jpg 4
# A COM segment whose text holds FF D9 and FF D8 (must be skipped by its length, not ending the frame).
java FixtureTool.java comment baseline-420.jpg comment-with-ffd9.jpg
# Camera-like frames for stream tests: 800x600, q4, three consecutive moving test-pattern frames (~30-40 KB).
ff -f lavfi -i testsrc2=size=800x600:rate=10 -frames:v 3 -pix_fmt yuvj420p -q:v 4 "camera-800x600-%d.jpg"

# For the Huffman re-coder and RTP/JPEG (recoder/): ffmpeg encodes with image-specific ("optimal") Huffman tables by
# default, but falls back to the standard tables and writes DRI + RSTn (one interval per MCU row) when it encodes
# in slices. Note its 4:2:2 is Y 2x2 + chroma 1x2 (not RFC 2435 type 0) and its 4:4:4 is 1x2 for every component.
ff -f lavfi -i testsrc2=size=176x144:rate=1 -frames:v 1 -c:v mjpeg -q:v 3 -pix_fmt yuvj444p recoder/ffmpeg-optimal-444.jpg
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -c:v mjpeg -q:v 3 -threads 4 -slices 4 -pix_fmt yuvj422p recoder/ffmpeg-sliced-422-restart.jpg
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -c:v mjpeg -q:v 3 -threads 4 -slices 4 -pix_fmt yuvj420p recoder/ffmpeg-sliced-420-restart.jpg
# Standard (JPEG Annex K) Huffman tables, as RFC 2435 (RTP/JPEG) receivers assume: ffmpeg's default is "optimal".
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -pix_fmt yuvj420p -q:v 5 -huffman default standard-huffman-420.jpg
# 4:4:4 chroma sampling (which RFC 2435 cannot carry).
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -pix_fmt yuvj444p -q:v 5 -huffman default yuv444.jpg

# Check with a hexdump that the fixtures hold what their names promise.
markers() { xxd -p "$1" | tr -d '\n' | fold -w2 | paste -sd' ' | grep -o "ff $2" | wc -l; }
[ "$(markers recoder/ffmpeg-sliced-420-restart.jpg dd)" -eq 1 ] || { echo "ffmpeg-sliced-420-restart.jpg: no DRI"; exit 1; }
[ "$(markers restart-markers.jpg dd)" -eq 1 ] || { echo "restart-markers.jpg: no DRI (FF DD)"; exit 1; }
[ "$(markers restart-markers.jpg 'd[0-7]')" -gt 8 ] || { echo "restart-markers.jpg: no RSTn (FF D0..D7)"; exit 1; }
[ "$(markers progressive.jpg c2)" -eq 1 ] || { echo "progressive.jpg: no SOF2"; exit 1; }
[ "$(markers exif-thumbnail.jpg d8)" -eq 2 ] || { echo "exif-thumbnail.jpg: no embedded thumbnail"; exit 1; }
[ "$(markers comment-with-ffd9.jpg d9)" -eq 2 ] || { echo "comment-with-ffd9.jpg: no FF D9 in the comment"; exit 1; }
for f in ./*.jpg recoder/*.jpg; do [ "$(wc -c < "$f")" -lt 61440 ] || { echo "$f is not < 60 KB"; exit 1; }; done

ls -l ./*.jpg
