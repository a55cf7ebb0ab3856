package dev.camrelay.relay.internal.firmware;

import com.google.common.net.InetAddresses;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.UntrustedJson;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmware updates through the relay (esp32-arduino/camrelay_cam/src/camrelay/ota.h is the camera's side):
 *
 * <pre>
 * operator ── image ──► relay keeps it, SHA-256, size, a random URL /firmware/{32 hex}.bin on its HTTP port
 * relay ── CONTROL {"cmd":"ota","url","size","sha256","version"} ──► camera   ok: "offered", else "refused"
 * camera ── GET url ──► relay serves the image while the offer lasts
 * camera ── CONTROL id 0 {"event":"ota","state":...} ──► relay
 *           downloading, then failed | rebooting, then confirmed | rolled-back
 * </pre>
 *
 * The URL names the address the camera itself reached the relay at (the local address of its framed connection),
 * https when the relay has TLS. The image is served only while the update is {@code offered} or {@code downloading}
 * and forgotten after; an update with no news from the camera for the offer lifetime (10 minutes) ends as
 * {@code expired}. One update per camera at a time. Events are accepted from the camera's authenticated framed
 * connection only, also for updates this relay did not offer (a rollback reported after a restart). Each state
 * change is logged once (at most one line per camera and state a second). Limits: images up to the configured size
 * (4 MiB by default) are kept in memory, one per camera at most.
 */
public final class FirmwareUpdates {
  private static final Logger log = LoggerFactory.getLogger(FirmwareUpdates.class);
  /** Where the HTTP port serves offered images: {@code /firmware/{key}.bin}. */
  public static final String IMAGE_PREFIX = "/firmware/";
  public static final String IMAGE_SUFFIX = ".bin";
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,31}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CameraHub hub;
  private final ScheduledExecutorService timer;
  private final IntSupplier httpPort;
  private final boolean https;
  private final int maxImageBytes;
  private final Duration lifetime;
  private final LogLimiter lines = new LogLimiter(log, 1000);
  /** Framed cameras and the relay address each reached: where their download URL points. */
  private final Map<String, InetSocketAddress> relaySides = new ConcurrentHashMap<>();
  private final Map<String, Update> byCamera = new HashMap<>();
  private final Map<String, Update> byKey = new HashMap<>();

  /** One camera's update: the image while it is served, and where it stands. */
  private static final class Update {
    final String cameraId;
    final String key;
    final long size;
    final String sha256;
    byte[] image;
    FirmwareStatus status;
    long lastNewsNanos = System.nanoTime();

    Update(String cameraId, String key, byte[] image, String sha256, FirmwareStatus status) {
      this.cameraId = cameraId;
      this.key = key;
      this.image = image;
      this.size = image == null ? 0 : image.length;
      this.sha256 = sha256;
      this.status = status;
    }
  }

  /**
   * @param httpPort the bound HTTP port, asked at each offer (-1: off, no offers)
   * @param https whether that port speaks TLS
   */
  public FirmwareUpdates(CameraHub hub, ScheduledExecutorService timer, IntSupplier httpPort, boolean https,
      int maxImageBytes, Duration lifetime) {
    this.hub = hub;
    this.timer = timer;
    this.httpPort = httpPort;
    this.https = https;
    this.maxImageBytes = maxImageBytes;
    this.lifetime = lifetime;
  }

  /** The largest image accepted. */
  public int maxImageBytes() {
    return maxImageBytes;
  }

  /** A framed camera attached; {@code relaySide} is the relay's address on its connection. */
  public void connected(String cameraId, InetSocketAddress relaySide) {
    relaySides.put(cameraId, relaySide);
  }

  /** That framed connection ended (a newer connection of the camera stays). */
  public void disconnected(String cameraId, InetSocketAddress relaySide) {
    relaySides.remove(cameraId, relaySide);
  }

  /**
   * Offers {@code image} to the camera: completes with the status once the camera accepted, or fails with
   * {@link FirmwareOfferException}. The array is kept: do not change it afterwards.
   *
   * @param version what the camera is told it updates to; null for none
   */
  public CompletableFuture<FirmwareStatus> offer(String cameraId, byte[] image, String version) {
    Update update;
    String command;
    try {
      checkOffer(image, version);
      InetSocketAddress relaySide = relaySides.get(cameraId);
      int port = httpPort.getAsInt();
      if (port < 0) {
        throw new FirmwareOfferException(FirmwareOfferException.Kind.NO_HTTP_PORT,
            "the relay's HTTP port is off: cameras download updates from it");
      }
      if (relaySide == null) {
        throw new FirmwareOfferException(FirmwareOfferException.Kind.NOT_CONNECTED, "camera '" + cameraId
            + "' is not connected over the framed protocol (the firmware's), so it cannot be told about an update");
      }
      String key = HexFormat.of().formatHex(randomBytes());
      String sha256 = HexFormat.of().formatHex(sha256(image));
      String url = (https ? "https" : "http") + "://" + InetAddresses.toUriString(relaySide.getAddress()) + ":" + port
          + IMAGE_PREFIX + key + IMAGE_SUFFIX;
      synchronized (this) {
        Update current = byCamera.get(cameraId);
        if (current != null && current.status.active()) {
          throw new FirmwareOfferException(FirmwareOfferException.Kind.BUSY, "camera '" + cameraId
              + "' is already updating (" + current.status.state() + " since " + current.status.since()
              + "); that ends by itself, at the latest after " + lifetime.toMinutes() + " min without news");
        }
        update = new Update(cameraId, key, image, sha256, status("offered", version, image.length, 0, sha256, null));
        forget(current);
        byCamera.put(cameraId, update);
        byKey.put(key, update);
      }
      JsonObject ota = new JsonObject();
      ota.addProperty("cmd", "ota");
      ota.addProperty("url", url);
      ota.addProperty("size", image.length);
      ota.addProperty("sha256", sha256);
      if (version != null) {
        ota.addProperty("version", version);
      }
      command = ota.toString();
    } catch (FirmwareOfferException e) {
      return CompletableFuture.failedFuture(e);
    }
    log.info("camera '{}': firmware update offered ({} bytes, sha256 {}, version {})", cameraId, image.length,
        update.sha256, version == null ? "not given" : version);
    scheduleExpiry(cameraId, update, lifetime.toNanos());
    return hub.control(cameraId, command).handle((reply, failure) -> answered(cameraId, update, reply, failure));
  }

  private FirmwareStatus answered(String cameraId, Update update, String reply, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      String why = cause instanceof ControlException ? cause.getMessage() : String.valueOf(cause);
      change(cameraId, update, "failed", null, 0, 0, "the offer did not reach the camera: " + why);
      throw new CompletionException(new FirmwareOfferException(kindOf(cause),
          "camera '" + cameraId + "' did not take the offer: " + why));
    }
    String refusal = refusal(reply);
    if (refusal != null) {
      change(cameraId, update, "refused", null, 0, 0, refusal);
      throw new CompletionException(new FirmwareOfferException(FirmwareOfferException.Kind.REFUSED_BY_CAMERA,
          "camera '" + cameraId + "' refused the update: " + refusal));
    }
    synchronized (this) {
      return update.status;
    }
  }

  /** Why the command failed, as an offer failure: no answer in time, or a camera that cannot take commands now. */
  private static FirmwareOfferException.Kind kindOf(Throwable cause) {
    if (!(cause instanceof ControlException e)) {
      return FirmwareOfferException.Kind.NO_ANSWER;
    }
    return switch (e.kind()) {
      case TIMEOUT -> FirmwareOfferException.Kind.NO_ANSWER;
      case REJECTED -> FirmwareOfferException.Kind.BUSY;
      case OFFLINE, UNSUPPORTED, DISCONNECTED -> FirmwareOfferException.Kind.NOT_CONNECTED;
    };
  }

  /** The camera's refusal in its reply, or null when it accepted ({@code "ok": true}). */
  private static String refusal(String reply) {
    try {
      JsonObject json = UntrustedJson.object(reply);
      JsonElement ok = json.get("ok");
      if (ok != null && ok.isJsonPrimitive() && ok.getAsJsonPrimitive().isBoolean() && ok.getAsBoolean()) {
        return null;
      }
      JsonElement error = json.get("error");
      return error != null && error.isJsonPrimitive() ? OtaEvent.printable(error.getAsString()) : "(no reason given)";
    } catch (JsonParseException e) {
      return "its answer was not a JSON object";
    }
  }

  /** An image being offered, and the camera it is for. */
  public record Image(String cameraId, byte[] bytes) {}

  /** The image offered under {@code key} while the camera may download it. */
  public synchronized Optional<Image> image(String key) {
    Update update = byKey.get(key);
    return update == null || update.image == null ? Optional.empty()
        : Optional.of(new Image(update.cameraId, update.image));
  }

  /**
   * A camera's event (a CONTROL request with id 0 and an {@code event} key); only {@code "ota"} is known, others
   * are ignored.
   */
  public void onEvent(String cameraId, JsonObject event) {
    JsonElement name = event.get("event");
    if (name == null || !name.isJsonPrimitive() || !"ota".equals(name.getAsString())) {
      log.debug("camera '{}': ignoring an unknown event", cameraId);
      return;
    }
    OtaEvent ota;
    try {
      ota = OtaEvent.of(event);
    } catch (IllegalArgumentException e) {
      lines.warn("firmware-bad-event:" + cameraId, "camera '" + cameraId + "': ignoring an ota event: "
          + e.getMessage());
      return;
    }
    synchronized (this) {
      Update update = byCamera.get(cameraId);
      if (update == null) {
        // An update this relay did not offer (or offered before a restart): its news is still worth showing.
        // Starts stateless, so the first event counts as a change and is logged.
        update = new Update(cameraId, null, null, null, status("", ota.version(), ota.size(), 0, null, null));
        byCamera.put(cameraId, update);
      }
      change(cameraId, update, ota.state(), ota.version(), ota.received(), ota.size(), ota.error());
    }
    if (ota.state().equals("downloading")) {
      log.debug("camera '{}': firmware download at {} of {} bytes", cameraId, ota.received(), ota.size());
    }
  }

  /** The camera's latest update, if any since the relay started. */
  public synchronized Optional<FirmwareStatus> status(String cameraId) {
    Update update = byCamera.get(cameraId);
    return update == null ? Optional.empty() : Optional.of(update.status);
  }

  /** The update's new state; {@code size} (from the camera) counts only for updates the relay did not offer. */
  private void change(String cameraId, Update update, String state, String version, long received, long size,
      String error) {
    FirmwareStatus before;
    FirmwareStatus after;
    synchronized (this) {
      before = update.status;
      String v = version != null ? version : before.version();
      long total = update.size > 0 ? update.size : size > 0 ? size : before.size();
      after = status(state, v, total, state.equals("downloading") ? received : before.received(), before.sha256(),
          error);
      if (state.equals(before.state())) {
        after = new FirmwareStatus(state, v, total, after.received(), before.sha256(), error, before.since());
      }
      update.status = after;
      update.lastNewsNanos = System.nanoTime();
      if (!after.state().equals("offered") && !after.state().equals("downloading")) {
        update.image = null; // downloaded (or given up): no longer served
        if (update.key != null) {
          byKey.remove(update.key);
        }
      }
    }
    if (!state.equals(before.state())) {
      logChange(cameraId, after);
    }
  }

  private void logChange(String cameraId, FirmwareStatus s) {
    String key = "firmware:" + cameraId + ":" + s.state();
    String text = "camera '" + cameraId + "': firmware update " + s.state();
    switch (s.state()) {
      case "downloading" -> lines.info(key, text + " (" + s.received() + " of " + s.size() + " bytes)");
      case "rebooting", "confirmed" -> lines.info(key, text + (s.version() != null ? ", version " + s.version() : ""));
      default -> lines.warn(key, text + (s.version() != null ? ", running " + s.version() : "")
          + (s.error() != null ? ": " + s.error() : ""));
    }
  }

  private void scheduleExpiry(String cameraId, Update update, long delayNanos) {
    timer.schedule(() -> {
      long left;
      synchronized (this) {
        if (byCamera.get(cameraId) != update || !update.status.active()) {
          return;
        }
        left = lifetime.toNanos() - (System.nanoTime() - update.lastNewsNanos);
      }
      if (left > 0) {
        scheduleExpiry(cameraId, update, left);
      } else {
        change(cameraId, update, "expired", null, 0, 0, "no news from the camera for " + lifetime.toMinutes() + " min");
      }
    }, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void forget(Update old) {
    if (old != null && old.key != null) {
      byKey.remove(old.key);
    }
  }

  private void checkOffer(byte[] image, String version) throws FirmwareOfferException {
    if (image.length == 0) {
      throw new FirmwareOfferException(FirmwareOfferException.Kind.BAD_OFFER, "the firmware image is empty");
    }
    if (image.length > maxImageBytes) {
      throw new FirmwareOfferException(FirmwareOfferException.Kind.BAD_OFFER, "the firmware image has "
          + image.length + " bytes; the most this relay takes is " + maxImageBytes);
    }
    if (version != null && !VERSION.matcher(version).matches()) {
      throw new FirmwareOfferException(FirmwareOfferException.Kind.BAD_OFFER,
          "version must be 1..31 of A-Z a-z 0-9 . _ + -");
    }
  }

  private static FirmwareStatus status(String state, String version, long size, long received, String sha256,
      String error) {
    return new FirmwareStatus(state, version, size, received, sha256, error,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private static byte[] randomBytes() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return key;
  }

  private static byte[] sha256(byte[] image) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(image);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
