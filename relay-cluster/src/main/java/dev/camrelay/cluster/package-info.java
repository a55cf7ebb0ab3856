/**
 * Relay nodes joined through NATS: a camera connected to any node can be watched from every node. Built only on
 * relay-core's public seam ({@link dev.camrelay.relay.CameraHub}): remote cameras attach as sources, frames for
 * remote viewers leave through outputs.
 */
package dev.camrelay.cluster;
