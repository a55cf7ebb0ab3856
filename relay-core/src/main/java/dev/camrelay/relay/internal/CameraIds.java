package dev.camrelay.relay.internal;

import java.util.regex.Pattern;

/**
 * The camera-id rule, in one place for relay-core: 1..64 characters of {@code A-Z a-z 0-9 . _ -}, and not {@code .}
 * or {@code ..} (they would make URL paths and folder names ambiguous).
 */
public final class CameraIds {
  /** The rule in words, for error messages. */
  public static final String RULE = "1..64 characters of A-Z a-z 0-9 . _ - and not \".\" or \"..\"";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private CameraIds() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }

  /** Returns {@code id}, or throws IllegalArgumentException saying what a camera id must be. */
  public static String check(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("invalid camera id: want " + RULE);
    }
    return id;
  }
}
