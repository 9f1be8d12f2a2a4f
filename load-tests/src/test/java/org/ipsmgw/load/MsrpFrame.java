package org.ipsmgw.load;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One MSRP frame (RFC 4975 §7): a request ({@code method} set) or a response ({@code status}),
 * its headers, body and end-line flag.
 */
record MsrpFrame(String transactionId, String method, int status, Map<String, String> headers,
    byte[] body, char flag) {

  boolean isRequest() {
    return method != null;
  }

  String header(String name) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A SEND of one whole message (a bind when {@code body} is empty, then no Content-Type). */
  static byte[] send(String tid, String toPath, String fromPath, String messageId,
      String contentType, byte[] body) {
    StringBuilder h = new StringBuilder(256).append("MSRP ").append(tid).append(" SEND\r\n")
        .append("To-Path: ").append(toPath).append("\r\n")
        .append("From-Path: ").append(fromPath).append("\r\n")
        .append("Message-ID: ").append(messageId).append("\r\n")
        .append("Byte-Range: 1-").append(body.length).append('/').append(body.length)
        .append("\r\n");
    if (body.length > 0) {
      h.append("Content-Type: ").append(contentType).append("\r\n\r\n");
    }
    byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = ((body.length > 0 ? "\r\n" : "") + "-------" + tid + "$\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + body.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
    return out;
  }

  /** The 200 to a request: To-Path = the first URI of its From-Path (§7.2). */
  static byte[] ok(MsrpFrame request, String ourPath) {
    String from = request.header("From-Path");
    String to = from == null ? "" : from.split(" ")[0];
    return ("MSRP " + request.transactionId + " 200 OK\r\nTo-Path: " + to + "\r\nFrom-Path: "
        + ourPath + "\r\n-------" + request.transactionId + "$\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, String> newHeaders() {
    return new LinkedHashMap<>();
  }
}
