package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.internal.port.http.RouteTable.Access;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route table: which paths need the viewer token, the order of matching, and the answers around it. */
class RouteTableTest {
  private static final HttpRoute A = exchange -> { };
  private static final HttpRoute B = exchange -> { };
  private static final HttpRoute C = exchange -> { };
  private static final HttpRoute D = exchange -> { };

  @Test
  void exactPathsWinOverPrefixesAndPrefixesMatchInOrderBeforeTheFallback() {
    RouteTable table = new RouteTable.Builder()
        .exact("/api/x", Access.OPEN, A)
        .prefix("/api/x", Access.VIEWER_TOKEN, B)
        .prefix("/api/", Access.OPEN, C)
        .otherwise(Access.OPEN, D)
        .build();
    assertThat(table.find("/api/x").route()).isSameAs(A);
    assertThat(table.find("/api/xy").route()).isSameAs(B);
    assertThat(table.find("/api/y").route()).isSameAs(C);
    assertThat(table.find("/api").route()).isSameAs(D);
    assertThat(table.find("").route()).isSameAs(D);
  }

  @Test
  void aTableNeedsAFallbackAndOneRoutePerPath() {
    assertThatThrownBy(() -> new RouteTable.Builder().exact("/a", Access.OPEN, A).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new RouteTable.Builder().exact("/a", Access.OPEN, A).exact("/a", Access.OPEN, B))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRelaysTableOpensOnlyHealthInfoUnknownApiPathsAndThePage() throws Exception {
    try (HttpFixture http = new HttpFixture(TestConfig.builder())) {
      RouteTable routes = http.http.routes();
      for (String path : List.of("/api/cameras", "/cam/x/stream.mjpeg", "/cam/x/snapshot.jpg",
          "/cam/", "/cam/x/other", "/api/cameras/", "/api/cameras/x/firmware")) {
        assertThat(routes.find(path).access()).as(path).isEqualTo(Access.VIEWER_TOKEN);
      }
      assertThat(routes.find("/metrics").access()).as("metrics name every camera").isEqualTo(Access.EVERY_CAMERA);
      for (String path : List.of("/healthz", "/api/info", "/api/nope", "/", "/index.html",
          "/app.js", "/metrics/", "/cam", "/healthz/", "/firmware/0123.bin")) {
        assertThat(routes.find(path).access()).as(path).isEqualTo(Access.OPEN);
      }
    }
  }

  @Test
  void unknownApiPathsAre404JsonWithoutATokenAndOtherMethodsAre405BeforeAuth() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.viewerToken("view-secret");
    try (HttpFixture http = new HttpFixture(config)) {
      assertThat(http.get("/api/nope").statusCode()).isEqualTo(404);
      assertThat(http.get("/api/nope").headers().firstValue("content-type")).hasValue(Responses.JSON);
      assertThat(http.get("/cam/x/other.bin").statusCode()).isEqualTo(401);
      assertThat(http.get("/cam/x/other.bin?token=view-secret").statusCode()).isEqualTo(404);
      for (String path : List.of("/healthz", "/metrics", "/cam/x/stream.mjpeg")) {
        try (RawHttp raw = RawHttp.connect(http.port)) {
          raw.send("DELETE " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
          assertThat(raw.readHead().status()).as(path).isEqualTo(405);
        }
      }
    }
  }
}
