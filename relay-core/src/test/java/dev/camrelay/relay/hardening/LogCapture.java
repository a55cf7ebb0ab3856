package dev.camrelay.relay.hardening;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Tees {@code System.err} (where slf4j-simple writes, looking the stream up on every line) into a line filter while
 * still passing everything through. Keeps the lines {@code keep} selects (up to a cap, so a long soak cannot fill
 * the heap), and counts stack-trace lines and Netty leak reports. Public for other modules' tests (relay-cluster).
 */
public final class LogCapture implements AutoCloseable {
  private static final int MAX_KEPT = 20_000;

  private final PrintStream original;
  private final Predicate<String> keep;
  private final List<String> kept = new ArrayList<>();
  private long stackTraceLines;
  private long leakReports;
  private long lines;
  private final List<String> firstStackTraces = new ArrayList<>();

  private LogCapture(Predicate<String> keep) {
    this.original = System.err;
    this.keep = keep;
    System.setErr(new PrintStream(new LineTee(), true, StandardCharsets.UTF_8));
  }

  /** Starts capturing; keeps every line. */
  public static LogCapture all() {
    return new LogCapture(line -> true);
  }

  /** Starts capturing; keeps the lines {@code keep} accepts. */
  public static LogCapture keeping(Predicate<String> keep) {
    return new LogCapture(keep);
  }

  private synchronized void line(String line) {
    lines++;
    if (line.startsWith("\tat ") || line.startsWith("Caused by: ")) {
      stackTraceLines++;
      if (firstStackTraces.size() < 40) {
        firstStackTraces.add(line);
      }
    }
    if (line.contains("LEAK:")) {
      leakReports++;
    }
    if (kept.size() < MAX_KEPT && keep.test(line)) {
      kept.add(line);
    }
  }

  public synchronized List<String> lines() {
    return List.copyOf(kept);
  }

  /** Kept lines containing every one of {@code fragments}. */
  public synchronized List<String> linesContaining(String... fragments) {
    List<String> out = new ArrayList<>();
    for (String l : kept) {
      boolean all = true;
      for (String f : fragments) {
        all &= l.contains(f);
      }
      if (all) {
        out.add(l);
      }
    }
    return out;
  }

  public synchronized long totalLines() {
    return lines;
  }

  public synchronized long stackTraceLines() {
    return stackTraceLines;
  }

  public synchronized List<String> firstStackTraces() {
    return List.copyOf(firstStackTraces);
  }

  public synchronized long leakReports() {
    return leakReports;
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }

  /** Splits bytes into lines (UTF-8) and passes every byte on to the original stream. */
  private final class LineTee extends OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      original.write(b);
      if (b == '\n') {
        flushLine();
      } else if (current.size() < 16 * 1024) {
        current.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      original.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          flushLine();
        } else if (current.size() < 16 * 1024) {
          current.write(b[i]);
        }
      }
    }

    @Override
    public void flush() {
      original.flush();
    }

    private void flushLine() {
      String s = current.toString(StandardCharsets.UTF_8);
      current.reset();
      line(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
    }
  }
}
