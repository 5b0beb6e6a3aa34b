package io.memdoctor.alerts;

import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.memdoctor.alerts.channels.ChannelStore;
import io.memdoctor.instances.InstanceService;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The alerts page: firing now (most severe first), silences, rules, channels, deliveries and history. Its forms post
 * here and come back to the page with a message (post, redirect, get). With {@code ?instance=} the rules show that
 * instance's settings, and saving them stores the instance's own.
 */
@Controller
class AlertPageController {

    private final AlertService alerts;
    private final RuleSettings settings;
    private final Silences silences;
    private final ChannelStore channels;
    private final AlertPageData data;
    private final InstanceService instances;

    AlertPageController(AlertService alerts, RuleSettings settings, Silences silences, ChannelStore channels,
            AlertPageData data, InstanceService instances) {
        this.instances = instances;
        this.alerts = alerts;
        this.settings = settings;
        this.silences = silences;
        this.channels = channels;
        this.data = data;
    }

    @HxRequest
    @GetMapping("/alerts")
    String firing(Model model) {
        model.addAttribute("firing", alerts.firing());
        return "alerts/partials :: firing";
    }

    @GetMapping("/alerts")
    String page(@RequestParam(required = false) String instance, Model model) {
        String instanceId = blankToNull(instance);
        if (instanceId != null) {
            model.addAttribute("instance", instances.get(instanceId));
        }
        model.addAttribute("firing", alerts.firing());
        model.addAttribute("history", alerts.find(null, null).stream().limit(50).toList());
        model.addAttribute("silences", silences.current());
        model.addAttribute("rules", Arrays.stream(AlertRule.values())
                .map(rule -> RuleRow.of(rule, settings, instanceId)).toList());
        model.addAttribute("channels", channels.all());
        model.addAttribute("deliveries", data.deliveries());
        return "alerts/page";
    }

    @PostMapping("/alerts/{id}/acknowledge")
    String acknowledge(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
        return attempt(redirect, () -> alerts.acknowledge(id, AlertApiController.who(principal)),
                "Alert " + id + " acknowledged: it is no longer repeated.");
    }

    @PostMapping("/alerts/silences")
    String silence(@RequestParam(required = false) String instanceId, @RequestParam(required = false) Long alertId,
            @RequestParam(required = false) Long minutes, @RequestParam(required = false) String reason,
            Principal principal, RedirectAttributes redirect) {
        return attempt(redirect, () -> silences.create(blankToNull(instanceId), alertId,
                minutes == null ? null : Duration.ofMinutes(minutes), reason, AlertApiController.who(principal)),
                "Silenced.");
    }

    @PostMapping("/alerts/silences/{id}/expire")
    String expire(@PathVariable long id, RedirectAttributes redirect) {
        return attempt(redirect, () -> silences.expire(id), "Silence ended.");
    }

    /** Saves the global setting, or the instance's own when {@code instanceId} is given. */
    @PostMapping("/alerts/rules/{rule}")
    String rule(@PathVariable String rule, @RequestParam(required = false) String instanceId,
            @RequestParam(defaultValue = "false") boolean enabled, @RequestParam(required = false) Double threshold,
            @RequestParam(required = false) Long forSeconds, RedirectAttributes redirect) {
        String instance = blankToNull(instanceId);
        String back = back(instance);
        return attempt(redirect, () -> {
            if (instance != null) {
                instances.get(instance);
            }
            RuleUpdate update = new RuleUpdate(rule, instance, enabled, threshold, forSeconds, null);
            settings.save(List.of(update.apply(settings.effective(update.alertRule(), instance))));
        }, "Rule " + rule + " saved" + (instance == null ? "." : " for " + instance + "."), back);
    }

    /** Drops an instance's own setting: the global one applies again. */
    @PostMapping("/alerts/rules/{rule}/inherit")
    String inherit(@PathVariable String rule, @RequestParam(required = false) String instanceId,
            RedirectAttributes redirect) {
        String instance = blankToNull(instanceId);
        return attempt(redirect, () -> {
            if (instance == null) {
                throw new IllegalArgumentException("Going back to the global setting needs an instance.");
            }
            instances.get(instance);
            settings.inherit(new RuleUpdate(rule, instance, null, null, null, true).alertRule(), instance);
        }, "Rule " + rule + " follows the global setting again for " + instance + ".", back(instance));
    }

    @PostMapping("/alerts/channels")
    String addChannel(@RequestParam(required = false) String name, @RequestParam(required = false) String type,
            @RequestParam(required = false) String url, RedirectAttributes redirect) {
        return attempt(redirect, () -> channels.add(name, type, url), "Channel " + name + " added.");
    }

    @PostMapping("/alerts/channels/{name}/delete")
    String removeChannel(@PathVariable String name, RedirectAttributes redirect) {
        return attempt(redirect, () -> channels.remove(name), "Channel " + name + " removed.");
    }

    private static String attempt(RedirectAttributes redirect, Runnable action, String done) {
        return attempt(redirect, action, done, "/alerts");
    }

    /** Back to the instance's rules when it exists, else to the page itself (an unknown id would only 404). */
    private String back(String instanceId) {
        if (instanceId == null) {
            return "/alerts";
        }
        try {
            instances.get(instanceId);
        }
        catch (ErrorResponseException ex) {
            return "/alerts";
        }
        return UriComponentsBuilder.fromPath("/alerts").queryParam("instance", instanceId).encode().build()
                .toUriString();
    }

    private static String attempt(RedirectAttributes redirect, Runnable action, String done, String target) {
        try {
            action.run();
            redirect.addFlashAttribute("message", done);
        }
        catch (IllegalArgumentException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        catch (ErrorResponseException ex) {
            redirect.addFlashAttribute("error", ex.getBody().getDetail());
        }
        return "redirect:" + target;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
