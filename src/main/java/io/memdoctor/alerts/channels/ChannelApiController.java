package io.memdoctor.alerts.channels;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Notification channels and deliveries as JSON. A channel's URL is never answered: only its scheme and host. */
@RestController
@RequestMapping("/api/alerts")
class ChannelApiController {

    private final ChannelStore channels;
    private final Notifier notifier;

    ChannelApiController(ChannelStore channels, Notifier notifier) {
        this.channels = channels;
        this.notifier = notifier;
    }

    /**
     * @param name unique name
     * @param type webhook, slack or alertmanager
     * @param url where to POST (a secret: stored sealed, never shown again)
     */
    record ChannelRequest(String name, String type, String url) {

        @Override
        public String toString() {
            return "ChannelRequest[name=" + name + ", type=" + type + ", url=<secret>]";
        }
    }

    /**
     * @param name unique name
     * @param type webhook, slack or alertmanager
     * @param url scheme, host and port only
     * @param source properties or page
     */
    record ChannelResponse(String name, String type, String url, String source) {

        static ChannelResponse of(Channel channel) {
            return new ChannelResponse(channel.name(), channel.type().id(), channel.shownUrl(), channel.source());
        }
    }

    @GetMapping("/channels")
    List<ChannelResponse> channels() {
        return channels.all().stream().map(ChannelResponse::of).toList();
    }

    @PostMapping("/channels")
    ResponseEntity<ChannelResponse> add(@RequestBody ChannelRequest request) {
        Channel channel = channels.add(request.name(), request.type(), request.url());
        return ResponseEntity.status(HttpStatus.CREATED).body(ChannelResponse.of(channel));
    }

    @DeleteMapping("/channels/{name}")
    ResponseEntity<Void> remove(@PathVariable String name) {
        channels.remove(name);
        return ResponseEntity.noContent().build();
    }

    /** The last 100 deliveries, newest first, with their attempts and errors. */
    @GetMapping("/deliveries")
    List<Delivery> deliveries() {
        return notifier.recent();
    }
}
