package dev.camrelay.frame.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Fast searches over byte arrays. Internal: not part of the public API.
 *
 * <p>JPEG framing spends almost all its time looking for the next {@code 0xFF} in entropy-coded data, so
 * {@link #indexOfFF} reads eight bytes at a time and tests them with one SWAR expression instead of
 * comparing byte by byte.
 */
public final class ByteScan {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteScan() {}

  /** Index of the first {@code 0xFF} in {@code b[from, to)}, or -1. */
  public static int indexOfFF(byte[] b, int from, int to) {
    int i = from;
    // Two words per iteration: most 16-byte windows of entropy data hold no 0xFF at all.
    for (int last = to - 16; i <= last; i += 16) {
      long x = (long) LONGS.get(b, i);
      long y = (long) LONGS.get(b, i + 8);
      // A byte of x is 0xFF exactly when the same byte of ~x is zero; this is the classic
      // "has zero byte" test applied to ~x. Its lowest set bit always marks a real match
      // (false positives can only appear above a true one), and the words are little-endian.
      long tx = (~x - ONES) & x & HIGHS;
      long ty = (~y - ONES) & y & HIGHS;
      if ((tx | ty) != 0) {
        return tx != 0
            ? i + (Long.numberOfTrailingZeros(tx) >>> 3)
            : i + 8 + (Long.numberOfTrailingZeros(ty) >>> 3);
      }
    }
    if (i <= to - 8) {
      long x = (long) LONGS.get(b, i);
      long tx = (~x - ONES) & x & HIGHS;
      if (tx != 0) {
        return i + (Long.numberOfTrailingZeros(tx) >>> 3);
      }
      i += 8;
    }
    for (; i < to; i++) {
      if (b[i] == (byte) 0xFF) {
        return i;
      }
    }
    return -1;
  }

  /** Lower-case hex of up to {@code max} bytes of {@code b[off, off+len)}, space separated, "…" if cut. */
  public static String hex(byte[] b, int off, int len, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(len, max);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      int v = b[off + i] & 0xFF;
      sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xF, 16));
    }
    if (len > max) {
      sb.append(" …");
    }
    return sb.toString();
  }
}
