package dev.camrelay.relay.internal.source;

import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.relay.DetachReason;

/** The framed protocol's BYE/ERROR code for why the relay let a camera go (WebSocket ingest sends 4000 + it). */
public final class WireCodes {
  private WireCodes() {}

  public static int of(DetachReason reason) {
    return switch (reason) {
      case REPLACED -> ErrorCode.REPLACED;
      case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
      case EVICTED -> ErrorCode.RATE_LIMITED;
      case REVOKED -> ErrorCode.AUTH_FAILED;
      default -> ErrorCode.NORMAL;
    };
  }
}
