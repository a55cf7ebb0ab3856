package dev.camrelay.relay.internal.firmware;

/** Why a firmware offer did not reach a camera or was declined; the message is meant for the operator. */
public final class FirmwareOfferException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, so the API can pick its status without parsing messages. */
  public enum Kind {
    /** The camera is not connected over the framed protocol, or takes no control commands. */
    NOT_CONNECTED,
    /** An update of this camera is still under way. */
    BUSY,
    /** The camera answered the offer with a refusal (its reason is in the message). */
    REFUSED_BY_CAMERA,
    /** The camera did not answer the offer in time, or went away before answering. */
    NO_ANSWER,
    /** The relay cannot serve the image: its HTTP port is off. */
    NO_HTTP_PORT,
    /** The image or version is not acceptable (empty, too large, a bad version string). */
    BAD_OFFER
  }

  private final Kind kind;

  FirmwareOfferException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
