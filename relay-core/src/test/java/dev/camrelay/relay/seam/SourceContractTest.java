package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonParser;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.ControlException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link dev.camrelay.relay.CameraSource} contract, which every source implementation passes: a second source
 * of a camera replaces the first, control commands go to the source and its replies come back, and on-demand
 * sources stream only while watched. Each subclass supplies one implementation as a {@link SourceProbe} on a real
 * relay (real sockets on 127.0.0.1, real JPEGs, real clients); a {@link GatedOutput} watches the camera.
 */
abstract class SourceContractTest extends ContractFixture {
  /** Attaches one source of this implementation as {@code cameraId}; returns once the relay has attached it. */
  abstract SourceProbe attach(CameraRelay relay, String cameraId, boolean onDemand) throws Exception;

  CameraRelay relay(Duration controlTimeout) throws Exception {
    return start(CameraRelay.builder().tcpPort(0).wsPort(0).httpPort(-1).controlTimeout(controlTimeout));
  }

  SourceProbe source(boolean onDemand) throws Exception {
    return closeLater(attach(relay, CAMERA, onDemand));
  }

  GatedOutput output() {
    return closeLater(GatedOutput.attach(relay, CAMERA));
  }

  CameraStats stats() {
    return relay.camera(CAMERA).orElseThrow();
  }

  static void assertSameJson(String actual, String expected) {
    assertThat(JsonParser.parseString(actual)).as(actual).isEqualTo(JsonParser.parseString(expected));
  }

  @Test
  void aSecondSourceWithTheSameIdTakesOverAndTheFirstIsToldAndIgnored() throws Exception {
    relay(Duration.ofSeconds(30));
    GatedOutput out = output();
    SourceProbe first = source(false);
    byte[] a = ContractFrames.small(1);
    first.publish(a);
    assertThat(out.nextFrame(WAIT)).isEqualTo(a);

    SourceProbe second = source(false);
    first.assertReplaced(WAIT);
    assertThat(first.publish(ContractFrames.small(666))).as("a replaced source's frame is refused")
        .isNotEqualTo(Boolean.TRUE);
    first.awaitGone(WAIT);

    byte[] b = ContractFrames.small(2);
    second.publish(b);
    assertThat(out.nextFrame(WAIT)).as("the next frame is the new source's").isEqualTo(b);
    assertThat(stats().connected()).isTrue();
    assertThat(stats().framesIn()).as("frames published: the first's and the second's, nothing after replacing")
        .isEqualTo(2);
  }

  @Test
  void aControlCommandReachesTheSourceAndItsReplyComesBack() throws Exception {
    relay(Duration.ofSeconds(30));
    SourceProbe source = source(false);
    assertThat(stats().control()).isTrue();
    CompletableFuture<String> quality = relay.control(CAMERA, "{\"cmd\":\"quality\",\"value\":12}");
    CompletableFuture<String> led = relay.control(CAMERA, "{\"cmd\":\"led\",\"value\":128}");
    SourceProbe.Command first = source.nextCommand(WAIT);
    SourceProbe.Command second = source.nextCommand(WAIT);
    assertSameJson(first.json().toString(), "{\"cmd\":\"quality\",\"value\":12}");
    assertSameJson(second.json().toString(), "{\"cmd\":\"led\",\"value\":128}");
    assertThat(first.streamOn()).isNull();
    assertThat(first.id()).isNotEqualTo(second.id());

    // Answered out of order: each reply goes to its own request.
    assertThat(second.reply("{\"ok\":true,\"led\":128}")).isNotEqualTo(Boolean.FALSE);
    assertThat(first.reply("{\"ok\":false,\"error\":\"quality out of range\"}")).isNotEqualTo(Boolean.FALSE);
    assertSameJson(led.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "{\"ok\":true,\"led\":128}");
    assertSameJson(quality.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
        "{\"ok\":false,\"error\":\"quality out of range\"}");
  }

  @Test
  void aControlCommandTheSourceDoesNotAnswerFailsWithTimeout() throws Exception {
    relay(Duration.ofMillis(500));
    SourceProbe source = source(false);
    CompletableFuture<String> status = relay.control(CAMERA, "{\"cmd\":\"status\"}");
    SourceProbe.Command command = source.nextCommand(WAIT);
    assertSameJson(command.json().toString(), "{\"cmd\":\"status\"}");
    ExecutionException e = catchThrowableOfType(ExecutionException.class,
        () -> status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(e).as("the command fails").isNotNull();
    assertThat(e.getCause()).isInstanceOf(ControlException.class);
    assertThat(((ControlException) e.getCause()).kind()).isEqualTo(ControlException.Kind.TIMEOUT);
    assertThat(command.reply("{\"ok\":true}")).as("a late answer is ignored").isNotEqualTo(Boolean.TRUE);
    assertThat(status.isCompletedExceptionally()).isTrue();
  }

  @Test
  void anOnDemandSourceStreamsOnlyWhileWatched() throws Exception {
    relay(Duration.ofSeconds(30));
    SourceProbe source = source(true);
    assertThat(source.streamWantedAtAttach()).as("nobody watches yet").isFalse();
    assertThat(stats().onDemand()).isTrue();
    assertThat(stats().streaming()).isFalse();

    GatedOutput out = output();
    awaitStreamCommand(source, true);
    assertThat(stats().streaming()).isTrue();
    byte[] frame = ContractFrames.small(1);
    source.publish(frame);
    assertThat(out.nextFrame(WAIT)).isEqualTo(frame);

    out.close();
    awaitStreamCommand(source, false);
    assertThat(stats().streaming()).isFalse();
  }

  @Test
  void anOnDemandSourceAttachingWhileWatchedIsToldToStreamAtOnce() throws Exception {
    relay(Duration.ofSeconds(30));
    GatedOutput out = output();
    SourceProbe source = source(true);
    assertThat(source.streamWantedAtAttach()).isTrue();
    assertThat(stats().streaming()).isTrue();
    byte[] frame = ContractFrames.small(1);
    source.publish(frame);
    assertThat(out.nextFrame(WAIT)).isEqualTo(frame);
  }

  private static void awaitStreamCommand(SourceProbe source, boolean on) throws Exception {
    SourceProbe.Command c = source.nextCommand(WAIT);
    assertThat(c.streamOn()).as("stream request in " + c.json()).isEqualTo(on);
    assertSameJson(c.json().toString(), "{\"cmd\":\"stream\",\"on\":" + on + "}");
    c.reply("{\"ok\":true}");
  }
}
