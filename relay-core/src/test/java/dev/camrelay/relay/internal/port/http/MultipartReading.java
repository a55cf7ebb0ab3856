package dev.camrelay.relay.internal.port.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Strict reader of the relay's own MJPEG part format, byte for byte (MjpegWriter's format):
 * {@code --camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: N\r\n\r\n<N bytes>\r\n}.
 * Anything else fails, so tests relying on it also check the exact wire format.
 */
final class MultipartReading {
  private MultipartReading() {}

  static byte[] readPart(InputStream in) throws IOException {
    expect(in, "--camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: ");
    StringBuilder digits = new StringBuilder();
    int b;
    while ((b = read(in)) != '\r') {
      if (b < '0' || b > '9' || digits.length() > 9) {
        throw new IOException("bad Content-Length digit " + b);
      }
      digits.append((char) b);
    }
    expect(in, "\n\r\n");
    int length = Integer.parseInt(digits.toString());
    byte[] jpeg = in.readNBytes(length);
    if (jpeg.length != length) {
      throw new EOFException("part cut short");
    }
    expect(in, "\r\n");
    return jpeg;
  }

  private static void expect(InputStream in, String text) throws IOException {
    byte[] expected = text.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    for (byte e : expected) {
      int b = read(in);
      seen.write(b);
      if (b != (e & 0xff)) {
        throw new IOException(
            "expected " + quote(text) + " but saw " + quote(seen.toString(StandardCharsets.ISO_8859_1)));
      }
    }
  }

  private static int read(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("stream ended");
    }
    return b;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
  }
}
