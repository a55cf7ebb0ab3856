package dev.camrelay.relay.internal.port.websocket;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.internal.auth.AuthFailures;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.auth.Tokens;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import dev.camrelay.relay.internal.past.ReplayRequest;
import dev.camrelay.relay.internal.past.TimeParams;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * Decides what a WebSocket handshake is, and whether it may proceed, from its path, token and subprotocol:
 *
 * <pre>
 * /ingest/{id}[?ondemand=1]   a camera        camera token for {id}      401 without
 * /cam/{id}                   a viewer of id  viewer token for {id}      401 without, 403 for another id's
 * /cam/{id}?from=TIME...      a replay of id's recordings (ReplayRequest; a bad time: 400), same token
 * /                           a viewer of the default camera
 * anything else               404;  an invalid {id}: 400
 * </pre>
 *
 * Where a token decides, an address refused for wrong tokens gets 429 with {@code Retry-After}, its token unchecked
 * ({@link AuthFailures}); a presented token that grants nothing counts as a wrong one.
 * With seed compatibility, {@code /} also takes the seed relay's clients ({@link SeedClients}): an {@code ipcam_<token>}
 * offer is the default camera (camera token), a {@code mon_<token>} offer a viewer of it (viewer token; control with
 * the control token), the token read from the offer.
 *
 * Knows nothing of sockets or the WebSocket library, so every rule of the handshake is in this one place.
 */
final class HandshakeRouter {
  static final String INGEST_PREFIX = "/ingest/";
  static final String CAMERA_PREFIX = "/cam/";

  /**
   * An accepted handshake: what the connection is and what it may do; {@code seed}: a client of the seed relay's
   * protocol; {@code expiresAt}: when a viewer's share link ends (the connection is closed then), or null.
   */
  record Route(boolean ingest, String cameraId, boolean v1, boolean control, boolean onDemand, boolean verified,
      boolean seed, Instant expiresAt, ReplayRequest replay) {}

  /** A refused handshake, answered with a real HTTP status and a text body. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String phrase;
    final long retryAfterSeconds;

    Refusal(int status, String phrase, String message) {
      this(status, phrase, message, 0);
    }

    Refusal(int status, String phrase, String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.status = status;
      this.phrase = phrase;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  private final String defaultCameraId;
  private final Authenticator auth;
  private final LogLimiter logLimiter;
  private final boolean seedCompatibility;

  HandshakeRouter(String defaultCameraId, Authenticator auth, LogLimiter logLimiter, boolean seedCompatibility) {
    this.defaultCameraId = defaultCameraId;
    this.auth = auth;
    this.logLimiter = logLimiter;
    this.seedCompatibility = seedCompatibility;
  }

  /**
   * Routes one handshake.
   *
   * @param target the request target, e.g. {@code /cam/garage?token=...}
   * @param subprotocols the offered Sec-WebSocket-Protocol header, or null
   * @param chosenSubprotocol the subprotocol the relay selected ({@code camrelay.v1}, {@code bearer.…} or empty)
   * @param authorization the Authorization header, or null
   * @param remote the client's address, for log lines
   * @param ip the client's IP, for {@link AuthFailures}
   */
  Route route(String target, String subprotocols, String chosenSubprotocol, String authorization, String remote,
      InetAddress ip) throws Refusal {
    QueryStringDecoder uri = new QueryStringDecoder(target);
    String path = uri.path();
    boolean ingest;
    String cameraId;
    SeedClients.Offer seed = seedCompatibility && SeedClients.isRoot(path) ? SeedClients.offer(subprotocols) : null;
    if (seed != null) {
      ingest = seed.camera();
      cameraId = defaultCameraId;
    } else if (path.startsWith(INGEST_PREFIX)) {
      ingest = true;
      cameraId = trimSlash(path.substring(INGEST_PREFIX.length()));
    } else if (path.startsWith(CAMERA_PREFIX)) {
      ingest = false;
      cameraId = trimSlash(path.substring(CAMERA_PREFIX.length()));
    } else if (path.equals("/") || path.isEmpty()) {
      ingest = false;
      cameraId = defaultCameraId;
    } else {
      throw new Refusal(404, "Not Found", "no such path; viewers connect to / or /cam/{id}, cameras to /ingest/{id}");
    }
    if (!CameraId.isValid(cameraId)) {
      throw new Refusal(400, "Bad Request", "invalid camera id: want " + CameraId.RULE);
    }
    String token = seed != null && seed.token() != null ? seed.token()
        : Tokens.of(authorization, subprotocols, uri.parameters());
    AuthFailures failures = auth.failures();
    boolean tokenDecides = ingest ? auth.cameraAuthRequired(cameraId)
        : auth.viewerAuthRequired() || token != null && auth.controlRequiresToken();
    long wait = tokenDecides ? failures.refusedForSeconds(ip) : 0;
    if (wait > 0) {
      throw new Refusal(429, "Too Many Requests", AuthFailures.refusal(wait), wait);
    }
    if (ingest) {
      if (!auth.cameraAllowed(cameraId, token)) {
        if (token != null) {
          failures.failed(ip);
        }
        logLimiter.warn("ws-auth-camera", "refused WebSocket camera '" + cameraId + "' from " + remote + ": "
            + (token == null ? "no token" : "wrong token"));
        throw new Refusal(401, "Unauthorized", "camera token required");
      }
      boolean onDemand = uri.parameters().getOrDefault("ondemand", List.of()).stream()
          .anyMatch(v -> v.equals("1") || v.equalsIgnoreCase("true"));
      return new Route(true, cameraId, false, false, onDemand && seed == null, auth.cameraVerified(cameraId, token),
          seed != null, null, null);
    }
    ViewerAccess access = auth.viewerAccess(token);
    boolean control = access.granted() && auth.controlAllowed(token);
    if (token != null && !control && !(access.granted() && auth.viewerAuthRequired())
        && access.refusal() != ViewerAccess.Refusal.EXPIRED_SHARE_LINK) {
      failures.failed(ip); // a token that grants nothing: with open viewing, a guess at the control token
    }
    if (!access.granted()) {
      logLimiter.warn("ws-auth-viewer", "refused WebSocket viewer from " + remote + ": "
          + access.refusal().logText());
      throw new Refusal(401, "Unauthorized",
          access.refusal() == ViewerAccess.Refusal.EXPIRED_SHARE_LINK ? "share link expired" : "viewer token required");
    }
    if (!access.mayView(cameraId)) {
      logLimiter.warn("ws-scope-viewer", "refused WebSocket viewer of '" + cameraId + "' from " + remote
          + ": viewer token not for this camera");
      throw new Refusal(403, "Forbidden", ViewerAccess.outOfScopeMessage(cameraId));
    }
    ReplayRequest replay;
    try {
      replay = seed != null ? null : ReplayRequest.of(uri.parameters());
    } catch (TimeParams.BadParameter e) {
      throw new Refusal(400, "Bad Request", e.getMessage());
    }
    return new Route(false, cameraId, SubprotocolChooser.V1.equals(chosenSubprotocol), control, false, false,
        seed != null, access.expiresAt(), replay);
  }

  private static String trimSlash(String id) {
    return id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
  }
}
