package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.ipsmgw.pager.PagerEvent;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoPartStored;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A journal and snapshot store written before MoAssembly and MoPart moved from sms/ to
 * subscriber/ still read: src/test/resources/journal-v1 holds what that code's CBOR serializer
 * wrote (payload, serializer id, manifest, as the JDBC tables keep them; written by the
 * WriteJournalV1 generator of commit cd8f970), read here with the node's serializer and today's
 * classes. The nested MoPart and MoAssembly values carry no class name (Jackson writes them by
 * their declared field types, with no polymorphic type id), so their package is not in the bytes.
 */
class JournalV1ReplayTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseFile(
      new File("conf/serialization.conf")).withFallback(ConfigFactory.load()));
  private static final Serialization SERIALIZATION = SerializationExtension.get(KIT.system());
  private static final Instant T1 = Instant.parse("2026-11-30T10:00:01Z");
  private static final Instant T3 = Instant.parse("2026-11-30T10:00:03Z");
  private static final String SMS = "+447700900777";
  private static final String CPM = "+447700900555";
  private static final String KEY = SMS + "|" + CPM + "|udh8:17|3";

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static byte[] bytes(String file) throws IOException {
    try (InputStream in = JournalV1ReplayTest.class.getResourceAsStream("/journal-v1/" + file)) {
      return in.readAllBytes();
    }
  }

  /** Deserialized by the serializer id and manifest index.tsv recorded for the file. */
  private static Object read(String file) throws IOException {
    String[] row = new String(bytes("index.tsv"), StandardCharsets.UTF_8).lines()
        .map(l -> l.split("\t")).filter(r -> r[0].equals(file)).findFirst().orElseThrow();
    return SERIALIZATION.deserialize(bytes(file), Integer.parseInt(row[1]), row[2]).get();
  }

  @Test
  void theManifestsNameOnlyClassesThatDidNotMoveAndTheBytesNoPackage() throws IOException {
    String index = new String(bytes("index.tsv"), StandardCharsets.UTF_8);
    assertFalse(index.contains("org.ipsmgw.sms"), index);
    for (String file : new String[] {"subscriber-mo-part-1.cbor", "subscriber-snapshot.cbor"}) {
      String raw = new String(bytes(file), StandardCharsets.ISO_8859_1);
      assertFalse(raw.contains("ipsmgw"), file + " names a class: " + raw);
    }
  }

  @Test
  void storedMoPartsReadAsTodaysPartsAndRebuildTheAssembly() throws IOException {
    MoPartStored first = (MoPartStored) read("subscriber-mo-part-1.cbor");
    MoPartStored third = (MoPartStored) read("subscriber-mo-part-3.cbor");
    assertEquals(new MoPartStored(SMS, CPM, new MoPart("udh8:17", 3, 1, "Hello ", T1)), first);
    assertEquals(new MoPart("udh8:17", 3, 3, "world €!", T3), third.part());

    SubscriberState replayed = SubscriberState.EMPTY
        .apply((CorrelationReserved) read("subscriber-correlation-reserved.cbor"))
        .apply(first).apply(third);
    assertEquals(Map.of("call-1@cpm.example", CPM), replayed.correlations());
    MoAssembly assembly = replayed.assemblies().get(KEY);
    assertEquals(List.of(2), assembly.missing());
    assertEquals("Hello […]world €!", assembly.partialText("[…]"));
    assertEquals(T1, assembly.firstPartAt());

    MoAssemblyClosed closed = (MoAssemblyClosed) read("subscriber-mo-closed.cbor");
    assertEquals(KEY, closed.key());
    assertTrue(replayed.apply(closed).assemblies().isEmpty());
  }

  @Test
  void aSnapshotWithAnAssemblyReadsAsTodaysState() throws IOException {
    SubscriberState s = (SubscriberState) read("subscriber-snapshot.cbor");
    assertEquals(InvitationAction.ACCEPT, s.preference());
    assertEquals(Map.of("call-1@cpm.example", CPM,
        "pager-alias#sip:hidden@ims.example", "+447700900100"), s.correlations());
    MoAssembly a = s.assemblies().get(KEY);
    assertEquals(new MoAssembly(SMS, CPM, "udh8:17", 3, Arrays.asList("Hello ", null, "world €!"),
        T1), a);
    assertNull(a.parts().get(1), "the missing part stays missing");
    assertFalse(a.isComplete());
    assertEquals("Hello world €!", a.add(new MoPart("udh8:17", 3, 2, "", T3)).text());
  }

  @Test
  void pagerEventsRead() throws IOException {
    assertEquals(new PagerEvent.CpmMessageStored("p1", "sip:" + CPM + "@ims.example",
        new CpmIdentifiers("conv-1", "contrib-1", null, null), "hello", "imdn-1",
        ReceiptRequest.SUCCESS_AND_FAILURE, T1), read("pager-cpm-message-stored.cbor"));
    assertEquals(new PagerEvent.SmsSubmitted("p1", List.of("s1", "s2"), T3),
        read("pager-sms-submitted.cbor"));
  }
}
