package dev.camrelay.relay.internal.port.rtsp;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a command-line client with its output in files (pipes could fill up and block it), at most 60 s. */
final class Tools {
  record Result(int exit, byte[] stdout, String stderr) {
    String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  private Tools() {}

  static Result run(String... command) throws Exception {
    Path out = Files.createTempFile("camrelay-tool", ".out");
    Path err = Files.createTempFile("camrelay-tool", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s: "
            + Files.readString(err));
      }
      return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
