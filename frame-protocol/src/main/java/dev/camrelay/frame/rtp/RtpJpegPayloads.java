package dev.camrelay.frame.rtp;

import java.nio.ByteBuffer;

/**
 * The RTP payloads of one JPEG frame, as {@link RtpJpegPacketizer} built them: each one is an RFC 2435 header
 * followed by a fragment of the scan data, without the 12-byte RTP header. Kept in one array, back to back, so a
 * sender can wrap them once and write a slice per packet. Immutable and safe to share between threads and clients.
 *
 * <p>A sender puts an RTP header (version 2, payload type 26, its own sequence numbers and SSRC, the frame's
 * timestamp on every packet of the frame) before each payload and sets the marker bit on {@link #count()}{@code - 1}.
 */
public final class RtpJpegPayloads {
  private final byte[] bytes;
  private final int[] offsets;
  private final int type;
  private final int width;
  private final int height;
  private final boolean recoded;

  RtpJpegPayloads(byte[] bytes, int[] offsets, int type, int width, int height, boolean recoded) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.type = type;
    this.width = width;
    this.height = height;
    this.recoded = recoded;
  }

  /** Number of payloads (RTP packets) of the frame, at least 1. */
  public int count() {
    return offsets.length - 1;
  }

  /** Offset of payload {@code i} in {@link #asByteBuffer()}. */
  public int offset(int i) {
    return offsets[i];
  }

  /** Bytes of payload {@code i}, headers included. */
  public int length(int i) {
    return offsets[i + 1] - offsets[i];
  }

  /** Payload {@code i} as a read-only buffer (position 0). Does not copy. */
  public ByteBuffer payload(int i) {
    return ByteBuffer.wrap(bytes, offsets[i], length(i)).slice().asReadOnlyBuffer();
  }

  /** All payloads back to back, read-only. Does not copy. */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Bytes of all payloads together. */
  public int totalBytes() {
    return bytes.length;
  }

  /** The RFC 2435 type: 0 (4:2:2) or 1 (4:2:0), plus 64 with restart markers. */
  public int type() {
    return type;
  }

  /** Width in pixels as RFC 2435 carries it: the JPEG's width rounded up to a multiple of 8. */
  public int width() {
    return width;
  }

  /** Height in pixels as RFC 2435 carries it: the JPEG's height rounded up to a multiple of 8. */
  public int height() {
    return height;
  }

  /**
   * True when the JPEG's scan was re-coded to the standard Huffman tables before it was cut (it came with other
   * tables); false when its scan goes out byte for byte.
   */
  public boolean recoded() {
    return recoded;
  }

  @Override
  public String toString() {
    return "RtpJpegPayloads[" + count() + " payloads, " + bytes.length + " bytes, type " + type + ", " + width + "x"
        + height + (recoded ? ", re-coded" : "") + "]";
  }
}
