package io.memdoctor.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The slot of a key as Redis computes it (CRC16-XMODEM of the key or of its hash tag, modulo 16384). */
class SlotsTests {

    @Test
    void slotsAreRedisSlots() {
        // CRC16-XMODEM's check value, and the slots redis-cli CLUSTER KEYSLOT gives
        assertThat(Slots.slotOf("123456789")).isEqualTo(0x31C3);
        assertThat(Slots.slotOf("foo")).isEqualTo(12182);
        assertThat(Slots.slotOf("bar")).isEqualTo(5061);
        assertThat(Slots.slotOf("{user1000}.following")).isEqualTo(Slots.slotOf("user1000"));
        // an empty tag hashes the whole name
        assertThat(Slots.slotOf("foo{}bar")).isNotEqualTo(Slots.slotOf(""));
    }

    @Test
    void aNameShownEscapedHasNoSlot() {
        assertThat(Slots.slotOf("bin\\xff")).isEqualTo(-1);
        assertThat(Slots.slotOf("caf\u00e9")).isEqualTo(-1);
        assertThat(Slots.slotOf(null)).isEqualTo(-1);
    }
}
