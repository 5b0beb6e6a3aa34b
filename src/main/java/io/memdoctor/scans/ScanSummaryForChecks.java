package io.memdoctor.scans;

import java.util.List;
import java.util.Optional;

import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import org.springframework.stereotype.Component;

/**
 * Gives the {@code big-keys} and {@code keys-without-ttl} checks what the newest complete scan of an instance found.
 * Only a scan that reached the end of the keyspace (DONE) counts: a cancelled or failed one saw part of it.
 */
@Component
class ScanSummaryForChecks implements LatestScanSummary {

    /** A key is big from this many bytes of {@code MEMORY USAGE}... */
    static final long BIG_KEY_BYTES = 10L * 1024 * 1024;
    /** ...or from this many elements (list items, set members, hash fields, zset members, stream entries). */
    static final long BIG_KEY_ELEMENTS = 100_000;
    private static final int SCANS_LOOKED_AT = 20;

    private final ScanRepository repository;

    ScanSummaryForChecks(ScanRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<ScanFindings> latest(InstanceId id) {
        return repository.findByInstance(id.value(), SCANS_LOOKED_AT).stream()
                .filter(scan -> scan.status() == ScanStatus.DONE)
                .findFirst()
                .flatMap(scan -> repository.find(scan.id()))
                .filter(scan -> scan.results() != null)
                .map(ScanSummaryForChecks::summary);
    }

    private static ScanFindings summary(ScanRecord scan) {
        ScanResults results = scan.results();
        List<BigKey> big = results.topKeys().stream()
                .filter(key -> (key.bytes() != null && key.bytes() >= BIG_KEY_BYTES)
                        || (key.elements() != null && key.elements() >= BIG_KEY_ELEMENTS))
                .map(key -> new BigKey(key.key(), KeyNames.cliArgument(key.key()), key.type(), key.bytes(),
                        key.elements() == null ? 0 : key.elements(), key.node()))
                .toList();
        List<PatternTtl> patterns = results.patterns().stream()
                .map(p -> new PatternTtl(p.pattern(), p.keys(), p.keys() - p.keysWithTtl(),
                        p.bytes() == null ? 0 : p.bytes()))
                .toList();
        return new ScanFindings(scan.endedAt(), scan.keysScanned(), big, patterns);
    }
}
