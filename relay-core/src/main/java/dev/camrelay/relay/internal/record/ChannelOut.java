package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Buffered, append-mostly writing to a file channel with positional patches, in little-endian (RIFF's byte order).
 * Nothing reaches the file until {@link #flush()} (or a full buffer); {@link #force()} makes it durable.
 */
final class ChannelOut implements AutoCloseable {
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private long flushed;

  /** Appends at {@code start} (the file is expected to be that long). */
  ChannelOut(FileChannel channel, long start, int bufferBytes) {
    this.channel = channel;
    this.buffer = ByteBuffer.allocate(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    this.flushed = start;
  }

  /** Where the next appended byte goes. */
  long position() {
    return flushed + buffer.position();
  }

  /** Whether {@code bytes} more fit in the buffer without a write to the file. */
  boolean hasRoom(int bytes) {
    return buffer.remaining() >= bytes;
  }

  void append(ByteBuffer src) throws IOException {
    if (src.remaining() > buffer.remaining()) {
      flush();
      if (src.remaining() >= buffer.capacity()) {
        writeFully(src, flushed);
        return;
      }
    }
    buffer.put(src);
  }

  void appendFourcc(String fourcc) throws IOException {
    room(4);
    for (int i = 0; i < 4; i++) {
      buffer.put((byte) fourcc.charAt(i));
    }
  }

  void appendInt(int value) throws IOException {
    room(4);
    buffer.putInt(value);
  }

  void appendShort(int value) throws IOException {
    room(2);
    buffer.putShort((short) value);
  }

  void appendLong(long value) throws IOException {
    room(8);
    buffer.putLong(value);
  }

  void appendZeros(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      room(1);
      buffer.put((byte) 0);
    }
  }

  /** Writes {@code src} at {@code position}, which must be before {@link #position()}; flushes first. */
  void patch(long position, ByteBuffer src) throws IOException {
    flush();
    long at = position;
    while (src.hasRemaining()) {
      at += channel.write(src, at);
    }
  }

  void patchInt(long position, int value) throws IOException {
    patch(position, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
  }

  /** Hands the buffered bytes to the operating system (survives a killed process, not a power cut). */
  void flush() throws IOException {
    buffer.flip();
    try {
      writeFully(buffer, flushed);
    } finally {
      buffer.clear();
    }
  }

  /** Flushes and waits until the data is on the disk. */
  void force() throws IOException {
    flush();
    channel.force(false);
  }

  FileChannel channel() {
    return channel;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void room(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  private void writeFully(ByteBuffer src, long at) throws IOException {
    long pos = at;
    while (src.hasRemaining()) {
      pos += channel.write(src, pos);
    }
    flushed = pos;
  }
}
