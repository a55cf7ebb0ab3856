package dev.camrelay.frame.wire;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Hex in tests: expected wire bytes are written as hex strings; {@code #} comments and whitespace are ignored. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder digits = new StringBuilder();
    for (String line : hex.split("\n", -1)) {
      int hash = line.indexOf('#');
      String data = hash >= 0 ? line.substring(0, hash) : line;
      digits.append(data.replaceAll("\\s+", ""));
    }
    byte[] b = HexFormat.of().parseHex(digits);
    out.writeBytes(b);
    return out.toByteArray();
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
