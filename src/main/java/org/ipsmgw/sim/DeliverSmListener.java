package org.ipsmgw.sim;

import java.util.function.Consumer;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;

/**
 * An ESME's receiver that only takes deliver_sm (answered with status 0 by jsmpp once the
 * consumer returns): what the baselines and the simulator's tests bind with. An alert is ignored;
 * a data_sm gets jsmpp's default answer.
 */
public final class DeliverSmListener implements MessageReceiverListener {
  private final Consumer<DeliverSm> onDeliverSm;

  public DeliverSmListener(Consumer<DeliverSm> onDeliverSm) {
    this.onDeliverSm = onDeliverSm;
  }

  @Override
  public void onAcceptDeliverSm(DeliverSm sm) {
    onDeliverSm.accept(sm);
  }

  @Override
  public void onAcceptAlertNotification(AlertNotification alert) {}

  @Override
  public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) {
    return null;
  }
}
