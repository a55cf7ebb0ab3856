package dev.camrelay.cluster.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The cameras connected to this node (not brought by the cluster), as this node announces them. Thread-safe. */
final class LocalCameras {
  private final Map<String, Messages.Camera> cameras = new ConcurrentHashMap<>();

  void put(Messages.Camera camera) {
    cameras.put(camera.id(), camera);
  }

  /** Returns the camera removed, or null. */
  Messages.Camera remove(String id) {
    return cameras.remove(id);
  }

  Messages.Camera get(String id) {
    return cameras.get(id);
  }

  boolean contains(String id) {
    return cameras.containsKey(id);
  }

  List<Messages.Camera> all() {
    return List.copyOf(cameras.values());
  }
}
