package org.ipsmgw.msrp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One MSRP request or response (RFC 4975 §9): start line, headers in order (To-Path and From-Path
 * first), optional body, and the end-line's continuation flag.
 *
 * @param method the request method (SEND, REPORT, ...), or null for a response
 * @param status the response status code, or 0 for a request
 * @param comment the response comment, or "" when none
 * @param headers name → value in wire order; names compared without case
 * @param body the body octets, empty when the frame has none
 * @param flag '$' (complete), '+' (more chunks follow) or '#' (aborted)
 */
public record MsrpFrame(String transactionId, String method, int status, String comment,
    List<Map.Entry<String, String>> headers, byte[] body, char flag) {

  public MsrpFrame {
    headers = List.copyOf(headers);
  }

  public boolean isRequest() {
    return method != null;
  }

  public Optional<String> header(String name) {
    return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).findFirst();
  }

  /** The URIs of To-Path or From-Path, in order. */
  public List<String> path(String name) {
    return header(name).map(v -> List.of(v.trim().split("\\s+"))).orElse(List.of());
  }

  public Optional<String> messageId() {
    return header("Message-ID");
  }

  public Optional<String> contentType() {
    return header("Content-Type").map(String::trim);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MsrpFrame f && transactionId.equals(f.transactionId)
        && java.util.Objects.equals(method, f.method) && status == f.status
        && comment.equals(f.comment) && headers.equals(f.headers) && Arrays.equals(body, f.body)
        && flag == f.flag;
  }

  @Override
  public int hashCode() {
    return transactionId.hashCode() * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "MsrpFrame[" + transactionId + " " + (isRequest() ? method : status + " " + comment)
        + ", " + headers.size() + " headers, " + body.length + " octets, " + flag + "]";
  }
}
