package org.ipsmgw.admin;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.ExtensionId;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;
import org.ipsmgw.policy.PolicyHolder;

/**
 * The /api/v1 admin API on the management port (registered in conf/admin.conf under
 * pekko.management.http.routes): subscriber preferences, the operator policy, and sessions,
 * behind the bearer token when one is configured.
 */
public final class AdminRoutes extends AbstractExtensionId<AdminRoutes.Provider>
    implements ExtensionIdProvider {

  /** What pekko-management instantiates from the configured class name. */
  public static final AdminRoutes INSTANCE = new AdminRoutes();

  @Override
  public ExtensionId<Provider> lookup() {
    return INSTANCE;
  }

  @Override
  public Provider createExtension(ExtendedActorSystem system) {
    return new Provider(Adapter.toTyped(system));
  }

  /** The routes themselves. */
  public static final class Provider implements ManagementRouteProvider {
    private final Route api;

    Provider(ActorSystem<?> system) {
      Config admin = system.settings().config().getConfig("ipsmgw.admin");
      Duration timeout = admin.getDuration("ask-timeout");
      BearerToken token = new BearerToken(admin.getString("token"));
      PreferenceRoutes preferences = new PreferenceRoutes(system, timeout);
      PolicyRoutes policy = new PolicyRoutes(PolicyHolder.get(system));
      SessionRoutes sessions = new SessionRoutes(system, timeout);
      this.api = Directives.pathPrefix(PathMatchers.segment("api").slash("v1"),
          () -> token.require(() -> Directives.concat(preferences.route(), policy.route(),
              sessions.route())));
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
      return api;
    }
  }
}
