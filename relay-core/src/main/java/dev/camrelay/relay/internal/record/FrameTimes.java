package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The sidecar next to each segment ({@code 20261202T084430.123456Z.times} beside {@code ….avi}): one fixed-size
 * record per frame, appended in frame order, giving the frame's wall-clock time, its capture time and where its JPEG
 * lies in the AVI file.
 *
 * <p>Why a sidecar: AVI knows only a constant frame rate, so a frame's real time cannot be stored in it (cameras
 * drop frames, vary their rate, pause). An append-only file of fixed-size records is the simplest thing that stays
 * valid after a crash (a torn last record is simply ignored), lets a reader find any moment by binary search
 * without parsing the AVI, and lets a reader follow a segment that is still being written (the recorder flushes
 * the AVI data before the records that point into it). Players ignore it; deleting it loses only the times.
 *
 * <p>Format, little-endian: a {@value #HEADER_BYTES}-byte header ({@code CAMRTIM1}, record size, 0), then records
 * of {@value #RECORD_BYTES} bytes: received-at micros (epoch, the relay's clock), capture micros (the source's clock),
 * file offset of the JPEG's first byte in the AVI, JPEG length, 0.
 */
final class FrameTimes {
  static final int HEADER_BYTES = 16;
  static final int RECORD_BYTES = 32;
  private static final byte[] MAGIC = "CAMRTIM1".getBytes(StandardCharsets.US_ASCII);

  /** One frame's record. */
  record Entry(long receivedMicros, long captureMicros, long offset, int size) {}

  private FrameTimes() {}

  /** The sidecar of an AVI segment: same name, extension {@code .times}. */
  static Path sidecarOf(Path avi) {
    String name = avi.getFileName().toString();
    String base = name.endsWith(".avi") ? name.substring(0, name.length() - 4) : name;
    return avi.resolveSibling(base + ".times");
  }

  static ByteBuffer header() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(RECORD_BYTES).putInt(0);
    return b.flip();
  }

  static void put(ByteBuffer into, Entry e) {
    into.order(ByteOrder.LITTLE_ENDIAN);
    into.putLong(e.receivedMicros()).putLong(e.captureMicros()).putLong(e.offset()).putInt(e.size()).putInt(0);
  }

  /** Complete records in the file now (a torn last record does not count); 0 for a file with a bad header. */
  static long count(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < HEADER_BYTES || !hasHeader(ch)) {
      return 0;
    }
    return (size - HEADER_BYTES) / RECORD_BYTES;
  }

  private static boolean hasHeader(FileChannel ch) throws IOException {
    ByteBuffer b = readAt(ch, 0, HEADER_BYTES);
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        return false;
      }
    }
    return b.getInt(8) == RECORD_BYTES;
  }

  static Entry read(FileChannel ch, long index) throws IOException {
    ByteBuffer b = readAt(ch, HEADER_BYTES + index * RECORD_BYTES, RECORD_BYTES);
    return new Entry(b.getLong(0), b.getLong(8), b.getLong(16), b.getInt(24));
  }

  /** Reads {@code count} records from {@code first} in one go. */
  static Entry[] read(FileChannel ch, long first, int count) throws IOException {
    ByteBuffer b = readAt(ch, HEADER_BYTES + first * RECORD_BYTES, count * RECORD_BYTES);
    Entry[] out = new Entry[count];
    for (int i = 0; i < count; i++) {
      int at = i * RECORD_BYTES;
      out[i] = new Entry(b.getLong(at), b.getLong(at + 8), b.getLong(at + 16), b.getInt(at + 24));
    }
    return out;
  }

  /**
   * Index of the first of the {@code count} records received at or after {@code micros} ({@code count} if none);
   * assumes non-decreasing times, which the recorder guarantees within a segment.
   */
  static long firstAtOrAfter(FileChannel ch, long count, long micros) throws IOException {
    long lo = 0;
    long hi = count;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (read(ch, mid).receivedMicros() < micros) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    long at = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, at);
      if (n < 0) {
        throw new java.io.EOFException("file ends at " + at + ", wanted " + length + " bytes from " + position);
      }
      at += n;
    }
    return b.flip();
  }
}
