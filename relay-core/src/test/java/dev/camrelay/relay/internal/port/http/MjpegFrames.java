package dev.camrelay.relay.internal.port.http;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import dev.camrelay.frame.mjpeg.MjpegReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Reads JPEG frames out of an MJPEG response body with frame-protocol's {@link MjpegReader}. */
final class MjpegFrames {
  private final InputStream in;
  private final MjpegReader reader;
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  final List<String> discards = new ArrayList<>();

  MjpegFrames(InputStream in, String contentType) throws IOException {
    this.in = in;
    this.reader = new MjpegReader(MjpegReader.boundaryOf(contentType), 4 * 1024 * 1024, new JpegSplitter.Listener() {
      @Override
      public void onFrame(JpegFrame frame) {
        ready.add(frame.toByteArray());
      }

      @Override
      public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
        discards.add(reason + " " + bytes + " " + detail);
      }
    });
  }

  byte[] next() throws IOException {
    byte[] buffer = new byte[4096];
    while (ready.isEmpty()) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new EOFException("stream ended");
      }
      reader.feed(buffer, 0, n);
    }
    return ready.poll();
  }
}
