package org.ipsmgw.admin;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.ExtensionId;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * GET /metrics on the management port (registered in conf/admin.conf under
 * pekko.management.http.routes), in the Prometheus text format.
 */
public final class MetricsRoutes extends AbstractExtensionId<MetricsRoutes.Provider>
    implements ExtensionIdProvider {

  /** What pekko-management instantiates from the configured class name. */
  public static final MetricsRoutes INSTANCE = new MetricsRoutes();

  @Override
  public ExtensionId<Provider> lookup() {
    return INSTANCE;
  }

  @Override
  public Provider createExtension(ExtendedActorSystem system) {
    return new Provider(NodeMetrics.get(system));
  }

  /** The route itself. */
  public static final class Provider implements ManagementRouteProvider {
    private final NodeMetrics metrics;

    Provider(NodeMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
      return Directives.path("metrics", () -> Directives.get(() -> Directives.complete(
          HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.registry().scrape()))));
    }
  }
}
