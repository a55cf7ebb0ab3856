package dev.camrelay.frame.internal;

/**
 * Incremental walk over the structure of one JPEG, from just after its SOI to its EOI. Internal: not part of
 * the public API; shared by {@code JpegSplitter}, {@code JpegFrame.parse} and {@code MjpegReader}.
 *
 * <p>The walker never copies or stores bytes: callers hand it consecutive slices of the frame with
 * {@link #walk} and look at {@link #result()} to learn whether the frame ended, needs more bytes, is
 * corrupt, or was interrupted by the SOI of a new frame.
 *
 * <pre>
 * FF D8 | FF xx len(2) payload(len-2) ... | FF DA len(2) header | entropy data ... | FF D9
 *  SOI  | marker segments, skipped by their length | SOS   | FF 00 = stuffed FF,       | EOI
 *       | (so FF D9 inside APPn/COM or an EXIF     |       | FF D0..D7 = RSTn,         |
 *       |  thumbnail cannot end the frame)         |       | FF FF = fill, FF xx = end |
 * </pre>
 *
 * <p>Structural rules enforced: every marker is a known one; segment lengths are at least 2 (and exact
 * for SOFn, SOS and DRI); an SOS follows an SOFn; EOI follows at least one scan. Progressive JPEGs (several
 * scans with tables between them) and RSTn markers inside entropy data are accepted.
 */
public final class JpegWalker {
  /** {@link #walk} stopped at its end bound; feed the next bytes. */
  public static final int NEED_MORE = 0;
  /** The EOI was reached; {@link #walk} returned the index just past it. */
  public static final int COMPLETE = 1;
  /** The bytes are not a JPEG; {@link #walk} returned the index just past the offending byte. */
  public static final int CORRUPT = 2;
  /** An SOI marker appeared inside the frame; {@link #walk} returned the index just past its D8. */
  public static final int NEW_SOI = 3;

  private static final int S_MARKER = 0; // expecting the FF of a marker
  private static final int S_MARKER_CODE = 1; // seen FF, expecting the marker code (FF = fill)
  private static final int S_LEN_HI = 2;
  private static final int S_LEN_LO = 3;
  private static final int S_SEGMENT = 4; // skipping a segment's payload
  private static final int S_ENTROPY = 5; // entropy-coded data after SOS
  private static final int S_ENTROPY_FF = 6; // seen FF inside entropy-coded data

  private int state;
  private int marker;
  private int remaining;
  private int segmentLength;
  private long segmentOffset; // frame offset of the segment's FF
  private final byte[] head = new byte[6]; // first payload bytes of SOFn / SOS, checked at the segment's end
  private boolean sawSof;
  private int scans;
  private int result;
  private String error;
  private long walked; // frame offset of the next byte to walk

  /** Starts a new frame whose SOI (2 bytes) has already been seen. */
  public void startAfterSoi() {
    state = S_MARKER;
    marker = 0;
    remaining = 0;
    sawSof = false;
    scans = 0;
    result = NEED_MORE;
    error = null;
    walked = 2;
  }

  /** What the last {@link #walk} found: {@link #NEED_MORE}, {@link #COMPLETE}, {@link #CORRUPT} or {@link #NEW_SOI}. */
  public int result() {
    return result;
  }

  /** Why the frame is corrupt (after {@link #CORRUPT}), with the offset inside the frame. */
  public String error() {
    return error;
  }

  /** Offset inside the frame of the next byte the walker expects. */
  public long walked() {
    return walked;
  }

  /** Where inside the JPEG structure the walker is, for "ended early" messages. */
  public String describePosition() {
    switch (state) {
      case S_ENTROPY:
      case S_ENTROPY_FF:
        return "inside the entropy-coded data of scan " + scans;
      case S_LEN_HI:
      case S_LEN_LO:
        return "inside the length of segment " + markerName(marker);
      case S_SEGMENT:
        return "inside segment " + markerName(marker) + " (" + remaining + " more bytes expected)";
      default:
        return "before a marker, no EOI yet";
    }
  }

