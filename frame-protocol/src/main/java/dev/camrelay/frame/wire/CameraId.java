package dev.camrelay.frame.wire;

/**
 * The camera id rule, the one place every module checks it: 1..64 characters of {@code A-Z a-z 0-9 . _ -}, and
 * not {@code "."} or {@code ".."}.
 *
 * <p>A camera id appears in URL paths ({@code /cam/{id}}, {@code /ingest/{id}}), in folder and file names and in
 * the HELLO message of the framed protocol, so the rule keeps ids safe in all of them: plain ASCII, no separators,
 * no spaces, and no {@code .} or {@code ..} (which address the current or parent folder). Names such as
 * {@code "cam.1"}, {@code ".cam"} or {@code "..."} are allowed.
 *
 * <p>Error messages show at most {@value #SHOWN_CHARACTERS} characters of a rejected id, with everything outside
 * printable ASCII (and {@code '} and {@code \}) escaped as {@code \xNN} (up to U+00FF) or <code>&#92;uNNNN</code>, so a
 * hostile id cannot inject lines or control characters into logs.
 */
public final class CameraId {
  /** Longest camera id, in characters. */
  public static final int MAX_LENGTH = 64;

  /** The rule in words, for error messages and help texts. */
  public static final String RULE = "1..64 characters of A-Z a-z 0-9 . _ - and not \".\" or \"..\"";

  /** At most this many characters of a rejected id appear in an error message. */
  static final int SHOWN_CHARACTERS = 24;

  private CameraId() {}

  /** True if {@code id} follows the {@link #RULE}; false for null. */
  public static boolean isValid(String id) {
    return id != null && isValid((CharSequence) id);
  }

  /**
   * Returns {@code id} if it follows the {@link #RULE}.
   *
   * @throws IllegalArgumentException (also for null) with a message such as
   *     {@code invalid camera id '..': want 1..64 characters of A-Z a-z 0-9 . _ - and not "." or ".."}; it shows
   *     at most a short, escaped prefix of the id
   */
  public static String check(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(invalidMessage(id));
    }
    return id;
  }

  /** The rule applied to any characters; the wire decoder passes bytes mapped one to one (ISO-8859-1). */
  static boolean isValid(CharSequence id) {
    int n = id.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return !(n <= 2 && id.charAt(0) == '.' && id.charAt(n - 1) == '.');
  }

  /**
   * {@code invalid camera id 'cam 1': want …}, or for null {@code invalid camera id null: want …}; a cut prefix
   * ends in {@code …} followed by the id's length.
   */
  static String invalidMessage(CharSequence id) {
    StringBuilder sb = new StringBuilder("invalid camera id ");
    if (id == null) {
      sb.append("null");
    } else {
      sb.append('\'');
      int shown = Math.min(id.length(), SHOWN_CHARACTERS);
      for (int i = 0; i < shown; i++) {
        char c = id.charAt(i);
        if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
          sb.append(c);
        } else if (c <= 0xFF) {
          sb.append(String.format("\\x%02X", (int) c));
        } else {
          sb.append(String.format("\\u%04X", (int) c));
        }
      }
      sb.append(id.length() > shown ? "…' (" + id.length() + " characters)" : "'");
    }
    return sb.append(": want ").append(RULE).toString();
  }
}
