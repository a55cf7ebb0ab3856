package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Who may do what: the camera, viewer and control tokens, and the key of share links. */
final class AccessOptions {
  @Option(names = "--camera-token", paramLabel = "[ID=]TOKEN", split = ",",
      description = "Token cameras must send (framed HELLO or WebSocket ingest). TOKEN alone applies to every"
          + " camera; ID=TOKEN to one camera. Repeatable.")
  List<String> cameraTokens = new ArrayList<>();

  @Option(names = "--allow-unknown-cameras",
      description = "With per-camera tokens only (ID=TOKEN), also accept cameras whose id has no token, without one."
          + " Without this, naming some cameras' tokens refuses every other id.")
  boolean allowUnknownCameras;

  // Split on white space so that the environment or a config file can hold several (a comma lists camera ids).
  @Option(names = "--viewer-token", paramLabel = "[ID[,ID]=]TOKEN", split = "\\s+", splitSynopsisLabel = " ",
      description = "Token viewers must present (?token=, Authorization: Bearer, or WebSocket bearer.<token>). TOKEN"
          + " alone opens every camera; ID=TOKEN or ID,ID=TOKEN only those cameras (403 for the others, and"
          + " /api/cameras lists only them). Repeatable; both kinds may be used together.")
  List<String> viewerTokens = new ArrayList<>();

  @Option(names = "--share-key", paramLabel = "SECRET",
      description = "Secret (16+ characters) that signs share links made by 'camrelay share'. Default: a key"
          + " derived from the global --viewer-token, so links end when that token changes. Setting it means"
          + " viewers need a token or a link.")
  String shareKey;

  @Option(names = "--control-token", paramLabel = "TOKEN",
      description = "Token a viewer needs to send camera control commands.")
  String controlToken;

  /** The camera tokens; a usage error if they contradict each other. */
  CameraTokens cameraTokens(CommandLine cl) {
    try {
      return CameraTokens.parse(cameraTokens);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
  }

  /** The viewer tokens; a usage error if they contradict each other. */
  ViewerTokens viewerTokens(CommandLine cl) {
    try {
      return ViewerTokens.parse(viewerTokens);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
  }

  boolean viewerTokenRequired() {
    return !viewerTokens.isEmpty() || shareKey != null;
  }

  void applyTo(CameraRelay.Builder relay, CameraTokens cameras, ViewerTokens viewers) {
    if (cameras.global() != null) {
      relay.cameraToken(cameras.global());
    }
    cameras.perCamera().forEach(relay::cameraToken);
    relay.allowUnknownCameras(allowUnknownCameras);
    if (viewers.global() != null) {
      relay.viewerToken(viewers.global());
    }
    viewers.scoped().forEach(relay::viewerToken);
    if (shareKey != null) {
      relay.shareKey(shareKey);
    }
    if (controlToken != null) {
      relay.controlToken(controlToken);
    }
  }
}
