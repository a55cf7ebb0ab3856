package dev.camrelay.frame.jpeg;

import dev.camrelay.frame.internal.BufferFeeder;
import dev.camrelay.frame.internal.ByteScan;
import dev.camrelay.frame.internal.JpegWalker;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Push decoder: arbitrary byte chunks in, complete JPEG frames out.
 *
 * <p>Frames are found by walking the JPEG structure, not by searching for {@code FF D9}: marker segments are
 * skipped by their length (so an {@code FF D9} inside a comment or an EXIF thumbnail does not end the frame),
 * and entropy-coded data is scanned for markers, honouring {@code FF 00} stuffing, restart markers, fill bytes
 * and the several scans of a progressive JPEG.
 *
 * <pre>
 * BEFORE (chunks as they arrive, cut anywhere):
 * +---------+------------------+-------------------------+------+---------------------+
 * | 00 00 0D| FF D8 ... FF D9  | FF D8 ... (cut) | ... FF D9  | 47 45 | FF D8 ... (EOF)     |
 * +---------+------------------+-------------------------+------+---------------------+
 *   garbage       frame 1             frame 2            garbage  partial frame
 *
 * AFTER:
 *   onDiscard(GARBAGE, 3)  onFrame(frame 1)  onFrame(frame 2)  onDiscard(GARBAGE, 2)
 *   endOfStream() → onDiscard(TRUNCATED, n)         (a partial frame is never emitted)
 * </pre>
 *
 * <p>Every input byte ends up in exactly one place: an emitted frame or one {@link Discard} report.
 * <ul>
 *   <li>{@link Discard#GARBAGE}: bytes before an SOI ({@code FF D8}), reported when the SOI (or end of stream)
 *       arrives; {@link #garbageBytes()} counts them as they are skipped.</li>
 *   <li>{@link Discard#CORRUPT}: the structure broke (unknown marker, nonsensical segment length, a new SOI
 *       before the EOI, ...); the bytes so far are dropped and the splitter resynchronises at the next SOI.</li>
 *   <li>{@link Discard#OVERSIZED}: the frame grew past {@code maxFrameBytes}; the splitter stops buffering
 *       at once, walks on without storing to the frame's EOI (so the rest of it is not taken for garbage)
 *       and reports the frame's whole size then.</li>
 *   <li>{@link Discard#TRUNCATED}: {@link #endOfStream()} arrived inside a frame.</li>
 * </ul>
 *
 * <p>Limits: never holds more than {@code maxFrameBytes} bytes (the size is checked before the buffer grows).
 * A frame that arrives whole inside one chunk is copied once, straight into its exact-size array; a frame
 * spread over chunks is gathered in a reusable buffer and copied out once. After corruption, resynchronising
 * at the next {@code FF D8} may land on an EXIF thumbnail, which is then emitted as a frame of its own.
 *
 * <p>Not thread-safe: feed it from one thread (or with external synchronisation). Listener calls happen on
 * the feeding thread, inside {@code feed}; an exception thrown by the listener propagates to the caller and
 * the rest of that chunk is not processed.
 */
public final class JpegSplitter {
  /** Default largest frame: 4 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  /** Receives frames and discard reports, on the thread that calls {@code feed}. */
  public interface Listener {
    /** A complete frame; the listener may keep it. */
    void onFrame(JpegFrame frame);

    /** {@code bytes} of input were dropped for {@code reason}; {@code detail} says what was seen. */
    default void onDiscard(Discard reason, long bytes, String detail) {}
  }

  /** Why input bytes were dropped. */
  public enum Discard {
    /** Bytes between frames (before an SOI). */
    GARBAGE,
    /** A frame larger than the maximum frame size. */
    OVERSIZED,
    /** A frame whose JPEG structure is broken. */
    CORRUPT,
    /** A frame cut off by the end of the stream. */
    TRUNCATED
  }

  private static final int INITIAL_BUFFER = 64 * 1024;
  private static final int SEEK = 0;
  private static final int FRAME = 1;
  private static final int SKIP_OVERSIZED = 2;
  private static final byte[] SOI = {(byte) 0xFF, (byte) 0xD8};

  private final int maxFrameBytes;
  private final Listener listener;
  private final JpegWalker walker = new JpegWalker();

  private int mode = SEEK;
  private boolean pendingFF; // SEEK: the previous chunk ended with FF that may start an SOI
  private byte[] buffer; // FRAME: the frame's bytes from earlier chunks
  private int buffered;
  private int frameStart; // FRAME: index in the current chunk where the frame's unbuffered bytes begin
  private long skipped; // SKIP_OVERSIZED: size of the dropped frame so far
  private final BufferFeeder feeder = new BufferFeeder(); // for ByteBuffers

  private long garbageRun;
  private final byte[] garbageHead = new byte[8];
  private int garbageHeadLength;
  private boolean garbageAllZero = true;

  private long framesEmitted;
  private long garbageBytes;
  private long oversizedFrames;
  private long corruptFrames;
  private long truncatedFrames;

  /**
   * @param maxFrameBytes largest frame to emit, at least 4; larger frames are dropped as {@link Discard#OVERSIZED}
   * @param listener receives frames and discard reports
   */
  public JpegSplitter(int maxFrameBytes, Listener listener) {
    if (maxFrameBytes < 4) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 4, was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Consumes {@code buf[off, off+len)}; emits every frame that completes in it. */
  public void feed(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    int pos = off;
    int end = off + len;
    frameStart = off;
    while (pos < end) {
      if (mode == SEEK) {
        pos = seek(buf, pos, end);
      } else if (mode == FRAME) {
        pos = frame(buf, pos, end);
      } else {
        pos = skipOversized(buf, pos, end);
      }
    }
    if (mode == FRAME && frameStart < end) {
      // Keep the frame's bytes from this chunk; frame() never let them grow past maxFrameBytes.
      append(buf, frameStart, end, buffered);
    }
  }

  /**
   * Consumes {@code buf.remaining()} bytes, leaving its position at its limit. A heap buffer is read in place; a
   * direct or read-only one is copied through a reused 16 KiB array, allocated on first use.
   */
  public void feed(ByteBuffer buf) {
    feeder.feed(buf, this::feed);
  }

  /**
   * Ends the stream: a partial frame is reported as {@link Discard#TRUNCATED} (never emitted) and pending
   * garbage as {@link Discard#GARBAGE}. The splitter is then ready for a new stream.
   */
  public void endOfStream() {
    int m = mode;
    mode = SEEK;
    if (m == SEEK) {
      if (pendingFF) {
        pendingFF = false;
        addGarbage(SOI, 0, 1);
      }
      endGarbageRun();
    } else if (m == FRAME) {
      long bytes = buffered;
      buffered = 0;
      truncatedFrames++;
      listener.onDiscard(Discard.TRUNCATED, bytes,
          "stream ended " + walker.describePosition() + " after " + bytes + " bytes of a frame");
    } else {
      oversizedFrames++;
      listener.onDiscard(Discard.OVERSIZED, skipped,
          "frame larger than maxFrameBytes=" + maxFrameBytes + ", stream ended after " + skipped + " bytes of it");
    }
  }

  /** True while a partial frame is buffered (or an oversized one is being skipped). */
  public boolean midFrame() {
    return mode != SEEK;
  }

  /** Frames handed to {@link Listener#onFrame}. */
  public long framesEmitted() {
    return framesEmitted;
  }

  /** Bytes skipped outside frames so far. */
  public long garbageBytes() {
    return garbageBytes;
  }

  /** Frames dropped because they exceeded the maximum frame size. */
  public long oversizedFrames() {
    return oversizedFrames;
  }

  /** Frames dropped because their structure was broken. */
  public long corruptFrames() {
    return corruptFrames;
  }

  /** Partial frames dropped at end of stream. */
  public long truncatedFrames() {
    return truncatedFrames;
  }

  /** Capacity of the gathering buffer, for tests that check memory stays bounded. */
  int bufferCapacity() {
    return buffer == null ? 0 : buffer.length;
  }

  private int seek(byte[] b, int pos, int end) {
    if (pendingFF) {
      pendingFF = false;
      if (b[pos] == (byte) 0xD8) {
        endGarbageRun();
        startFrame(b, pos + 1, true);
        return pos + 1;
      }
      addGarbage(SOI, 0, 1); // the FF was garbage after all
    }
    int from = pos;
    while (true) {
      int ff = ByteScan.indexOfFF(b, from, end);
      if (ff < 0) {
        addGarbage(b, pos, end);
        return end;
      }
      if (ff + 1 == end) {
        addGarbage(b, pos, ff);
        pendingFF = true;
        return end;
      }
      if (b[ff + 1] == (byte) 0xD8) {
        addGarbage(b, pos, ff);
        endGarbageRun();
        startFrame(b, ff, false);
        return ff + 2;
      }
      from = ff + 1;
    }
  }

  /** Starts a frame whose SOI begins at {@code b[at]}, or whose FF was at the end of the previous chunk. */
  private void startFrame(byte[] b, int at, boolean soiSplit) {
    mode = FRAME;
    walker.startAfterSoi();
    if (soiSplit) {
      // b[at] is the byte after D8; the SOI's FF came with an earlier chunk.
      append(SOI, 0, 2, 0);
      frameStart = at;
    } else {
      buffered = 0;
      frameStart = at;
    }
  }

  private int frame(byte[] b, int pos, int end) {
    int limit = (int) Math.min(end, (long) frameStart + maxFrameBytes - buffered);
    int p = walker.walk(b, pos, limit);
    switch (walker.result()) {
      case JpegWalker.COMPLETE:
        emit(b, p);
        return p;
      case JpegWalker.CORRUPT: {
        long bytes = buffered + (long) (p - frameStart);
        mode = SEEK;
        buffered = 0;
        corruptFrames++;
        listener.onDiscard(Discard.CORRUPT, bytes, walker.error());
        return p;
      }
      case JpegWalker.NEW_SOI: {
        long bytes = buffered + (long) (p - frameStart) - 2;
        corruptFrames++;
        restartAt(b, p);
        listener.onDiscard(Discard.CORRUPT, bytes,
            "new SOI at offset " + bytes + " before the EOI (frame cut short)");
        return p;
      }
      default:
        if (p < end) { // stopped at the size limit with more bytes waiting: too big
          skipped = buffered + (long) (p - frameStart);
          buffered = 0;
          mode = SKIP_OVERSIZED;
          return p;
        }
        return end;
    }
  }

  private int skipOversized(byte[] b, int pos, int end) {
    int p = walker.walk(b, pos, end);
    skipped += p - pos;
    String what = "frame larger than maxFrameBytes=" + maxFrameBytes;
    switch (walker.result()) {
      case JpegWalker.COMPLETE:
        mode = SEEK;
        oversizedFrames++;
        listener.onDiscard(Discard.OVERSIZED, skipped, what + " (" + skipped + " bytes)");
        return p;
      case JpegWalker.CORRUPT:
        mode = SEEK;
        oversizedFrames++;
        listener.onDiscard(Discard.OVERSIZED, skipped,
            what + ", then corrupt after " + skipped + " bytes: " + walker.error());
        return p;
      case JpegWalker.NEW_SOI: {
        long bytes = skipped - 2;
        oversizedFrames++;
        frameStart = pos; // no bytes of the dropped frame are kept
        restartAt(b, p);
        listener.onDiscard(Discard.OVERSIZED, bytes, what + ", cut short by a new SOI after " + bytes + " bytes");
        return p;
      }
      default:
        return end;
    }
  }

  /** Starts a new frame at the SOI that ends just before {@code b[p]}. */
  private void restartAt(byte[] b, int p) {
    buffered = 0;
    if (p - 2 >= frameStart) {
      startFrame(b, p - 2, false);
    } else {
      startFrame(b, p, true); // the FF arrived in an earlier chunk
    }
  }

  private void emit(byte[] b, int p) {
    int n = p - frameStart;
    byte[] out;
    if (buffered == 0) {
      out = Arrays.copyOfRange(b, frameStart, p);
    } else {
      // Gather the tail too, then copy out with Arrays.copyOf, which skips zeroing the new array.
      append(b, frameStart, p, buffered);
      out = Arrays.copyOf(buffer, buffered);
      buffered = 0;
    }
    mode = SEEK;
    framesEmitted++;
    listener.onFrame(new JpegFrame(out));
  }

  /** Appends {@code b[from, to)} after {@code have} buffered bytes; the caller guarantees the frame fits. */
  private void append(byte[] b, int from, int to, int have) {
    int n = to - from;
    int need = have + n;
    if (buffer == null || need > buffer.length) {
      int cap = buffer == null ? 0 : buffer.length;
      int grown = (int) Math.min(maxFrameBytes, Math.max(need, Math.max(INITIAL_BUFFER, 2L * cap)));
      byte[] bigger = new byte[grown];
      if (have > 0) {
        System.arraycopy(buffer, 0, bigger, 0, have);
      }
      buffer = bigger;
    }
    System.arraycopy(b, from, buffer, have, n);
    buffered = need;
  }

  private void addGarbage(byte[] b, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    garbageBytes += n;
    garbageRun += n;
    for (int i = from; i < to && garbageHeadLength < garbageHead.length; i++) {
      garbageHead[garbageHeadLength++] = b[i];
    }
    if (garbageAllZero) {
      for (int i = from; i < to; i++) {
        if (b[i] != 0) {
          garbageAllZero = false;
          break;
        }
      }
    }
  }

  private void endGarbageRun() {
    long run = garbageRun;
    if (run == 0) {
      return;
    }
    String detail = garbageAllZero
        ? run + " zero bytes (padding) between frames"
        : run + " bytes outside any frame, starting with " + ByteScan.hex(garbageHead, 0, garbageHeadLength, 8)
            + (run > garbageHeadLength ? " …" : "");
    garbageRun = 0;
    garbageHeadLength = 0;
    garbageAllZero = true;
    listener.onDiscard(Discard.GARBAGE, run, detail);
  }
}
