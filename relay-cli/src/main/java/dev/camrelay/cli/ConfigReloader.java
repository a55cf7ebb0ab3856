package dev.camrelay.cli;

import dev.camrelay.relay.CameraRegistry;
import dev.camrelay.relay.CameraSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running relay in step with its YAML config file, both ways:
 *
 * <ul>
 *   <li>File to relay: on SIGHUP, and when its folder changes (a directory watch, debounced by {@link #DEBOUNCE_MS}), the
 *       file is read again and only what changed since it was last read is applied: cameras added, changed or removed
 *       in {@code cameras:} go through the relay's {@link CameraRegistry} (so untouched cameras and every viewer stay
 *       connected); other settings that changed are logged as needing a restart and left alone. A file that does not
 *       parse is logged with its line and column, and the running configuration stays.</li>
 *   <li>Relay to file: a change through the admin API rewrites the file's {@code cameras:} section (comments and other
 *       keys kept): a temporary file in the same folder, fsync, atomic rename, so a reader never sees half a file.</li>
 * </ul>
 *
 * One lock serializes reading and writing, so concurrent API calls never interleave their writes. The watch sees the
 * relay's own writes too; re-reading them changes nothing (the file then says what the relay already has). Cameras
 * given by flags or the environment ({@code --pull}, {@code --camera-token ID=...}) win over the file and are not
 * touched by a reload, nor written to the file unless changed through the API.
 */
