package dev.camrelay.relay.internal.past;

import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.record.RecordedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Recorded frames as the parts of a {@code multipart/x-mixed-replace} body in {@link MjpegWriter}'s format, each due
 * at a time the {@link Pace} gives, for {@link BodySender}. Parts with {@code Content-Length} also carry
 * {@code X-Timestamp: <seconds.micros>} (the frame's wall-clock time, as µStreamer names it), which readers that do
 * not know it ignore; with advance headers (browsers, see {@code MjpegRoute.advanceHeaders}) parts have no headers
 * of their own beyond the boundary's, so they carry no time.
 */
final class MjpegPartsSource implements BodySender.Source {
  /** When each frame goes out. */
  interface Pace {
    /** When frame number {@code index} (from 0), recorded at {@code micros}, is due ({@link System#nanoTime()}). */
    long dueNanos(int index, long micros);
  }

  /** The recording's own pace, {@code speed} times faster, starting now. */
  static Pace recorded(double speed) {
    return new Pace() {
      private long startNanos;
      private long firstMicros;

      @Override
      public long dueNanos(int index, long micros) {
        if (index == 0) {
          startNanos = System.nanoTime();
          firstMicros = micros;
        }
        return startNanos + (long) ((micros - firstMicros) * 1000 / speed);
      }
    };
  }

  /** {@code fps} frames a second whatever their recorded times, starting now. */
  static Pace fixed(double fps) {
    return new Pace() {
      private long startNanos;

      @Override
      public long dueNanos(int index, long micros) {
        if (index == 0) {
          startNanos = System.nanoTime();
        }
        return startNanos + (long) (index * 1e9 / fps);
      }
    };
  }

  private final Iterator<RecordedFrame> frames;
  private final AutoCloseable closer;
  private final MjpegWriter writer;
  private final boolean advance;
  private final Pace pace;
  private int index;

  /** {@code closer} is closed with this source (the cursor behind {@code frames}). */
  MjpegPartsSource(Iterator<RecordedFrame> frames, AutoCloseable closer, MjpegWriter writer, boolean advance,
      Pace pace) {
    this.frames = frames;
    this.closer = closer;
    this.writer = writer;
    this.advance = advance;
    this.pace = pace;
  }

  @Override
  public BodySender.Chunk next() throws IOException {
    if (!frames.hasNext()) {
      return null;
    }
    RecordedFrame f = frames.next();
    ByteBuf part;
    if (advance) {
      byte[] first = index == 0 ? writer.advanceHeader() : new byte[0];
      part = Unpooled.wrappedBuffer(first, f.jpeg(), writer.advanceTrailer());
    } else {
      part = Unpooled.wrappedBuffer(header(f), f.jpeg(), writer.partTrailer());
    }
    long due = pace.dueNanos(index++, f.epochMicros());
    return new BodySender.Chunk(part, due);
  }

  /** The writer's part header with X-Timestamp before its closing blank line. */
  private byte[] header(RecordedFrame f) {
    byte[] plain = writer.partHeader(f.jpeg().length);
    byte[] stamp = String.format("X-Timestamp: %d.%06d\r\n\r\n", Math.floorDiv(f.epochMicros(), 1_000_000),
        Math.floorMod(f.epochMicros(), 1_000_000)).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[plain.length - 2 + stamp.length];
    System.arraycopy(plain, 0, out, 0, plain.length - 2);
    System.arraycopy(stamp, 0, out, plain.length - 2, stamp.length);
    return out;
  }

  @Override
  public void close() {
    try {
      closer.close();
    } catch (Exception e) {
      // a reader's close does not fail in a way the client could be told of
    }
  }
}
