package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.testing.ViewerClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The source contract for WebSocket cameras ({@code ws://host:wsPort/ingest/{id}}, {@code ?ondemand=1}), with a real
 * WebSocket client: binary messages are frames, commands arrive as text with the relay's {@code "id"} and replies go
 * back with it; a replaced camera is closed with code 4010.
 */
class WsIngestSourceContractTest extends SourceContractTest {
  @Override
  SourceProbe attach(CameraRelay relay, String cameraId, boolean onDemand) throws Exception {
    ViewerClient ws = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/ingest/" + cameraId
        + (onDemand ? "?ondemand=1" : ""));
    assertThat(ws.isOpen()).as("WebSocket ingest handshake").isTrue();
    boolean stream;
    if (onDemand) {
      // Right after attaching, an on-demand camera is told whether to stream, as request 0.
      JsonObject first = JsonParser.parseString(ws.nextText()).getAsJsonObject();
      assertThat(first.remove("id").getAsLong()).isZero();
      stream = SourceProbe.Command.fromJson(0, first, json -> null).streamOn();
    } else {
      String remote = "127.0.0.1:" + ws.getLocalSocketAddress().getPort();
      ContractFixture.await("the relay attached the WebSocket camera", () -> relay.camera(cameraId)
          .map(CameraStats::remote).filter(remote::equals).isPresent());
      stream = true;
    }
    return new CameraConnection(stream) {
      @Override
      void send(byte[] jpeg) {
        ws.send(jpeg);
      }

      @Override
      public Command nextCommand(Duration timeout) throws InterruptedException {
        String text = ws.texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(text).as("a command from the relay").isNotNull();
        JsonObject command = JsonParser.parseString(text).getAsJsonObject();
        long id = command.remove("id").getAsLong();
        return Command.fromJson(id, command, json -> {
          JsonObject reply = JsonParser.parseString(json).getAsJsonObject();
          reply.addProperty("id", id);
          ws.send(reply.toString());
          return null;
        });
      }

      @Override
      public void assertReplaced(Duration timeout) throws InterruptedException {
        assertThat(ws.waitClosed()).as("closed by the relay").isTrue();
        assertThat(ws.closeCode).as("close code").isEqualTo(4010);
      }

      @Override
      public void awaitGone(Duration timeout) throws InterruptedException {
        assertThat(ws.waitClosed()).as("closed by the relay").isTrue();
      }

      @Override
      public void close() throws InterruptedException {
        ws.closeBlocking();
      }
    };
  }
}
