package dev.camrelay.relay.internal.port.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves files from one classpath folder (the viewer page's {@code camrelay-viewer/}) and nothing else.
 *
 * <p>Request paths are checked against a whitelist before the class loader is asked: every segment must match
 * {@code [A-Za-z0-9_-][A-Za-z0-9._-]*} (so no {@code .}, {@code ..} or hidden files), and no segment may be empty
 * (so no {@code //} absolute paths). Percent-escapes are decoded once; an escape that decodes to {@code /}, {@code %}
 * or anything outside the whitelist is refused, which also refuses double encoding. Backslashes, NUL, colons (drive
 * letters) and control characters are refused. Refusals are {@link Lookup.Status#BAD_PATH} (answer 400); a valid
 * path with no such file, a folder, or an extension without a known content type is {@link Lookup.Status#NOT_FOUND}.
 *
 * <p>Files are read once and kept in memory (only files that exist, so unknown paths cannot grow the cache).
 */
final class StaticAssets {
  /** The classpath folder viewer-static ships. */
  static final String VIEWER_ROOT = "camrelay-viewer/";
  static final String INDEX = "index.html";
  private static final int MAX_PATH_CHARS = 256;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json; charset=utf-8"),
      Map.entry("map", "application/json; charset=utf-8"),
      Map.entry("webmanifest", "application/manifest+json; charset=utf-8"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("wasm", "application/wasm"));

  /** One file ready to send. */
  record Asset(String name, byte[] bytes, String contentType, String etag) {}

  /** The answer to a request path. */
  record Lookup(Status status, Asset asset, String reason) {
    enum Status { FOUND, BAD_PATH, NOT_FOUND }

    static Lookup found(Asset asset) {
      return new Lookup(Status.FOUND, asset, null);
    }

    static Lookup bad(String reason) {
      return new Lookup(Status.BAD_PATH, null, reason);
    }

    static Lookup notFound(String reason) {
      return new Lookup(Status.NOT_FOUND, null, reason);
    }
  }

  private final ClassLoader loader;
  private final String root;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  StaticAssets(ClassLoader loader, String root) {
    this.loader = loader;
    this.root = root.endsWith("/") ? root : root + "/";
  }

  /** The viewer page from viewer-static, found through this class's loader. */
  static StaticAssets viewer() {
    return new StaticAssets(StaticAssets.class.getClassLoader(), VIEWER_ROOT);
  }

  /** True when the folder has an index page (viewer-static is on the classpath). */
  boolean hasIndex() {
    return lookup("/").status() == Lookup.Status.FOUND;
  }

  /**
   * Resolves a request path (the raw, still percent-encoded path of the request target, without query).
   */
  Lookup lookup(String rawPath) {
    String relative;
    try {
      relative = relativePath(rawPath);
    } catch (IllegalArgumentException e) {
      return Lookup.bad(e.getMessage());
    }
    Asset cached = cache.get(relative);
    if (cached != null) {
      return Lookup.found(cached);
    }
    String contentType = contentTypeOf(relative);
    if (contentType == null) {
      return Lookup.notFound("no such file");
    }
    byte[] bytes;
    try {
      bytes = read(root + relative);
    } catch (IOException e) {
      return Lookup.notFound("no such file");
    }
    if (bytes == null) {
      return Lookup.notFound("no such file");
    }
    Asset asset = new Asset(relative, bytes, contentType, etagOf(bytes));
    cache.put(relative, asset);
    return Lookup.found(asset);
  }

  /** Validates and decodes a raw request path into a path relative to the root; throws with a reason if unsafe. */
  static String relativePath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new IllegalArgumentException("path must start with /");
    }
    if (rawPath.length() > MAX_PATH_CHARS) {
      throw new IllegalArgumentException("path too long");
    }
    if (rawPath.equals("/")) {
      return INDEX;
    }
    String decoded = decodeOnce(rawPath.substring(1));
    String[] segments = decoded.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        if (i == segments.length - 1) {
          throw new IllegalArgumentException("folder listing is not served");
        }
        throw new IllegalArgumentException("empty path segment");
      }
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("path segment not allowed");
      }
    }
    return decoded;
  }

  private static String decodeOnce(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new IllegalArgumentException("truncated percent-escape");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("invalid percent-escape");
        }
        char decoded = (char) (hi * 16 + lo);
        // An escaped separator or escape character would change the path's meaning after decoding.
        if (decoded == '/' || decoded == '%' || decoded == '\\') {
          throw new IllegalArgumentException("encoded separator or escape in path");
        }
        out.append(decoded);
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String contentTypeOf(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    if (dot <= slash + 1) {
      return null;
    }
    return CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private byte[] read(String resource) throws IOException {
    URL url = loader.getResource(resource);
    if (url == null) {
      return null;
    }
    if ("file".equals(url.getProtocol())) {
      try {
        if (!Files.isRegularFile(Path.of(url.toURI()))) {
          return null;
        }
      } catch (URISyntaxException | IllegalArgumentException e) {
        return null;
      }
    }
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false); // do not keep the jar file open behind our back
    if (connection instanceof JarURLConnection jar && (jar.getJarEntry() == null || jar.getJarEntry().isDirectory())) {
      return null;
    }
    try (InputStream in = connection.getInputStream()) {
      return in.readAllBytes();
    }
  }

  private static String etagOf(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