final class ConfigReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
  static final long DEBOUNCE_MS = 300;

  private final Path file;
  private final CameraRegistry registry;
  private final Set<String> knownKeys;
  /** Cameras from flags or the environment, as given: the file does not override them. */
  private final Map<String, CameraSpec> pinned;
  private final ReentrantLock lock = new ReentrantLock();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "camrelay-config");
    t.setDaemon(true);
    return t;
  });
  private AutoCloseable registryListener;
  private WatchService watch;
  private HangUpSignal hangUp;
  private ScheduledFuture<?> pendingReload;

  // Under the lock: what the file said when last read or written.
  private Map<String, String> options;
  private Map<String, CameraSpec> cameras;
  private String lastText;
  /** The last text that could not be used, so the watch seeing it again does not log it again. */
  private String brokenText;

  /**
   * @param initial what the file said when the relay started with it
   * @param pinned cameras from flags or the environment (the relay has them; the file does not override them)
   */
  ConfigReloader(Path file, CameraRegistry registry, Set<String> knownKeys, YamlConfigFile.Parsed initial,
      Map<String, CameraSpec> pinned) {
    this.file = file.toAbsolutePath();
    this.registry = registry;
    this.knownKeys = knownKeys;
    this.pinned = Map.copyOf(pinned);
    this.options = initial.options();
    this.cameras = initial.cameras();
    try {
      this.lastText = Files.readString(this.file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      this.lastText = null;
    }
  }

  /** Starts watching the file, listening for SIGHUP and writing API changes back. */
  ConfigReloader start() {
    registryListener = registry.onChange(() -> executor.execute(this::writeBack));
    onHangUp();
    try {
      watch = FileSystems.getDefault().newWatchService();
      Set<Path> folders = new java.util.LinkedHashSet<>();
      folders.add(file.getParent());
      folders.add(file.toRealPath().getParent()); // a symlinked file is edited where it really is
      for (Path folder : folders) {
        folder.register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
      Thread watcher = new Thread(this::watchLoop, "camrelay-config-watch");
      watcher.setDaemon(true);
      watcher.start();
    } catch (IOException e) {
      log.warn("config file {}: cannot watch it for changes ({}); reload with SIGHUP", file, e.getMessage());
    }
    log.info("config file {}: cameras are reloaded when it changes or on SIGHUP", file);
    return this;
  }

  /**
   * Reads the file again and applies what changed since it was last read; returns false (and logs why) when the file
   * cannot be used, in which case nothing changes.
   */
  boolean reload(String why) {
    lock.lock();
    try {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        log.warn("config file {}: cannot read it on {} ({}); keeping the running configuration", file, why,
            e.getMessage());
        return false;
      }
      if (text.equals(lastText)) {
        return true; // nothing new (typically the relay's own write coming back through the watch)
      }
      if (text.equals(brokenText)) {
        return false; // said so already
      }
      YamlConfigFile.Parsed parsed;
      try {
        parsed = YamlConfigFile.parse(text, knownKeys);
      } catch (YamlConfigFile.Invalid e) {
        brokenText = text;
        log.warn("config file {}: {}; keeping the running configuration", file, e.getMessage());
        return false;
      }
      lastText = text;
      applyCameras(parsed.cameras());
      reportRestartSettings(parsed.options());
      return true;
    } finally {
      lock.unlock();
    }
  }

  // Under the lock.
  private void applyCameras(Map<String, CameraSpec> now) {
    Map<String, CameraSpec> before = cameras;
    cameras = now;
    int changed = 0;
    for (String id : before.keySet()) {
      if (!now.containsKey(id) && !pinned.containsKey(id)) {
        changed += registry.remove(id) ? 1 : 0;
      }
    }
    for (Map.Entry<String, CameraSpec> e : now.entrySet()) {
      String id = e.getKey();
      if (pinned.containsKey(id)) {
        if (!e.getValue().equals(before.get(id))) {
          log.warn("config file {}: camera '{}' is also given by a flag or the environment, which wins", file, id);
        }
      } else if (!e.getValue().equals(before.get(id))) {
        changed += registry.put(id, e.getValue()) ? 1 : 0;
      }
    }
    log.info("config file {}: reloaded, {} camera{} changed", file, changed, changed == 1 ? "" : "s");
  }

  // Under the lock.
  private void reportRestartSettings(Map<String, String> now) {
    Set<String> keys = new TreeSet<>(options.keySet());
    keys.addAll(now.keySet());
    Set<String> differ = new TreeSet<>();
    for (String key : keys) {
      if (!Objects.equals(options.get(key), now.get(key))) {
        differ.add(key); // names only: values may be tokens
      }
    }
    options = now;
    if (!differ.isEmpty()) {
      log.warn("config file {}: {} changed; {} a restart to take effect (the running values stay)", file,
          String.join(", ", differ), differ.size() == 1 ? "it needs" : "they need");
    }
  }

  /** Writes the registry's cameras (those not given by flags as they were given) to the file, if they differ. */
  void writeBack() {
    lock.lock();
    try {
      reload("write-back"); // an edit not yet picked up by the watch is applied first, never overwritten
      Map<String, CameraSpec> wanted = new LinkedHashMap<>();
      registry.specs().forEach((id, spec) -> {
        if (!spec.equals(pinned.get(id))) {
          wanted.put(id, spec);
        }
      });
      if (wanted.equals(cameras)) {
        return;
      }
      String text = YamlConfigFile.withCameras(lastText == null ? "" : lastText, wanted);
      writeAtomically(text);
      lastText = text;
      cameras = wanted;
      log.info("config file {}: cameras written back ({} camera{})", file, wanted.size(),
          wanted.size() == 1 ? "" : "s");
    } catch (IOException | YamlConfigFile.Invalid e) {
      log.warn("config file {}: cannot write the API's camera change back ({}); the relay has it until it stops",
          file, e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Temp file in the same folder (same permissions), fsync, atomic rename over the file, fsync of the folder. A
   * symlinked file is written where it really is, so the link stays.
   */
  private void writeAtomically(String text) throws IOException {
    Path file = Files.exists(this.file) ? this.file.toRealPath() : this.file;
    Path dir = file.getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null && Files.exists(file)) {
        Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
      }
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
      folder.force(true); // the rename itself survives a power cut
    } catch (IOException e) {
      // not every platform can open a folder; the rename is atomic anyway
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        // Any change in the folder: the file may be a symlink whose target was swapped (a Kubernetes ConfigMap
        // renames its ..data link). Reading a small file again is cheap, and an unchanged text is not applied.
        key.pollEvents();
        key.reset();
        scheduleReload("file change");
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed
    }
  }

  /** Reloads after {@link #DEBOUNCE_MS} without further requests, so an editor's several writes make one reload. */
  synchronized void scheduleReload(String why) {
    if (pendingReload != null) {
      pendingReload.cancel(false);
    }
    try {
      pendingReload = executor.schedule(() -> reload(why), DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void onHangUp() {
    try {
      hangUp = HangUpSignal.install(() -> scheduleReload("SIGHUP"));
    } catch (ReflectiveOperationException | LinkageError e) {
      log.debug("no SIGHUP on this platform ({}); the file is still watched", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      if (registryListener != null) {
        registryListener.close();
      }
      if (watch != null) {
        watch.close();
      }
    } catch (Exception e) {
      log.debug("closing the config watch: {}", e.toString());
    }
    if (hangUp != null) {
      try {
        hangUp.restore();
      } catch (ReflectiveOperationException e) {
        // nothing to restore
      }
    }
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS); // a write-back in progress finishes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
