package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.RawWs;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The output contract for WebSocket viewers ({@code ws://host:wsPort/cam/{id}}), watched by a real WebSocket client
 * on a bare socket with a small receive buffer, which answers pings and reads only when the test asks for a frame.
 */
class WsViewerOutputContractTest extends OutputContractTest {
  @Override
  boolean getsLatestOnAttach() {
    return true;
  }

  @Override
  OutputProbe attach(CameraRelay relay, String cameraId) throws Exception {
    RawWs ws = RawWs.open(relay.wsPort(), "/cam/" + cameraId, Map.of(), 8 * 1024);
    assertThat(ws.statusLine).contains(" 101 ");
    return new PullProbe() {
      @Override
      byte[] read(Duration timeout) throws IOException {
        ws.socket.setSoTimeout((int) timeout.toMillis());
        return ws.nextBinary();
      }

      @Override
      public void assertDetachedForStalling(Duration timeout) throws IOException {
        ws.socket.setSoTimeout((int) timeout.toMillis());
        assertThat(ws.closedByServer()).as("the relay closed the stalled viewer's connection").isTrue();
      }

      @Override
      public void close() throws IOException {
        if (!ws.socket.isClosed()) {
          try {
            ws.sendFrame(8, new byte[] {0x03, (byte) 0xE8}); // 1000: normal closure
          } catch (IOException e) {
            // the relay closed it already
          }
          ws.close();
        }
      }
    };
  }
}
