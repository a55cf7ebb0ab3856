package dev.camrelay.frame.jpeg;

import dev.camrelay.frame.internal.JpegWalker;

/**
 * Image facts read from a JPEG's frame header (SOFn) without decoding pixels.
 *
 * <pre>
 * FF Cn | length(2) | precision(1) | height(2) | width(2) | components(1) | 3 bytes per component
 * </pre>
 *
 * @param width image width in pixels
 * @param height image height in pixels; 0 when the height is only given later in a DNL segment (rare)
 * @param progressive true for progressive frames: SOF2, SOF6, SOF10, SOF14
 * @param components number of colour components: 1 grayscale, 3 YCbCr, 4 CMYK
 * @param sofMarker the frame header's marker code, e.g. {@code 0xC0} baseline, {@code 0xC2} progressive
 */
public record JpegInfo(int width, int height, boolean progressive, int components, int sofMarker) {

  /**
   * Reads the first frame header (SOFn) of {@code frame}, looking only at marker segments before it.
   *
   * @throws JpegFormatException if no frame header precedes the first scan
   */
  public static JpegInfo of(JpegFrame frame) throws JpegFormatException {
    byte[] b = frame.array();
    int pos = 2;
    while (pos + 4 <= b.length) {
      if (b[pos] != (byte) 0xFF) {
        break;
      }
      int code = b[pos + 1] & 0xFF;
      if (code == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (code == 0xDA || code == 0xD9) {
        break;
      }
      if (code == 0x01) {
        pos += 2;
        continue;
      }
      int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      if (JpegWalker.isSof(code)) {
        if (len < 8 || pos + 2 + len > b.length) {
          break;
        }
        int height = ((b[pos + 5] & 0xFF) << 8) | (b[pos + 6] & 0xFF);
        int width = ((b[pos + 7] & 0xFF) << 8) | (b[pos + 8] & 0xFF);
        int components = b[pos + 9] & 0xFF;
        boolean progressive = code == 0xC2 || code == 0xC6 || code == 0xCA || code == 0xCE;
        return new JpegInfo(width, height, progressive, components, code);
      }
      pos += 2 + len;
    }
    throw new JpegFormatException("no frame header (SOFn) before the first scan");
  }

  /** True for baseline (SOF0) frames, the kind every decoder handles. */
  public boolean baseline() {
    return sofMarker == 0xC0;
  }
}
