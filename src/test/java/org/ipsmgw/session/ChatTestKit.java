package org.ipsmgw.session;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The actor system chat tests run in: the persistence test kit's journal and snapshots, manual
 * time (timers fire when a test moves time on) and the shipped CBOR serialization, so every
 * command, event and state a test handles also round-trips through the serializer.
 */
final class ChatTestKit {
  private ChatTestKit() {}

  static Config config() {
    return EventSourcedBehaviorTestKit.config()
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ManualTime.config())
        .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
        .withFallback(ConfigFactory.load());
  }
}
