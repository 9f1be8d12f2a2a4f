package org.ipsmgw.subscriber;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.ipsmgw.pager.PagerEvent;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.sms.MoAssembly;
import org.ipsmgw.sms.MoPart;
import org.junit.jupiter.api.Test;

/**
 * Run once, before MoAssembly and MoPart moved from sms/ to subscriber/: writes what the journal
 * and snapshot store of that code hold (payload bytes, serializer id, manifest, as the JDBC
 * tables keep them) to src/test/resources/journal-v1, for JournalV1ReplayTest.
 */
class WriteJournalV1 {
  static final Instant T1 = Instant.parse("2026-11-30T10:00:01Z");
  static final Instant T3 = Instant.parse("2026-11-30T10:00:03Z");
  static final String SMS = "+447700900777";
  static final String CPM = "+447700900555";

  @Test
  void write() throws Exception {
    ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseFile(
        new File("conf/serialization.conf")).withFallback(ConfigFactory.load()));
    try {
      Serialization serialization = SerializationExtension.get(kit.system());
      Map<String, Object> entries = new LinkedHashMap<>();
      entries.put("subscriber-correlation-reserved",
          new SmsSubscriberEvent.CorrelationReserved("call-1@cpm.example", CPM));
      entries.put("subscriber-mo-part-1",
          new SmsSubscriberEvent.MoPartStored(SMS, CPM, new MoPart("udh8:17", 3, 1, "Hello ", T1)));
      entries.put("subscriber-mo-part-3",
          new SmsSubscriberEvent.MoPartStored(SMS, CPM, new MoPart("udh8:17", 3, 3, "world €!", T3)));
      entries.put("subscriber-mo-closed",
          new SmsSubscriberEvent.MoAssemblyClosed(MoAssembly.key(SMS, CPM, "udh8:17", 3)));
      MoAssembly assembly = MoAssembly.start(SMS, CPM, new MoPart("udh8:17", 3, 1, "Hello ", T1))
          .add(new MoPart("udh8:17", 3, 3, "world €!", T3));
      Map<String, String> correlations = new LinkedHashMap<>();
      correlations.put("call-1@cpm.example", CPM);
      correlations.put("pager-alias#sip:hidden@ims.example", "+447700900100");
      entries.put("subscriber-snapshot", new SubscriberState(InvitationAction.ACCEPT, correlations,
          Map.of(MoAssembly.key(SMS, CPM, "udh8:17", 3), assembly)));
      CpmIdentifiers ids = new CpmIdentifiers("conv-1", "contrib-1", null, null);
      entries.put("pager-cpm-message-stored", new PagerEvent.CpmMessageStored("p1",
          "sip:" + CPM + "@ims.example", ids, "hello", "imdn-1",
          ReceiptRequest.SUCCESS_AND_FAILURE, T1));
      entries.put("pager-sms-submitted",
          new PagerEvent.SmsSubmitted("p1", List.of("s1", "s2"), T3));

      Path dir = Path.of("src/test/resources/journal-v1");
      List<String> index = new ArrayList<>();
      index.add("# file\tserializer id\tmanifest (written by WriteJournalV1 before the move)");
      for (Map.Entry<String, Object> e : entries.entrySet()) {
        Serializer serializer = serialization.findSerializerFor(e.getValue());
        byte[] bytes = serialization.serialize(e.getValue()).get();
        String manifest = Serializers.manifestFor(serializer, e.getValue());
        Files.write(dir.resolve(e.getKey() + ".cbor"), bytes);
        index.add(e.getKey() + ".cbor\t" + serializer.identifier() + "\t" + manifest);
        // Sanity: today's code reads it back as the same value.
        Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        if (!back.equals(e.getValue())) {
          throw new AssertionError(e.getKey() + " did not round-trip: " + back);
        }
      }
      Files.write(dir.resolve("index.tsv"), index, StandardCharsets.UTF_8);
      System.out.println(String.join("\n", index) + "\n" + Arrays.toString(dir.toFile().list()));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
