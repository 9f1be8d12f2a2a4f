package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Receipt texts as SMSCs send them, and the TLVs that override them. */
class DeliveryReceiptParserTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static DeliveryReceipt text(String t) {
    return DeliveryReceiptParser.parse(t, null, null, UTC);
  }

  @Test
  void classicAppendixBText() {
    DeliveryReceipt r = text("id:0123456789 sub:001 dlvrd:001 submit date:2611241200 "
        + "done date:2611241201 stat:DELIVRD err:000 text:Hello there");
    assertEquals("0123456789", r.smscMessageId());
    assertEquals(ReceiptState.DELIVERED, r.state());
    assertEquals("000", r.errorCode());
    assertEquals(Instant.parse("2026-11-24T12:00:00Z"), r.submitDate());
    assertEquals(Instant.parse("2026-11-24T12:01:00Z"), r.doneDate());
  }

  @Test
  void fieldsInAnotherOrder() {
    DeliveryReceipt r = text("stat:UNDELIV err:001 id:abc123 done date:2611241201 "
        + "sub:001 dlvrd:000 submit date:2611241200 text:");
    assertEquals("abc123", r.smscMessageId());
    assertEquals(ReceiptState.UNDELIVERABLE, r.state());
  }

  @Test
  void capitalisedKeysAndLowercaseStat() {
    DeliveryReceipt r = text("Id:77 Sub:001 Dlvrd:001 Submit date:2611241200 Done date:2611241201 "
        + "Stat:delivrd Err:000 Text:x");
    assertEquals("77", r.smscMessageId());
    assertEquals(ReceiptState.DELIVERED, r.state());
  }

  @Test
  void textMayHoldColonsAndKeywordsOfItsOwn() {
    DeliveryReceipt r = text("id:5 sub:001 dlvrd:001 submit date:2611241200 done date:2611241201 "
        + "stat:EXPIRED err:000 text:stat:DELIVRD id:999 at 12:00");
    assertEquals("5", r.smscMessageId());
    assertEquals(ReceiptState.EXPIRED, r.state());
  }

  @Test
  void textOmittedAltogether() {
    DeliveryReceipt r = text("id:6 sub:001 dlvrd:000 submit date:2611241200 "
        + "done date:2611241201 stat:REJECTD err:069");
    assertEquals(ReceiptState.REJECTED, r.state());
    assertEquals("069", r.errorCode());
  }

  @Test
  void twelveAndFourteenDigitDates() {
    DeliveryReceipt r = text("id:7 submit date:261124120005 done date:20261124120107 "
        + "stat:DELIVRD");
    assertEquals(Instant.parse("2026-11-24T12:00:05Z"), r.submitDate());
    assertEquals(Instant.parse("2026-11-24T12:01:07Z"), r.doneDate());
  }

  @Test
  void datesAreReadInTheSmscZone() {
    DeliveryReceipt r = DeliveryReceiptParser.parse("id:8 submit date:2607011200 stat:DELIVRD",
        null, null, ZoneId.of("Europe/London"));
    assertEquals(Instant.parse("2026-07-01T11:00:00Z"), r.submitDate(), "BST is UTC+1");
  }

  @Test
  void unreadableDateIsLeftOutNotFatal() {
    DeliveryReceipt r = text("id:9 submit date:yesterday stat:DELIVRD");
    assertNull(r.submitDate());
    assertEquals(ReceiptState.DELIVERED, r.state());
  }

  @Test
  void longStatWords() {
    assertEquals(ReceiptState.UNDELIVERABLE, text("id:1 stat:UNDELIVERABLE").state());
    assertEquals(ReceiptState.REJECTED, text("id:1 stat:REJECTED").state());
    assertEquals(ReceiptState.DELIVERED, text("id:1 stat:DELIVERED").state());
  }

  @Test
  void tlvsAloneWithAnEmptyText() {
    DeliveryReceipt r = DeliveryReceiptParser.parse("", "4F2A", 2, UTC);
    assertEquals("4F2A", r.smscMessageId());
    assertEquals(ReceiptState.DELIVERED, r.state());
  }

  @Test
  void tlvsOverrideAContradictingText() {
    DeliveryReceipt r = DeliveryReceiptParser.parse("id:111 stat:DELIVRD err:000", "222", 5, UTC);
    assertEquals("222", r.smscMessageId());
    assertEquals(ReceiptState.UNDELIVERABLE, r.state());
  }

  @Test
  void receiptWithoutIdOrStateIsRefusedSayingWhich() {
    IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
        () -> text("garbage without fields"));
    assertTrue(noId.getMessage().contains("no message id"), noId.getMessage());
    IllegalArgumentException noState = assertThrows(IllegalArgumentException.class,
        () -> text("id:12 sub:001"));
    assertTrue(noState.getMessage().contains("no state"), noState.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> text("id:12 stat:GONE"));
    assertTrue(unknown.getMessage().contains("GONE"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeliveryReceiptParser.parse(null, null,
        null, UTC));
  }

  @Test
  void everyMessageStateAndStatWordMaps() {
    ReceiptState[] byNumber = {ReceiptState.SCHEDULED, ReceiptState.ENROUTE,
        ReceiptState.DELIVERED, ReceiptState.EXPIRED, ReceiptState.DELETED,
        ReceiptState.UNDELIVERABLE, ReceiptState.ACCEPTED, ReceiptState.UNKNOWN,
        ReceiptState.REJECTED, ReceiptState.SKIPPED};
    for (int i = 0; i < byNumber.length; i++) {
      assertEquals(byNumber[i], ReceiptState.fromMessageState(i));
    }
    assertThrows(IllegalArgumentException.class, () -> ReceiptState.fromMessageState(10));
    String[] words = {"DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD",
        "ENROUTE"};
    ReceiptState[] states = {ReceiptState.DELIVERED, ReceiptState.EXPIRED, ReceiptState.DELETED,
        ReceiptState.UNDELIVERABLE, ReceiptState.ACCEPTED, ReceiptState.UNKNOWN,
        ReceiptState.REJECTED, ReceiptState.ENROUTE};
    for (int i = 0; i < words.length; i++) {
      assertEquals(states[i], ReceiptState.fromStat(words[i]));
    }
  }

  @Test
  void onlyDecidedStatesAreFinalAndOnlyDeliveredIsDelivered() {
    for (ReceiptState s : ReceiptState.values()) {
      boolean pending = s == ReceiptState.ENROUTE || s == ReceiptState.ACCEPTED
          || s == ReceiptState.UNKNOWN || s == ReceiptState.SCHEDULED;
      assertEquals(!pending, s.isFinal(), s.name());
      assertEquals(s == ReceiptState.DELIVERED, s.delivered(), s.name());
    }
  }
}
