package org.ipsmgw.load;

import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.ChainBuilder;
import java.util.function.BiFunction;

/** One of the gateway protocol's actions as a step of the Java DSL ({@code exec(step)}). */
final class Step implements ActionBuilder {
  private final BiFunction<Action, StatsEngine, Action> make;

  Step(BiFunction<Action, StatsEngine, Action> make) {
    this.make = make;
  }

  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return new io.gatling.core.action.builder.ActionBuilder() {
      @Override
      public Action build(ScenarioContext ctx, Action next) {
        return make.apply(next, ctx.coreComponents().statsEngine());
      }

      @Override
      public io.gatling.core.structure.ChainBuilder toChainBuilder() {
        return io.gatling.core.action.builder.ActionBuilder.super.toChainBuilder();
      }
    };
  }

  @Override
  public ChainBuilder toChainBuilder() {
    return ActionBuilder.super.toChainBuilder();
  }
}
