package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.output.mjpeg.MjpegRoute;
import dev.camrelay.relay.internal.output.snapshot.SnapshotRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which route answers a path of the HTTP port, and whether it needs the viewer token. The relay's table
 * ({@link #of(HttpFrontend)}):
 *
 * <pre>
 * /healthz                      200 "ok"                          open
 * /api/info                     JSON for the web page             open (tells the page whether to ask for a token)
 * /api/cameras                  JSON list of camera stats, state  viewer token if one is set; lists only the
 *                                                                 cameras the token opens
 * PUT, DELETE /api/cameras/{id} the admin API (AdminRoute)        admin token; asked before the table
 * POST /api/cameras/{id}/firmware a firmware update (FirmwareUploadRoute)  admin token; asked before the table
 * /api/cameras/{id}/firmware    JSON: the camera's latest update  viewer token for {id} if one is set
 * /firmware/{key}.bin           an image offered to a camera       open: the 128-bit key is the secret
 *                               (FirmwareImageRoute)
 * /metrics                      Prometheus text 0.0.4             a token for every camera if one is set
 * /cam/{id}/stream.mjpeg        multipart/x-mixed-replace stream  viewer token for {id} if one is set (403 when
 * /cam/{id}/snapshot.jpg        the latest frame                  the token opens other cameras only)
 * /cam/{id}/recordings, replay.mjpeg, snapshot.jpg?at=, ...    the past (PastRoutes)   the same
 * /api/...  (anything else)     JSON 404                          open
 * /, /index.html, /app.js, ...  the viewer page's files           open (the page must load to ask for a token)
 * </pre>
 *
 * Paths are matched raw (still percent-encoded): exact paths first, then prefixes in the order they were added, then
 * the fallback. Limits: knows no methods (GET and HEAD are checked for every path before the table is asked) and no
 * path parameters (a prefix route parses the rest of its path itself). Immutable once built.
 */
final class RouteTable {
  /**
   * Whether a route is open to anyone, needs a viewer token that opens some camera (the route serves only those,
   * from {@link HttpExchange#viewerAccess()}), or one that opens every camera (when the relay has viewer tokens).
   */
  enum Access { OPEN, VIEWER_TOKEN, EVERY_CAMERA }

  /** The route for a path and who may use it. */
  record Match(HttpRoute route, Access access) {}

  private record Prefix(String prefix, Match match) {}

  private final Map<String, Match> exact;
  private final List<Prefix> prefixes;
  private final Match fallback;

  private RouteTable(Builder builder) {
    this.exact = Map.copyOf(builder.exact);
    this.prefixes = List.copyOf(builder.prefixes);
    this.fallback = builder.fallback;
  }

  /** The relay's routes, over the frontend's hub, assets and MJPEG machinery. */
  static RouteTable of(HttpFrontend frontend) {
    Map<String, CameraRoute> files = new HashMap<>(
        frontend.past().routes(frontend.mjpegWriter(), new SnapshotRoute(frontend.hub())));
    files.put(CameraRoutes.STREAM, new MjpegRoute(frontend.hub(), frontend.mjpegWriter(), frontend.mjpegParts(),
        frontend.mjpegAdvanceParts(), frontend.mjpegCounters(), frontend.sendBufferCap()));
    CameraRoutes cameras = new CameraRoutes(frontend.hub(), frontend::expectsCamera, files);
    return new Builder()
        .exact("/healthz", Access.OPEN, new HealthRoute())
        .exact("/api/info", Access.OPEN, new JsonRoute(frontend.gson(), () -> frontend.info()))
        .exact("/api/cameras", Access.VIEWER_TOKEN,
            new JsonRoute(frontend.gson(), exchange -> frontend.cameraList(exchange.viewerAccess())))
        .exact("/metrics", Access.EVERY_CAMERA, new MetricsRoute(frontend))
        .prefix(CameraRoutes.PREFIX, Access.VIEWER_TOKEN, cameras)
        .prefix(AdminRoute.PREFIX, Access.VIEWER_TOKEN, new FirmwareStatusRoute(frontend.firmware(), frontend.gson()))
        .prefix(FirmwareUpdates.IMAGE_PREFIX, Access.OPEN, new FirmwareImageRoute(frontend.firmware()))
        .prefix("/api/", Access.OPEN, new UnknownApiRoute())
        .otherwise(Access.OPEN, new PageRoute(frontend.assets()))
        .build();
  }

  /** The route for a raw request path; never null. */
  Match find(String rawPath) {
    Match match = exact.get(rawPath);
    if (match != null) {
      return match;
    }
    for (Prefix p : prefixes) {
      if (rawPath.startsWith(p.prefix())) {
        return p.match();
      }
    }
    return fallback;
  }

  /** Builds a table; {@link #otherwise} is required. */
  static final class Builder {
    private final Map<String, Match> exact = new HashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();
    private Match fallback;

    Builder exact(String path, Access access, HttpRoute route) {
      if (exact.putIfAbsent(path, new Match(route, access)) != null) {
        throw new IllegalArgumentException("two routes for " + path);
      }
      return this;
    }

    Builder prefix(String prefix, Access access, HttpRoute route) {
      prefixes.add(new Prefix(prefix, new Match(route, access)));
      return this;
    }

    Builder otherwise(Access access, HttpRoute route) {
      fallback = new Match(route, access);
      return this;
    }

    RouteTable build() {
      if (fallback == null) {
        throw new IllegalStateException("a route table needs a fallback route");
      }
      return new RouteTable(this);
    }
  }
}
