package org.ipsmgw.sms;

import java.util.Locale;

/** The state a delivery receipt reports (SMPP message_state, or the receipt text's stat:). */
public enum ReceiptState {
  SCHEDULED, ENROUTE, DELIVERED, EXPIRED, DELETED, UNDELIVERABLE, ACCEPTED, UNKNOWN, REJECTED,
  SKIPPED;

  /**
   * Whether the message's fate is decided. UNKNOWN is not: SMSCs send it for "no news yet", and a
   * later receipt may still say DELIVERED; treating it as failure would tell the CPM user wrong.
   */
  public boolean isFinal() {
    return this != SCHEDULED && this != ENROUTE && this != ACCEPTED && this != UNKNOWN;
  }

  public boolean delivered() {
    return this == DELIVERED;
  }

  /** SMPP message_state TLV (0x0427): 0-9 (0 and 9 from SMPP 5.0). */
  public static ReceiptState fromMessageState(int state) {
    return switch (state) {
      case 0 -> SCHEDULED;
      case 1 -> ENROUTE;
      case 2 -> DELIVERED;
      case 3 -> EXPIRED;
      case 4 -> DELETED;
      case 5 -> UNDELIVERABLE;
      case 6 -> ACCEPTED;
      case 7 -> UNKNOWN;
      case 8 -> REJECTED;
      case 9 -> SKIPPED;
      default -> throw new IllegalArgumentException("message_state " + state + " is not 0-9");
    };
  }

  /** The stat: word of a receipt text, short or long form, any case. */
  public static ReceiptState fromStat(String stat) {
    return switch (stat.strip().toUpperCase(Locale.ROOT)) {
      case "DELIVRD", "DELIVERED" -> DELIVERED;
      case "EXPIRED" -> EXPIRED;
      case "DELETED" -> DELETED;
      case "UNDELIV", "UNDELIVERABLE" -> UNDELIVERABLE;
      case "ACCEPTD", "ACCEPTED" -> ACCEPTED;
      case "UNKNOWN" -> UNKNOWN;
      case "REJECTD", "REJECTED" -> REJECTED;
      case "ENROUTE" -> ENROUTE;
      case "SCHEDULED" -> SCHEDULED;
      case "SKIPPED" -> SKIPPED;
      default -> throw new IllegalArgumentException("receipt stat '" + stat + "' is not known");
    };
  }
}
