package dev.camrelay.relay.internal.past;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import dev.camrelay.relay.internal.port.http.Responses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of ours (a segment, a clip, an export) as a download, with HTTP Range for one range (RFC 9110 14.2):
 *
 * <pre>
 * no Range, or one that may be ignored (several ranges, not bytes=, malformed)  200, the whole file
 * bytes=A-B, bytes=A-, bytes=-N within the file                                 206 with Content-Range
 * bytes=A-... with A at or past the end                                         416, Content-Range: bytes * /size
 * </pre>
 *
 * The size is the file's size when the request is answered (a segment being written grows; its download is what
 * was on disk then, and its AVI header is final only once the segment is closed).
 */
final class FileDownload {
  static final String AVI = "video/x-msvideo";
  private static final Pattern ONE_RANGE = Pattern.compile("bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

  private FileDownload() {}

  /** The reply for {@code request} of {@code file}, downloaded as {@code name} (a safe file name). */
  static BodySender.Reply of(HttpRequest request, Path file, String name, String contentType) throws IOException {
    long size = Files.size(file);
    long[] range = range(request.headers().get(HttpHeaderNames.RANGE), size);
    if (range == UNSATISFIABLE) {
      var response = Responses.text(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
          "the range is outside the file (" + size + " bytes)");
      response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
      return BodySender.Reply.full(response);
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
    long offset = range == null ? 0 : range[0];
    long length = range == null ? size : range[1] - range[0] + 1;
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CONTENT_LENGTH, length)
        .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
        .set("X-Content-Type-Options", "nosniff");
    if (range != null) {
      head.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
    return new BodySender.Reply(head, FileRangeSource.open(file, offset, length));
  }

  private static final long[] UNSATISFIABLE = new long[0];

  /** {first, last} of the one range asked for, null for the whole file, {@link #UNSATISFIABLE} for 416. */
  static long[] range(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = ONE_RANGE.matcher(header);
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null; // several ranges, another unit, or malformed: ignored, as RFC 9110 allows
    }
    try {
      if (m.group(1).isEmpty()) { // the last N bytes
        long n = Long.parseLong(m.group(2));
        if (n == 0 || size == 0) {
          return UNSATISFIABLE;
        }
        return new long[] {Math.max(0, size - n), size - 1};
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (first >= size) {
        return UNSATISFIABLE;
      }
      if (last < first) {
        return null; // invalid: ignored
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null; // beyond a long: ignored
    }
  }
}
