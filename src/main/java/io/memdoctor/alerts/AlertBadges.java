package io.memdoctor.alerts;

import java.util.List;

import org.springframework.stereotype.Component;

/** What templates show of alerts ({@code ${@alertBadges.firing(id)}}), so pages need no controller change. */
@Component("alertBadges")
public class AlertBadges {

    private final AlertService alerts;

    AlertBadges(AlertService alerts) {
        this.alerts = alerts;
    }

    /** The instance's firing alerts, most severe first (from memory: cheap on every card refresh). */
    public List<Alert> firing(String instanceId) {
        return alerts.firing(instanceId);
    }
}
