package io.memdoctor.instances;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceIdTests {

    @Test
    void slugsNames() {
        assertThat(InstanceId.slugOf("Prod Cache #1").value()).isEqualTo("prod-cache-1");
        assertThat(InstanceId.slugOf("  Sessions (EU) ").value()).isEqualTo("sessions-eu");
        assertThat(InstanceId.slugOf("Café").value()).isEqualTo("cafe");
        assertThat(InstanceId.slugOf("<script>alert(1)</script>").value()).isEqualTo("script-alert-1-script");
    }

    @Test
    void refusesNamesWithoutLettersOrDigits() {
        assertThatThrownBy(() -> InstanceId.slugOf("!!!")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesIdsThatAreNotSlugs() {
        assertThatThrownBy(() -> InstanceId.of("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InstanceId.of("UPPER")).isInstanceOf(IllegalArgumentException.class);
    }
}
