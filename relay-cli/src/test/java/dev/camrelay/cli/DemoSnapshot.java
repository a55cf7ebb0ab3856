package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The demo camera's snapshot, as the ITs that start {@code --demo} in a separate process check it. */
final class DemoSnapshot {
  private DemoSnapshot() {}

  /** Waits for the demo camera's first frame on the relay's HTTP {@code port} and checks it is a JPEG. */
  static void assertServed(HttpClient http, int port) throws Exception {
    URI snapshotUri = URI.create("http://127.0.0.1:" + port + "/cam/default/snapshot.jpg");
    HttpResponse<byte[]> snapshot = Await.until("the demo camera's first frame",
        () -> http.send(HttpRequest.newBuilder(snapshotUri).build(), HttpResponse.BodyHandlers.ofByteArray()),
        r -> r.statusCode() != 503 && r.statusCode() != 404);
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(snapshot.body()[0] & 0xff).isEqualTo(0xff);
    assertThat(snapshot.body()[1] & 0xff).isEqualTo(0xd8);
  }
}
