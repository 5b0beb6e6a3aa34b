package io.memdoctor.scans;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.RedisUrl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanEndRecorderTests {

    @Test
    void errorTextsNeverCarryThePassword() {
        Instance instance = new Instance(InstanceId.of("cache"), "cache",
                RedisUrl.of("redis://app:hunter2-secret@cache:6379"), Instance.Source.RUNTIME);
        assertThat(ScanEndRecorder.scrub("WRONGPASS hunter2-secret is invalid", instance))
                .isEqualTo("WRONGPASS *** is invalid");
        assertThat(ScanEndRecorder.scrub(null, instance)).isNull();
        Instance open = new Instance(InstanceId.of("open"), "open", RedisUrl.of("redis://cache:6379"),
                Instance.Source.RUNTIME);
        assertThat(ScanEndRecorder.scrub("Connection refused", open)).isEqualTo("Connection refused");
    }
}
