package dev.camrelay.relay;

import java.util.Objects;

/**
 * What a source is, declared when it attaches; shown in {@code /api/cameras}, metrics and logs.
 *
 * @param kind a short lower-case label of how frames arrive, e.g. {@code framed}, {@code websocket}, {@code pull},
 *     {@code java}: 1..32 of {@code a-z 0-9 -}
 * @param remote where the frames come from, e.g. {@code 192.168.1.40:51234}, a URL or {@code in-process}
 * @param control whether the source takes control commands ({@link CameraSource#onControl})
 * @param onDemand whether the source streams only when asked to ({@link CameraSource#onStreamRequest})
 * @param verified whether the source proved it may publish as this camera (it presented the camera's token, or an
 *     operator configured it, or it is in-process code): when the relay is full, a verified source makes room by
 *     evicting an unverified camera instead of being refused ({@link DetachReason#EVICTED})
 * @param node the relay node the camera is connected to, for sources that bring a camera from another relay of a
 *     cluster; null for a camera connected to this relay (shown as this relay's {@code nodeName})
 */
public record SourceInfo(String kind, String remote, boolean control, boolean onDemand, boolean verified,
    String node) {
  public SourceInfo {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(remote, "remote");
    if (!isKind(kind)) {
      throw new IllegalArgumentException("source kind must be 1..32 of a-z 0-9 -");
    }
  }

  /** 1..32 of a-z 0-9 - (checked by hand: a raw camera opening a connection per frame makes one per frame). */
  private static boolean isKind(String s) {
    if (s.isEmpty() || s.length() > 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** A source of a camera connected to this relay. */
  public SourceInfo(String kind, String remote, boolean control, boolean onDemand, boolean verified) {
    this(kind, remote, control, onDemand, verified, null);
  }

  /** A source that only sends frames: no control commands, always streaming, not verified. */
  public static SourceInfo of(String kind, String remote) {
    return new SourceInfo(kind, remote, false, false, false);
  }

  /** The same source, taking control commands. */
  public SourceInfo withControl() {
    return new SourceInfo(kind, remote, true, onDemand, verified, node);
  }

  /** The same source, streaming only while someone watches. */
  public SourceInfo withOnDemand() {
    return new SourceInfo(kind, remote, control, true, verified, node);
  }

  /** The same source, verified: it proved its token, or the operator or in-process code vouches for it. */
  public SourceInfo withVerified() {
    return new SourceInfo(kind, remote, control, onDemand, true, node);
  }

  /** The same source, bringing a camera connected to relay node {@code node} of a cluster. */
  public SourceInfo withNode(String node) {
    return new SourceInfo(kind, remote, control, onDemand, verified, node);
  }
}
