/**
 * How a node takes part in the cluster, by concern: {@link dev.camrelay.cluster.internal.Bus} (the NATS
 * connection), {@link dev.camrelay.cluster.internal.Subjects}, {@link dev.camrelay.cluster.internal.Presence} (who
 * has which camera), {@link dev.camrelay.cluster.internal.RemoteCamera} (another node's camera as a source here),
 * {@link dev.camrelay.cluster.internal.Exports} (this node's cameras onto the bus while demanded),
 * {@link dev.camrelay.cluster.internal.Responder} (latest frame and control requests), wired by
 * {@link dev.camrelay.cluster.internal.NodeRuntime}. Not API: use {@link dev.camrelay.cluster.ClusterNode}.
 */
package dev.camrelay.cluster.internal;
