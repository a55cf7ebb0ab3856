package dev.camrelay.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a file an option names before the relay starts, so a typo is one line naming the file and the option. */
final class ReadableFile {
  private ReadableFile() {}

  /**
   * Does nothing for a null {@code file}.
   *
   * @param what what the file is, e.g. "TLS keystore"
   * @param option the option that named it, e.g. "--tls-keystore"
   * @throws UserError if the file does not exist or cannot be read
   */
  static void check(Path file, String what, String option) {
    if (file == null) {
      return;
    }
    if (!Files.exists(file)) {
      throw new UserError(what + " " + file + " does not exist (" + option + ")");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UserError(what + " " + file + " is not a readable file (" + option + ")");
    }
  }
}
