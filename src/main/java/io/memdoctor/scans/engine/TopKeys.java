package io.memdoctor.scans.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The N biggest keys seen so far, in O(N) memory: a min-heap whose head is the entry to drop next. On a tie the
 * key seen first stays, as redis-cli keeps the first biggest key it meets.
 */
public final class TopKeys {

    private record Ranked(ScanResults.KeyEntry entry, long size, long order) {
    }

    // the weakest on top: smallest size, and among equal sizes the one seen last
    private static final Comparator<Ranked> WEAKEST_FIRST = Comparator.comparingLong(Ranked::size)
            .thenComparing(Comparator.comparingLong(Ranked::order).reversed());

    private final int limit;
    private final PriorityQueue<Ranked> heap;
    private long seen;

    public TopKeys(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
        this.heap = new PriorityQueue<>(Math.min(limit, 1024) + 1, WEAKEST_FIRST);
    }

    /** Whether a key of this size would enter the list; lets the caller skip building the entry. */
    public boolean wouldAccept(long size) {
        return heap.size() < limit || size > heap.peek().size();
    }

    /** Offers a key ranked by {@code size}. */
    public void offer(ScanResults.KeyEntry entry, long size) {
        long order = seen++;
        if (heap.size() < limit) {
            heap.add(new Ranked(entry, size, order));
        }
        else if (size > heap.peek().size()) {
            heap.poll();
            heap.add(new Ranked(entry, size, order));
        }
    }

    /** The kept keys, biggest first (first seen first among equals). */
    public List<ScanResults.KeyEntry> biggestFirst() {
        List<Ranked> ranked = new ArrayList<>(heap);
        ranked.sort(WEAKEST_FIRST.reversed());
        return ranked.stream().map(Ranked::entry).toList();
    }
}
