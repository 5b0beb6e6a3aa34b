package io.memdoctor.forecast;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.forecast}.
 *
 * @param refresh how old a forecast may be before it is made again (each costs two small queries and a fit of at
 *     most 120 points per window)
 */
@ConfigurationProperties("memdoctor.forecast")
public record ForecastProperties(@DefaultValue("30s") Duration refresh) {

    public ForecastProperties {
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("memdoctor.forecast.refresh must not be negative");
        }
    }
}
