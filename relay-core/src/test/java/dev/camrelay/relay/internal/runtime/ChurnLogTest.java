package dev.camrelay.relay.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** ChurnLog with a short period: plain lines for a calm camera, summaries while it churns, state at the end. */
class ChurnLogTest {
  private static final long PERIOD_MS = 300;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Lines lines = new Lines();
  private final ChurnLog churn = new ChurnLog(lines, PERIOD_MS);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private void cycle(String remote) {
    churn.connected(timer, "cam", "framed from " + remote);
    churn.disconnected(timer, "cam", "framed from " + remote, "connection closed");
  }

  @Test
  void aCalmCameraGetsALinePerEvent() {
    churn.connected(timer, "cam", "framed from 10.0.0.1:1, control");
    assertThat(lines.all()).containsExactly("INFO camera 'cam' connected (framed from 10.0.0.1:1, control)");
  }

  @Test
  void churnIsSummarisedWithTheStateItEndedIn() throws Exception {
    cycle("10.0.0.1:1");
    for (int i = 2; i <= 50; i++) {
      cycle("10.0.0.1:" + i);
    }
    churn.connected(timer, "cam", "framed from 10.0.0.1:99");
    assertThat(lines.all()).hasSize(2);
    lines.await(l -> l.matches("WARN camera 'cam' reconnected 50 times in the last \\d+ s \\(49 disconnects\\); "
        + "now connected \\(framed from 10\\.0\\.0\\.1:99\\)"));
    assertThat(lines.all()).hasSize(3);
  }

  @Test
  void whileChurnLastsThereIsOneSummaryPerPeriodAndAfterAQuietPeriodPlainLinesAgain() throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * PERIOD_MS);
    int cycles = 0;
    while (System.nanoTime() < end) {
      cycle("10.0.0.1:" + ++cycles);
      Thread.sleep(5);
    }
    // The last cycles are in a summary still to come, which ends with the state.
    String last = "now offline, last: framed from 10.0.0.1:" + cycles + ": connection closed";
    lines.await(l -> l.endsWith(last));
    List<String> churning = lines.all();
    long summaries = churning.stream().filter(l -> l.startsWith("WARN")).count();
    assertThat(churning).hasSize(2 + (int) summaries);
    assertThat(summaries).as("summaries in %s", churning).isBetween(1L, 8L);
    assertThat(churning.get(churning.size() - 1)).endsWith(last);

    // One period after the last summary with no events in it, the next event gets its own line again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!churn.quiet()) {
      assertThat(System.nanoTime()).as("churn over").isLessThan(deadline);
      Thread.sleep(10);
    }
    churn.connected(timer, "cam", "framed from 10.0.0.2:1");
    assertThat(lines.all()).hasSize(churning.size() + 1).last().asString()
        .isEqualTo("INFO camera 'cam' connected (framed from 10.0.0.2:1)");
  }

  @Test
  void whenTheTimerIsGoneTheSummaryIsWrittenAtOnce() {
    cycle("10.0.0.1:1");
    timer.shutdownNow();
    churn.connected(timer, "cam", "framed from 10.0.0.1:2");
    assertThat(lines.all()).hasSize(3).last().asString()
        .matches("WARN camera 'cam' reconnected 1 time in the last \\d+ s \\(0 disconnects\\); now connected .*");
  }

  /** A logger that keeps its lines as "LEVEL message". */
  private static final class Lines extends LegacyAbstractLogger {
    private final List<String> lines = new ArrayList<>();

    synchronized List<String> all() {
      return List.copyOf(lines);
    }

    void await(Predicate<String> line) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (all().stream().noneMatch(line)) {
        assertThat(System.nanoTime()).as("a matching line in %s", all()).isLessThan(deadline);
        Thread.sleep(10);
      }
    }

    @Override
    protected synchronized void handleNormalizedLoggingCall(Level level, org.slf4j.Marker marker, String format,
        Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(format, args));
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }


    @Override
    public boolean isDebugEnabled() {
      return true;
    }


    @Override
    public boolean isInfoEnabled() {
      return true;
    }


    @Override
    public boolean isWarnEnabled() {
      return true;
    }


    @Override
    public boolean isErrorEnabled() {
      return true;
    }

  }
}
