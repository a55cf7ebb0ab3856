package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraSpec;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The YAML config file: what it says, where it is wrong, and how its cameras section is rewritten. */
class YamlConfigFileTest {
  private static final Set<String> KEYS = Set.of("http-port", "viewer-token", "simulate.fps");

  @Test
  void camerasAndOptionsAreReadWithSubcommandKeysNestedOrDotted() throws Exception {
    YamlConfigFile.Parsed p = YamlConfigFile.parse("""
        http-port: 8080
        simulate.fps: 5
        cameras:
          garage: {pull: "http://u:p@cam:81/stream", token: k3y}
          porch:
        """, KEYS);
    assertThat(p.options()).containsExactly(Map.entry("http-port", "8080"), Map.entry("simulate.fps", "5"));
    assertThat(p.cameras()).containsExactly(
        Map.entry("garage", new CameraSpec(URI.create("http://u:p@cam:81/stream"), "k3y")),
        Map.entry("porch", new CameraSpec(null, null)));
    assertThat(YamlConfigFile.parse("", KEYS).cameras()).isEmpty();
  }

  @Test
  void everyMistakeNamesItsLineAndColumn() {
    assertInvalid("http-port: [1\n", "line 2, column 1: expected ',' or ']'");
    assertInvalid("http-port: 1\nhttp-port: 2\n", "line 2, column 1: 'http-port' is given twice");
    assertInvalid("cameras:\n  bad id:\n    token: x\n", "line 2, column 3: camera id 'bad id' is not valid");
    assertInvalid("cameras:\n  porch:\n    pull: http://cam:81/a b\n",
        "line 3, column 11: camera 'porch': pull is not a valid URL");
    assertInvalid("cameras:\n  porch:\n    token: \"\"\n", "line 3, column 12: 'porch.token' needs a value");
    assertInvalid("- a\n- b\n", "line 1, column 1: the file must be a mapping");
    assertInvalid("cameras: [a]\n", "line 1, column 10: 'cameras' must map camera ids");
  }

  @Test
  void writingTheCamerasBackKeepsEverythingElseAndTheComments() throws Exception {
    String before = """
        # my relay
        http-port: 8080   # behind the proxy
        cameras:
          old:
            token: x
        simulate:
          fps: 5
        """;
    Map<String, CameraSpec> cameras = new LinkedHashMap<>();
    cameras.put("garage", new CameraSpec(URI.create("http://cam:81/stream"), "k3y"));
    String after = YamlConfigFile.withCameras(before, cameras);
    assertThat(after).contains("# my relay").contains("http-port: 8080").contains("# behind the proxy")
        .doesNotContain("old:").contains("fps: 5");
    assertThat(YamlConfigFile.parse(after, KEYS).cameras()).isEqualTo(cameras);
    String fresh = YamlConfigFile.withCameras("http-port: 1\n", cameras);
    assertThat(YamlConfigFile.parse(fresh, KEYS).cameras()).isEqualTo(cameras);
    assertThat(YamlConfigFile.parse(YamlConfigFile.withCameras("", Map.of()), KEYS).cameras()).isEmpty();
  }

  private static void assertInvalid(String text, String message) {
    assertThatThrownBy(() -> YamlConfigFile.parse(text, KEYS)).isInstanceOf(YamlConfigFile.Invalid.class)
        .hasMessageStartingWith(message);
  }
}
