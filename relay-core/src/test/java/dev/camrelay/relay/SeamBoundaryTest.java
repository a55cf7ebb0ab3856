package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seam has no back door: ports, sources and outputs reach the hub only through the public {@link CameraHub}, and
 * no module but relay-core touches relay-core's internals. Reads the source tree (tests run in relay-core's folder).
 */
class SeamBoundaryTest {
  private static final Path CORE = Path.of("src/main/java/dev/camrelay/relay/internal");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

  @Test
  void portsSourcesAndOutputsUseOnlyThePublicSeamToReachTheHub() {
    assertThat(CORE).isDirectory();
    List<String> backDoors = Stream.of("port", "source", "output")
        .flatMap(dir -> javaFiles(CORE.resolve(dir)))
        .flatMap(file -> imports(file).filter(i -> i.startsWith("dev.camrelay.relay.internal.hub."))
            .map(i -> CORE.relativize(file) + " imports " + i))
        .toList();
    assertThat(backDoors).isEmpty();
  }

  @Test
  void noModuleButRelayCoreImportsItsInternals() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("relay-cli/src")).isDirectory();
    assertThat(root.resolve("examples")).isDirectory();
    List<String> leaks = Stream.of("relay-cli/src", "examples", "benchmarks/src", "esp32-arduino")
        .map(root::resolve)
        .filter(Files::isDirectory)
        .flatMap(SeamBoundaryTest::javaFiles)
        .flatMap(file -> imports(file).filter(i -> i.startsWith("dev.camrelay.relay.internal"))
            .map(i -> root.relativize(file) + " imports " + i))
        .toList();
    assertThat(leaks).isEmpty();
  }

  @Test
  void theCheckSeesImportsAtAll() {
    // Guards the two tests above against passing because the scan found nothing.
    assertThat(javaFiles(CORE.resolve("port")).flatMap(SeamBoundaryTest::imports))
        .contains("dev.camrelay.relay.CameraHub");
  }

  private static Stream<Path> javaFiles(Path dir) {
    try {
      return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<String> imports(Path file) {
    try {
      Matcher m = IMPORT.matcher(Files.readString(file));
      Stream.Builder<String> out = Stream.builder();
      while (m.find()) {
        out.add(m.group(1));
      }
      return out.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
