package org.ipsmgw.admin;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.subscriber.Msisdn;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.PreferenceView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|PUT|DELETE /api/v1/subscribers/{msisdn}/preferences}: an SMS user's invitation
 * preference, kept by its SmsSubscriber entity (so it is durable and cluster-wide).
 */
final class PreferenceRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(PreferenceRoutes.class);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration timeout;

  PreferenceRoutes(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  Route route() {
    return Directives.path(segment("subscribers").slash(segment()).slash("preferences"), raw -> {
      Optional<String> msisdn = Msisdn.normalise(raw);
      if (msisdn.isEmpty()) {
        return Directives.complete(JsonResponses.error(StatusCodes.BAD_REQUEST,
            "'" + raw + "' is not an E.164 number"));
      }
      String m = msisdn.get();
      EntityRef<SmsSubscriberCommand> user = sharding.entityRefFor(SmsSubscriber.TYPE_KEY, m);
      return Directives.concat(
          Directives.get(() -> AsyncAnswer.complete("subscriber " + m,
              AskPattern.<SmsSubscriberCommand, PreferenceView>ask(user,
                  SmsSubscriberCommand.GetPreference::new, timeout, system.scheduler()),
              state -> state.invitation() == null
                  ? JsonResponses.error(StatusCodes.NOT_FOUND, "no preference is set for " + m)
                  : view(m, state))),
          Directives.put(() -> Directives.entity(Unmarshaller.entityToString(),
              body -> set(m, user, body))),
          Directives.delete(() -> AsyncAnswer.complete("subscriber " + m,
              AskPattern.<SmsSubscriberCommand, PreferenceView>ask(user,
                  SmsSubscriberCommand.ClearPreference::new, timeout, system.scheduler()),
              state -> {
                LOG.info("admin API: preference of {} cleared", m);
                return JsonResponses.noContent();
              })));
    });
  }

  private Route set(String msisdn, EntityRef<SmsSubscriberCommand> user, String body) {
    InvitationAction action;
    try {
      JsonNode json = JsonResponses.object(body);
      JsonNode invitation = json.get("invitation");
      if (invitation == null || !invitation.isTextual()) {
        throw new IllegalArgumentException(
            "'invitation' is required: one of ACCEPT, REJECT, INVITE_BY_SMS");
      }
      action = InvitationAction.parse(invitation.asText());
    } catch (IllegalArgumentException e) {
      return Directives.complete(JsonResponses.error(StatusCodes.BAD_REQUEST, e.getMessage()));
    }
    return AsyncAnswer.complete("subscriber " + msisdn,
        AskPattern.<SmsSubscriberCommand, PreferenceView>ask(user,
            replyTo -> new SmsSubscriberCommand.SetPreference(action, replyTo), timeout,
            system.scheduler()),
        state -> {
          LOG.info("admin API: preference of {} set to {}", msisdn, action);
          return view(msisdn, state);
        });
  }

  private static HttpResponse view(String msisdn, PreferenceView preference) {
    return JsonResponses.ok(Map.of("msisdn", msisdn, "invitation",
        preference.invitation().name()));
  }
}
