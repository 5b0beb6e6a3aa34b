package io.memdoctor.forecast;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The forecast of one instance, as JSON. */
@RestController
class ForecastApiController {

    private final InstanceService instances;
    private final ForecastService forecasts;

    ForecastApiController(InstanceService instances, ForecastService forecasts) {
        this.instances = instances;
        this.forecasts = forecasts;
    }

    /** When used memory reaches the ceiling at the recent trend; {@code status} says when there is no date. */
    @GetMapping("/api/instances/{id}/forecast")
    Forecast forecast(@PathVariable String id) {
        Instance instance = instances.get(id);
        return forecasts.forecast(instance.id());
    }
}
