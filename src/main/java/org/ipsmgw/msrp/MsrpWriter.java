package org.ipsmgw.msrp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes frames, and builds the responses and REPORTs RFC 4975 §7.1.2–7.2 prescribe. */
public final class MsrpWriter {
  private MsrpWriter() {}

  public static byte[] write(MsrpFrame f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + f.body().length);
    String start = "MSRP " + f.transactionId() + " "
        + (f.isRequest() ? f.method()
            : f.status() + (f.comment().isEmpty() ? "" : " " + f.comment()));
    ascii(out, start + "\r\n");
    for (Map.Entry<String, String> h : f.headers()) {
      out.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    if (f.body().length > 0 || f.contentType().isPresent()) {
      ascii(out, "\r\n");
      out.writeBytes(f.body());
      ascii(out, "\r\n");
    }
    ascii(out, "-------" + f.transactionId() + f.flag() + "\r\n");
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The response to a request: same transaction id, To-Path = the first URI of its From-Path,
   * From-Path = our URI, end-line flag always '$' (RFC 4975 §7.2).
   */
  public static MsrpFrame response(MsrpFrame request, String ourUri, int status, String comment) {
    List<String> from = request.path("From-Path");
    return response(request.transactionId(), from.isEmpty() ? "" : from.get(0), ourUri, status,
        comment);
  }

  /** A response to a transaction known by its id only (its request could not be read). */
  public static MsrpFrame response(String transactionId, String toUri, String ourUri, int status,
      String comment) {
    return new MsrpFrame(transactionId, null, status, comment, List.of(header("To-Path", toUri),
        header("From-Path", ourUri)), new byte[0], '$');
  }

  /**
   * A REPORT for a received SEND: Status {@code 000 <code>}, the original Message-ID and a
   * Byte-Range, never Success-/Failure-Report headers (§7.1.2).
   */
  public static MsrpFrame report(String transactionId, String toUri, String ourUri,
      String messageId, ByteRange range, int status, String comment) {
    return new MsrpFrame(transactionId, "REPORT", 0, "", List.of(header("To-Path", toUri),
        header("From-Path", ourUri), header("Message-ID", messageId),
        header("Byte-Range", range.toString()),
        header("Status", "000 " + status + (comment.isEmpty() ? "" : " " + comment))),
        new byte[0], '$');
  }

  /** One SEND chunk carrying {@code body} at {@code range}. */
  public static MsrpFrame send(String transactionId, String toUri, String ourUri,
      String messageId, ByteRange range, boolean successReport, String failureReport,
      String contentType, byte[] body, char flag) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(header("To-Path", toUri),
        header("From-Path", ourUri), header("Message-ID", messageId),
        header("Byte-Range", range.toString())));
    if (successReport) {
      headers.add(header("Success-Report", "yes"));
    }
    if (failureReport != null) {
      headers.add(header("Failure-Report", failureReport));
    }
    if (body.length > 0) {
      headers.add(header("Content-Type", contentType));
    }
    return new MsrpFrame(transactionId, "SEND", 0, "", headers, body, flag);
  }

  public static Map.Entry<String, String> header(String name, String value) {
    return new AbstractMap.SimpleImmutableEntry<>(name, value);
  }
}
