package dev.camrelay.relay.internal.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.testing.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FirmwareUpdates} over a real hub (an unstarted {@link CameraRelay}) with an in-process camera source: offers
 * that get no news end as {@code expired} and stop being served; control failures become the right offer failure.
 */
class FirmwareUpdatesTest {
  private static final InetSocketAddress RELAY_SIDE = new InetSocketAddress("192.168.1.10", 3008);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private CameraRelay hub;

  @BeforeEach
  void hub() {
    hub = CameraRelay.builder().controlTimeout(Duration.ofMillis(300)).build();
  }

  @AfterEach
  void close() {
    hub.close();
    timer.shutdownNow();
  }

  private FirmwareUpdates updates(Duration lifetime) {
    return new FirmwareUpdates(hub, timer, () -> 3010, false, 1000, lifetime);
  }

  /** A camera that answers commands with {@code answer} (null: never answers). */
  private void camera(String id, Function<String, String> answer) {
    hub.attachSource(id, SourceInfo.of("java", "test").withControl(), new CameraSource() {
      @Override
      public void onControl(ControlRequest request) {
        String reply = answer.apply(request.json());
        if (reply != null) {
          request.reply(reply);
        }
      }

      @Override
      public void onDetached(DetachReason reason, String message) {}
    });
  }

  private static FirmwareOfferException.Kind failure(CompletableFuture<FirmwareStatus> offer) throws Exception {
    try {
      offer.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the offer was taken");
    } catch (ExecutionException e) {
      return ((FirmwareOfferException) e.getCause()).kind();
    }
  }

  @Test
  void anOfferWithoutNewsExpiresAndItsImageIsNoLongerServed() throws Exception {
    FirmwareUpdates updates = updates(Duration.ofMillis(300));
    String[] url = new String[1];
    camera("cam", json -> {
      url[0] = json;
      return "{\"ok\":true}";
    });
    updates.connected("cam", RELAY_SIDE);
    FirmwareStatus offered = updates.offer("cam", new byte[] {1, 2, 3}, "9.9").get(10, TimeUnit.SECONDS);
    assertThat(offered.state()).isEqualTo("offered");
    assertThat(url[0]).contains("\"url\":\"http://192.168.1.10:3010/firmware/");
    String key = url[0].replaceAll(".*/firmware/([0-9a-f]{32})\\.bin.*", "$1");
    assertThat(updates.image(key)).isPresent();

    Await.until("the offer expired", () -> updates.status("cam").map(FirmwareStatus::state).orElse("")
        .equals("expired"));
    assertThat(updates.status("cam").get().error()).contains("no news from the camera");
    assertThat(updates.image(key)).isEmpty();
  }

  @Test
  void aCameraThatCannotTakeTheOfferNowGetsTheMatchingFailure() throws Exception {
    FirmwareUpdates updates = updates(FirmwareUpdates.DEFAULT_LIFETIME);
    camera("silent", json -> null);
    updates.connected("silent", RELAY_SIDE);
    assertThat(failure(updates.offer("silent", new byte[] {1}, null))).isEqualTo(FirmwareOfferException.Kind.NO_ANSWER);
    assertThat(updates.status("silent").get().state()).isEqualTo("failed");

    hub.attachSource("nocontrol", SourceInfo.of("java", "test"), new CameraSource() {
      @Override
      public void onDetached(DetachReason reason, String message) {}
    });
    updates.connected("nocontrol", RELAY_SIDE);
    assertThat(failure(updates.offer("nocontrol", new byte[] {1}, null)))
        .isEqualTo(FirmwareOfferException.Kind.NOT_CONNECTED);
    assertThat(failure(updates.offer("nocontrol", new byte[1001], null)))
        .isEqualTo(FirmwareOfferException.Kind.BAD_OFFER);
  }
}
