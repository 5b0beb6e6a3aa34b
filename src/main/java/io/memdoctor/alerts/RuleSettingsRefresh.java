package io.memdoctor.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * With replicas, reads the rule settings again every 10 s: a setting changed through one replica applies on the
 * replica sampling the instance within that time, not at its next start. One small query; a single dashboard,
 * which writes through its own memory, does without.
 */
@Component
@ConditionalOnBooleanProperty("memdoctor.replicas.enabled")
class RuleSettingsRefresh {

    private static final Logger log = LoggerFactory.getLogger(RuleSettingsRefresh.class);

    private final RuleSettings settings;

    RuleSettingsRefresh(RuleSettings settings) {
        this.settings = settings;
    }

    @Scheduled(initialDelay = 10_000, fixedDelay = 10_000)
    void refresh() {
        try {
            settings.reload();
        }
        catch (DataAccessException ex) {
            log.warn("Could not read the alert rule settings again: {}", ex.getMessage());
        }
    }
}
