package dev.camrelay.cli;

import dev.camrelay.cli.options.ViewerTokenOption;
import dev.camrelay.relay.CameraRelay;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Who may do what: the camera, viewer and control tokens. */
final class AccessOptions {
  @Option(names = "--camera-token", paramLabel = "[ID=]TOKEN", split = ",",
      description = "Token cameras must send (framed HELLO or WebSocket ingest). TOKEN alone applies to every"
          + " camera; ID=TOKEN to one camera. Repeatable.")
  List<String> cameraTokens = new ArrayList<>();

  @Option(names = "--allow-unknown-cameras",
      description = "With per-camera tokens only (ID=TOKEN), also accept cameras whose id has no token, without one."
          + " Without this, naming some cameras' tokens refuses every other id.")
  boolean allowUnknownCameras;

  @Mixin ViewerTokenOption viewerToken;

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

  boolean viewerTokenRequired() {
    return viewerToken.token() != null;
  }

  void applyTo(CameraRelay.Builder relay, CameraTokens cameras) {
    if (cameras.global() != null) {
      relay.cameraToken(cameras.global());
    }
    cameras.perCamera().forEach(relay::cameraToken);
    relay.allowUnknownCameras(allowUnknownCameras);
    if (viewerToken.token() != null) {
      relay.viewerToken(viewerToken.token());
    }
    if (controlToken != null) {
      relay.controlToken(controlToken);
    }
  }
}
