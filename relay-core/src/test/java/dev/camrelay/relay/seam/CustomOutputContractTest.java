package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The output contract for a plain {@link CameraOutput} written against the documented interface only
 * ({@link GatedOutput}): the reference every built-in output is measured against. It also checks what only an
 * in-process output can see: the callbacks' order, and that no frame arrives after {@code close()} returned.
 */
class CustomOutputContractTest extends OutputContractTest {
  private GatedOutput last;

  @Override
  OutputProbe attach(CameraRelay relay, String cameraId) {
    last = GatedOutput.attach(relay, cameraId);
    return last;
  }

  @AfterEach
  void noFrameBeforeAttachOrAfterClose() {
    if (last != null) {
      assertThat(last.violation()).isNull();
    }
  }

  /**
   * A mock stands in for an output that takes a frame and never says ready: only the order and count of the relay's
   * calls matter here, which a real output could not report without changing them.
   */
  @Test
  void theRelayCallsOnAttachedFirstAndOnDetachedExactlyOnce() throws Exception {
    Feed feed = camera(Duration.ofMillis(500));
    feed.publish(ContractFrames.small(1));
    CameraOutput output = mock(CameraOutput.class);
    when(output.kind()).thenReturn("mock");
    OutputHandle handle = relay.attachOutput(CAMERA, output);
    handle.requestLatest();
    for (int i = 0; i < 5; i++) {
      feed.publish(ContractFrames.small(10 + i));
    }
    verify(output, timeout(WAIT.toMillis())).onDetached(eq(DetachReason.STALLED), anyString());
    assertThat(handle.attached()).isFalse();
    handle.close(); // closing a detached handle does not call onDetached again
    feed.publish(ContractFrames.small(2));

    InOrder order = inOrder(output);
    order.verify(output).onAttached(handle);
    order.verify(output).onFrame(any(CameraFrame.class));
    order.verify(output).onDetached(eq(DetachReason.STALLED), anyString());
    verify(output, times(1)).onAttached(any());
    verify(output, times(1)).onFrame(any()); // never ready: never a second frame
    verify(output, times(1)).onDetached(any(), any());
  }

  @Test
  void anOutputClosedByItselfIsNotToldItWasDetached() throws Exception {
    Feed feed = camera(Duration.ofSeconds(60));
    GatedOutput out = GatedOutput.attach(relay, CAMERA);
    warmUp(feed, out);
    out.close();
    assertThat(out.handle().attached()).isFalse();
    relay.close(); // shutting down detaches every output that is still attached, and only those
    assertThat(out.pendingDetachCalls()).isZero();
    assertThat(out.violation()).isNull();
  }

  /**
   * Every built-in viewer asks for the latest frame right after attaching ({@link OutputHandle#requestLatest}),
   * while the camera goes on publishing: the frame being published at that moment must still arrive only once (the
   * hub sets a camera's latest frame before offering it to the outputs, so both paths can carry the same frame; this
   * failed within a few dozen attempts before the offer path learned to skip a frame the output already had).
   */
  @Test
  void aFramePublishedWhileAnOutputAsksForTheLatestArrivesOnce() throws Exception {
    Feed feed = camera(Duration.ofSeconds(60));
    ContractFrames frames = ContractFrames.big(0, 1); // any frames: their sequence numbers tell them apart
    AtomicBoolean stop = new AtomicBoolean();
    Thread publisher = new Thread(() -> {
      try {
        for (int i = 0; !stop.get(); i++) {
          feed.publish(frames.get(i % frames.size()));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "contract-publisher");
    publisher.start();
    try {
      for (int attempt = 0; attempt < 3000; attempt++) {
        GatedOutput out = GatedOutput.attach(relay, CAMERA);
        out.handle().requestLatest();
        out.nextFrame(WAIT);
        out.nextFrame(WAIT);
        out.close();
        assertThat(out.sequences()).as("attempt %d: sequence numbers of the frames received", attempt)
            .isSorted().doesNotHaveDuplicates();
      }
    } finally {
      stop.set(true);
      publisher.join();
    }
  }
}
