package dev.camrelay.relay.hardening;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a process holds at one moment: live threads (by name), open file descriptors (Linux: {@code /proc/self/fd};
 * -1 elsewhere) and heap in use after a full GC.
 */
record ResourceSnapshot(List<String> threads, int fds, long heapBytes) {
  private static final File FD_DIR = new File("/proc/self/fd");

  static boolean fdsSupported() {
    return FD_DIR.isDirectory();
  }

  /** Takes a snapshot; {@code gc} first runs a few full collections so the heap figure means "retained". */
  static ResourceSnapshot take(boolean gc) {
    long heap = gc ? heapAfterGc() : heapUsed();
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()) {
        names.add(t.getName());
      }
    }
    names.sort(null);
    return new ResourceSnapshot(names, fdCount(), heap);
  }

  static int fdCount() {
    String[] entries = FD_DIR.list();
    return entries == null ? -1 : entries.length;
  }

  private static long heapUsed() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long heapAfterGc() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      best = Math.min(best, heapUsed());
    }
    return best;
  }

  int threadCount() {
    return threads.size();
  }

  /** Threads whose names start with {@code prefix}. */
  List<String> threadsNamed(String prefix) {
    return threads.stream().filter(n -> n.startsWith(prefix)).toList();
  }

  /** Thread names grouped with trailing numbers stripped ("camrelay-io-3" → "camrelay-io-#"), with counts. */
  Map<String, Integer> threadGroups() {
    Map<String, Integer> groups = new TreeMap<>();
    for (String n : threads) {
      groups.merge(n.replaceAll("\\d+", "#"), 1, Integer::sum);
    }
    return groups;
  }

  /** Thread groups of this snapshot that are larger than in {@code before}, with the difference. */
  Map<String, Integer> newThreadsSince(ResourceSnapshot before) {
    Map<String, Integer> mine = threadGroups();
    Map<String, Integer> theirs = before.threadGroups();
    Map<String, Integer> diff = new TreeMap<>();
    mine.forEach((k, v) -> {
      int d = v - theirs.getOrDefault(k, 0);
      if (d > 0) {
        diff.put(k, d);
      }
    });
    return diff;
  }

  long heapMb() {
    return heapBytes / (1024 * 1024);
  }

  @Override
  public String toString() {
    return threads.size() + " threads, " + (fds < 0 ? "fds n/a" : fds + " fds") + ", heap " + heapMb() + " MB";
  }
}
