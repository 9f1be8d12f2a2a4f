package org.ipsmgw.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A chat's in-flight messages: kept in the order they were first tracked through updates and
 * removals, never changed under an earlier state, and through the node's CBOR serializer the
 * same map in the same order. A message sent with Failure-Report yes (MSRP's default) and no
 * receipt asked stays tracked after the SMSC accepted it (a failure receipt may still come),
 * up to a bound past which the oldest are forgotten; each event derives the next map from the
 * last without copying it.
 */
class TranslationTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseFile(
      new File("conf/serialization.conf")).withFallback(ConfigFactory.load()));
  private static final Serialization SERIALIZATION = SerializationExtension.get(KIT.system());

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static MessageRecord toSms(String ref, boolean failureReport) {
    return MessageRecord.pending(ref, Direction.TO_SMS, "msrp-" + ref, "imdn-" + ref, "text " + ref,
        ReceiptRequest.NONE, failureReport);
  }

  private static Translation sent(int n, boolean failureReport) {
    Translation t = Translation.EMPTY;
    for (int i = 0; i < n; i++) {
      String ref = t.nextMessageRef();
      t = t.chatMessage(toSms(ref, failureReport)).submitted(ref, List.of("smsc-" + ref));
    }
    return t;
  }

  @Test
  void aDeliveredSmsAskingFailureReceiptsOnlyStaysTrackedAndOneAskingNoneLeaves() {
    assertEquals(0, sent(5, false).inFlight().size(), "no receipt can come: settled");
    Translation t = sent(5, true);
    assertEquals(5, t.inFlight().size());
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), List.copyOf(t.inFlight().keySet()));
    assertEquals(MessageStatus.SUBMITTED, t.byRef("m3").orElseThrow().status());
    assertEquals("m4", t.bySmscId("smsc-m4").orElseThrow().ref());
  }

  @Test
  void anUpdateKeepsTheMessagesPlaceAndAFinalReceiptRemovesItLeavingTheOrder() {
    Translation t = sent(4, true);
    Translation failed = t.receipt("m2", "smsc-m2", false);
    assertEquals(List.of("m1", "m3", "m4"), List.copyOf(failed.inFlight().keySet()));
    assertEquals(1, failed.failed());
    Translation pending = Translation.EMPTY.chatMessage(toSms("m1", true))
        .chatMessage(toSms("m2", true)).chatMessage(toSms("m3", true));
    Translation updated = pending.submitted("m1", List.of("smsc-1"));
    assertEquals(List.of("m1", "m2", "m3"), List.copyOf(updated.inFlight().keySet()),
        "updated in place, not moved to the end");
    assertEquals(List.of("m2", "m3"), updated.pending().stream().map(MessageRecord::ref)
        .toList());
  }

  @Test
  void anEarlierStateIsNeverChangedAndTheMapRefusesChanges() {
    Translation before = sent(3, true);
    Translation after = before.receipt("m1", "smsc-m1", true)
        .chatMessage(toSms("m4", true));
    assertEquals(List.of("m1", "m2", "m3"), List.copyOf(before.inFlight().keySet()));
    assertEquals(List.of("m2", "m3", "m4"), List.copyOf(after.inFlight().keySet()));
    Map<String, MessageRecord> map = before.inFlight();
    assertThrows(UnsupportedOperationException.class, () -> map.remove("m1"));
    assertThrows(UnsupportedOperationException.class, () -> map.put("m9", toSms("m9", true)));
    assertThrows(UnsupportedOperationException.class, map::clear);
  }

  @Test
  void aPlainMapGivenToTheRecordIsTakenInItsOrderAndLaterChangesToItAreNotSeen() {
    Map<String, MessageRecord> plain = new LinkedHashMap<>();
    plain.put("m7", toSms("m7", true));
    plain.put("m3", toSms("m3", true));
    Translation t = new Translation(plain, 2, 0, 0, 0, 8, List.of(), List.of());
    plain.put("m9", toSms("m9", true));
    assertEquals(List.of("m7", "m3"), List.copyOf(t.inFlight().keySet()));
    assertSame(t.inFlight(), new Translation(t.inFlight(), 2, 0, 0, 0, 8, List.of(), List.of())
        .inFlight(), "a map that is one already is not copied again");
  }

  @Test
  void throughTheNodesSerializerTheMapComesBackEqualInTheSameOrder() throws Exception {
    Translation t = sent(40, true).receipt("m7", "smsc-m7", false);
    var serializer = SERIALIZATION.findSerializerFor(t);
    assertEquals("jackson-cbor", SERIALIZATION.settings().config()
        .getString("pekko.actor.serialization-bindings.\"org.ipsmgw.CborSerializable\""));
    byte[] bytes = serializer.toBinary(t);
    Object back = SERIALIZATION.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, t)).get();
    Translation read = assertInstanceOf(Translation.class, back);
    assertEquals(t, read);
    assertEquals(List.copyOf(t.inFlight().keySet()), List.copyOf(read.inFlight().keySet()));
    assertEquals(39, read.inFlight().size());
    assertFalse(read.inFlight().containsKey("m7"));
    assertTrue(read.byRef("m40").isPresent());
  }

  @Test
  void pastTheBoundTheOldestQuarterOfTheSmsAwaitingFailureReceiptsOnlyIsForgotten() {
    Translation t = sent(8, true);
    assertEquals(List.of(), t.beyondAwaited(List.of(), 8), "within the bound");
    assertEquals(List.of("m1", "m2"), t.beyondAwaited(List.of(), 7),
        "8 past 7: down to 6 (7 - 7/4)");
    assertEquals(List.copyOf(t.inFlight().keySet()), t.beyondAwaited(List.of(), 0));

    String next = t.nextMessageRef();
    Translation submitting = t.chatMessage(toSms(next, true));
    assertEquals(List.of(), submitting.beyondAwaited(List.of(), 8),
        "a message not yet accepted by the SMSC is not waiting");
    assertEquals(List.of("m1", "m2", "m3"), submitting.beyondAwaited(List.of(next), 8),
        "once accepted it is: 9 past 8, down to 6");
  }

  @Test
  void theCountOfSmsAwaitingFailureReceiptsOnlyFollowsEveryChangeAndARead() throws Exception {
    Translation t = sent(6, true);
    assertCounted(t, 6);
    t = t.chatMessage(toSms(t.nextMessageRef(), true));
    assertCounted(t, 6);
    t = t.submitted("m7", List.of("smsc-m7"));
    assertCounted(t, 7);
    t = t.receipt("m2", "smsc-m2", false);
    assertCounted(t, 6);
    t = t.forget(List.of("m1", "m3"));
    assertCounted(t, 4);
    Translation mixed = sent(3, false).chatMessage(toSms("m9", false));
    assertCounted(mixed, 0);
    Map<String, MessageRecord> plain = new LinkedHashMap<>(t.inFlight());
    assertCounted(new Translation(plain, 7, 0, 0, 1, 8, List.of(), List.of()), 4);
    var serializer = SERIALIZATION.findSerializerFor(t);
    Translation read = (Translation) SERIALIZATION.deserialize(serializer.toBinary(t),
        serializer.identifier(), Serializers.manifestFor(serializer, t)).get();
    assertCounted(read, 4);
    assertEquals(List.of(), read.beyondAwaited(List.of(), 4), "4 within a bound of 4");
    assertEquals(List.of("m4"), read.beyondAwaited(List.of(), 3), "4 past 3: down to 3");
  }

  private static void assertCounted(Translation t, int expected) {
    assertEquals(expected, t.awaitingFailureOnly().size(), "by scanning");
    assertEquals(expected, ((InFlight) t.inFlight()).awaitingFailureOnly(), "as counted");
  }

  @Test
  void forgettingLeavesAMessageNotYetAcceptedOrAskingForItsDeliveryTracked() {
    Translation t = sent(3, true);
    String pending = t.nextMessageRef();
    t = t.chatMessage(toSms(pending, true));
    String positive = t.nextMessageRef();
    t = t.chatMessage(MessageRecord.pending(positive, Direction.TO_SMS, "msrp-p", "imdn-p", "p",
        ReceiptRequest.SUCCESS_AND_FAILURE, true)).submitted(positive, List.of("smsc-p"));
    Translation after = t.forget(List.of("m1", "m3", pending, positive, "unknown"));
    assertEquals(List.of("m2", pending, positive), List.copyOf(after.inFlight().keySet()));
    assertEquals(List.of("m2"), after.awaitingFailureOnly());
    assertEquals(t.toSms(), after.toSms());
    assertTrue(after.bySmscId("smsc-m1").isEmpty(), "a later receipt matches nothing");
  }
}
