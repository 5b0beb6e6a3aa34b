package io.memdoctor.scans;

import java.time.Duration;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.checks.CheckSeverity;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Scans;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** A finished scan feeds the big-keys and keys-without-ttl checks, on a private redis-server. */
@DashboardTest
@PrivateRedis(instance = "feeds")
class ScanSummaryForChecksTests {

    static RedisServer redis;

    @Autowired
    ScanService scans;

    @Autowired
    CheckService checks;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Test
    void theBigKeysCheckNamesTheKeyTheScanFound() {
        redis.cli("EVAL", "for i=1,150000 do redis.call('RPUSH','user:1001:feed',i) end", "0");
        redis.cli("EVAL", "for i=1,200 do redis.call('SET','session:'..i,'x','EX',3600) end", "0");
        sampler.sample(instances.get("feeds"));
        assertThat(check("big-keys").severity()).isEqualTo(CheckSeverity.UNKNOWN);

        Scans.finished(scans, "feeds", Duration.ofSeconds(30));

        CheckResult big = check("big-keys");
        assertThat(big.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(big.evidence()).contains("user:1001:feed").contains("150,000");
        assertThat(check("keys-without-ttl").evidence()).contains("user:*:feed");
    }

    private CheckResult check(String id) {
        return checks.check("feeds").stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
