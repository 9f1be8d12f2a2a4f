package org.ipsmgw.subscriber;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.SessionFixtures;

/** What the SmsSubscriber tests share: a test kit on the persistence testkit, a policy. */
final class SubscriberFixtures {
  /** The shipped policy, but every invitation accepted on the SMS user's behalf. */
  static final OperatorPolicy ACCEPT =
      SessionFixtures.policy("ipsmgw.policy.default-invitation = ACCEPT");

  private SubscriberFixtures() {}

  /** Commands, events and states go through the node's CBOR serializer. */
  static ActorTestKit kit() {
    return ActorTestKit.create(EventSourcedBehaviorTestKit.config()
        .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
        .withFallback(ConfigFactory.load()));
  }
}
