package io.memdoctor.alerts;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.memdoctor.instances.InstanceService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alerts, rules and silences as JSON. */
@RestController
@RequestMapping("/api/alerts")
class AlertApiController {

    private final AlertService alerts;
    private final RuleSettings settings;
    private final Silences silences;
    private final InstanceService instances;

    AlertApiController(AlertService alerts, RuleSettings settings, Silences silences, InstanceService instances) {
        this.alerts = alerts;
        this.settings = settings;
        this.silences = silences;
        this.instances = instances;
    }

    /** Newest first (at most 500); {@code state} PENDING, FIRING or RESOLVED; {@code instance} an instance id. */
    @GetMapping
    List<Alert> alerts(@RequestParam(required = false) String state,
            @RequestParam(required = false) String instance) {
        if (instance != null && !instance.isBlank()) {
            instances.get(instance.strip());
        }
        return alerts.find(state, instance);
    }

    @GetMapping("/rules")
    List<RuleView> rules() {
        return Arrays.stream(AlertRule.values()).map(rule -> RuleView.of(rule, settings)).toList();
    }

    /** Changes rules' settings, globally or per instance: all or none. */
    @PutMapping("/rules")
    List<RuleView> update(@RequestBody List<RuleUpdate> updates) {
        if (updates == null || updates.isEmpty()) {
            throw new IllegalArgumentException("send a list of changes, such as"
                    + " [{\"rule\":\"memory-high\",\"threshold\":85,\"forSeconds\":300}]");
        }
        List<RuleSetting> changed = new ArrayList<>();
        // a batch that changes a global setting and an instance's own sees the new global value
        java.util.Map<AlertRule, RuleSetting> globals = new java.util.EnumMap<>(AlertRule.class);
        for (RuleUpdate update : updates) {
            AlertRule rule = update.alertRule();
            if (update.instanceId() != null) {
                instances.get(update.instanceId());
            }
            if (Boolean.TRUE.equals(update.inherit())) {
                if (update.instanceId() == null) {
                    throw new IllegalArgumentException("'inherit' needs an 'instanceId'");
                }
                settings.inherit(rule, update.instanceId());
                continue;
            }
            RuleSetting current = update.instanceId() == null ? globals.getOrDefault(rule, settings.global(rule))
                    : settings.overrides(rule).stream().filter(o -> o.instanceId().equals(update.instanceId()))
                            .findFirst().orElse(globals.getOrDefault(rule, settings.global(rule)));
            RuleSetting next = update.apply(current);
            if (update.instanceId() == null) {
                globals.put(rule, next);
            }
            changed.add(next);
        }
        settings.save(changed);
        return rules();
    }

    @PostMapping("/{id}/acknowledge")
    Alert acknowledge(@PathVariable long id, Principal principal) {
        return alerts.acknowledge(id, who(principal));
    }

    @GetMapping("/silences")
    List<Silence> silences() {
        return silences.current();
    }

    @PostMapping("/silences")
    ResponseEntity<Silence> silence(@RequestBody SilenceRequest request, Principal principal) {
        if (request.instanceId() != null) {
            instances.get(request.instanceId());
        }
        Duration duration = request.minutes() == null ? null : Duration.ofMinutes(request.minutes());
        Silence silence = silences.create(request.instanceId(), request.alertId(), duration, request.reason(),
                who(principal));
        return ResponseEntity.status(HttpStatus.CREATED).body(silence);
    }

    @DeleteMapping("/silences/{id}")
    ResponseEntity<Void> expire(@PathVariable long id) {
        if (!silences.expire(id)) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND,
                    ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No current silence " + id), null);
        }
        return ResponseEntity.noContent().build();
    }

    static String who(Principal principal) {
        return principal == null ? "local" : principal.getName();
    }
}
