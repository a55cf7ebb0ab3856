package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.FakeCamera;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The source contract for framed protocol v1 cameras on the TCP port: a {@link FakeCamera} that says HELLO with the
 * CONTROL (and ON_DEMAND) capability, gets WELCOME, CONTROL messages with request ids and BYE 10 when replaced.
 */
class FramedSourceContractTest extends SourceContractTest {
  @Override
  SourceProbe attach(CameraRelay relay, String cameraId, boolean onDemand) throws Exception {
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), cameraId, null,
        Hello.CONTROL | (onDemand ? Hello.ON_DEMAND : 0));
    boolean stream = cam.awaitWelcome().stream();
    return new CameraConnection(stream) {
      @Override
      void send(byte[] jpeg) throws IOException {
        cam.sendFrame(jpeg);
      }

      @Override
      public Command nextCommand(Duration timeout) throws InterruptedException {
        Control c = cam.controls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).as("a CONTROL from the relay").isNotNull();
        assertThat(c.reply()).isFalse();
        return Command.fromJson(c.requestId(), JsonParser.parseString(c.json()).getAsJsonObject(), json -> {
          cam.send(Message.control(c.requestId(), json, true));
          return null;
        });
      }

      @Override
      public void assertReplaced(Duration timeout) throws Exception {
        assertThat(cam.awaitClose(MessageType.BYE).code()).as("BYE code").isEqualTo(ErrorCode.REPLACED);
      }

      @Override
      public void awaitGone(Duration timeout) throws Exception {
        assertThat(cam.awaitClosedByRelay()).as("the relay closed the connection").isTrue();
      }

      @Override
      public void close() throws IOException {
        cam.close();
      }
    };
  }
}
