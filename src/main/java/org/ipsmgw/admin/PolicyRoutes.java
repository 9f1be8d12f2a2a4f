package org.ipsmgw.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.ipsmgw.policy.PolicyHolder;
import org.ipsmgw.policy.PolicyOverlay;
import org.ipsmgw.policy.PolicyReply;
import org.ipsmgw.policy.PolicyUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|PUT /api/v1/policy}. GET shows the policy in force, keyed as in conf/policy.conf;
 * PUT takes a JSON object with any of those keys, merges it over the current policy, and stores
 * it only when the whole result is valid (400 naming the key otherwise).
 */
final class PolicyRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyRoutes.class);

  private final PolicyHolder policy;

  PolicyRoutes(PolicyHolder policy) {
    this.policy = policy;
  }

  Route route() {
    return Directives.path("policy", () -> Directives.concat(
        Directives.get(() -> AsyncAnswer.complete("the policy store", policy.stored(),
            this::view)),
        Directives.put(() -> Directives.entity(Unmarshaller.entityToString(),
            body -> AsyncAnswer.complete("the policy store", policy.update(body), reply -> {
              if (reply instanceof PolicyReply.Updated u) {
                LOG.info("admin API: policy revision {} stored: {}", u.overlay().revision(),
                    PolicyUpdate.forLog(u.overlay().overlay()));
                return view(u.overlay());
              }
              String reason = ((PolicyReply.Refused) reply).reason();
              LOG.info("admin API: policy update refused: {}", PolicyUpdate.forLog(reason));
              return JsonResponses.error(StatusCodes.BAD_REQUEST, reason);
            })))));
  }

  private HttpResponse view(PolicyOverlay overlay) {
    JsonNode effective = JsonResponses.object(
        PolicyUpdate.render(PolicyUpdate.effective(policy.base(), overlay.overlay())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("revision", overlay.revision());
    body.put("policy", effective);
    return JsonResponses.ok(body);
  }
}
