package dev.camrelay.cluster.internal;

/**
 * The NATS subjects of one cluster; every one starts with the cluster's name, so several clusters can share a NATS.
 *
 * <pre>
 * &lt;cluster&gt;.presence               every node: hello, full list (heartbeat), attach, detach, bye
 * &lt;cluster&gt;.frame.&lt;camera&gt;         a camera's frames, published once by its node while some node wants them
 * &lt;cluster&gt;.demand.&lt;node&gt;          "I want / no longer want camera X", to the camera's node
 * &lt;cluster&gt;.latest.&lt;node&gt;          request: a camera's latest frame
 * &lt;cluster&gt;.control.&lt;node&gt;         request: a control command for a camera
 * </pre>
 *
 * <p>Camera ids may hold dots, which NATS reads as token separators (and {@code a..b} would be an empty token): a
 * camera's token has {@code .} replaced by {@code ~}, which ids never contain, so the mapping stays one-to-one.
 * Node and cluster names are already plain tokens ({@code A-Z a-z 0-9 _ -}).
 */
public final class Subjects {
  private final String prefix;

  public Subjects(String clusterName) {
    this.prefix = clusterName + ".";
  }

  public String presence() {
    return prefix + "presence";
  }

  public String frames(String cameraId) {
    return prefix + "frame." + cameraId.replace('.', '~');
  }

  public String demand(String node) {
    return prefix + "demand." + node;
  }

  public String latest(String node) {
    return prefix + "latest." + node;
  }

  public String control(String node) {
    return prefix + "control." + node;
  }
}
