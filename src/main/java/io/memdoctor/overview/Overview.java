package io.memdoctor.overview;

import java.util.List;

/**
 * The overview as the page and {@code GET /api/overview} show it: the summary of every instance the text and tag
 * filters let through, and one page of cards, grouped, worst first.
 *
 * @param query what was asked
 * @param summary counts over the filtered instances (before {@code show} and paging)
 * @param matched instances that pass every filter, {@code show} included
 * @param page this page, 1-based
 * @param pages pages in all (at least 1)
 * @param groups this page's cards by group (one unnamed group when not grouped), worst group first
 * @param groupKeys the tag keys the instances carry and their plain-word tags, for the group choice
 */
public record Overview(OverviewQuery query, Summary summary, int matched, int page, int pages, List<CardGroup> groups,
        List<String> groupKeys) {

    /** Up to this many instances in all, every one is a card: a small team's overview. */
    static final int ALL_CARDS = 24;
    /**
     * Above this many instances needing a look on one page, they are rows too (a screen holds nine cards but some
     * thirty rows): sixty cards of down instances do not read at a glance.
     */
    static final int MAX_ATTENTION_CARDS = 12;

    /**
     * How many instances there are and how many need a look; each figure is a link to those instances.
     *
     * @param instances instances in all
     * @param down unreachable or erroring
     * @param full near maxmemory or forecast full within a day (and not down)
     * @param alerts with a firing alert (and neither down nor near full)
     */
    public record Summary(int instances, int down, int full, int alerts) {

        public int attention() {
            return down + full + alerts;
        }
    }

    /**
     * The cards of one group on this page.
     *
     * @param name the tag value, the name prefix, or empty when not grouped
     * @param total instances of the group over every page
     * @param summary the group's own counts
     * @param cards this page's cards of the group, worst first
     */
    public record CardGroup(String name, int total, Summary summary, List<InstanceCard> cards) {

        /** The cards that need a look: drawn large. */
        public List<InstanceCard> attention() {
            return cards.stream().filter(c -> c.attention().needed()).toList();
        }

        /** The clusters that need a look: always cards (their shards do not fit a row). */
        public List<InstanceCard> attentionClusters() {
            return attention().stream().filter(c -> c.cluster() != null).toList();
        }

        /** The servers that need a look. */
        public List<InstanceCard> attentionServers() {
            return attention().stream().filter(c -> c.cluster() == null).toList();
        }

        /** The healthy ones: drawn as compact rows. */
        public List<InstanceCard> healthy() {
            return cards.stream().filter(c -> !c.attention().needed()).toList();
        }
    }

    /** Whether every instance of the page is a card: a small fleet, or a filter that leaves few. */
    public boolean allCards() {
        return matched <= ALL_CARDS;
    }

    /** Whether the instances that need a look are drawn as rows (with why) instead of cards: too many for cards. */
    public boolean attentionAsRows() {
        return !allCards() && groups.stream().mapToInt(g -> g.attentionServers().size()).sum() > MAX_ATTENTION_CARDS;
    }

    public boolean isEmpty() {
        return summary.instances() == 0;
    }
}
