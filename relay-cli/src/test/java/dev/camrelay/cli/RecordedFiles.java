package dev.camrelay.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a camera's recordings the way an outside tool would, from the documented files only (the CLI's tests may
 * not use the relay's internals): {@code DIR/{camera}/*.avi}, sorted by name, each with its {@code .times} sidecar
 * (16-byte header, then 32-byte records: received micros, capture micros, JPEG offset, JPEG length, 0; little-endian).
 */
final class RecordedFiles {
  private RecordedFiles() {}

  /** The camera's AVI files, oldest first; empty when it has no folder. */
  static List<Path> segments(Path dir, String camera) throws IOException {
    Path cam = dir.resolve(camera);
    if (!Files.isDirectory(cam)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(cam)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".avi")).sorted().toList();
    }
  }

  /** Every recorded JPEG of the segment, in order, read through its sidecar. */
  static List<byte[]> jpegs(Path avi) throws IOException {
    String name = avi.getFileName().toString();
    Path times = avi.resolveSibling(name.substring(0, name.length() - 4) + ".times");
    List<byte[]> out = new ArrayList<>();
    try (FileChannel t = FileChannel.open(times, StandardOpenOption.READ);
        FileChannel a = FileChannel.open(avi, StandardOpenOption.READ)) {
      long count = (t.size() - 16) / 32;
      for (long i = 0; i < count; i++) {
        ByteBuffer r = read(t, 16 + i * 32, 32);
        out.add(read(a, r.getLong(16), r.getInt(24)).array());
      }
    }
    return out;
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("file ends before " + (at + length));
      }
    }
    return b.flip();
  }
}
