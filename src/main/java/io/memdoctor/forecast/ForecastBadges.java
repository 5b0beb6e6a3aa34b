package io.memdoctor.forecast;

import io.memdoctor.instances.InstanceId;
import org.springframework.stereotype.Component;

/** What templates show of a forecast ({@code ${@forecasts.shortText(id)}}), so pages need no controller change. */
@Component("forecasts")
public class ForecastBadges {

    private final ForecastService forecasts;

    ForecastBadges(ForecastService forecasts) {
        this.forecasts = forecasts;
    }

    /** "full in 3 h 20 min" when under a day, "at its maxmemory ceiling" when there, else {@code null}. */
    public String shortText(String instanceId) {
        return forecasts.forecast(new InstanceId(instanceId)).shortText();
    }
}
