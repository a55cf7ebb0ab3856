package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Relay-wide outputs (recorder, clips, frame listeners) serve the cameras connected to this relay, not cameras a
 * source brings from another node of a cluster ({@link SourceInfo#node()} set), unless the factory asks for them.
 */
class RelayWideOutputsInClusterTest {
  private static final CameraSource SOURCE = (reason, message) -> { };
  private CameraRelay relay;
  private final Factory localOnly = new Factory(false);
  private final Factory everyCamera = new Factory(true);

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).nodeName("here").build();
    relay.start();
    relay.attachOutputs(localOnly);
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void aCameraFromAnotherNodeGetsOnlyTheOutputsThatAskForRemoteCameras() {
    relay.attachOutputs(everyCamera);
    SourceHandle remote = relay.attachSource("far", remoteInfo(), SOURCE);
    assertThat(localOnly.made).doesNotContainKey("far");
    assertThat(everyCamera.made).containsKey("far");
    relay.attachSource("near", SourceInfo.of("java", "test"), SOURCE);
    assertThat(localOnly.made).containsKey("near");
    assertThat(remote.attached()).isTrue();
  }

  @Test
  void anUnwatchedOnDemandCameraFromAnotherNodeIsNotAskedToStreamForLocalOnlyOutputs() {
    SourceHandle remote = relay.attachSource("far", remoteInfo(), SOURCE);
    assertThat(remote.streamWanted()).isFalse();
  }

  @Test
  void outputsFollowACameraThatMovesBetweenThisNodeAndAnother() {
    relay.attachSource("mover", SourceInfo.of("java", "test"), SOURCE);
    OutputHandle first = localOnly.made.get("mover").get(0);
    assertThat(first.attached()).isTrue();

    relay.attachSource("mover", remoteInfo(), SOURCE);
    assertThat(first.attached()).as("left when the camera moved away").isFalse();
    assertThat(localOnly.detached).containsExactly(DetachReason.MOVED);

    relay.attachSource("mover", SourceInfo.of("java", "test"), SOURCE);
    assertThat(localOnly.made.get("mover")).hasSize(2);
    assertThat(localOnly.made.get("mover").get(1).attached()).as("back when it returned").isTrue();
  }

  @Test
  void outputsAttachedLaterSkipCamerasAlreadyBroughtFromAnotherNode() throws Exception {
    relay.attachSource("far", remoteInfo(), SOURCE);
    relay.attachSource("near", SourceInfo.of("java", "test"), SOURCE);
    Factory late = new Factory(false);
    try (AutoCloseable ignored = relay.attachOutputs(late)) {
      assertThat(late.made).containsOnlyKeys("near");
    }
  }

  private static SourceInfo remoteInfo() {
    return new SourceInfo("cluster", "node there", false, true, true).withNode("there");
  }

  /** Records the handles of the outputs it made, per camera. */
  private static final class Factory implements OutputFactory {
    final Map<String, List<OutputHandle>> made = new ConcurrentHashMap<>();
    final List<DetachReason> detached = new CopyOnWriteArrayList<>();
    private final boolean remote;

    Factory(boolean remote) {
      this.remote = remote;
    }

    @Override
    public CameraOutput create(String cameraId) {
      return new CameraOutput() {
        @Override
        public void onAttached(OutputHandle handle) {
          made.computeIfAbsent(cameraId, k -> new CopyOnWriteArrayList<>()).add(handle);
        }

        @Override
        public void onFrame(CameraFrame frame) {}

        @Override
        public void onDetached(DetachReason reason, String message) {
          detached.add(reason);
        }
      };
    }

    @Override
    public boolean remoteCameras() {
      return remote;
    }
  }
}
