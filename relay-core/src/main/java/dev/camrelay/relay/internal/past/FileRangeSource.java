package dev.camrelay.relay.internal.past;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bytes {@code offset .. offset + length - 1} of a file, in 64 KiB chunks, for {@link BodySender}. A file that
 * shrinks meanwhile (a segment deleted by retention is still readable while open on POSIX systems) ends the body
 * with an error, so the client sees a short download rather than a wrong one.
 */
final class FileRangeSource implements BodySender.Source {
  private static final int CHUNK = 64 * 1024;

  private final FileChannel file;
  private long position;
  private final long end;

  private FileRangeSource(FileChannel file, long offset, long length) {
    this.file = file;
    this.position = offset;
    this.end = offset + length;
  }

  /** Opens {@code path} (the caller checked that it is one of ours) for the given range. */
  static FileRangeSource open(Path path, long offset, long length) throws IOException {
    return new FileRangeSource(FileChannel.open(path, StandardOpenOption.READ), offset, length);
  }

  @Override
  public BodySender.Chunk next() throws IOException {
    if (position >= end) {
      return null;
    }
    int n = (int) Math.min(CHUNK, end - position);
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(n);
    boolean ok = false;
    try {
      while (buf.writableBytes() > 0 && buf.writerIndex() < n) {
        int read = buf.writeBytes(file, position + buf.writerIndex(), n - buf.writerIndex());
        if (read < 0) {
          throw new IOException("the file ended early (deleted or truncated while read)");
        }
      }
      position += n;
      ok = true;
      return new BodySender.Chunk(buf, 0);
    } finally {
      if (!ok) {
        buf.release();
      }
    }
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }
}
