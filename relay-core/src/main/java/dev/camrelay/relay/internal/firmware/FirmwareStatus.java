package dev.camrelay.relay.internal.firmware;

/**
 * Where a camera's firmware update stands, as {@code /api/cameras} and {@code GET /api/cameras/{id}/firmware} show it.
 * Never holds the image's download URL (the URL alone lets anyone fetch the image while the offer lasts).
 *
 * @param state {@code offered} (the camera accepted the offer), {@code downloading}, {@code rebooting},
 *     {@code confirmed} (the new image reached the relay and marked itself valid), {@code failed}, {@code rolled-back}
 *     (the camera runs its previous image again), {@code refused} (the camera declined the offer) or {@code expired}
 *     (no news from the camera for the offer's lifetime)
 * @param version the version the update goes to (from the operator), or the one the camera reports; null if unknown
 * @param size the image's size in bytes; 0 when the relay offered no image (events from an update it did not offer)
 * @param received bytes the camera reported downloaded
 * @param sha256 the image's SHA-256 in hex; null when unknown
 * @param error why it failed, rolled back or was refused (the camera's words, printable and bounded); null otherwise
 * @param since when the state was entered, ISO-8601 UTC
 */
public record FirmwareStatus(String state, String version, long size, long received, String sha256, String error,
    String since) {

  /** Whether the update may still change on its own (the image is offered, downloading or being switched to). */
  public boolean active() {
    return state.equals("offered") || state.equals("downloading") || state.equals("rebooting");
  }
}