  /**
   * Walks {@code b[pos, end)}. Returns the index where the walk stopped: {@code end} for {@link #NEED_MORE},
   * otherwise just past the byte that decided the {@link #result()}.
   */
  public int walk(byte[] b, int pos, int end) {
    final int start = pos;
    int st = state;
    result = NEED_MORE;
    loop:
    while (pos < end) {
      switch (st) {
        case S_ENTROPY: {
          // The hot loop: skip to the next FF, then look at the byte after it.
          for (;;) {
            int ff = ByteScan.indexOfFF(b, pos, end);
            if (ff < 0) {
              pos = end;
              break loop;
            }
            if (ff + 1 == end) {
              pos = end;
              st = S_ENTROPY_FF;
              break loop;
            }
            int c = b[ff + 1] & 0xFF;
            if (c == 0x00 || (c & 0xF8) == 0xD0) { // stuffed FF or RSTn
              pos = ff + 2;
              continue;
            }
            pos = ff + 1;
            st = c == 0xFF ? S_ENTROPY_FF : S_MARKER_CODE;
            continue loop;
          }
        }
        case S_ENTROPY_FF: {
          int c = b[pos] & 0xFF;
          if (c == 0x00 || (c & 0xF8) == 0xD0) {
            pos++;
            st = S_ENTROPY;
          } else if (c == 0xFF) {
            pos++; // fill byte
          } else {
            st = S_MARKER_CODE; // a marker ends the scan; handle its code below
          }
          break;
        }
        case S_MARKER: {
          int c = b[pos] & 0xFF;
          if (c != 0xFF) {
            return fail(start, pos, String.format("expected a marker (FF xx) at offset %d, saw %02x", at(start, pos), c));
          }
          pos++;
          st = S_MARKER_CODE;
          break;
        }
        case S_MARKER_CODE: {
          int c = b[pos] & 0xFF;
          if (c == 0xFF) {
            pos++; // fill byte before a marker
            break;
          }
          if (c == 0xD8) {
            state = S_MARKER;
            return finish(start, pos + 1, NEW_SOI);
          }
          if (c == 0xD9) {
            if (scans == 0) {
              return fail(start, pos, "EOI at offset " + (at(start, pos) - 1) + " before any scan (no SOS)");
            }
            state = S_MARKER;
            return finish(start, pos + 1, COMPLETE);
          }
          if (c == 0xDA && !sawSof) {
            return fail(start, pos, "SOS at offset " + (at(start, pos) - 1) + " before any frame header (no SOFn)");
          }
          if (hasLength(c)) {
            marker = c;
            segmentOffset = at(start, pos) - 1;
            pos++;
            st = S_LEN_HI;
            break;
          }
          if (c == 0x01) { // TEM: standalone, no length
            pos++;
            st = S_MARKER;
            break;
          }
          if (c == 0x00) {
            return fail(start, pos, "stuffed byte FF 00 at offset " + (at(start, pos) - 1) + " outside entropy-coded data");
          }
          if ((c & 0xF8) == 0xD0) {
            return fail(start, pos, String.format("restart marker FF %02X at offset %d outside entropy-coded data", c, at(start, pos) - 1));
          }
          return fail(start, pos, String.format("invalid marker FF %02X at offset %d", c, at(start, pos) - 1));
        }
        case S_LEN_HI: {
          segmentLength = (b[pos++] & 0xFF) << 8;
          st = S_LEN_LO;
          break;
        }
        case S_LEN_LO: {
          int len = segmentLength | (b[pos] & 0xFF);
          segmentLength = len;
          String bad = checkLength(marker, len);
          if (bad != null) {
            return fail(start, pos, bad + " at offset " + (at(start, pos) - 3));
          }
          pos++;
          remaining = len - 2;
          if (remaining == 0) {
            st = afterSegment();
          } else {
            st = S_SEGMENT;
          }
          break;
        }
        case S_SEGMENT: {
          int n = Math.min(remaining, end - pos);
          int done = segmentLength - 2 - remaining; // payload bytes already walked
          if (done < head.length && (marker == 0xDA || isSof(marker))) {
            int keep = Math.min(n, head.length - done);
            System.arraycopy(b, pos, head, done, keep);
          }
          pos += n;
          remaining -= n;
          if (remaining == 0) {
            String bad = checkHeader();
            if (bad != null) {
              return fail(start, pos - 1, bad);
            }
            st = afterSegment();
          }
          break;
        }
        default:
          throw new IllegalStateException("state " + st);
      }
    }
    state = st;
    walked += pos - start;
    return pos;
  }

  private int afterSegment() {
    if (marker == 0xDA) {
      scans++;
      return S_ENTROPY;
    }
    if (isSof(marker)) {
      sawSof = true;
    }
    return S_MARKER;
  }

  private int finish(int start, int pos, int r) {
    walked += pos - start;
    result = r;
    return pos;
  }

  /** Frame offset of {@code b[pos]} during a walk that began at {@code start}. */
  private long at(int start, int pos) {
    return walked + (pos - start);
  }

  private int fail(int start, int pos, String message) {
    error = message;
    state = S_MARKER;
    walked += pos + 1 - start;
    result = CORRUPT;
    return pos + 1;
  }

  /** Checks the captured start of an SOFn or SOS payload against the segment's length. */
  private String checkHeader() {
    if (isSof(marker)) {
      int width = ((head[3] & 0xFF) << 8) | (head[4] & 0xFF);
      int components = head[5] & 0xFF;
      if (8 + 3 * components != segmentLength) {
        return "frame header " + markerName(marker) + " at offset " + segmentOffset + " declares " + components
            + " components but its length " + segmentLength + " fits " + (segmentLength - 8) / 3;
      }
      if (width == 0) {
        return "frame header " + markerName(marker) + " at offset " + segmentOffset + " has width 0";
      }
    } else if (marker == 0xDA) {
      int components = head[0] & 0xFF;
      if (6 + 2 * components != segmentLength) {
        return "scan header FF DA at offset " + segmentOffset + " declares " + components
            + " components but its length " + segmentLength + " fits " + (segmentLength - 6) / 2;
      }
    }
    return null;
  }

  private static boolean hasLength(int c) {
    return (c >= 0xC0 && c <= 0xCF) || (c >= 0xDA && c <= 0xFE && c != 0xFF);
  }

  /** True for SOF0..SOF15 (C0..CF except DHT C4, JPG C8, DAC CC). */
  public static boolean isSof(int c) {
    return c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC;
  }

  private static String checkLength(int marker, int len) {
    if (len < 2) {
      return "segment " + markerName(marker) + " has length " + len + " (< 2)";
    }
    if (isSof(marker) && (len < 11 || (len - 8) % 3 != 0)) {
      return "frame header " + markerName(marker) + " has length " + len + " (must be 8 + 3 * components)";
    }
    if (marker == 0xDA && (len < 8 || len > 14 || (len & 1) != 0)) {
      return "scan header FF DA has length " + len + " (must be 6 + 2 * components, 1..4 components)";
    }
    if (marker == 0xDD && len != 4) {
      return "restart interval FF DD has length " + len + " (must be 4)";
    }
    return null;
  }

  /** "FF E1" style name of a marker code. */
  public static String markerName(int code) {
    return String.format("FF %02X", code);
  }
}
