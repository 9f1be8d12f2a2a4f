package org.ipsmgw.sms;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsmgw.PeerText;

/**
 * Reads delivery receipts the way SMSCs really send them. The receipted_message_id and
 * message_state TLVs win when present; otherwise the de-facto text of SMPP 3.4 Appendix B
 * ({@code id:.. sub:.. dlvrd:.. submit date:.. done date:.. stat:.. err:.. text:..}) is parsed
 * with fields in any order and keys in any case. jsmpp's own parser needs every field in its
 * order and one date format, which real receipts do not keep to.
 */
public final class DeliveryReceiptParser {
  private static final Pattern FIELD = Pattern.compile(
      "(?i)\\b(id|sub|dlvrd|submit date|done date|stat|err|text)\\s*:");
  private static final DateTimeFormatter[] DATES = {
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss"), DateTimeFormatter.ofPattern("yyMMddHHmmss"),
      DateTimeFormatter.ofPattern("yyMMddHHmm")};

  private DeliveryReceiptParser() {}

  public static DeliveryReceipt parse(String text, String receiptedMessageId,
      Integer messageState, ZoneId smscZone) {
    Map<String, String> fields = fields(text == null ? "" : text);
    String id = receiptedMessageId != null && !receiptedMessageId.isBlank()
        ? receiptedMessageId.strip() : fields.get("id");
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("receipt has no message id (no receipted_message_id "
          + "TLV and no id: in its text)");
    }
    ReceiptState state;
    if (messageState != null) {
      state = ReceiptState.fromMessageState(messageState);
    } else if (fields.containsKey("stat")) {
      state = ReceiptState.fromStat(fields.get("stat"));
    } else {
      throw new IllegalArgumentException("receipt for " + PeerText.bounded(id) + " has no state (no message_state "
          + "TLV and no stat: in its text)");
    }
    return new DeliveryReceipt(id, state, fields.get("err"),
        date(fields.get("submit date"), smscZone), date(fields.get("done date"), smscZone));
  }

  /** Key → value; text: runs to the end because it may hold anything, colons included. */
  private static Map<String, String> fields(String text) {
    Map<String, String> out = new HashMap<>();
    Matcher m = FIELD.matcher(text);
    String key = null;
    int valueStart = 0;
    while (m.find()) {
      if (key != null && key.equals("text")) {
        break;
      }
      if (key != null) {
        out.putIfAbsent(key, text.substring(valueStart, m.start()).strip());
      }
      key = m.group(1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      valueStart = m.end();
    }
    if (key != null) {
      out.putIfAbsent(key, text.substring(valueStart).strip());
    }
    return out;
  }

  private static Instant date(String value, ZoneId zone) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    for (DateTimeFormatter f : DATES) {
      if (f.toString().length() > 0) {
        try {
          return LocalDateTime.parse(value, f).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
          // Try the next format the field may be in.
        }
      }
    }
    return null;
  }
}
