package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import picocli.CommandLine.Option;

/** {@code --admin-token}: turns on the admin API that adds, changes and removes cameras while the relay runs. */
final class AdminOptions {
  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "Turn on the admin API: PUT /api/cameras/ID with {\"pullUrl\": URL, \"cameraToken\": TOKEN}"
          + " and DELETE /api/cameras/ID, sent with 'Authorization: Bearer TOKEN', take effect at once."
          + " Off without it.")
  String adminToken;

  void applyTo(CameraRelay.Builder relay) {
    if (adminToken != null) {
      relay.adminToken(adminToken);
    }
  }
}
