package dev.camrelay.relay;

import java.util.Map;
import java.util.Optional;

/**
 * The relay's configured cameras, changeable while it runs ({@link CameraRelay#registry()}): the admin API
 * ({@code PUT}/{@code DELETE /api/cameras/{id}}) and the command's config reload both go through it. Every change
 * takes effect at once and touches only that camera:
 *
 * <ul>
 *   <li>{@link #put} is idempotent (the same spec again changes nothing). A new or changed pull URL (re)starts only
 *       that camera's puller. A new or changed camera token applies to the next connection at once; a camera pushing
 *       as this id right now is disconnected (it reconnects with its token, and is refused if that is the old one):
 *       the relay does not keep the token a connection presented, so it cannot tell whether it still holds.</li>
 *   <li>{@link #remove} stops the pull and drops the camera's own token: a camera pushing as this id is disconnected
 *       and then needs the global camera token. Once any camera had a token of its own, other ids stay refused
 *       (unless unknown cameras are allowed) even after the last such token is removed.</li>
 * </ul>
 *
 * Thread-safe. Limits: the relay's camera limit applies to pulled cameras as to any other.
 */
public interface CameraRegistry {
  /**
   * Configures camera {@code cameraId} as {@code spec}, replacing what it had.
   *
   * @return false when the camera already had exactly this spec (nothing was done)
   * @throws IllegalArgumentException if the camera id is not valid
   * @throws IllegalStateException if the relay is closed
   */
  boolean put(String cameraId, CameraSpec spec);

  /**
   * Forgets camera {@code cameraId}'s spec: stops its pull, drops its token; the camera leaves the camera list once
   * it has no viewers.
   *
   * @return false if the camera was not configured
   */
  boolean remove(String cameraId);

  /** Every configured camera's spec, by id in the order configured. */
  Map<String, CameraSpec> specs();

  /**
   * A camera's state as {@code /api/cameras} shows it: {@code live}, {@code idle (on demand)}, {@code offline},
   * {@code connecting} or {@code connecting: <why the last attempt failed>} (pulled cameras); empty for a camera the
   * relay neither knows nor has configured.
   */
  Optional<String> state(String cameraId);

  /**
   * Calls {@code listener} after every change made through {@link #put} or {@link #remove}, on the thread that made
   * it (possibly an I/O thread: do not block).
   *
   * @return closing it unregisters the listener
   */
  AutoCloseable onChange(Runnable listener);
}
