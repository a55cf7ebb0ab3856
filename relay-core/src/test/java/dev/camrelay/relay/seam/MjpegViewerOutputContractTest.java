package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.MjpegStreamClient;
import java.io.IOException;
import java.time.Duration;

/**
 * The output contract for MJPEG viewers ({@code http://host:httpPort/cam/{id}/stream.mjpeg}), watched over a bare
 * HTTP socket with a small receive buffer that parses the multipart body strictly and reads only when the test asks
 * for a frame. The test camera is the relay's default camera, so a viewer may wait for it before it has a source.
 */
class MjpegViewerOutputContractTest extends OutputContractTest {
  @Override
  boolean getsLatestOnAttach() {
    return true;
  }

  @Override
  OutputProbe attach(CameraRelay relay, String cameraId) throws Exception {
    MjpegStreamClient client = MjpegStreamClient.open(relay.httpPort(), cameraId, 8 * 1024);
    return new PullProbe() {
      @Override
      byte[] read(Duration timeout) throws IOException {
        return client.nextPart(timeout);
      }

      @Override
      public void assertDetachedForStalling(Duration timeout) throws IOException {
        assertThat(client.closedByRelay(timeout)).as("the relay closed the stalled viewer's connection").isTrue();
      }

      @Override
      public void close() throws IOException {
        client.close();
      }
    };
  }
}
