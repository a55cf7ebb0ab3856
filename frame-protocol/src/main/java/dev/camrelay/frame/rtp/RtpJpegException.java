package dev.camrelay.frame.rtp;

/**
 * A JPEG that RTP/JPEG (RFC 2435) cannot carry as it is, e.g. {@code "progressive JPEG (SOF2); RFC 2435 carries
 * baseline (SOF0) only"}. The message names the reason, for a log line and a camera's stats; other outputs can still
 * send the frame.
 */
public final class RtpJpegException extends Exception {
  private static final long serialVersionUID = 1L;

  public RtpJpegException(String reason) {
    super(reason);
  }
}
