package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the files the recorder writes: the seam where tests inject a failing disk (no space left, read-only folder)
 * without mounting anything.
 */
@FunctionalInterface
public interface FileOpener {
  /** The real file system. */
  FileOpener DEFAULT = FileChannel::open;

  FileChannel open(Path file, OpenOption... options) throws IOException;
}
