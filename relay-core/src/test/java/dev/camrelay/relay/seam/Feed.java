package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The camera the output tests watch: an on-demand Java source. Besides publishing, it is how a test sees from
 * outside that a camera has no outputs left, whatever their kind (relay-wide listeners are not counted as viewers):
 * the relay then tells it to stop streaming once the linger passed.
 */
final class Feed implements CameraSource {
  private final BlockingQueue<Boolean> streamRequests = new LinkedBlockingQueue<>();
  private SourceHandle handle;

  static Feed attach(CameraHub hub, String cameraId) {
    Feed feed = new Feed();
    feed.handle = hub.attachSource(cameraId, SourceInfo.of("java", "contract-feed").withOnDemand(), feed);
    return feed;
  }

  void publish(byte[] jpeg) throws Exception {
    assertThat(handle.publish(JpegFrame.parse(jpeg))).as("the feed is still the camera's source").isTrue();
  }

  /** The next stream request within {@code timeout}, or null. */
  Boolean nextStreamRequest(Duration timeout) throws InterruptedException {
    return streamRequests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for the relay to ask for {@code on}; fails on the opposite request or none within {@code timeout}. */
  void awaitStreamRequest(boolean on, Duration timeout) throws InterruptedException {
    assertThat(nextStreamRequest(timeout)).as("stream request").isEqualTo(on);
  }

  @Override
  public void onStreamRequest(boolean on, ControlRequest request) {
    streamRequests.add(on);
    request.reply("{\"ok\":true}");
  }

  @Override
  public void onDetached(DetachReason reason, String message) {}
}
