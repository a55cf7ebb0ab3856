#!/usr/bin/env python3
"""Writes the golden vectors of the framed camera protocol v1 (manifest.json + *.hex).

This is a second, independent implementation of the wire format (the Java codec is the first);
the Java tests check that both agree byte for byte. Run from anywhere: python3 generate.py
Inputs: src/tiny-8x8.jpg (an 8x8 JPEG written by the JDK's ImageIO). Output is deterministic.
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_PAYLOAD = 4 * 1024 * 1024

HELLO, WELCOME, FRAME, CONTROL, PING, PONG, BYE, ERROR = 0x01, 0x02, 0x10, 0x20, 0x30, 0x31, 0x40, 0x41
TYPE_NAMES = {HELLO: "HELLO", WELCOME: "WELCOME", FRAME: "FRAME", CONTROL: "CONTROL", PING: "PING",
              PONG: "PONG", BYE: "BYE", ERROR: "ERROR"}
MUST_UNDERSTAND, REPLY = 0x8000, 0x0001
# The camera id rule as the Java implementation words it (dev.camrelay.frame.wire.CameraId.RULE).
ID_RULE = '1..64 characters of A-Z a-z 0-9 . _ - and not "." or ".."'
CODES = {0: "NORMAL", 1: "PROTOCOL_ERROR", 2: "UNSUPPORTED", 3: "AUTH_FAILED", 4: "TOO_LARGE", 5: "TIMEOUT",
         6: "BAD_FRAME", 7: "CONTROL_UNSUPPORTED", 8: "RATE_LIMITED", 9: "SHUTTING_DOWN", 10: "REPLACED"}


class Part:
    """Bytes plus the comment that explains them in the .hex file."""

    def __init__(self, data, comment):
        self.data, self.comment = data, comment


def header(type_code, flags, length, sequence, timestamp, version=1, magic=b"CRLY"):
    name = TYPE_NAMES.get(type_code, "unknown type 0x%02x" % type_code)
    flag_names = []
    if flags & MUST_UNDERSTAND:
        flag_names.append("MUST_UNDERSTAND")
    if flags & REPLY and type_code == CONTROL:
        flag_names.append("REPLY")
    return [
        Part(magic, "magic \"%s\"" % magic.decode("latin-1") if magic == b"CRLY" else "magic (wrong)"),
        Part(bytes([version]), "version %d" % version),
        Part(bytes([type_code]), "type %s" % name),
        Part(struct.pack(">H", flags), "flags 0x%04x %s" % (flags, "|".join(flag_names)) if flag_names
             else "flags 0x%04x" % flags),
        Part(struct.pack(">I", length), "payload length %d" % length),
        Part(struct.pack(">I", sequence), "sequence %d" % sequence),
        Part(struct.pack(">Q", timestamp), "timestamp %d us" % timestamp),
    ]


def text(data_str, what):
    raw = data_str.encode("utf-8")
    return raw, "%s \"%s\"" % (what, data_str)


def hello_payload(max_version, caps, camera_id, token, firmware, trailing=b""):
    cap_names = [n for bit, n in ((1, "ON_DEMAND"), (2, "CONTROL")) if caps & bit]
    id_raw = camera_id.encode("utf-8")
    tok_raw = token.encode("utf-8")
    fw_raw = firmware.encode("utf-8")
    parts = [
        Part(bytes([max_version]), "maxVersion %d" % max_version),
        Part(struct.pack(">I", caps), "capabilities 0x%08x %s" % (caps, "|".join(cap_names) or "(none)")),
        Part(bytes([len(id_raw)]), "camera id length %d" % len(id_raw)),
        Part(id_raw, "camera id \"%s\"" % camera_id),
        Part(bytes([len(tok_raw)]), "token length %d%s" % (len(tok_raw), " (no token)" if not tok_raw else "")),
    ]
    if tok_raw:
        parts.append(Part(tok_raw, "token \"%s\"" % token))
    parts.append(Part(bytes([len(fw_raw)]), "firmware length %d%s" % (len(fw_raw), " (none)" if not fw_raw else "")))
    if fw_raw:
        parts.append(Part(fw_raw, "firmware \"%s\"" % firmware))
    if trailing:
        parts.append(Part(trailing, "trailing extension bytes (ignored by v1 receivers)"))
    return parts


def message(type_code, payload_parts, flags=0, sequence=0, timestamp=0, version=1, length=None):
    payload = b"".join(p.data for p in payload_parts)
    n = len(payload) if length is None else length
    return header(type_code, flags, n, sequence, timestamp, version) + payload_parts


def expected_message(type_code, payload_parts, flags=0, sequence=0, timestamp=0, **fields):
    payload = b"".join(p.data for p in payload_parts)
    out = {"type": TYPE_NAMES[type_code], "typeCode": type_code, "flags": flags, "sequence": sequence,
           "timestamp": timestamp, "payloadLength": len(payload)}
    if type_code in (FRAME, PING, PONG):
        out["payloadHex"] = payload.hex()
    out.update(fields)
    return out


def chunk_lines(data, comment, width=32):
    lines = []
    for i in range(0, len(data), width):
        piece = data[i:i + width].hex()
        lines.append((piece, comment if i == 0 else ""))
    if not data:
        lines.append(("", comment + " (empty)"))
    return lines


def write_hex(name, description, parts):
    lines = ["# %s: %s" % (name, description),
             "# Framed camera protocol v1 golden vector. Lower-case hex; whitespace and '#' comments are ignored."]
    for p in parts:
        if isinstance(p, str):
            lines.append("# " + p)
            continue
        for piece, comment in chunk_lines(p.data, p.comment):
            if piece and comment:
                lines.append("%-20s # %s" % (piece, comment))
            elif piece:
                lines.append(piece)
            else:
                lines.append("# " + comment)
    with open(os.path.join(HERE, name + ".hex"), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    with open(os.path.join(HERE, "src", "tiny-8x8.jpg"), "rb") as f:
        jpeg = f.read()
    vectors = []

    def valid(name, description, messages, skipped=0):
        """messages: list of (wire parts, expected dict)."""
        parts = []
        for i, (wire, _) in enumerate(messages):
            if len(messages) > 1:
                parts.append("message %d" % (i + 1))
            parts.extend(wire)
        write_hex(name, description, parts)
        vectors.append({"name": name, "file": name + ".hex", "description": description,
                        "expected": {"messages": [e for _, e in messages], "skipped": skipped}})

    def invalid(name, description, parts, code, stage, msg):
        write_hex(name, description, parts)
        vectors.append({"name": name, "file": name + ".hex", "description": description,
                        "expected": {"error": code, "errorName": CODES[code], "stage": stage, "message": msg}})

    def hello(max_version, caps, camera_id, token, firmware, trailing=b""):
        p = hello_payload(max_version, caps, camera_id, token, firmware, trailing)
        e = expected_message(HELLO, p, hello={"maxVersion": max_version, "capabilities": caps,
                                              "cameraId": camera_id, "token": token, "firmware": firmware})
        if trailing:
            e["trailingHex"] = trailing.hex()
        return message(HELLO, p), e

    def welcome(version, flags, max_payload):
        p = [Part(bytes([version]), "version %d (the one to speak)" % version),
             Part(bytes([flags]), "flags 0x%02x%s" % (flags, " STREAM" if flags & 1 else " (do not stream yet)")),
             Part(struct.pack(">I", max_payload), "maxPayload %d" % max_payload)]
        return message(WELCOME, p), expected_message(
            WELCOME, p, welcome={"version": version, "flags": flags, "maxPayload": max_payload})

    def frame(seq, ts, data):
        p = [Part(data, "JPEG, %d bytes (8x8, starts FF D8, ends FF D9)" % len(data))]
        return message(FRAME, p, sequence=seq, timestamp=ts), expected_message(FRAME, p, sequence=seq, timestamp=ts)

    def control(request_id, json_text, reply, raw=None):
        body = raw if raw is not None else json_text.encode("utf-8")
        p = [Part(struct.pack(">I", request_id), "request id %d" % request_id),
             Part(body, "JSON \"%s\"" % json_text if raw is None else "JSON with invalid UTF-8 (C3 28)")]
        flags = REPLY if reply else 0
        return message(CONTROL, p, flags=flags), expected_message(
            CONTROL, p, flags=flags, control={"requestId": request_id, "json": json_text, "reply": reply})

    def opaque(type_code, data, what):
        p = [Part(data, what)]
        return message(type_code, p), expected_message(type_code, p)

    def reason(type_code, code, text_):
        p = [Part(struct.pack(">H", code), "code %d %s" % (code, CODES[code])),
             Part(text_.encode("utf-8"), "reason \"%s\"" % text_)]
        return message(type_code, p), expected_message(type_code, p, reason={"code": code, "reason": text_})

    valid("hello-minimal", "HELLO with camera id only: no token, no firmware, no capabilities",
          [hello(1, 0, "cam1", "", "")])
    valid("hello-full", "HELLO with token, firmware and capabilities ON_DEMAND|CONTROL",
          [hello(1, 3, "garage-door.cam_2", "s3cret-T0ken", "camrelay-esp32/0.1.0 (AI-Thinker)")])
    valid("hello-extension", "HELLO from a newer camera (maxVersion 2) with trailing extension bytes a v1 receiver ignores",
          [hello(2, 1, "cam1", "tok", "fw", trailing=bytes.fromhex("0a0b0c0d"))])
    valid("welcome-stream", "WELCOME: speak version 1, start streaming now, max payload 4 MiB",
          [welcome(1, 1, MAX_PAYLOAD)])
    valid("welcome-on-demand", "WELCOME to an on-demand camera: version 1, do not stream yet, max payload 1 MiB",
          [welcome(1, 0, 1024 * 1024)])
    valid("frame-tiny-jpeg", "FRAME carrying a real 8x8 JPEG, sequence 42, capture time 1700000000123456 us",
          [frame(42, 1700000000123456, jpeg)])
    valid("control-request", "CONTROL request 7 from the relay: set JPEG quality 12",
          [control(7, '{"cmd":"quality","value":12}', False)])
    valid("control-reply", "CONTROL reply to request 7 from the camera (header flag REPLY)",
          [control(7, '{"ok":true,"quality":12}', True)])
    valid("ping", "PING with 8 opaque bytes", [opaque(PING, bytes(range(1, 9)), "opaque bytes")])
    valid("pong", "PONG echoing the PING's 8 bytes", [opaque(PONG, bytes(range(1, 9)), "the PING's bytes echoed")])
    valid("ping-empty", "PING with an empty payload", [opaque(PING, b"", "no payload")])
    valid("bye", "BYE 9 SHUTTING_DOWN: orderly close", [reason(BYE, 9, "relay shutting down")])
    valid("error-auth-failed", "ERROR 3 AUTH_FAILED, then the sender closes",
          [reason(ERROR, 3, "authentication failed for camera 'cam1'")])
    valid("two-frames-back-to-back",
          "two FRAMEs in one buffer; the sequence wraps from 4294967295 to 0 (u32)",
          [frame(4294967295, 1700000000000000, jpeg), frame(0, 1700000000033333, jpeg)])

    unknown_payload = b"hello"
    unknown = header(0x7E, 0, len(unknown_payload), 0, 0) + [Part(unknown_payload, "payload of the unknown type")]
    ping_after = opaque(PING, b"", "no payload")
    write_hex("unknown-type-skipped", "unknown type 0x7e without MUST_UNDERSTAND is skipped; the PING after it is decoded",
              ["message 1 (unknown type, skipped)"] + unknown + ["message 2"] + ping_after[0])
    vectors.append({"name": "unknown-type-skipped", "file": "unknown-type-skipped.hex",
                    "description": "unknown type 0x7e without MUST_UNDERSTAND is skipped; the PING after it is decoded",
                    "expected": {"messages": [{"type": "UNKNOWN", "typeCode": 0x7E, "flags": 0, "sequence": 0,
                                               "timestamp": 0, "payloadLength": len(unknown_payload),
                                               "payloadHex": unknown_payload.hex(), "skipped": True},
                                              ping_after[1]], "skipped": 1}})

    invalid("unknown-type-must-understand", "unknown type 0x7e with MUST_UNDERSTAND: the receiver answers ERROR 2",
            header(0x7E, MUST_UNDERSTAND, 2, 0, 0) + [Part(b"\x00\x01", "payload")],
            2, "decoder", "unknown message type 0x7E with MUST_UNDERSTAND set")
    invalid("bad-magic-http", "an HTTP request sent to the framed port",
            [Part(b"GET /stream HTTP/1.1\r\n", "\"GET /stream HTTP/1.1\\r\\n\""),
             Part(b"Host: relay\r\n\r\n", "\"Host: relay\\r\\n\\r\\n\"")],
            1, "decoder", "bad magic 47 45 54 20 (looks like HTTP?)")
    invalid("oversize-length", "FRAME header announcing 2147483648 payload bytes; rejected before any payload arrives",
            header(FRAME, 0, 0x80000000, 1, 0), 4, "decoder",
            "payload length 2147483648 exceeds the maximum 4194304")
    invalid("ping-too-long", "PING with 65 bytes (the limit for PING is 64)",
            message(PING, [Part(bytes(65), "65 zero bytes")]), 4, "decoder",
            "PING payload length 65 exceeds the maximum 64")
    invalid("unsupported-version", "a header with version 2 sent to a v1 receiver",
            header(PING, 0, 0, 0, 0, version=2), 2, "decoder", "unsupported protocol version 2")
    invalid("control-invalid-utf8", "CONTROL whose JSON is not valid UTF-8",
            control(1, '{"cmd":"' + "\\xc3\\x28" + '"}', False,
                    raw=b'{"cmd":"' + b"\xc3\x28" + b'"}')[0],
            1, "payload", "CONTROL JSON is not valid UTF-8 (malformed byte sequence at offset 8)")
    invalid("hello-invalid-camera-id", "HELLO whose camera id contains a space and a slash",
            message(HELLO, hello_payload(1, 0, "cam 1/x", "", "")), 1, "payload",
            "invalid camera id 'cam 1/x': want " + ID_RULE)
    truncated = hello_payload(1, 0, "cam1", "", "")
    truncated[2] = Part(bytes([40]), "camera id length 40 (but only 6 bytes follow)")
    invalid("hello-truncated", "HELLO whose camera id length points past the end of the payload",
            message(HELLO, truncated), 1, "payload",
            "HELLO truncated: camera id needs 40 bytes, 6 left")
    invalid("hello-dot-dot-camera-id", "HELLO whose camera id is '..', which would name a parent folder",
            message(HELLO, hello_payload(1, 0, "..", "", "")), 1, "payload",
            "invalid camera id '..': want " + ID_RULE)

    with open(os.path.join(HERE, "manifest.json"), "w", newline="\n") as f:
        f.write("{\n")
        f.write('"format": "camrelay framed protocol v1 golden vectors; see README.md",\n')
        f.write('"protocolVersion": 1,\n')
        f.write('"maxPayload": %d,\n' % MAX_PAYLOAD)
        f.write('"vectors": [\n')
        f.write(",\n".join(json.dumps(v, separators=(",", ":"), ensure_ascii=True) for v in vectors))
        f.write("\n]\n}\n")


if __name__ == "__main__":
    main()
