package dev.camrelay.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Linux process's CPU time and resident memory from /proc, like bench.mjs: CPU = utime + stime (fields 14 and
 * 15 of /proc/PID/stat) at 100 ticks per second, RSS = VmRSS of /proc/PID/status in MB (KiB / 1024).
 */
final class ProcSampler {
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+)");

  /** One reading. */
  record Sample(double cpuSeconds, double rssMb) {}

  private final long pid;

  ProcSampler(long pid) {
    this.pid = pid;
  }

  /** A reading, or null if the process is gone or /proc is not there. */
  Sample sample() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may contain spaces and parentheses: fields start after the last ") ".
      String[] f = stat.substring(stat.lastIndexOf(") ") + 2).trim().split(" ");
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      double rss = m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
      return new Sample(cpu, rss);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
