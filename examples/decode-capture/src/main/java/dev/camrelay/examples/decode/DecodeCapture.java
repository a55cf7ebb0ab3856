package dev.camrelay.examples.decode;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.frame.jpeg.JpegSplitter;
import dev.camrelay.frame.mjpeg.MjpegFormatException;
import dev.camrelay.frame.mjpeg.MjpegReader;
import dev.camrelay.frame.sniff.StreamSniffer;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.ProtocolException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a recorded camera stream with frame-protocol and prints one line per frame: index, byte offset in the file,
 * size and resolution. Recognizes three kinds of capture:
 *
 * <pre>
 *   raw JPEGs back to back      FF D8 … FF D9 FF D8 … FF D9 …     (e.g. nc -l 3008 > capture.jpgs)
 *   framed protocol             "CRLY" header, HELLO, FRAME, …    (a recorded ESP32 connection)
 *   MJPEG multipart             --boundary / HTTP/1.x 200 …       (e.g. curl -s http://cam:81/stream > capture.mjpeg)
 * </pre>
 *
 * The capture is read into memory (fine for captures up to a few hundred MB). Usage:
 * {@code DecodeCapture FILE [--max-frame-size BYTES]}. Exit status 0, or 1 if the file cannot be read or recognized.
 */
public final class DecodeCapture {
  private final PrintStream out;
  private final byte[] data;
  private final int maxFrameBytes;
  private int index;
  private int cursor;
  private long discardedBytes;
  private int discardedFrames;

  DecodeCapture(byte[] data, int maxFrameBytes, PrintStream out) {
    this.data = data;
    this.maxFrameBytes = maxFrameBytes;
    this.out = out;
  }

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the example; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args[0].startsWith("-")) {
      err.println("usage: DecodeCapture FILE [--max-frame-size BYTES]");
      return 1;
    }
    int max = JpegSplitter.DEFAULT_MAX_FRAME_BYTES;
    if (args.length >= 3 && args[1].equals("--max-frame-size")) {
      max = Integer.parseInt(args[2]);
    }
    byte[] data;
    try {
      data = Files.readAllBytes(Path.of(args[0]));
    } catch (IOException e) {
      err.println("cannot read " + args[0] + ": " + e);
      return 1;
    }
    try {
      return new DecodeCapture(data, max, out).decode(err);
    } catch (IOException e) {
      err.println(args[0] + ": " + e.getMessage());
      return 1;
    }
  }

  int decode(PrintStream err) throws IOException {
    String head = new String(data, 0, Math.min(data.length, 64), StandardCharsets.ISO_8859_1);
    if (head.startsWith("--") || head.startsWith("HTTP/1.")) {
      out.println("MJPEG multipart capture, " + data.length + " bytes");
      decodeMjpeg(head.startsWith("HTTP/1."));
    } else {
      StreamSniffer.Result kind = StreamSniffer.sniff(data, 0, Math.min(data.length, StreamSniffer.MAX_BYTES_NEEDED));
      switch (kind.kind()) {
        case RAW_JPEG -> {
          out.println("raw JPEG capture, " + data.length + " bytes");
          decodeRaw();
        }
        case FRAMED -> {
          out.println("framed protocol capture, " + data.length + " bytes");
          decodeFramed();
        }
        default -> {
          err.println("not a camera capture: " + kind.description());
          return 1;
        }
      }
    }
    out.printf(Locale.ROOT, "%d frames%s%n", index,
        discardedFrames + discardedBytes > 0
            ? ", " + discardedFrames + " bad frames discarded, " + discardedBytes + " bytes skipped" : "");
    return 0;
  }

  private void decodeRaw() {
    JpegSplitter splitter = new JpegSplitter(maxFrameBytes, listener());
    feedInChunks(data, 0, (buf, off, len) -> splitter.feed(buf, off, len));
    splitter.endOfStream();
  }

  private void decodeMjpeg(boolean withHttpHeaders) throws MjpegFormatException {
    int bodyStart = 0;
    String boundary;
    if (withHttpHeaders) {
      int end = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
      if (end < 0) {
        throw new MjpegFormatException("HTTP headers without an end");
      }
      String headers = new String(data, 0, end, StandardCharsets.ISO_8859_1);
      String contentType = headers.lines()
          .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
          .map(l -> l.substring("content-type:".length()).trim()).findFirst()
          .orElseThrow(() -> new MjpegFormatException("no Content-Type header"));
      boundary = MjpegReader.boundaryOf(contentType);
      bodyStart = end + 4;
    } else {
      int lineEnd = indexOf(data, new byte[] {'\n'}, 0);
      boundary = new String(data, 2, (lineEnd < 0 ? data.length : lineEnd) - 2, StandardCharsets.ISO_8859_1).strip();
    }
    out.println("boundary \"" + boundary + "\"");
    MjpegReader reader = new MjpegReader(boundary, maxFrameBytes, listener());
    cursor = bodyStart;
    MjpegFormatException[] failure = new MjpegFormatException[1];
    feedInChunks(data, bodyStart, (buf, off, len) -> {
      if (failure[0] == null) {
        try {
          reader.feed(buf, off, len);
        } catch (MjpegFormatException e) {
          failure[0] = e;
        }
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    reader.endOfStream();
  }

  private void decodeFramed() throws ProtocolException {
    long[] offset = {0};
    MessageDecoder decoder = new MessageDecoder(maxFrameBytes, m -> {
      long at = offset[0];
      offset[0] += Message.HEADER_LENGTH + m.payloadLength();
      if (m.type() == MessageType.FRAME) {
        byte[] jpeg = m.payloadBytes();
        print(at + Message.HEADER_LENGTH, jpeg, String.format(Locale.ROOT, "  seq %d  t %.3f s", m.sequence(),
            m.timestampMicros() / 1e6));
      } else if (m.type() == MessageType.HELLO) {
        try {
          out.println("HELLO " + Hello.decode(m)); // Hello.toString() never shows the token
        } catch (ProtocolException e) {
          out.println("bad HELLO: " + e.getMessage());
        }
      } else {
        out.println((m.type() == null ? "type 0x" + Integer.toHexString(m.typeCode()) : m.type()) + " at offset "
            + at + ", " + m.payloadLength() + " bytes");
      }
    });
    decoder.feed(data, 0, data.length);
    if (decoder.midMessage()) {
      out.println("  the capture ends inside a message (recording stopped mid-frame); "
          + (data.length - offset[0]) + " bytes skipped");
      discardedBytes += data.length - offset[0];
    }
  }

  private JpegSplitter.Listener listener() {
    return new JpegSplitter.Listener() {
      @Override
      public void onFrame(JpegFrame frame) {
        byte[] jpeg = frame.toByteArray();
        int at = find(jpeg);
        print(at, jpeg, "");
        if (at >= 0) {
          cursor = at + jpeg.length;
        }
      }

      @Override
      public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
        if (reason == JpegSplitter.Discard.GARBAGE) {
          discardedBytes += bytes;
        } else {
          discardedFrames++;
          discardedBytes += bytes;
        }
        out.println("  discarded " + bytes + " bytes: " + reason + " (" + detail + ")");
      }
    };
  }

  private void print(long offset, byte[] jpeg, String extra) {
    index++;
    String resolution;
    try {
      JpegInfo info = JpegInfo.of(JpegFrame.parse(jpeg));
      resolution = info.width() + "x" + info.height() + (info.progressive() ? " progressive" : "");
    } catch (JpegFormatException e) {
      resolution = "unreadable: " + e.getMessage();
    }
    out.printf(Locale.ROOT, "#%-4d offset %-9d %8d bytes  %s%s%n", index, offset, jpeg.length, resolution, extra);
  }

  /** The frame's offset in the file: the next place at or after the cursor holding exactly these bytes. */
  private int find(byte[] jpeg) {
    int from = cursor;
    while (true) {
      int at = indexOf(data, Arrays.copyOf(jpeg, Math.min(jpeg.length, 16)), from);
      if (at < 0) {
        return -1;
      }
      if (at + jpeg.length <= data.length && Arrays.equals(data, at, at + jpeg.length, jpeg, 0, jpeg.length)) {
        return at;
      }
      from = at + 1;
    }
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private interface Feeder {
    void feed(byte[] buf, int off, int len);
  }

  /** Feeds like a network would: in 64 KiB chunks, so frames straddle chunk boundaries. */
  private static void feedInChunks(byte[] data, int start, Feeder feeder) {
    for (int off = start; off < data.length; off += 64 * 1024) {
      feeder.feed(data, off, Math.min(64 * 1024, data.length - off));
    }
  }
}
