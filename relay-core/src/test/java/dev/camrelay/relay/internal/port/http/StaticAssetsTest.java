package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.port.http.StaticAssets.Lookup.Status;
import dev.camrelay.relay.internal.port.http.StaticAssets.Lookup;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticAssetsTest {
  /** Test fixture folder; {@code http/secret.txt} sits next to it and must never be reachable. */
  static final String FIXTURE_ROOT = "http/viewer-fixture/";

  private final StaticAssets assets = new StaticAssets(getClass().getClassLoader(), FIXTURE_ROOT);

  @Test
  void rootServesIndexAsHtml() {
    Lookup lookup = assets.lookup("/");
    assertThat(lookup.status()).isEqualTo(Status.FOUND);
    assertThat(lookup.asset().name()).isEqualTo("index.html");
    assertThat(lookup.asset().contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(new String(lookup.asset().bytes(), StandardCharsets.UTF_8)).contains("fixture viewer");
    assertThat(lookup.asset().etag()).matches("\"[0-9a-f]{24}\"");
  }

  @Test
  void assetsGetTheContentTypeOfTheirExtension() {
    assertThat(assets.lookup("/app.js").asset().contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(assets.lookup("/style.css").asset().contentType()).isEqualTo("text/css; charset=utf-8");
    assertThat(assets.lookup("/img/logo.svg").asset().contentType()).isEqualTo("image/svg+xml");
    assertThat(assets.lookup("/index.html").asset().contentType()).isEqualTo("text/html; charset=utf-8");
  }

  @Test
  void harmlessPercentEscapesAreDecodedOnce() {
    assertThat(assets.lookup("/app%2Ejs").status()).isEqualTo(Status.FOUND);
    assertThat(assets.lookup("/%61pp.js").status()).isEqualTo(Status.FOUND);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/../secret.txt",
      "/..",
      "/./index.html",
      "/img/../index.html",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/.%2e/secret.txt",
      "/%2e./secret.txt",
      "/..%2fsecret.txt",
      "/..%2Fsecret.txt",
      "/img%2f..%2f..%2fsecret.txt",
      "/%252e%252e/secret.txt",
      "/%255c..%255csecret.txt",
      "/..\\secret.txt",
      "/..%5csecret.txt",
      "/%5c..%5csecret.txt",
      "/index.html%00.js",
      "/index.html\u0000",
      "//etc/passwd",
      "///secret.txt",
      "/C:/Windows/win.ini",
      "/c:%5cwindows",
      "relative.js",
      "",
      "/.hidden.txt",
      "/img/",
      "/%",
      "/%2",
      "/%zz",
      "/caf\u00e9.js",
      "/%c0%ae%c0%ae/secret.txt",
      "/a b.js",
  })
  void unsafePathsAreRefusedBeforeTouchingTheClasspath(String rawPath) {
    Lookup lookup = assets.lookup(rawPath);
    assertThat(lookup.status()).as(rawPath).isEqualTo(Status.BAD_PATH);
    assertThat(lookup.asset()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/secret.txt", "/nope.js", "/dir.js", "/README", "/img", "/http/secret.txt"})
  void missingFilesFoldersAndUnknownTypesAreNotFound(String rawPath) {
    assertThat(assets.lookup(rawPath).status()).as(rawPath).isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void theSecretNextToTheFolderExistsSoRefusalsAboveAreMeaningful() {
    assertThat(getClass().getClassLoader().getResource("http/secret.txt")).isNotNull();
    assertThat(new StaticAssets(getClass().getClassLoader(), "http/").lookup("/secret.txt").status())
        .isEqualTo(Status.FOUND);
  }
}
