package dev.camrelay.cli;

import java.util.regex.Pattern;

/** What a camera id may be: 1..64 of {@code [A-Za-z0-9._-]}, as the relay accepts it. */
final class CameraIds {
  private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private CameraIds() {}

  static boolean isValid(String id) {
    return id != null && CAMERA_ID.matcher(id).matches();
  }
}
