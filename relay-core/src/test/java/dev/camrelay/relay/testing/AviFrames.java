package dev.camrelay.relay.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JPEGs of an MJPEG AVI file in file order, read by walking its RIFF chunks ({@code RIFF AVI }/{@code AVIX},
 * their {@code LIST movi}, each {@code 00dc}), for comparing a file's frames with what a camera sent byte for byte.
 */
public final class AviFrames {
  private AviFrames() {}

  public static List<byte[]> read(Path avi) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(avi)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> out = new ArrayList<>();
    walk(b, 0, b.limit(), out);
    return out;
  }

  private static void walk(ByteBuffer b, int from, int to, List<byte[]> out) {
    int p = from;
    while (p + 8 <= to) {
      String id = fourcc(b, p);
      int size = b.getInt(p + 4);
      int body = p + 8;
      if (id.equals("RIFF") || id.equals("LIST")) {
        String type = fourcc(b, body);
        if (id.equals("RIFF") || type.equals("movi")) {
          walk(b, body + 4, Math.min(to, body + size), out);
        }
      } else if (id.equals("00dc")) {
        byte[] jpeg = new byte[size];
        b.get(body, jpeg);
        out.add(jpeg);
      }
      p = body + size + (size & 1);
    }
  }

  private static String fourcc(ByteBuffer b, int at) {
    byte[] four = new byte[4];
    b.get(at, four);
    return new String(four, StandardCharsets.US_ASCII);
  }
}
