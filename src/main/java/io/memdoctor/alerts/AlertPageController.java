package io.memdoctor.alerts;

import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.memdoctor.alerts.channels.ChannelStore;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The alerts page: firing now (most severe first), silences, rules, channels, deliveries and history. Its forms post
 * here and come back to the page with a message (post, redirect, get).
 */
@Controller
class AlertPageController {

    private final AlertService alerts;
    private final RuleSettings settings;
    private final Silences silences;
    private final ChannelStore channels;
    private final AlertPageData data;

    AlertPageController(AlertService alerts, RuleSettings settings, Silences silences, ChannelStore channels,
            AlertPageData data) {
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
    String page(Model model) {
        model.addAttribute("firing", alerts.firing());
        model.addAttribute("history", alerts.find(null, null).stream().limit(50).toList());
        model.addAttribute("silences", silences.current());
        model.addAttribute("rules", Arrays.stream(AlertRule.values()).map(rule -> RuleView.of(rule, settings)).toList());
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

    @PostMapping("/alerts/rules/{rule}")
    String rule(@PathVariable String rule, @RequestParam(defaultValue = "false") boolean enabled,
            @RequestParam(required = false) Double threshold, @RequestParam(required = false) Long forSeconds,
            RedirectAttributes redirect) {
        return attempt(redirect, () -> {
            RuleUpdate update = new RuleUpdate(rule, null, enabled, threshold, forSeconds, null);
            settings.save(List.of(update.apply(settings.global(update.alertRule()))));
        }, "Rule " + rule + " saved.");
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
        return "redirect:/alerts";
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
