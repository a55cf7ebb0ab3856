package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link dev.camrelay.relay.CameraOutput} contract, which every output implementation passes: whole frames
 * only, newest wins, a stalled output is detached, a slow one slows no one, and leaving frees everything. Each
 * subclass supplies one implementation as an {@link OutputProbe} on a real relay (real sockets on 127.0.0.1, real
 * JPEGs, real clients); the camera is a {@link Feed}.
 *
 * <p>Nothing here asserts timing: tests wait for conditions with deadlines (long enough for a loaded CI machine)
 * and assert content and order.
 */
abstract class OutputContractTest extends ContractFixture {
  /** Long enough that no output is detached for stalling unless the test wants it. */
  private static final Duration NEVER_STALLS = Duration.ofSeconds(120);
  private static final Duration STALL = Duration.ofSeconds(1);

  /** Attaches one output of this implementation to {@code cameraId}; it reads until told otherwise. */
  abstract OutputProbe attach(CameraRelay relay, String cameraId) throws Exception;

  /** Whether the output counts as a viewer in {@link CameraStats#viewers()} (relay-wide outputs do not). */
  boolean countsAsViewer() {
    return true;
  }

  /** Whether the output gets the camera's latest frame as soon as it attached (as the built-in viewers do). */
  boolean getsLatestOnAttach() {
    return false;
  }

  /** Whether the output can wait for a camera that has no source yet (relay-wide outputs cannot). */
  boolean attachesToCamerasWithoutSource() {
    return true;
  }

  CameraRelay relay(Duration stallTimeout) throws Exception {
    return start(CameraRelay.builder().tcpPort(-1).wsPort(0).httpPort(0).defaultCameraId(CAMERA)
        .viewerStallTimeout(stallTimeout).serveViewer(false));
  }

  /**
   * A relay with the given stall timeout and its camera, fed by a {@link Feed} nobody watches yet, which already
   * published one frame.
   */
  Feed camera(Duration stallTimeout) throws Exception {
    relay(stallTimeout);
    Feed feed = Feed.attach(relay, CAMERA);
    feed.publish(ContractFrames.small(0));
    return feed;
  }

  /** The first output of {@code feed}'s camera: it starts the on-demand feed and gets a first frame. */
  OutputProbe watching(Feed feed) throws Exception {
    OutputProbe out = probe();
    feed.awaitStreamRequest(true, WAIT);
    warmUp(feed, out);
    return out;
  }

  /** Publishes a first frame and checks that every one of {@code outputs} gets it. */
  static void warmUp(Feed feed, OutputProbe... outputs) throws Exception {
    byte[] warmup = ContractFrames.small(1);
    feed.publish(warmup);
    for (OutputProbe out : outputs) {
      assertThat(out.nextFrame(WAIT)).as("the first frame").isEqualTo(warmup);
    }
  }

  /**
   * Publishes more frames and a marker; once another output has the marker, {@code out} must not have received
   * anything meanwhile.
   */
  void assertGetsNothingMore(Feed feed, OutputProbe out) throws Exception {
    int before = out.framesReceived();
    GatedOutput other = reference();
    for (int i = 0; i < 5; i++) {
      feed.publish(ContractFrames.small(10 + i));
    }
    byte[] marker = ContractFrames.small(2);
    feed.publish(marker);
    while (!Arrays.equals(other.nextFrame(WAIT), marker)) {
      // frames before the marker
    }
    assertThat(out.framesReceived()).as("frames after it left").isEqualTo(before);
  }

  /**
   * Attaches a probe and waits until the relay counts it (viewers attach once their handshake is done) and, for
   * outputs that get the camera's latest frame on attach, until it got that frame: so the attach is complete before
   * the test publishes anything.
   */
  OutputProbe probe() throws Exception {
    int before = viewers();
    Optional<CameraFrame> latest = relay.latestFrame(CAMERA);
    OutputProbe p = closeLater(attach(relay, CAMERA));
    if (countsAsViewer()) {
      await("the relay counts the new viewer", () -> viewers() == before + 1);
    }
    if (getsLatestOnAttach() && latest.isPresent()) {
      assertThat(p.nextFrame(WAIT)).as("a new viewer gets the latest frame at once")
          .isEqualTo(latest.get().jpeg().toByteArray());
    }
    return p;
  }

  /** A reference output that reads everything (the marker a test awaits before asserting something did not happen). */
  GatedOutput reference() {
    return closeLater(GatedOutput.attach(relay, CAMERA));
  }

  int viewers() {
    return relay.camera(CAMERA).map(CameraStats::viewers).orElse(0);
  }

