package io.memdoctor.overview;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.memdoctor.alerts.AlertService;
import io.memdoctor.cluster.ClusterReports;
import io.memdoctor.forecast.Forecast;
import io.memdoctor.forecast.ForecastService;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InstanceTags;
import io.memdoctor.snapshots.LatestSamples;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.stereotype.Service;

/**
 * The overview: one card per instance, filtered, grouped and sorted worst first, one page at a time. Reads the store
 * only, never waits on Redis, and reads no history: one query answers the newest state of every instance, one the
 * tags; alerts come from memory and forecasts from {@link ForecastService}'s cache (the alert engine keeps them
 * fresh as samples arrive), so a render of 1,000 instances fits the 5 s refresh. Only a card on the page whose
 * forecast was never made gets one made.
 */
@Service
class OverviewService {

    private static final String NO_GROUP = "";

    private final InstanceService instances;
    private final SnapshotHistory history;
    private final AlertService alerts;
    private final ForecastService forecasts;
    private final ClusterReports clusters;

    OverviewService(InstanceService instances, SnapshotHistory history, AlertService alerts,
            ForecastService forecasts, ClusterReports clusters) {
        this.clusters = clusters;
        this.instances = instances;
        this.history = history;
        this.alerts = alerts;
        this.forecasts = forecasts;
    }

    Overview overview(OverviewQuery query) {
        Map<InstanceId, List<String>> tags = instances.tagsOfAll();
        // a cluster is one card; its nodes are listed on its page, not here
        List<Instance> all = instances.findAll().stream().filter(i -> !i.isNode()).toList();
        TreeSet<String> groupKeys = new TreeSet<>();
        tags.values().forEach(list -> list.forEach(t -> groupKeys.add(InstanceTags.key(t))));
        List<Instance> matching = all.stream()
                .filter(i -> tags.getOrDefault(i.id(), List.of()).containsAll(query.tag()))
                .filter(i -> matches(i, tags.getOrDefault(i.id(), List.of()), query.q()))
                .toList();
        List<InstanceCard> cards = cards(matching, tags, history.latestOfAll());
        Overview.Summary summary = summary(cards);

        Map<String, List<InstanceCard>> byGroup = new LinkedHashMap<>();
        cards.stream().filter(c -> query.shows(c.attention())).sorted(WORST_FIRST)
                .forEach(c -> byGroup.computeIfAbsent(groupOf(c, query.group()), g -> new ArrayList<>()).add(c));
        List<Map.Entry<String, List<InstanceCard>>> groups = new ArrayList<>(byGroup.entrySet());
        groups.sort(Comparator.<Map.Entry<String, List<InstanceCard>>>comparingInt(e -> e.getValue().get(0)
                .attention().ordinal()).thenComparing(e -> e.getKey().isEmpty()).thenComparing(Map.Entry::getKey));

        int matched = groups.stream().mapToInt(e -> e.getValue().size()).sum();
        int pages = Math.max(1, (matched + query.size() - 1) / query.size());
        int page = Math.min(query.page(), pages);
        int from = (page - 1) * query.size();
        int to = from + query.size();
        List<Overview.CardGroup> shown = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, List<InstanceCard>> group : groups) {
            List<InstanceCard> members = group.getValue();
            int start = Math.max(from, position);
            int end = Math.min(to, position + members.size());
            if (start < end) {
                List<InstanceCard> slice = members.subList(start - position, end - position).stream()
                        .map(this::withForecast).toList();
                shown.add(new Overview.CardGroup(group.getKey(), members.size(), summary(members), slice));
            }
            position += members.size();
        }
        return new Overview(query, summary, matched, page, pages, shown, List.copyOf(groupKeys));
    }

    private List<InstanceCard> cards(List<Instance> list, Map<InstanceId, List<String>> tags,
            Map<InstanceId, LatestSamples.Latest> latest) {
        return list.stream().map(instance -> {
            LatestSamples.Latest known = latest.get(instance.id());
            String fullIn = forecasts.cached(instance.id()).map(Forecast::shortText).orElse(null);
            List<String> mine = tags.getOrDefault(instance.id(), List.of());
            var firing = alerts.firing(instance.id().value());
            if (instance.isCluster()) {
                return InstanceCard.ofCluster(instance, clusters.summary(instance, latest), mine, firing);
            }
            return known != null
                    ? InstanceCard.of(instance, known.status(), known.latestOk(), mine, fullIn, firing)
                    : InstanceCard.of(instance, history.statusOf(instance.id()),
                            history.latestOk(instance.id()).orElse(null), mine, fullIn, firing);
        }).toList();
    }

    /** A card on the page whose forecast was never made gets one (at most a page of them per render). */
    private InstanceCard withForecast(InstanceCard card) {
        InstanceId id = new InstanceId(card.id());
        if (forecasts.cached(id).isPresent()) {
            return card;
        }
        String fullIn = forecasts.forecast(id).shortText();
        return fullIn == null ? card : card.withFullIn(fullIn);
    }

    private static boolean matches(Instance instance, List<String> tags, String q) {
        if (q.isEmpty()) {
            return true;
        }
        String needle = q.toLowerCase(Locale.ROOT);
        return instance.name().toLowerCase(Locale.ROOT).contains(needle)
                || instance.url().redacted().toLowerCase(Locale.ROOT).contains(needle)
                || tags.stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains(needle));
    }

    /**
     * The group's name: the value of the tag with that key (the word itself for a plain tag such as {@code canary}),
     * the name's prefix, or none.
     */
    static String groupOf(InstanceCard card, String group) {
        if (group.isEmpty()) {
            return NO_GROUP;
        }
        if ("prefix".equals(group)) {
            String name = card.name();
            for (int i = 0; i < name.length(); i++) {
                if ("-_.:/ ".indexOf(name.charAt(i)) >= 0 && i > 0) {
                    return name.substring(0, i);
                }
            }
            return name;
        }
        return card.tags().stream().filter(t -> group.equals(InstanceTags.key(t)))
                .map(t -> InstanceTags.value(t) == null ? t : InstanceTags.value(t)).findFirst().orElse(NO_GROUP);
    }

    private static Overview.Summary summary(List<InstanceCard> cards) {
        int down = 0;
        int full = 0;
        int alerting = 0;
        for (InstanceCard card : cards) {
            switch (card.attention()) {
                case DOWN -> down++;
                case FULL -> full++;
                case ALERT -> alerting++;
                default -> { }
            }
        }
        return new Overview.Summary(cards.size(), down, full, alerting);
    }

    /** Worst first; within a kind, the fullest first, then by name. */
    static final Comparator<InstanceCard> WORST_FIRST = Comparator.comparingInt((InstanceCard c) -> c.attention()
                    .ordinal())
            .thenComparing(c -> c.usedFraction() == null ? -1 : c.usedFraction(), Comparator.reverseOrder())
            .thenComparing(c -> c.name().toLowerCase(Locale.ROOT));
}
