package io.memdoctor.scans.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TtlHistogramTests {

    @Test
    void bucketsByTimeToLive() {
        assertThat(TtlHistogram.bucketOf(-1)).isZero();
        assertThat(TtlHistogram.bucketOf(0)).isEqualTo(1);
        assertThat(TtlHistogram.bucketOf(3_599_999)).isEqualTo(1);
        assertThat(TtlHistogram.bucketOf(3_600_000)).isEqualTo(2);
        assertThat(TtlHistogram.bucketOf(86_399_999)).isEqualTo(2);
        assertThat(TtlHistogram.bucketOf(86_400_000)).isEqualTo(3);
        assertThat(TtlHistogram.bucketOf(7 * 86_400_000L - 1)).isEqualTo(3);
        assertThat(TtlHistogram.bucketOf(7 * 86_400_000L)).isEqualTo(4);
    }

    @Test
    void countsKeysAndBytesAndKeepsEmptyBuckets() {
        TtlHistogram histogram = new TtlHistogram();
        histogram.add(-1, 100);
        histogram.add(-1, 50);
        histogram.add(10_000, 7);

        assertThat(histogram.buckets(true)).extracting(ScanResults.TtlBucket::bucket, ScanResults.TtlBucket::keys,
                ScanResults.TtlBucket::bytes).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("none", 2L, 150L),
                        org.assertj.core.groups.Tuple.tuple("lt1h", 1L, 7L),
                        org.assertj.core.groups.Tuple.tuple("1h-24h", 0L, 0L),
                        org.assertj.core.groups.Tuple.tuple("1d-7d", 0L, 0L),
                        org.assertj.core.groups.Tuple.tuple("gt7d", 0L, 0L));
        assertThat(histogram.buckets(false)).allSatisfy(b -> assertThat(b.bytes()).isNull());
    }
}