  @Test
  void everyFrameReachesTheOutputWholeAndByteIdentical() throws Exception {
    Feed feed = camera(NEVER_STALLS);
    OutputProbe out = probe();
    ContractFrames published = ContractFrames.varied(45);
    for (int i = 0; i < published.size(); i++) {
      feed.publish(published.get(i));
    }
    List<Integer> received = new ArrayList<>();
    int last = -1;
    while (last != published.size() - 1) {
      byte[] frame = out.nextFrame(WAIT);
      last = published.indexOf(frame);
      assertThat(last).as("received frame of %d bytes is byte for byte one that was published", frame.length)
          .isNotNegative();
      received.add(last);
    }
    assertThat(received).as("frames in publishing order, none twice").isSorted().doesNotHaveDuplicates();
    // One by one, each frame arrives: the output was not just lucky with the newest.
    for (int i = 0; i < published.size(); i += 4) {
      feed.publish(published.get(i));
      assertThat(out.nextFrame(WAIT)).isEqualTo(published.get(i));
    }
  }

  @Test
  void whileTheOutputTakesNoFramesTheNewestWinsAndTheRestAreSkipped() throws Exception {
    Feed feed = camera(NEVER_STALLS);
    OutputProbe out = probe();
    warmUp(feed, out);

    out.stopReading();
    // Big frames: the first one cannot get through the socket buffers while the viewer does not read.
    ContractFrames burst = ContractFrames.big(0, 12);
    for (int i = 0; i < burst.size(); i++) {
      feed.publish(burst.get(i));
    }
    out.resumeReading();

    List<Integer> received = new ArrayList<>();
    while (received.isEmpty() || received.get(received.size() - 1) != burst.size() - 1) {
      int index = burst.indexOf(out.nextFrame(WAIT));
      assertThat(index).as("a frame of the burst").isNotNegative();
      received.add(index);
    }
    assertThat(received).as("at most the frame in flight, then the newest").hasSizeLessThanOrEqualTo(2)
        .isSorted().doesNotHaveDuplicates();
    byte[] marker = ContractFrames.small(2);
    feed.publish(marker);
    assertThat(out.nextFrame(WAIT)).as("nothing of the burst after the newest").isEqualTo(marker);
    if (out.framesSkipped().isPresent()) {
      assertThat(out.framesSkipped().getAsLong()).as("replaced frames count as skipped")
          .isEqualTo(burst.size() - received.size());
    }
  }

  @Test
  void anOutputThatStopsTakingFramesIsDetachedAfterTheStallTimeout() throws Exception {
    Feed feed = camera(STALL);
    OutputProbe out = watching(feed);
    int viewersBefore = viewers();

    out.stopReading();
    ContractFrames big = ContractFrames.big(0, 4);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Boolean stream = null;
    for (int i = 0; stream == null; i++) {
      assertThat(System.nanoTime()).as("stalled output detached within 30 s").isLessThan(deadline);
      feed.publish(big.get(i % big.size()));
      // The camera's only output left once the relay asks the on-demand feed to stop.
      stream = feed.nextStreamRequest(Duration.ofMillis(50));
    }
    assertThat(stream).as("stream request once the stalled output is gone").isFalse();
    assertThat(viewers()).isEqualTo(viewersBefore - (countsAsViewer() ? 1 : 0)).isZero();
    assertThat(relay.camera(CAMERA).orElseThrow().streaming()).isFalse();
    out.assertDetachedForStalling(WAIT);

    // Detached for good: taking frames again brings it nothing new.
    out.resumeReading();
    assertGetsNothingMore(feed, out);
  }

  @Test
  void aStalledOutputNeverSlowsTheCameraOrAnotherOutput() throws Exception {
    Feed feed = camera(NEVER_STALLS);
    OutputProbe stalled = probe();
    OutputProbe healthy = probe();
    warmUp(feed, stalled, healthy);

    stalled.stopReading();
    ContractFrames big = ContractFrames.big(0, 10);
    for (int i = 0; i < 3 * big.size(); i++) {
      byte[] frame = big.get(i % big.size());
      feed.publish(frame);
      assertThat(healthy.nextFrame(WAIT)).as("healthy output gets frame %d while the other is stalled", i)
          .isEqualTo(frame);
    }
    assertThat(relay.camera(CAMERA).orElseThrow().framesIn()).isEqualTo(2 + 3L * big.size());
    stalled.resumeReading();
  }

  @Test
  void closingTheOutputFreesEverythingAndNoFrameFollows() throws Exception {
    Feed feed = camera(NEVER_STALLS);
    OutputProbe out = watching(feed);

    out.close();
    await("the camera has no viewer left", () -> viewers() == 0);
    feed.awaitStreamRequest(false, WAIT); // no output at all is left

    assertGetsNothingMore(feed, out);
  }

  @Test
  void aCameraOnlyThisOutputAskedForIsForgottenWhenItLeaves() throws Exception {
    assumeTrue(attachesToCamerasWithoutSource(), "this kind of output attaches only to cameras with a source");
    relay(NEVER_STALLS);
    OutputProbe out = probe();
    assertThat(relay.cameras()).extracting(CameraStats::id).containsExactly(CAMERA);
    assertThat(relay.camera(CAMERA).orElseThrow().connected()).isFalse();
    out.close();
    await("the camera nobody publishes to is forgotten", () -> relay.cameras().isEmpty());
    assertThat(relay.camera(CAMERA)).isEmpty();
  }
}
