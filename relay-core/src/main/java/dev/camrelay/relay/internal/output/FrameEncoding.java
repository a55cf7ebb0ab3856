package dev.camrelay.relay.internal.output;

import io.netty.buffer.ByteBuf;

/**
 * How one output protocol wraps a JPEG on the wire: bytes before it and bytes after it, the JPEG itself untouched
 * (a WebSocket binary frame header; a multipart part header and CRLF). Encoded once per frame and shared by every
 * viewer of that protocol ({@link SharedEncoding}).
 */
public interface FrameEncoding {
  /** Bytes written before a JPEG of {@code jpegBytes} bytes. */
  int headerLength(int jpegBytes);

  /** Writes exactly {@link #headerLength} bytes. */
  void writeHeader(ByteBuf out, int jpegBytes);

  /** Bytes written after the JPEG (0 when none). */
  default int trailerLength() {
    return 0;
  }

  /** Writes exactly {@link #trailerLength} bytes. */
  default void writeTrailer(ByteBuf out) {}
}
